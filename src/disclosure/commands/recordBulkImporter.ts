import { loadCalendar } from '../../calendar/calendar.ts';
import type { Context } from '../../context.ts';
import { AppError, type FieldError, invalid } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { indexDocuments, type SearchDoc } from '../../search/searchIndex.ts';
import { insertRows } from '../../store/bulkInsert.ts';
import { reserveCounterRange } from '../../store/counters.ts';
import type { Db } from '../../store/store.ts';
import { defaultScheme } from '../indexIssuer.ts';
import {
  formatIndexNumber,
  type IndexParts,
  indexPartsProblems,
  nationalSerialMax,
  seedSerialMax,
  serialScope,
} from '../indexNumber.ts';
import type { RecordKind } from '../tables.ts';
import { actorUnitScope } from '../unitScope.ts';
import { chinaToday, cleanList } from '../util.ts';
import { publishWithinWorkingDays, type RecordFields, recordFieldProblems } from './recordCreator.ts';

// 批量导入: many records in one call — a legacy system's catalogue, or the benchmark's generated district. The
// rules are recordCreator's (same field checks, same index-number parts, same gapless serials); what differs is
// the cost: every check reads the reference tables once per call, every scope's serials come from ONE counter
// update, and rows go into the database many per statement.

export interface BulkRecord extends RecordFields {
  /**
   * Beijing date the record went public in the system it comes from. Set: the record arrives published (only
   * 主动公开 and 依申请公开 records; 不予公开 ones never leave draft). Unset: it arrives as a draft, as
   * recordCreator makes it, and goes through review.
   */
  publishedOn?: string | null;
}

export interface BulkImportResult {
  /** In input order. */
  records: { id: string; indexNumber: string }[];
  published: number;
  /** Published 主动公开 records handed to the search index. */
  indexed: number;
}

/** A row-numbered problem: `rows[3].title` names the 4th record of the call. */
const at = (row: number, e: FieldError): FieldError => ({
  field: `rows[${row}].${e.field}`,
  reason: e.reason,
});

export interface BulkImportOptions {
  /**
   * Index the published 主动公开 records for search in the same transaction (default). false: leave them to
   * the portal's follower (syncRecordIndex) or to indexImportedRecords afterwards — the import itself is then
   * several times faster, as segmenting and indexing the text costs more than storing the records.
   */
  index?: boolean;
}

interface RefTables {
  units: Map<string, { region: string | null; name: string }>;
  areas: Map<string, { abbreviation: string; region: string | null }>;
  subAreas: Map<string, { areaId: string; number: string }>;
  duties: Map<string, { areaId: string; number: string }>;
  schemes: Map<string, { scheme: 'seed' | 'national'; orgCode: string | null }>;
  unitCodes: Map<string, string>;
  negatives: Map<string, string>;
  items: Map<string, string>;
}

async function inChunks<T>(ids: string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 1000) out.push(...(await read(unique.slice(i, i + 1000))));
  return out;
}

/** The reference rows the records name, each table read once (in chunks of ids). */
async function readRefs(db: Db, rows: readonly BulkRecord[]): Promise<RefTables> {
  const ids = (pick: (r: BulkRecord) => string | null | undefined) =>
    rows.map(pick).filter((x): x is string => typeof x === 'string' && x !== '');
  const units = await inChunks(
    ids((r) => r.disclosingUnitId),
    (c) => db.selectFrom('units').select(['id', 'region_code', 'name']).where('id', 'in', c).execute(),
  );
  const areas = await inChunks(
    ids((r) => r.areaId),
    (c) =>
      db.selectFrom('areas').select(['id', 'abbreviation', 'region_code']).where('id', 'in', c).execute(),
  );
  const subAreas = await inChunks(
    ids((r) => r.subAreaId),
    (c) => db.selectFrom('sub_areas').select(['id', 'area_id', 'number']).where('id', 'in', c).execute(),
  );
  const duties = await inChunks(
    ids((r) => r.dutyId),
    (c) =>
      db.selectFrom('disclosure_duties').select(['id', 'area_id', 'number']).where('id', 'in', c).execute(),
  );
  const negatives = await inChunks(
    ids((r) => r.negativeListEntryId),
    (c) => db.selectFrom('negative_list_entries').select(['id', 'area_id']).where('id', 'in', c).execute(),
  );
  const items = await inChunks(
    ids((r) => r.itemId),
    (c) => db.selectFrom('disclosure_items').select(['id', 'area_id']).where('id', 'in', c).execute(),
  );
  const unitCodes = await inChunks(
    ids((r) => r.disclosingUnitId),
    (c) =>
      db
        .selectFrom('disclosure_unit_codes')
        .select(['unit_id', 'org_code'])
        .where('unit_id', 'in', c)
        .execute(),
  );
  const schemes = await db.selectFrom('disclosure_index_schemes').selectAll().execute();
  return {
    units: new Map(units.map((u) => [u.id, { region: u.region_code, name: u.name }])),
    areas: new Map(areas.map((a) => [a.id, { abbreviation: a.abbreviation, region: a.region_code }])),
    subAreas: new Map(subAreas.map((s) => [s.id, { areaId: s.area_id, number: s.number }])),
    duties: new Map(duties.map((d) => [d.id, { areaId: d.area_id, number: d.number }])),
    schemes: new Map(schemes.map((s) => [s.region_code, { scheme: s.scheme, orgCode: s.org_code }])),
    unitCodes: new Map(unitCodes.map((u) => [u.unit_id, u.org_code])),
    negatives: new Map(negatives.map((n) => [n.id, n.area_id])),
    items: new Map(items.map((i) => [i.id, i.area_id])),
  };
}

/**
 * The index-number parts of one record with serial 0, from the preloaded tables: the same rules as
 * indexIssuer's indexPartsFor (test/disclosure/bulkImport.test.ts checks the two agree), without its queries.
 */
function partsOf(refs: RefTables, r: BulkRecord, problems: FieldError[]): IndexParts | null {
  const unit = refs.units.get(r.disclosingUnitId);
  const area = refs.areas.get(r.areaId);
  if (!unit) problems.push({ field: 'disclosingUnitId', reason: `公开主体不存在：${r.disclosingUnitId}` });
  if (!area) problems.push({ field: 'areaId', reason: `领域不存在：${r.areaId}` });
  if (!unit || !area) return null;
  const region = unit.region ?? area.region;
  if (!region) {
    problems.push({ field: 'disclosingUnitId', reason: '公开主体没有区划代码，无法编制索引号' });
    return null;
  }
  const setting = refs.schemes.get(region);
  const scheme = setting?.scheme ?? defaultScheme;
  if (scheme === 'seed') {
    let subArea = '00';
    if (r.subAreaId) {
      const sub = refs.subAreas.get(r.subAreaId);
      if (sub?.areaId !== r.areaId) problems.push({ field: 'subAreaId', reason: '子领域不属于该领域' });
      else subArea = sub.number;
    }
    let duty = '000';
    if (r.dutyId) {
      const d = refs.duties.get(r.dutyId);
      if (d?.areaId !== r.areaId) problems.push({ field: 'dutyId', reason: '工作职责不属于该领域' });
      else duty = d.number;
    }
    return {
      scheme: 'seed',
      region,
      abbreviation: area.abbreviation,
      subArea,
      stage: r.stage,
      duty,
      serial: 0,
      attribute: r.attribute,
    };
  }
  const orgCode = refs.unitCodes.get(r.disclosingUnitId) ?? setting?.orgCode ?? null;
  if (!orgCode) {
    problems.push({
      field: 'disclosingUnitId',
      reason: '公开主体没有机构代码，本地区的索引号方案需要机构代码',
    });
    return null;
  }
  return { scheme: 'national', orgCode, year: Number(r.formedOn.slice(0, 4)), serial: 0 };
}

const ymd = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Unit scope (issue 7 item 2; 等保 2.0 访问控制, src/disclosure/unitScope.ts): an import may only hold records
 * its actor could create one by one with recordCreator — a township clerk its township's. The scope is read
 * once for the whole call and checked before anything else, so one row of another unit refuses the whole import
 * (403 `forbidden_unit`, every such row named) and nothing is written. The system (no actor: the benchmark's
 * generator, a migration script) and the disclosure office act on every unit, as with single records. A row
 * without a unit is left to the field checks, which name it.
 */
async function assertRowsInUnitScope(ctx: Context, rows: readonly BulkRecord[]): Promise<void> {
  if (!ctx.actor) return;
  const scope = await actorUnitScope(ctx);
  if (scope.all) return;
  const outside = rows.flatMap((r, i) =>
    typeof r.disclosingUnitId === 'string' &&
    r.disclosingUnitId !== '' &&
    !scope.unitIds.has(r.disclosingUnitId)
      ? [
          at(i, {
            field: 'disclosingUnitId',
            reason: `公开主体不在本账号可管理的单位范围内：${r.disclosingUnitId}`,
          }),
        ]
      : [],
  );
  const first = outside[0];
  if (!first) return;
  const more = outside.length > 1 ? `等 ${outside.length} 行` : '';
  throw new AppError(
    'forbidden_unit',
    `无权导入其他单位的记录：${first.field}（${first.reason}）${more}，整批未导入`,
    403,
    outside,
  );
}

/**
 * Create many records at once, in the caller's transaction: all of them or none. Every row is checked before
 * anything is written, and every bad row is named in one error (`rows[i].field`). Index numbers are drawn per
 * scope in one counter update each, in input order, so a scope's serials stay gapless and a concurrent
 * recordCreator or bulk import (serialised on the counter row) continues after them. Published 主动公开 records
 * go into the search index in the same transaction unless `index: false`. Rows are written through
 * insertRows (statement text built once, no query builder per value).
 */
export async function recordBulkImporter(
  ctx: Context,
  rows: readonly BulkRecord[],
  { index = true }: BulkImportOptions = {},
): Promise<BulkImportResult> {
  if (!rows.length) return { records: [], published: 0, indexed: 0 };
  await assertRowsInUnitScope(ctx, rows);
  const refs = await readRefs(ctx.db, rows);
  const problems: FieldError[] = [];
  const parts: IndexParts[] = [];
  for (const [i, r] of rows.entries()) {
    const own = recordFieldProblems(r);
    if (r.negativeListEntryId && refs.negatives.get(r.negativeListEntryId) !== r.areaId)
      own.push({ field: 'negativeListEntryId', reason: '负面清单事项不存在或不属于该领域' });
    if (r.itemId && refs.items.get(r.itemId) !== r.areaId)
      own.push({ field: 'itemId', reason: '公开事项不存在或不属于该领域' });
    if (r.publishedOn) {
      if (!ymd.test(r.publishedOn)) own.push({ field: 'publishedOn', reason: '公开日期格式应为 YYYY-MM-DD' });
      if (r.attribute === 'exempt')
        own.push({ field: 'publishedOn', reason: '不予公开的信息不能以已公开状态导入' });
    }
    const p = r.formedOn && ymd.test(r.formedOn) ? partsOf(refs, r, own) : null;
    if (p) parts.push(p);
    problems.push(...own.map((e) => at(i, e)));
  }
  if (problems.length) throw invalid(problems);

  // Serials: count per scope, one reservation each, handed out in input order.
  const scopes = parts.map(serialScope);
  const counts = new Map<string, number>();
  for (const s of scopes) counts.set(s, (counts.get(s) ?? 0) + 1);
  const next = new Map<string, number>();
  for (const [scope, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // Sorted, so two concurrent imports lock the counter rows in the same order and cannot deadlock.
    next.set(scope, await reserveCounterRange(ctx.db, scope, n));
  }
  const calendar = await loadCalendar(ctx.db);
  const now = nowIso(ctx.now());
  const actor = ctx.actor?.userId ?? null;
  const out: BulkImportResult = { records: [], published: 0, indexed: 0 };
  const records = rows.map((r, i) => {
    const p = parts[i] as IndexParts;
    const scope = scopes[i] as string;
    const serial = next.get(scope) as number;
    next.set(scope, serial + 1);
    const max = p.scheme === 'seed' ? seedSerialMax : nationalSerialMax;
    if (serial > max)
      throw new AppError('index_serial_exhausted', `索引号流水号已用完（${scope} 最多 ${max} 个）`, 409);
    const full = { ...p, serial };
    const bad = indexPartsProblems(full);
    if (bad.length) throw invalid(bad.map((reason) => at(i, { field: 'indexNumber', reason })));
    const id = newId();
    const indexNumber = formatIndexNumber(full);
    out.records.push({ id, indexNumber });
    const published = Boolean(r.publishedOn);
    if (published) out.published++;
    return {
      id,
      title: r.title.trim(),
      summary: r.summary ?? null,
      origin: r.origin,
      kind: r.kind ?? ('document' satisfies RecordKind),
      formed_on: r.formedOn,
      document_number: r.documentNumber ?? null,
      attribute: r.attribute,
      exemption_basis: r.exemptionBasis ?? null,
      negative_list_entry_id: r.negativeListEntryId ?? null,
      disclosing_unit_id: r.disclosingUnitId,
      area_id: r.areaId,
      sub_area_id: r.subAreaId ?? null,
      stage: r.stage,
      duty_id: r.dutyId ?? null,
      item_id: r.itemId ?? null,
      valid_from: r.validFrom ?? null,
      valid_until: r.validUntil ?? null,
      body: r.body ?? null,
      notice_level: r.noticeLevel ?? null,
      notice_starts_on: r.noticeStartsOn ?? null,
      notice_ends_on: r.noticeEndsOn ?? null,
      index_number: indexNumber,
      index_scheme: p.scheme,
      index_scope: scope,
      index_serial: serial,
      publish_state: published ? ('published' as const) : ('draft' as const),
      publish_by:
        r.attribute === 'proactive' ? calendar.addWorkingDays(r.formedOn, publishWithinWorkingDays) : null,
      // 10:00 Beijing time of the day it went public: the public pages show the Beijing date.
      published_at: published ? `${r.publishedOn}T02:00:00.000Z` : null,
      source_process_instance_id: null,
      source_step: null,
      created_by: actor,
      created_at: now,
      updated_at: now,
    };
  });

  const hooks = ctx.store.hooks;
  await insertRows(ctx.db, hooks, 'records', records);

  const channels = rows.flatMap((r, i) =>
    cleanList(r.channels).map((channel, k) => ({
      record_id: out.records[i]?.id as string,
      sort_order: k,
      channel,
    })),
  );
  await insertRows(ctx.db, hooks, 'record_channels', channels);

  // History as recordCreator writes it (created, with the number), and the publication for published ones.
  const history = records.flatMap((rec) => {
    const base = { at: now, actor_user_id: actor, actor_name: ctx.actor?.displayName ?? null };
    const created = {
      ...base,
      id: newId(),
      record_id: rec.id,
      seq: 1,
      action: 'created',
      from_state: null,
      to_state: 'draft' as const,
      note: `索引号 ${rec.index_number}`,
    };
    if (rec.publish_state !== 'published') return [created];
    return [
      created,
      {
        ...base,
        id: newId(),
        record_id: rec.id,
        seq: 2,
        action: 'published',
        from_state: 'draft' as const,
        to_state: 'published' as const,
        note: `批量导入：原系统已于 ${rec.published_at?.slice(0, 10)} 公开`,
      },
    ];
  });
  await insertRows(ctx.db, hooks, 'record_history', history);

  if (!index) return out;
  const docs: SearchDoc[] = [];
  for (const rec of records) {
    const sub = rec.sub_area_id ? refs.subAreas.get(rec.sub_area_id) : undefined;
    const doc = searchDocOfRow(
      rec,
      refs.units.get(rec.disclosing_unit_id)?.name ?? null,
      sub?.number ?? null,
    );
    if (doc) docs.push(doc);
  }
  await indexDocuments(ctx, docs);
  out.indexed = docs.length;
  return out;
}

/** The records columns a search document is made of. */
interface IndexedColumns {
  id: string;
  kind: string;
  title: string;
  summary: string | null;
  document_number: string | null;
  index_number: string;
  body: string | null;
  publish_state: string;
  attribute: string;
  published_at: string | null;
  area_id: string;
  stage: string;
  disclosing_unit_id: string;
  formed_on: string;
}

/**
 * The search document of a record row, or null when the portal may not show it (only published 主动公开), in
 * the shape the portal's sync gives it (src/portal/recordIndex.ts searchDocOf), so a later sync finds the same
 * documents. Imported records have no attachments yet.
 */
function searchDocOfRow(
  rec: IndexedColumns,
  unitName: string | null,
  subAreaNumber: string | null,
): SearchDoc | null {
  if (rec.publish_state !== 'published' || rec.attribute !== 'proactive' || !rec.published_at) return null;
  const publishedOn = chinaToday(new Date(rec.published_at));
  return {
    id: rec.id,
    kind: rec.kind === 'notice' ? 'notice' : 'record',
    url: `/records/${rec.id}`,
    title: rec.title,
    summary: rec.summary,
    body: [rec.document_number, rec.index_number, rec.body].filter(Boolean).join('\n'),
    attachmentsText: '',
    publishedAt: `${publishedOn}T00:00:00+08:00`,
    filters: {
      area: rec.area_id,
      subArea: subAreaNumber ? `${rec.area_id}:${subAreaNumber}` : null,
      stage: rec.stage,
      unit: rec.disclosing_unit_id,
      unitName,
      year: Number(rec.formed_on.slice(0, 4)),
    },
  };
}

/**
 * Index records imported with `index: false`, in the caller's transaction: the same documents the import would
 * have written, read back from the records table (ids of records that are not published 主动公开 are skipped).
 * Returns the number of documents indexed.
 */
export async function indexImportedRecords(ctx: Context, ids: readonly string[]): Promise<number> {
  let indexed = 0;
  for (let i = 0; i < ids.length; i += 1000) {
    const recs = await ctx.db
      .selectFrom('records')
      .select([
        'id',
        'kind',
        'title',
        'summary',
        'document_number',
        'index_number',
        'body',
        'publish_state',
        'attribute',
        'published_at',
        'area_id',
        'sub_area_id',
        'stage',
        'disclosing_unit_id',
        'formed_on',
      ])
      .where('id', 'in', ids.slice(i, i + 1000))
      .where('publish_state', '=', 'published')
      .where('attribute', '=', 'proactive')
      .execute();
    const units = await inChunks(
      recs.map((r) => r.disclosing_unit_id),
      (c) => ctx.db.selectFrom('units').select(['id', 'name']).where('id', 'in', c).execute(),
    );
    const subs = await inChunks(
      recs.map((r) => r.sub_area_id).filter((x): x is string => x !== null),
      (c) => ctx.db.selectFrom('sub_areas').select(['id', 'number']).where('id', 'in', c).execute(),
    );
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const subNumber = new Map(subs.map((x) => [x.id, x.number]));
    // In the order given, as the import would have indexed them.
    const byId = new Map(recs.map((r) => [r.id, r]));
    const docs: SearchDoc[] = [];
    for (const id of ids.slice(i, i + 1000)) {
      const rec = byId.get(id);
      if (!rec) continue;
      const doc = searchDocOfRow(
        rec,
        unitName.get(rec.disclosing_unit_id) ?? null,
        rec.sub_area_id ? (subNumber.get(rec.sub_area_id) ?? null) : null,
      );
      if (doc) docs.push(doc);
    }
    await indexDocuments(ctx, docs);
    indexed += docs.length;
  }
  return indexed;
}
