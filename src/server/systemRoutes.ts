import { sql } from 'kysely';
import { defineRoute } from './route.ts';

export const systemRoutes = [
  defineRoute({
    method: 'GET',
    url: '/health',
    summary: 'Liveness and database reachability',
    tags: ['system'],
    access: 'public',
    async handler(_input, ctx, _req, reply) {
      try {
        await sql`select 1`.execute(ctx.db);
        return { status: 'ok', database: ctx.store.hooks.name };
      } catch {
        reply.code(503);
        return { status: 'unavailable', database: ctx.store.hooks.name };
      }
    },
  }),
];
