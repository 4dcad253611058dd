import { sql } from 'kysely';
import { z } from 'zod';
import { defineRoute } from '../server/route.ts';
import { migrations } from '../store/migrations/index.ts';
import { verifyAuditChain } from './audit.ts';

const tags = ['security'];
const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, '时间格式应为 ISO-8601（UTC）');

export const securityRoutes = [
  defineRoute({
    method: 'GET',
    url: '/ready',
    summary: 'Readiness: the database answers and every migration has run (for load balancers)',
    tags: ['system'],
    access: 'public',
    async handler(_input, ctx, _req, reply) {
      try {
        const done = await sql<{ name: string }>`select name from kysely_migration`.execute(ctx.db);
        const names = new Set(done.rows.map((r) => r.name));
        const pending = migrations.filter((m) => !names.has(m.name)).map((m) => m.name);
        if (pending.length) {
          reply.code(503);
          return { status: 'migrating', pending };
        }
        return { status: 'ready', database: ctx.store.hooks.name, migrations: names.size };
      } catch {
        reply.code(503);
        return { status: 'unavailable', database: ctx.store.hooks.name };
      }
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/audit',
    summary: 'The audit trail, newest first (auditor only: 三员分立)',
    tags,
    access: ['auditor'],
    query: z.object({
      from: isoTime.optional(),
      to: isoTime.optional(),
      actor: z.string().max(64).optional(),
      action: z.string().max(200).optional(),
      outcome: z.enum(['success', 'failure']).optional(),
      before: z.coerce.number().int().positive().optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    async handler({ query }, ctx) {
      let q = ctx.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(query.limit);
      if (query.from) q = q.where('at', '>=', query.from);
      if (query.to) q = q.where('at', '<', query.to);
      if (query.actor) q = q.where('actor_name', '=', query.actor);
      if (query.action) q = q.where('action', '=', query.action);
      if (query.outcome) q = q.where('outcome', '=', query.outcome);
      if (query.before) q = q.where('seq', '<', query.before);
      const rows = await q.execute();
      return {
        items: rows.map((r) => ({
          seq: r.seq,
          at: r.at,
          actor: r.actor_name,
          actorId: r.actor_id,
          role: r.actor_role,
          ip: r.ip,
          action: r.action,
          target: r.target,
          outcome: r.outcome,
          status: r.status,
          detail: r.detail,
          hash: r.hash,
        })),
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/audit/verify',
    summary: 'Check the audit trail’s hash chain (auditor only)',
    tags,
    access: ['auditor'],
    handler: (_input, ctx) => verifyAuditChain(ctx.db),
  }),
];
