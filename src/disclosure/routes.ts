import { z } from 'zod';
import { inTransaction } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { type AnyRoute, defineRoute } from '../server/route.ts';
import { attachmentAdder, attachmentRemover, attachmentReplacer, readAttachment } from './attachments.ts';
// Registers the flow actions createRecord and publishNotice (src/flows/actions.ts) whenever the API is loaded.
import './flowActions.ts';
// Registers the end of flow 01-1-2 (发文完毕): an issued document becomes a record.
import './outgoingDocument.ts';
import { areaAdopter } from './commands/areaAdopter.ts';
import { areaCreator } from './commands/areaCreator.ts';
import { dutyCreator } from './commands/dutyCreator.ts';
import { indexSchemeSetter, unitOrgCodeSetter } from './commands/indexSchemeSetter.ts';
import { itemCreator } from './commands/itemCreator.ts';
import { negativeEntryCreator } from './commands/negativeEntryCreator.ts';
import { recordCreator } from './commands/recordCreator.ts';
import { recordMasker } from './commands/recordMasker.ts';
import {
  privacyFindings,
  recordPublisher,
  recordSubmitter,
  recordWithdrawer,
  reviewApprover,
  reviewReturner,
  secrecyApprover,
} from './commands/recordReview.ts';
import { recordUpdater } from './commands/recordUpdater.ts';
import { subAreaCreator } from './commands/subAreaCreator.ts';
import { complianceView } from './compliance.ts';
import { previewIndexNumber } from './indexIssuer.ts';
import { parseIndexNumber } from './indexNumber.ts';
import {
  presentArea,
  presentHistory,
  presentItem,
  presentNegativeEntry,
  presentPlanItem,
  presentRecord,
} from './presenters.ts';
import {
  onRequestCatalogue,
  publicAreas,
  publicAttachment,
  publicNotices,
  publicRecord,
  publicRecords,
} from './publicQueries.ts';
import { areaViews, findItemRows, itemViews, listAreaRows, recordHistory, recordViews } from './queries.ts';
import { exportCatalogue, importCatalogue } from './spreadsheet/catalogue.ts';
import {
  areaSources,
  attributes,
  audiences,
  dutyKinds,
  indexSchemes,
  levels,
  methods,
  noticeLevels,
  origins,
  planLists,
  publishStates,
  recordKinds,
  stages,
} from './tables.ts';

const tags = ['disclosure 政务公开'];
const publicTags = ['public 公开'];
const admin = ['sysadmin'] as const;
const writers = ['sysadmin', 'leader', 'staff'] as const;
const reviewers = ['sysadmin', 'leader'] as const;
const id = z.object({ id: z.string().min(1).max(64) });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const optDate = date.nullable().optional();
const text = (max: number) => z.string().max(max).nullable().optional();

const recordFields = {
  title: z.string().min(1, '政府信息名称不能为空').max(300),
  summary: text(2000),
  origin: z.enum(origins),
  kind: z.enum(recordKinds).optional(),
  formedOn: date,
  documentNumber: text(100),
  attribute: z.enum(attributes),
  exemptionBasis: text(1000),
  negativeListEntryId: z.string().max(64).nullable().optional(),
  itemId: z.string().max(64).nullable().optional(),
  channels: z.array(z.string().min(1).max(40)).max(20).optional(),
  validFrom: optDate,
  validUntil: optDate,
  body: text(200_000),
  noticeLevel: z.enum(noticeLevels).nullable().optional(),
  noticeStartsOn: optDate,
  noticeEndsOn: optDate,
};
const placement = {
  disclosingUnitId: z.string().min(1).max(64),
  areaId: z.string().min(1).max(64),
  subAreaId: z.string().max(64).nullable().optional(),
  stage: z.enum(stages),
  dutyId: z.string().max(64).nullable().optional(),
};

const publicFilter = z.object({
  area: z.string().max(64).optional(),
  subArea: z.string().max(64).optional(),
  stage: z.enum(stages).optional(),
  unit: z.string().max(64).optional(),
  year: z.coerce.number().int().min(1990).max(2100).optional(),
  kind: z.enum(recordKinds).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

export const disclosureRoutes: AnyRoute[] = [
  // —— areas, sub-areas, duties ——
  defineRoute({
    method: 'GET',
    url: '/areas',
    summary:
      'Areas (领域) with lead units and sub-areas; source=national lists the adoptable national standard list',
    tags,
    access: 'public',
    query: z.object({ source: z.enum(areaSources).optional(), adopted: z.enum(['0', '1']).optional() }),
    async handler({ query }, ctx) {
      const rows = await listAreaRows(ctx.db, {
        ...(query.source ? { source: query.source } : {}),
        ...(query.adopted ? { adopted: query.adopted === '1' } : {}),
      });
      return { items: (await areaViews(ctx.db, rows)).map(presentArea) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/areas/:id',
    summary: 'One area with its sub-areas, duty list, negative list and 五公开 items',
    tags,
    access: 'public',
    params: id,
    async handler({ params }, ctx) {
      const row = await ctx.db.selectFrom('areas').selectAll().where('id', '=', params.id).executeTakeFirst();
      if (!row) throw notFound('领域', params.id);
      const [view] = await areaViews(ctx.db, [row]);
      const duties = await ctx.db
        .selectFrom('disclosure_duties')
        .selectAll()
        .where('area_id', '=', row.id)
        .orderBy('sort_order')
        .execute();
      const negative = await ctx.db
        .selectFrom('negative_list_entries')
        .selectAll()
        .where('area_id', '=', row.id)
        .orderBy('sort_order')
        .execute();
      const items = await itemViews(ctx.db, await findItemRows(ctx.db, { areaId: row.id }));
      return {
        ...presentArea(view!),
        duties: duties.map((d) => ({
          id: d.id,
          number: d.number,
          name: d.name,
          kind: d.kind,
          powerType: d.power_type,
          code: d.code,
          unitId: d.unit_id,
        })),
        negativeList: negative.map(presentNegativeEntry),
        items: items.map(presentItem),
      };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/areas',
    summary: 'Create an area; the abbreviation defaults to the pinyin initials, a collision is refused',
    tags,
    access: admin,
    status: 201,
    body: z.object({
      name: z.string().min(1, '领域名称不能为空').max(60),
      abbreviation: z.string().max(10).nullable().optional(),
      regionCode: z
        .string()
        .regex(/^\d{6}$/, '区划代码为 6 位数字')
        .nullable()
        .optional(),
      scope: text(2000),
      source: z.enum(areaSources).optional(),
      adopted: z.boolean().optional(),
      leadUnitIds: z.array(z.string().max(64)).max(20).optional(),
    }),
    handler: ({ body }, ctx) => inTransaction(ctx, (c) => areaCreator(c, body)),
  }),
  defineRoute({
    method: 'POST',
    url: '/areas/:id/adopt',
    summary: 'Adopt an area of the national standard list (or stop using one)',
    tags,
    access: admin,
    params: id,
    body: z.object({ adopted: z.boolean() }),
    handler: ({ params, body }, ctx) => inTransaction(ctx, (c) => areaAdopter(c, params.id, body.adopted)),
  }),
  defineRoute({
    method: 'POST',
    url: '/areas/:id/sub-areas',
    summary: 'Add a sub-area (2-digit number)',
    tags,
    access: admin,
    status: 201,
    params: id,
    body: z.object({ number: z.string().max(2), name: z.string().min(1).max(60), note: text(500) }),
    handler: ({ params, body }, ctx) =>
      inTransaction(ctx, (c) => subAreaCreator(c, { ...body, areaId: params.id })),
  }),
  defineRoute({
    method: 'POST',
    url: '/areas/:id/duties',
    summary: "Add a line to the area's duty list (工作职责清单), numbered 001–999",
    tags,
    access: admin,
    status: 201,
    params: id,
    body: z.object({
      number: z.string().max(3),
      name: z.string().min(1).max(200),
      kind: z.enum(dutyKinds),
      powerType: text(40),
      code: text(40),
      unitId: z.string().max(64).nullable().optional(),
    }),
    handler: ({ params, body }, ctx) =>
      inTransaction(ctx, (c) => dutyCreator(c, { ...body, areaId: params.id })),
  }),

  // —— catalogue items (公开事项) ——
  defineRoute({
    method: 'GET',
    url: '/disclosure-items',
    summary: 'Disclosure items with their standard, by area, sub-area, stage or responsible unit',
    tags,
    access: 'public',
    query: z.object({
      area: z.string().max(64).optional(),
      subArea: z.string().max(64).optional(),
      stage: z.enum(stages).optional(),
      unit: z.string().max(64).optional(),
    }),
    async handler({ query }, ctx) {
      const rows = await findItemRows(ctx.db, {
        ...(query.area ? { areaId: query.area } : {}),
        ...(query.subArea ? { subAreaId: query.subArea } : {}),
        ...(query.stage ? { stage: query.stage } : {}),
        ...(query.unit ? { unitId: query.unit } : {}),
      });
      return { items: (await itemViews(ctx.db, rows)).map(presentItem) };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/disclosure-items',
    summary: 'Create a disclosure item with its standard',
    tags,
    access: admin,
    status: 201,
    body: z.object({
      areaId: z.string().max(64),
      subAreaId: z.string().max(64).nullable().optional(),
      stage: z.enum(stages),
      matter1: z.string().min(1).max(300),
      matter2: text(300),
      content: text(2000),
      legalBasis: text(2000),
      timeLimit: text(200),
      disclosingUnitId: z.string().max(64).nullable().optional(),
      disclosingBodyText: text(200),
      channels: z.array(z.string().min(1).max(40)).max(20).optional(),
      audience: z.enum(audiences).optional(),
      method: z.enum(methods).optional(),
      level: z.enum(levels).optional(),
      dutyId: z.string().max(64).nullable().optional(),
      responsibleUnitIds: z.array(z.string().max(64)).max(30).optional(),
    }),
    handler: ({ body }, ctx) => inTransaction(ctx, (c) => itemCreator(c, body)),
  }),

  // —— negative list ——
  defineRoute({
    method: 'GET',
    url: '/negative-list',
    summary: 'The negative list (负面清单): matters not disclosed, each with its basis, by area',
    tags,
    access: 'public',
    query: z.object({ area: z.string().max(64).optional() }),
    async handler({ query }, ctx) {
      let q = ctx.db.selectFrom('negative_list_entries').selectAll().orderBy('area_id').orderBy('sort_order');
      if (query.area) q = q.where('area_id', '=', query.area);
      return { items: (await q.execute()).map(presentNegativeEntry) };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/negative-list',
    summary: 'Add a matter to an area’s negative list',
    tags,
    access: admin,
    status: 201,
    body: z.object({
      areaId: z.string().max(64),
      matter: z.string().min(1).max(500),
      basis: z.string().min(1).max(1000),
    }),
    handler: ({ body }, ctx) => inTransaction(ctx, (c) => negativeEntryCreator(c, body)),
  }),

  // —— plan items (任务清单 / 创新工作清单) ——
  defineRoute({
    method: 'GET',
    url: '/plan-items',
    summary: 'Plan items of the task list or the innovation list',
    tags,
    access: 'authenticated',
    query: z.object({ list: z.enum(planLists).optional() }),
    async handler({ query }, ctx) {
      let q = ctx.db.selectFrom('plan_items').selectAll().orderBy('list').orderBy('serial');
      if (query.list) q = q.where('list', '=', query.list);
      const rows = await q.execute();
      const ids = rows.map((r) => r.id);
      const units = ids.length
        ? await ctx.db
            .selectFrom('plan_item_units')
            .innerJoin('units', 'units.id', 'plan_item_units.unit_id')
            .select(['plan_item_units.plan_item_id', 'units.id', 'units.name'])
            .where('plan_item_units.plan_item_id', 'in', ids)
            .orderBy('plan_item_units.sort_order')
            .execute()
        : [];
      return {
        items: rows.map((r) =>
          presentPlanItem(
            r,
            units.filter((u) => u.plan_item_id === r.id).map((u) => ({ id: u.id, name: u.name })),
          ),
        ),
      };
    },
  }),

  // —— index numbers ——
  defineRoute({
    method: 'POST',
    url: '/index-numbers/preview',
    summary: 'The index number a record would get now (a preview, not a reservation)',
    tags,
    access: 'authenticated',
    body: z.object({ ...placement, attribute: z.enum(attributes), formedOn: date }),
    async handler({ body }, ctx) {
      const preview = await previewIndexNumber(ctx.db, body);
      return { indexNumber: preview.number, parts: parseIndexNumber(preview.number) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/index-schemes',
    summary: 'The index-number scheme of each region',
    tags,
    access: 'authenticated',
    async handler(_input, ctx) {
      const rows = await ctx.db
        .selectFrom('disclosure_index_schemes')
        .selectAll()
        .orderBy('region_code')
        .execute();
      return {
        items: rows.map((r) => ({ regionCode: r.region_code, scheme: r.scheme, orgCode: r.org_code })),
      };
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/index-schemes/:region',
    summary: "Set a region's index-number scheme (numbers already issued do not change)",
    tags,
    access: admin,
    params: z.object({ region: z.string().regex(/^\d{6}$/, '区划代码为 6 位数字') }),
    body: z.object({ scheme: z.enum(indexSchemes), orgCode: z.string().max(18).nullable().optional() }),
    async handler({ params, body }, ctx) {
      await inTransaction(ctx, (c) => indexSchemeSetter(c, { regionCode: params.region, ...body }));
      return { regionCode: params.region, scheme: body.scheme, orgCode: body.orgCode ?? null };
    },
  }),

  defineRoute({
    method: 'PUT',
    url: '/index-schemes/unit-codes/:unitId',
    summary: "A disclosing unit's own 机构代码 for the national scheme (机构代码/YYYY-NNNNN)",
    tags,
    access: admin,
    params: z.object({ unitId: z.string().min(1).max(64) }),
    body: z.object({ orgCode: z.string().min(9).max(18) }),
    async handler({ params, body }, ctx) {
      await inTransaction(ctx, (c) => unitOrgCodeSetter(c, params.unitId, body.orgCode));
      return { unitId: params.unitId, orgCode: body.orgCode };
    },
  }),

  // —— records ——
  defineRoute({
    method: 'GET',
    url: '/records',
    summary: 'Records (政府信息) of every state, for the workbench',
    tags,
    access: 'authenticated',
    query: z.object({
      area: z.string().max(64).optional(),
      stage: z.enum(stages).optional(),
      state: z.enum(publishStates).optional(),
      attribute: z.enum(attributes).optional(),
      unit: z.string().max(64).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
      offset: z.coerce.number().int().min(0).default(0),
    }),
    async handler({ query }, ctx) {
      let q = ctx.db.selectFrom('records').selectAll();
      if (query.area) q = q.where('area_id', '=', query.area);
      if (query.stage) q = q.where('stage', '=', query.stage);
      if (query.state) q = q.where('publish_state', '=', query.state);
      if (query.attribute) q = q.where('attribute', '=', query.attribute);
      if (query.unit) q = q.where('disclosing_unit_id', '=', query.unit);
      const rows = await q.orderBy('created_at', 'desc').limit(query.limit).offset(query.offset).execute();
      const now = ctx.now();
      return { items: (await recordViews(ctx.db, rows)).map((v) => presentRecord(v, now)) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/records/:id',
    summary: 'One record with its publishing state, lateness and personal-data findings',
    tags,
    access: 'authenticated',
    params: id,
    async handler({ params }, ctx) {
      const row = await ctx.db
        .selectFrom('records')
        .selectAll()
        .where('id', '=', params.id)
        .executeTakeFirst();
      if (!row) throw notFound('政府信息', params.id);
      const [view] = await recordViews(ctx.db, [row]);
      return { ...presentRecord(view!, ctx.now()), privacyFindings: await privacyFindings(ctx.db, row) };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/records',
    summary: 'Create a record; its index number is issued in the same transaction',
    tags,
    access: writers,
    status: 201,
    body: z.object({ ...recordFields, ...placement }),
    handler: ({ body }, ctx) => inTransaction(ctx, (c) => recordCreator(c, body)),
  }),
  defineRoute({
    method: 'PUT',
    url: '/records/:id',
    summary: 'Edit a record in draft (or withdrawn); the index number never changes',
    tags,
    access: writers,
    params: id,
    body: z.object(recordFields),
    async handler({ params, body }, ctx) {
      await inTransaction(ctx, (c) => recordUpdater(c, params.id, body));
      return { id: params.id };
    },
  }),
  ...(
    [
      ['submit', 'Submit a draft for review (审核); blocked while personal data is unmasked', writers],
      ['publish', 'Publish an approved record (scanned again for personal data)', reviewers],
    ] as const
  ).map(([action, summary, access]) =>
    defineRoute({
      method: 'POST',
      url: `/records/:id/${action}`,
      summary,
      tags,
      access,
      params: id,
      async handler({ params }, ctx) {
        await inTransaction(ctx, (c) =>
          action === 'submit' ? recordSubmitter(c, params.id) : recordPublisher(c, params.id),
        );
        return { id: params.id };
      },
    }),
  ),
  defineRoute({
    method: 'POST',
    url: '/records/:id/review',
    summary: '审核: approve (on to 保密审查) or return to draft with a reason',
    tags,
    access: reviewers,
    params: id,
    body: z.object({ decision: z.enum(['approve', 'return']), note: z.string().max(2000).default('') }),
    async handler({ params, body }, ctx) {
      await inTransaction(ctx, (c) =>
        body.decision === 'approve'
          ? reviewApprover(c, params.id, body.note || null)
          : reviewReturner(c, params.id, body.note),
      );
      return { id: params.id };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/records/:id/secrecy-check',
    summary: '保密审查: approve (ready to publish) or return to draft with a reason',
    tags,
    access: reviewers,
    params: id,
    body: z.object({ decision: z.enum(['approve', 'return']), note: z.string().max(2000).default('') }),
    async handler({ params, body }, ctx) {
      await inTransaction(ctx, (c) =>
        body.decision === 'approve'
          ? secrecyApprover(c, params.id, body.note || null)
          : reviewReturner(c, params.id, body.note),
      );
      return { id: params.id };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/records/:id/withdraw',
    summary: 'Take a published record off the portal, with a reason',
    tags,
    access: reviewers,
    params: id,
    body: z.object({ reason: z.string().min(1, '撤回须写明理由').max(2000) }),
    async handler({ params, body }, ctx) {
      await inTransaction(ctx, (c) => recordWithdrawer(c, params.id, body.reason));
      return { id: params.id };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/records/:id/mask',
    summary:
      'Mask personal data (ID numbers, mobile numbers, bank cards) in title, summary, body and text attachments',
    tags,
    access: writers,
    params: id,
    handler: ({ params }, ctx) => inTransaction(ctx, (c) => recordMasker(c, params.id)),
  }),
  defineRoute({
    method: 'GET',
    url: '/records/:id/history',
    summary: 'The append-only history of a record: edits, review decisions, publication',
    tags,
    access: 'authenticated',
    params: id,
    async handler({ params }, ctx) {
      const exists = await ctx.db
        .selectFrom('records')
        .select('id')
        .where('id', '=', params.id)
        .executeTakeFirst();
      if (!exists) throw notFound('政府信息', params.id);
      return { items: (await recordHistory(ctx.db, params.id)).map(presentHistory) };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/records/:id/attachments',
    summary: 'Attach a file (base64 in JSON; typed by its content, stored outside any served folder)',
    tags,
    access: writers,
    status: 201,
    params: id,
    body: z.object({ fileName: z.string().min(1).max(200), contentBase64: z.string().min(1) }),
    handler: ({ params, body }, ctx) =>
      inTransaction(ctx, (c) =>
        attachmentAdder(c, params.id, {
          fileName: body.fileName,
          bytes: Buffer.from(body.contentBase64, 'base64'),
        }),
      ),
  }),
  defineRoute({
    method: 'PUT',
    url: '/records/:id/attachments/:attachmentId',
    summary: 'Replace an attachment with a new file (e.g. a masked version of a Word/Excel file)',
    tags,
    access: writers,
    params: z.object({ id: z.string().min(1).max(64), attachmentId: z.string().min(1).max(64) }),
    body: z.object({ fileName: z.string().min(1).max(200), contentBase64: z.string().min(1) }),
    handler: ({ params, body }, ctx) =>
      inTransaction(ctx, (c) =>
        attachmentReplacer(c, params.id, params.attachmentId, {
          fileName: body.fileName,
          bytes: Buffer.from(body.contentBase64, 'base64'),
        }),
      ),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/records/:id/attachments/:attachmentId',
    summary: 'Remove an attachment from a record in draft (or withdrawn)',
    tags,
    access: writers,
    params: z.object({ id: z.string().min(1).max(64), attachmentId: z.string().min(1).max(64) }),
    async handler({ params }, ctx) {
      await inTransaction(ctx, (c) => attachmentRemover(c, params.id, params.attachmentId));
      return { id: params.attachmentId };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/disclosure/compliance',
    summary: 'Compliance per area and stage: items without a record, late records, counts by attribute',
    tags,
    access: 'authenticated',
    query: z.object({ area: z.string().max(64).optional() }),
    async handler({ query }, ctx) {
      return { areas: await complianceView(ctx.db, ctx.now(), query.area) };
    },
  }),

  // —— public: only published, never exempt (publicQueries.ts) ——
  defineRoute({
    method: 'GET',
    url: '/public/areas',
    summary: 'Adopted areas with sub-areas and published counts per stage',
    tags: publicTags,
    access: 'public',
    handler: async (_i, ctx) => ({ items: await publicAreas(ctx.db) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/public/records',
    summary: '主动公开目录: published proactive records',
    tags: publicTags,
    access: 'public',
    query: publicFilter,
    async handler({ query }, ctx) {
      return publicRecords(ctx.db, {
        ...(query.area ? { areaId: query.area } : {}),
        ...(query.subArea ? { subAreaId: query.subArea } : {}),
        ...(query.stage ? { stage: query.stage } : {}),
        ...(query.unit ? { unitId: query.unit } : {}),
        ...(query.year ? { year: query.year } : {}),
        ...(query.kind ? { kind: query.kind } : {}),
        ...(query.limit ? { limit: query.limit } : {}),
        ...(query.offset ? { offset: query.offset } : {}),
      });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/public/records/:id',
    summary: 'One published proactive record',
    tags: publicTags,
    access: 'public',
    params: id,
    async handler({ params }, ctx) {
      const r = await publicRecord(ctx.db, params.id, ctx.now());
      if (!r) throw notFound('政府信息', params.id);
      return r;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/public/records/:id/attachments/:attachmentId',
    summary: 'Download an attachment of a published proactive record',
    tags: publicTags,
    access: 'public',
    params: z.object({ id: z.string().min(1).max(64), attachmentId: z.string().min(1).max(64) }),
    async handler({ params }, ctx, _req, reply) {
      const a = await publicAttachment(ctx.db, params.id, params.attachmentId);
      if (!a) throw notFound('附件', params.attachmentId);
      let bytes: Buffer;
      try {
        bytes = readAttachment(a.storagePath);
      } catch {
        throw new AppError('attachment_missing', '附件文件缺失，请联系管理员', 410);
      }
      const encoded = encodeURIComponent(a.fileName);
      return reply
        .header('content-type', a.mediaType)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename="attachment"; filename*=UTF-8''${encoded}`)
        .send(bytes);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/public/on-request',
    summary: '依申请公开目录: titles and metadata only',
    tags: publicTags,
    access: 'public',
    query: publicFilter.omit({ kind: true }),
    async handler({ query }, ctx) {
      return onRequestCatalogue(ctx.db, {
        ...(query.area ? { areaId: query.area } : {}),
        ...(query.stage ? { stage: query.stage } : {}),
        ...(query.unit ? { unitId: query.unit } : {}),
        ...(query.year ? { year: query.year } : {}),
        ...(query.limit ? { limit: query.limit } : {}),
        ...(query.offset ? { offset: query.offset } : {}),
      });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/public/notices',
    summary: 'Public notices (公示) with their periods: upcoming, open or closed',
    tags: publicTags,
    access: 'public',
    query: z.object({
      state: z.enum(['upcoming', 'open', 'closed']).optional(),
      area: z.string().max(64).optional(),
      level: z.enum(noticeLevels).optional(),
      limit: z.coerce.number().int().min(1).max(200).optional(),
      offset: z.coerce.number().int().min(0).optional(),
    }),
    async handler({ query }, ctx) {
      return publicNotices(ctx.db, ctx.now(), {
        ...(query.state ? { state: query.state } : {}),
        ...(query.area ? { areaId: query.area } : {}),
        ...(query.level ? { level: query.level } : {}),
        ...(query.limit ? { limit: query.limit } : {}),
        ...(query.offset ? { offset: query.offset } : {}),
      });
    },
  }),
];

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The catalogue (目录) of an area as .xlsx, out and in (all rows or none). */
disclosureRoutes.push(
  defineRoute({
    method: 'GET',
    url: '/areas/:id/catalogue.xlsx',
    summary: "The area's standard catalogue (政务公开事项标准目录) as .xlsx in the standard columns",
    tags,
    access: 'public',
    params: id,
    async handler({ params }, ctx, _req, reply) {
      const file = await exportCatalogue(ctx.db, params.id);
      return reply
        .header('content-type', xlsxType)
        .header(
          'content-disposition',
          `attachment; filename="catalogue-${params.id.replace(/[^A-Za-z0-9_-]/g, '_')}.xlsx"`,
        )
        .header('cache-control', 'no-store')
        .send(file);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/areas/:id/catalogue',
    summary:
      'Import catalogue items from an .xlsx (raw body, or JSON {contentBase64}): all rows or none, every bad row named',
    tags,
    access: admin,
    params: id,
    async handler({ params }, ctx, req, reply) {
      // The raw .xlsx when the app parses that content type (registerDutyTableUpload), else JSON
      // {contentBase64} within the ordinary 1 MB body limit.
      const raw = req.body;
      const base64 =
        raw && typeof raw === 'object' && 'contentBase64' in raw
          ? (raw as { contentBase64: unknown }).contentBase64
          : null;
      const bytes = Buffer.isBuffer(raw)
        ? raw
        : typeof base64 === 'string'
          ? Buffer.from(base64, 'base64')
          : null;
      if (!bytes?.length)
        throw new AppError(
          'unsupported_media_type',
          `请以 ${xlsxType} 类型上传 .xlsx 文件，或以 JSON {contentBase64} 提交`,
          415,
        );
      const result = await importCatalogue(ctx, params.id, bytes);
      if (result.ok) return { items: result.items };
      return reply.code(400).send({
        code: 'import_failed',
        message: `导入失败，未做任何更改：共 ${result.errors.length} 处错误`,
        fields: result.errors.map((e) => ({ field: `row ${e.row} / ${e.column}`, reason: e.reason })),
      });
    },
  }),
);
