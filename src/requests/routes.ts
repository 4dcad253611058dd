import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type Context, inTransaction } from '../context.ts';
import { stages } from '../disclosure/tables.ts';
import { actorUnitScope } from '../disclosure/unitScope.ts';
import { AppError, conflict, notFound } from '../errors.ts';
import { defineRoute } from '../server/route.ts';
import { appealRecorder, appealUpdater } from './commands/appealRecorder.ts';
import { proactiveMover } from './commands/proactiveMover.ts';
import {
  consultationEnder,
  consultationStarter,
  extensionGranter,
  feeNoticer,
  feePayer,
  replyDeliverer,
  replyMaker,
  requestAssigner,
  requestCloser,
  requestNoter,
  requestRegistrar,
  requestSweeper,
  requestWithdrawer,
  supplementReceiver,
  supplementRequester,
} from './commands/requestActions.ts';
import { type CreatedRequest, requestCreator } from './commands/requestCreator.ts';
import { computeFee } from './fees.ts';
import { handlerCandidates } from './handlers.ts';
import { letterText, replyLetter, replyLetterDocx } from './letters.ts';
import { outcomeCodes, outcomes } from './outcomes.ts';
import { readPersonalData } from './personalData.ts';
import { presentPublicRequest, presentRequest, presentRequestSummary } from './presenters.ts';
import { byUrgency, requestViews } from './queries.ts';
import { repeatedRequests } from './repeated.ts';
import { annualReportRoutes } from './report/routes.ts';
import { assertRequestScope } from './scope.ts';
import { loadSettings, saveSetting } from './settings.ts';
import {
  appealKinds,
  appealResults,
  applicantKinds,
  channels,
  deliveryForms,
  deliveryMethods,
  organisationKinds,
  requestStates,
} from './tables.ts';

const tags = ['requests 依申请公开'];
/** The disclosure office: staff handle, the office head (a leader) approves extensions. */
const office = ['staff', 'leader'] as const;
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const optDate = date.nullable().optional();
const id = z.object({ id: z.string().min(1).max(64) });
const text = (max: number) => z.string().max(max).nullable().optional();

const application = z.object({
  unitId: z.string().min(1, '请选择受理机关').max(64),
  applicantKind: z.enum(applicantKinds),
  organisationKind: z.enum(organisationKinds).nullable().optional(),
  name: z.string().min(1, '请填写申请人姓名或名称').max(200),
  organisationCode: text(40),
  legalRepresentative: text(60),
  contactName: text(60),
  idType: text(20),
  idNumber: text(40),
  phone: text(30),
  email: z.string().email('电子邮箱格式不正确').max(200).nullable().optional(),
  address: text(300),
  postalCode: text(10),
  description: z.string().min(1, '请描述申请公开的政府信息').max(5000),
  documentNumber: text(100),
  purpose: text(1000),
  deliveryForm: z.enum(deliveryForms),
  deliveryMethod: z.enum(deliveryMethods),
});

/** Canonical JSON (sorted keys), so the same body sent twice hashes the same whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

async function createdAnswer(ctx: Context, created: CreatedRequest) {
  const [view] = await requestViews(ctx.db, { ids: [created.id] }, ctx.now());
  return {
    trackingNumber: created.trackingNumber,
    queryCode: created.queryCode,
    receivedOn: created.receivedOn,
    dueOn: view?.clock.dueOn ?? null,
    explanation: view?.clock.explanation ?? null,
  };
}

async function findByKey(ctx: Context, key: string) {
  return ctx.db
    .selectFrom('info_requests')
    .select(['id', 'tracking_number', 'query_code', 'received_on', 'body_hash'])
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/** The view of one request for the office, personal data unmasked only for its handler. */
async function officeView(ctx: Context, requestId: string) {
  const [view] = await requestViews(ctx.db, { ids: [requestId] }, ctx.now());
  if (!view) throw notFound('政府信息公开申请', requestId);
  // Unit scope (src/disclosure/unitScope.ts): another unit's request is not shown, not even masked.
  await assertRequestScope(ctx, view.row);
  const personal = (await readPersonalData(ctx.db, [requestId])).get(requestId) ?? {
    idNumber: null,
    phone: null,
  };
  const isHandler = !!ctx.actor && ctx.actor.userId === view.row.handler_user_id;
  const appeals = await ctx.db
    .selectFrom('info_request_appeals')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('filed_on')
    .orderBy('id')
    .execute();
  return presentRequest(view, personal, isHandler, appeals);
}

/** An action on one request: run it in a transaction, answer with the request as it now stands. */
function action<B extends z.ZodType>(
  url: string,
  summary: string,
  body: B,
  run: (ctx: Context, requestId: string, body: z.infer<B>) => Promise<unknown>,
  access: readonly ('staff' | 'leader')[] = office,
) {
  return defineRoute({
    method: 'POST',
    url: `/info-requests/:id/${url}`,
    summary,
    tags,
    access,
    params: id,
    body,
    async handler({ params, body: input }, ctx) {
      await inTransaction(ctx, (c) => run(c, params.id, input as z.infer<B>));
      return officeView(ctx, params.id);
    },
  });
}

export const requestRoutes = [
  defineRoute({
    method: 'POST',
    url: '/info-requests',
    summary:
      'Apply online (条例 Art. 29); returns a tracking number and a query code. Idempotency-Key: the same key and body give the same request; the same key with another body is refused (409)',
    tags,
    access: 'public',
    status: 201,
    body: application,
    async handler({ body }, ctx, req, reply) {
      const header = req.headers['idempotency-key'];
      const key = typeof header === 'string' && header.trim() ? header.trim() : null;
      if (key && key.length > 200)
        throw new AppError('validation_failed', 'Idempotency-Key 过长', 400, [
          { field: 'headers.idempotency-key', reason: '不超过200个字符' },
        ]);
      const bodyHash = createHash('sha256').update(canonical(body)).digest('hex');
      const replay = async () => {
        const existing = key ? await findByKey(ctx, key) : undefined;
        if (!existing) return null;
        if (existing.body_hash !== bodyHash)
          throw conflict('idempotency_key_reused', '该 Idempotency-Key 已用于另一份不同内容的申请');
        reply.header('idempotent-replayed', 'true');
        return createdAnswer(ctx, {
          id: existing.id,
          trackingNumber: existing.tracking_number,
          queryCode: existing.query_code,
          receivedOn: existing.received_on,
        });
      };
      const first = await replay();
      if (first) return first;
      try {
        const created = await inTransaction(ctx, (c) =>
          requestCreator(c, body, null, key ? { key, bodyHash } : undefined),
        );
        return createdAnswer(ctx, created);
      } catch (err) {
        // a concurrent request with the same key won the unique index: answer as a replay of it
        const again = key && !(err instanceof AppError) ? await replay() : null;
        if (again) return again;
        throw err;
      }
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/info-requests/logged',
    summary:
      'Staff log a request received on paper, by post, fax, e-mail or in person, with the receipt date of Art. 31',
    tags,
    access: office,
    status: 201,
    body: application.extend({
      channel: z.enum(channels).exclude(['online']),
      submittedOn: optDate,
      signedOn: optDate,
      confirmedOn: optDate,
      note: text(2000),
    }),
    async handler({ body }, ctx) {
      const { channel, submittedOn, signedOn, confirmedOn, note, ...app } = body;
      const created = await inTransaction(ctx, (c) =>
        requestCreator(c, app, { channel, submittedOn, signedOn, confirmedOn, note }),
      );
      return { id: created.id, ...(await createdAnswer(ctx, created)) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/info-requests',
    summary:
      'Requests for the office, overdue and due-soon first, each with its due date and its explanation',
    tags,
    access: office,
    query: z.object({
      state: z.enum(requestStates).optional(),
      status: z.enum(['open', 'overdue', 'dueSoon', 'all']).default('all'),
      unit: z.string().optional(),
      year: z.coerce.number().int().min(2000).max(2100).optional(),
      mine: z.enum(['1', '0']).optional(),
    }),
    async handler({ query }, ctx) {
      // Unit scope (src/disclosure/unitScope.ts): staff and leaders see their units' requests; the disclosure
      // office (区府办 subtree) sees every unit's. `unit=` narrows within that, never beyond it.
      const scope = await actorUnitScope(ctx);
      const unitIds = scope.all
        ? query.unit
          ? [query.unit]
          : undefined
        : [...scope.unitIds].filter((u) => !query.unit || u === query.unit);
      const views = await requestViews(
        ctx.db,
        {
          ...(query.state ? { states: [query.state] } : {}),
          ...(unitIds ? { unitIds } : {}),
          ...(query.year ? { receivedFrom: `${query.year}-01-01`, receivedTo: `${query.year}-12-31` } : {}),
          ...(query.mine === '1' && ctx.actor ? { handlerUserId: ctx.actor.userId } : {}),
        },
        ctx.now(),
      );
      const keep = views.filter((v) =>
        query.status === 'all'
          ? true
          : query.status === 'open'
            ? !['replied', 'delivered', 'closed'].includes(v.row.state)
            : v.clock.status === query.status,
      );
      keep.sort(byUrgency);
      return {
        items: keep.map(presentRequestSummary),
        counts: {
          overdue: views.filter((v) => v.clock.status === 'overdue').length,
          dueSoon: views.filter((v) => v.clock.status === 'dueSoon').length,
        },
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/info-requests/outcomes',
    summary: 'Reply outcomes (Art. 36, 37), one per row of table 三, with the law each rests on',
    tags,
    access: 'public',
    async handler() {
      return {
        items: outcomes.map((o) => ({
          code: o.code,
          group: o.group,
          row: o.row,
          label: o.label,
          law: o.law,
        })),
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/info-requests/repeated',
    summary:
      'Art. 44: information asked for by several applicants (candidates for proactive disclosure), and repeats by one applicant (Art. 36 (六))',
    tags,
    access: office,
    query: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
    handler: ({ query }, ctx) => repeatedRequests(ctx.db, query.year ?? null),
  }),
  defineRoute({
    method: 'POST',
    url: '/info-requests/repeated/proactive',
    summary: 'Art. 44: move information many applicants asked for into proactive disclosure',
    tags,
    access: office,
    status: 201,
    body: z.object({
      fingerprint: z.string().min(1).max(2000),
      title: z.string().min(1).max(300),
      /** The area of the draft record; default: the area the requests' replies were filed under. */
      areaId: z.string().max(64).nullable().optional(),
    }),
    handler: ({ body }, ctx) => inTransaction(ctx, (c) => proactiveMover(c, body)),
  }),
  defineRoute({
    method: 'POST',
    url: '/info-requests/sweep',
    summary: 'Close requests whose supplement (Art. 30) or fee (国办函〔2020〕109号) deadline has passed',
    tags,
    access: [...office, 'sysadmin'],
    handler: (_input, ctx) => inTransaction(ctx, (c) => requestSweeper(c)),
  }),
  defineRoute({
    method: 'GET',
    url: '/info-requests/settings',
    summary: 'The clock settings and whether the fee module is on',
    tags,
    access: [...office, 'sysadmin'],
    handler: (_input, ctx) => loadSettings(ctx.db),
  }),
  defineRoute({
    method: 'PUT',
    url: '/info-requests/settings',
    summary: 'Turn the fee module (Art. 42) on or off; set the due-soon threshold and the Art. 44 threshold',
    tags,
    access: ['sysadmin'],
    body: z.object({
      feesEnabled: z.boolean().optional(),
      dueSoonDays: z.number().int().min(0).max(20).optional(),
      repeatThreshold: z.number().int().min(2).max(100).optional(),
      defaultSupplementDays: z.number().int().min(1).max(60).optional(),
    }),
    async handler({ body }, ctx) {
      await inTransaction(ctx, async (c) => {
        if (body.feesEnabled !== undefined)
          await saveSetting(c.db, 'fees.enabled', body.feesEnabled ? '1' : '0');
        if (body.dueSoonDays !== undefined)
          await saveSetting(c.db, 'clock.dueSoonDays', String(body.dueSoonDays));
        if (body.repeatThreshold !== undefined)
          await saveSetting(c.db, 'repeatThreshold', String(body.repeatThreshold));
        if (body.defaultSupplementDays !== undefined)
          await saveSetting(c.db, 'defaultSupplementDays', String(body.defaultSupplementDays));
      });
      return loadSettings(ctx.db);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/info-requests/fees/quote',
    summary: 'The 信息处理费 a request would cost under the tiers of 国办函〔2020〕109号',
    tags,
    access: office,
    query: z.object({
      method: z.enum(['perRequest', 'perPage']),
      n: z.coerce.number().int().min(0).max(100000),
    }),
    async handler({ query }) {
      return computeFee(
        query.method === 'perRequest'
          ? { method: 'perRequest', nthThisMonth: query.n }
          : { method: 'perPage', pages: query.n },
      );
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/info-requests/handlers',
    summary:
      '承办人 to assign a request to (交办): active staff and leaders holding a position today in the unit or its sub-units',
    tags,
    access: office,
    query: z.object({ unit: z.string().min(1, '请选择承办单位').max(64) }),
    async handler({ query }, ctx) {
      return { items: await handlerCandidates(ctx, query.unit) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/info-requests/:id',
    summary:
      'One request: applicant (masked unless you handle it), events, due date and its explanation, reply',
    tags,
    access: office,
    params: id,
    handler: ({ params }, ctx) => officeView(ctx, params.id),
  }),
  defineRoute({
    method: 'GET',
    url: '/info-requests/:id/reply-letter.docx',
    summary: 'The reply letter (答复书) as .docx, worded per outcome with the article it rests on',
    tags,
    access: office,
    params: id,
    async handler({ params }, ctx, _req, reply) {
      const [view] = await requestViews(ctx.db, { ids: [params.id] }, ctx.now());
      if (!view) throw notFound('政府信息公开申请', params.id);
      await assertRequestScope(ctx, view.row);
      const letter = replyLetter(view);
      if (!letter) throw conflict('not_replied', '该申请尚未答复');
      const buf = await replyLetterDocx(letter);
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('content-disposition', `attachment; filename="${view.row.tracking_number}.docx"`);
      return reply.send(buf);
    },
  }),
  action('register', '登记 (Art. 31)', z.object({ note: text(2000) }), requestRegistrar),
  action(
    'assign',
    '交办: to the responsible unit and its handler',
    z.object({
      handlerUserId: z.string().min(1),
      unitId: z.string().nullable().optional(),
      note: text(2000),
    }),
    requestAssigner,
  ),
  action(
    'supplement-request',
    '补正 notice (Art. 30): within 7 working days of receipt, once; the clock stops',
    z.object({
      onDate: optDate,
      deadline: optDate,
      missing: z.string().min(1, '请写明需要补正的事项').max(2000),
    }),
    supplementRequester,
  ),
  action(
    'supplement-received',
    'The supplement arrived (Art. 30): the clock restarts from zero',
    z.object({ onDate: optDate, note: text(2000) }),
    supplementReceiver,
  ),
  action(
    'consultation',
    'Consult a third party or another agency (Art. 32, 34): 15 working days, not counted (Art. 33)',
    z.object({ onDate: optDate, party: z.string().min(1).max(200), note: text(2000) }),
    consultationStarter,
  ),
  action(
    'consultation-end',
    'The consulted party answered (or the 15 working days passed)',
    z.object({ onDate: optDate, note: text(2000) }),
    consultationEnder,
  ),
  action(
    'extend',
    'Extend (Art. 33 ¶2): at most 20 working days, approved by the office head (a leader), the applicant told',
    z.object({
      onDate: optDate,
      days: z.number().int().min(1).max(20),
      reason: z.string().min(1).max(2000),
      applicantToldBy: z.string().min(1).max(200),
    }),
    extensionGranter,
    ['leader'],
  ),
  action(
    'reply',
    '答复 with an outcome of table 三 (Art. 36, 37)',
    z.object({
      onDate: optDate,
      outcome: z.enum(outcomeCodes),
      detail: text(5000),
      otherAgency: text(200),
      letterNumber: text(100),
      reviewBody: text(200),
      court: text(200),
    }),
    replyMaker,
  ),
  action(
    'deliver',
    'The reply reached the applicant (送达); with `record` it is filed as a disclosure record (依申请公开)',
    z.object({
      onDate: optDate,
      method: z.string().min(1).max(60),
      note: text(2000),
      record: z
        .object({
          areaId: z.string().min(1),
          subAreaId: z.string().nullable().optional(),
          dutyId: z.string().nullable().optional(),
          stage: z.enum(stages).optional(),
        })
        .nullable()
        .optional(),
    }),
    replyDeliverer,
  ),
  action('close', '办结', z.object({ note: text(2000) }), requestCloser),
  action(
    'withdraw',
    'The applicant withdrew the request',
    z.object({ onDate: optDate, note: text(2000) }),
    requestWithdrawer,
  ),
  action('note', 'A note in the log', z.object({ note: z.string().min(1).max(2000) }), requestNoter),
  action(
    'fee-notice',
    'Fee notice (Art. 42; only with the fee module on): the clock stops until payment',
    z.object({
      onDate: optDate,
      payBy: optDate,
      basis: z.union([
        z.object({ method: z.literal('perRequest'), nthThisMonth: z.number().int().min(1) }),
        z.object({ method: z.literal('perPage'), pages: z.number().int().min(0) }),
      ]),
    }),
    feeNoticer,
  ),
  action('fee-paid', 'The fee was paid', z.object({ onDate: optDate }), feePayer),
  defineRoute({
    method: 'POST',
    url: '/info-requests/:id/appeals',
    summary: 'Record an administrative reconsideration or lawsuit over the request (table 四)',
    tags,
    access: office,
    status: 201,
    params: id,
    body: z.object({
      kind: z.enum(appealKinds),
      filedOn: date,
      result: z.enum(appealResults).default('pending'),
      concludedOn: optDate,
      note: text(2000),
    }),
    handler: ({ params, body }, ctx) => inTransaction(ctx, (c) => appealRecorder(c, params.id, body)),
  }),
  defineRoute({
    method: 'PUT',
    url: '/info-request-appeals/:id',
    summary: 'Record the result of a reconsideration or lawsuit',
    tags,
    access: office,
    params: id,
    body: z.object({ result: z.enum(appealResults), concludedOn: optDate, note: text(2000) }),
    handler: ({ params, body }, ctx) => inTransaction(ctx, (c) => appealUpdater(c, params.id, body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/public/info-requests/:trackingNumber',
    summary: 'The public tracking page: state, dates and, once delivered, the reply — nothing personal',
    tags,
    access: 'public',
    params: z.object({ trackingNumber: z.string().min(1).max(40) }),
    query: z.object({ code: z.string().min(1, '请输入查询码').max(40) }),
    async handler({ params, query }, ctx) {
      const [view] = await requestViews(ctx.db, { trackingNumber: params.trackingNumber }, ctx.now());
      // the same answer for an unknown number and a wrong code, so numbers cannot be probed
      if (!view || view.row.query_code !== query.code.trim().toUpperCase())
        throw new AppError('not_found', '申请编号或查询码不正确', 404);
      const letter = view.reply?.delivered_on ? replyLetter(view, true) : null;
      return presentPublicRequest(view, letter ? letterText(letter) : null);
    },
  }),
  ...annualReportRoutes,
];
