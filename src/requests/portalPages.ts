import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Context } from '../context.ts';
import { registerApplicationForm } from './applicationPage.ts';
import { registerRequestTracking } from './trackingPage.ts';

/** The portal's pages of 依申请公开 (issue 6 items 1 and 4): the online application and the tracking page. */
export function registerRequestPages(
  app: FastifyInstance,
  deps: { contextFor(req: FastifyRequest): Promise<Context> },
): void {
  registerApplicationForm(app, deps);
  registerRequestTracking(app, deps);
}
