import { z } from 'zod';
import { type Actor, type Context, inTransaction } from '../context.ts';
import { notFound, unauthenticated } from '../errors.ts';
import { type AnyRoute, defineRoute } from '../server/route.ts';
import { definitionImporter, latestDefinition, listDefinitions } from './definitions.ts';
import { inbox, inboxViews } from './inbox.ts';
import { instanceStarter } from './instanceStarter.ts';
import { taskClaimer } from './taskActions/claim.ts';
import { taskCompleter } from './taskActions/complete.ts';
import { countersignerAdder, countersignerRemover } from './taskActions/countersign.ts';
import { taskRecaller } from './taskActions/recall.ts';
import { taskReturner } from './taskActions/returnTask.ts';
import { supplementRequester } from './taskActions/supplement.ts';
import { caseTerminator } from './taskActions/terminate.ts';
import { taskDelegator, taskTransferrer } from './taskActions/transfer.ts';
import { taskUrger } from './taskActions/urge.ts';
import { instanceView, requireCaseReader, taskView } from './views.ts';
import { xmlLimits } from './xmlGuard.ts';

const tags = ['flows 定流程'];
const admin = ['sysadmin'] as const;
const id = z.object({ id: z.string().min(1).max(64) });
const keyParam = z.object({ key: z.string().min(1).max(100) });
const opinion = z.string().max(5000).nullable().optional();
const scalar = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);
const variables = z.record(z.string().max(64), z.union([scalar, z.array(scalar).max(500)])).optional();

const actorOf = (ctx: Context): Actor => {
  if (!ctx.actor) throw unauthenticated();
  return ctx.actor;
};

const definitionRoutes = [
  defineRoute({
    method: 'GET',
    url: '/process-definitions',
    summary:
      'Flow definitions: the latest version of each key, with its flow code and the table codes citing it; ' +
      '?flowCode= picks the chart a work item names (03-1 → 3-1-1)',
    tags,
    access: 'authenticated',
    query: z.object({ flowCode: z.string().min(1).max(40).optional() }),
    async handler({ query }, ctx) {
      const rows = await listDefinitions(ctx.db, { flowCode: query.flowCode });
      return {
        items: rows.map((d) => ({
          id: d.id,
          key: d.key,
          code: d.code,
          name: d.name,
          version: d.version,
          tableCodes: d.tableCodes,
          createdAt: d.created_at,
        })),
      };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/process-definitions',
    summary: 'Import a BPMN 2.0 file as the next version of its key',
    tags,
    access: admin,
    status: 201,
    body: z.object({ xml: z.string().min(1, '请提供 BPMN 文件内容').max(xmlLimits.maxBytes) }),
    handler: ({ body }, ctx) => inTransaction(ctx, (c) => definitionImporter(c, body.xml)),
  }),
  defineRoute({
    method: 'GET',
    url: '/process-definitions/:key/xml',
    summary: 'The BPMN file of a definition, as imported (latest version, or ?version=n)',
    tags,
    access: 'authenticated',
    params: keyParam,
    query: z.object({ version: z.coerce.number().int().positive().optional() }),
    async handler({ params, query }, ctx, _req, reply) {
      const row = query.version
        ? await ctx.db
            .selectFrom('process_definitions')
            .selectAll()
            .where('key', '=', params.key)
            .where('version', '=', query.version)
            .executeTakeFirst()
        : await latestDefinition(ctx.db, params.key);
      if (!row) throw notFound('流程定义', `${params.key} v${query.version}`);
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${row.key}.v${row.version}.bpmn"`)
        .send(row.xml);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/process-definitions/:key/instances',
    summary: 'Start a case on the latest version of a flow',
    tags,
    access: 'authenticated',
    status: 201,
    params: keyParam,
    body: z.object({ variables, businessKey: z.string().max(200).nullable().optional() }),
    async handler({ params, body }, ctx) {
      const started = await inTransaction(ctx, (c) =>
        instanceStarter(c, params.key, {
          variables: body.variables ?? {},
          businessKey: body.businessKey ?? null,
        }),
      );
      return instanceView(ctx.db, started.id, ctx.now());
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/process-instances/:id',
    summary: 'A case: its current steps, timers, variables and history',
    tags,
    access: 'authenticated',
    params: id,
    async handler({ params }, ctx) {
      await requireCaseReader(ctx.db, params.id, actorOf(ctx));
      return instanceView(ctx.db, params.id, ctx.now());
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/tasks',
    summary: 'Inbox: open (待办), done (已办), started by me (我发起的), overdue (超期)',
    tags,
    access: 'authenticated',
    query: z.object({ view: z.enum(inboxViews).default('open') }),
    async handler({ query }, ctx) {
      return { view: query.view, items: await inbox(ctx.db, actorOf(ctx).userId, query.view, ctx.now()) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/tasks/:id',
    summary: 'A task: who may act, the outcomes offered, the actions open to the reader',
    tags,
    access: 'authenticated',
    params: id,
    handler: ({ params }, ctx) => taskView(ctx.db, params.id, actorOf(ctx), ctx.now()),
  }),
];

const action = <B extends z.ZodType>(
  name: string,
  summary: string,
  body: B,
  run: (ctx: Context, taskId: string, body: z.infer<B>) => Promise<unknown>,
) =>
  defineRoute({
    method: 'POST',
    url: `/tasks/:id/${name}`,
    summary,
    tags,
    access: 'authenticated',
    params: id,
    body,
    handler: ({ params, body: input }, ctx) => run(ctx, params.id, input as z.infer<B>),
  });

const actionRoutes = [
  action('claim', 'Claim (签收) an unassigned task', z.object({}), (ctx, tid) => taskClaimer(ctx, tid)),
  action(
    'complete',
    'Complete a task with an outcome and an opinion (idempotent)',
    z.object({ outcome: z.string().max(100).nullable().optional(), opinion, variables }),
    (ctx, tid, b) => taskCompleter(ctx, tid, b),
  ),
  action(
    'return',
    'Return (退回) to the previous step, the submitter, or an earlier step, with a reason',
    z.object({
      to: z.string().min(1).max(100).default('previous'),
      reason: z.string().min(1, '请填写退回理由').max(5000),
    }),
    (ctx, tid, b) => taskReturner(ctx, tid, b),
  ),
  action(
    'recall',
    'Recall (撤回) a task you completed, before the next handler acts',
    z.object({ reason: opinion }),
    (ctx, tid, b) => taskRecaller(ctx, tid, b),
  ),
  action(
    'transfer',
    'Transfer (转办) to a person (username) or a group',
    z.object({ to: z.string().min(1).max(200), opinion }),
    (ctx, tid, b) => taskTransferrer(ctx, tid, b),
  ),
  action(
    'delegate',
    'Delegate to a person; the task comes back when they resolve it',
    z.object({ to: z.string().min(1).max(100), opinion }),
    (ctx, tid, b) => taskDelegator(ctx, tid, b),
  ),
  action(
    'addCountersigner',
    'Add a countersigner (加签) to a running countersign',
    z.object({ who: z.string().min(1).max(200) }),
    (ctx, tid, b) => countersignerAdder(ctx, tid, b),
  ),
  action(
    'removeCountersigner',
    'Remove a countersigner (减签) who has not acted',
    z.object({
      taskId: z.string().max(64).nullable().optional(),
      who: z.string().max(200).nullable().optional(),
    }),
    (ctx, tid, b) => countersignerRemover(ctx, tid, b),
  ),
  action(
    'urge',
    'Urge (催办) the handlers of a task',
    z.object({ message: z.string().max(1000).nullable().optional() }),
    (ctx, tid, b) => taskUrger(ctx, tid, b),
  ),
  action(
    'supplement',
    'Ask the submitter for a supplement (补正); the task waits for it',
    z.object({ reason: z.string().min(1, '请写明需要补正的材料').max(5000) }),
    (ctx, tid, b) => supplementRequester(ctx, tid, b),
  ),
  action(
    'terminate',
    'Terminate (终止) the case',
    z.object({ reason: z.string().min(1, '请填写终止理由').max(5000) }),
    (ctx, tid, b) => caseTerminator(ctx, tid, b),
  ),
];

export const flowRoutes: AnyRoute[] = [...definitionRoutes, ...actionRoutes];
