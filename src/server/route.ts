import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Role } from '../accounts/tables.ts';
import type { Context } from '../context.ts';
import { forbidden, invalid, unauthenticated } from '../errors.ts';

/** Who may call a route: anyone, any signed-in account, or the listed roles. */
export type Access = 'public' | 'authenticated' | readonly Role[];

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

/**
 * One API route: its schemas sit next to it, and the handler stays thin — validate (done here), authorise
 * (`access` here, finer policies in the command), call one command or query, present.
 */
export interface RouteSpec<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify path syntax under /api/v1, e.g. `/units/:id`. */
  url: string;
  summary: string;
  tags: string[];
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** Documented success status (default 200). */
  status?: number;
  /**
   * Honour an `Idempotency-Key` header (src/security/idempotency.ts): the same key and body get the first
   * answer again. Default: on for public POST routes, off elsewhere.
   */
  idempotent?: boolean;
  /** Rate-limit bucket per client IP (src/security/rateLimit.ts). Default: 'publicForm' for public writes. */
  rateLimit?: 'login' | 'publicForm' | false;
  /** Callable while the account must still change its initial password (change-password, logout). */
  passwordChangeExempt?: boolean;
  handler(
    input: RouteInput<Infer<P>, Infer<Q>, Infer<B>>,
    ctx: Context,
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds routes of every input type; each is checked where defined
export type AnyRoute = RouteSpec<any, any, any>;

export function defineRoute<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(spec: RouteSpec<P, Q, B>): RouteSpec<P, Q, B> {
  return spec;
}

function parse(schema: Schema | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw invalid(
    result.error.issues.map((i) => ({
      field: [where, ...i.path.map(String)].join('.'),
      reason: i.message,
    })),
  );
}

export function authorise(access: Access, ctx: Context): void {
  if (access === 'public') return;
  if (!ctx.actor) throw unauthenticated();
  if (access === 'authenticated') return;
  if (!access.includes(ctx.actor.role)) throw forbidden();
}

export interface RouteHost {
  /** Builds the request's context (actor from the session cookie). */
  contextFor(req: FastifyRequest): Promise<Context>;
  /** The security checks around every handler (src/security/http.ts); absent: none. */
  guard?: RouteGuard;
}

/** Hooks the security module puts around each route (rate limits, forced password change, idempotency). */
export interface RouteGuard {
  /** After authorisation, before validation: throws to refuse the call. */
  admit(route: AnyRoute, req: FastifyRequest, ctx: Context): Promise<void>;
  /** Runs the handler (`run`), possibly inside an idempotency transaction; returns the body to send. */
  execute(
    route: AnyRoute,
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: Context,
    run: (ctx: Context) => Promise<unknown>,
  ): Promise<unknown>;
}

export function mountRoutes(app: FastifyInstance, prefix: string, routes: AnyRoute[], host: RouteHost): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: prefix + route.url,
      handler: async (req, reply) => {
        const ctx = await host.contextFor(req);
        authorise(route.access, ctx);
        await host.guard?.admit(route, req, ctx);
        const input = {
          params: parse(route.params, req.params, 'params'),
          query: parse(route.query, req.query, 'query'),
          body: parse(route.body, req.body, 'body'),
        };
        const run = (c: Context) => route.handler(input, c, req, reply);
        const result = host.guard ? await host.guard.execute(route, req, reply, ctx, run) : await run(ctx);
        if (reply.sent) return reply;
        if (route.status) reply.code(route.status);
        return result ?? null;
      },
    });
  }
}
