import type { Db } from '../store/store.ts';
import { type RecordView, recordViews } from './queries.ts';
import {
  type NoticeLevel,
  type RecordKind,
  type RecordRow,
  type Stage,
  stageLetters,
  stageNames,
  stages,
} from './tables.ts';
import { chinaToday } from './util.ts';

// PUBLIC queries and presenters: what the portal and the public API may show, and nothing else. Every query
// here filters on publish_state = 'published' AND attribute in its own WHERE, so a record marked 不予公开
// (exempt) can never come out of this file, whatever a caller passes (issue 4 item 5). The presenters pick
// fields by name: an internal column (who created it, review notes, publish-by date) never leaks.
// The portal renders from these; keep the shapes stable.

export interface PublicRecordFilter {
  areaId?: string;
  subAreaId?: string;
  stage?: Stage;
  /** Disclosing body (公开主体), a registry unit id. */
  unitId?: string;
  /** Year the record was formed (成文日期). */
  year?: number;
  kind?: RecordKind;
  limit?: number;
  offset?: number;
}

export interface PublicRef {
  id: string;
  name: string;
}

export interface PublicRecordSummary {
  id: string;
  indexNumber: string;
  title: string;
  summary: string | null;
  formedOn: string;
  documentNumber: string | null;
  /** Beijing date of publication, YYYY-MM-DD. */
  publishedOn: string | null;
  area: { id: string; name: string; abbreviation: string } | null;
  subArea: { number: string; name: string } | null;
  stage: Stage;
  stageName: string;
  disclosingBody: PublicRef | null;
  kind: RecordKind;
  validFrom: string | null;
  validUntil: string | null;
}

export interface PublicAttachment {
  id: string;
  fileName: string;
  mediaType: string;
  size: number;
  /** Where the public API serves the file. */
  url: string;
}

export interface PublicRecordDetail extends PublicRecordSummary {
  attributeName: '主动公开';
  body: string | null;
  channels: string[];
  attachments: PublicAttachment[];
  notice: PublicNoticePeriod | null;
}

export type NoticeState = 'upcoming' | 'open' | 'closed';
export const noticeStateNames: Record<NoticeState, string> = {
  upcoming: '未开始',
  open: '公示中',
  closed: '已结束',
};
export const noticeLevelNames: Record<NoticeLevel, string> = {
  village: '村级',
  town: '乡镇级',
  district: '区级',
};

export interface PublicNoticePeriod {
  level: NoticeLevel | null;
  levelName: string | null;
  startsOn: string;
  endsOn: string;
  state: NoticeState;
  stateName: string;
}

export interface PublicNotice extends PublicRecordSummary {
  notice: PublicNoticePeriod;
}

/** 依申请公开目录: title and metadata only — never the body, summary or attachments. */
export interface OnRequestEntry {
  id: string;
  indexNumber: string;
  title: string;
  formedOn: string;
  documentNumber: string | null;
  area: { id: string; name: string } | null;
  stage: Stage;
  stageName: string;
  disclosingBody: PublicRef | null;
  attributeName: '依申请公开';
}

export interface PublicArea {
  id: string;
  name: string;
  abbreviation: string;
  scope: string | null;
  leadUnits: PublicRef[];
  subAreas: { id: string; number: string; name: string }[];
  /** Published proactive records per stage, in the fixed stage order. */
  stages: { stage: Stage; name: string; letter: string; published: number }[];
}

function summaryOf(v: RecordView): PublicRecordSummary {
  const r = v.row;
  return {
    id: r.id,
    indexNumber: r.index_number,
    title: r.title,
    summary: r.summary,
    formedOn: r.formed_on,
    documentNumber: r.document_number,
    publishedOn: r.published_at ? chinaToday(new Date(r.published_at)) : null,
    area: v.area ? { id: v.area.id, name: v.area.name, abbreviation: v.area.abbreviation } : null,
    subArea: v.subArea ? { number: v.subArea.number, name: v.subArea.name } : null,
    stage: r.stage,
    stageName: stageNames[r.stage],
    disclosingBody: v.disclosingUnit ? { id: v.disclosingUnit.id, name: v.disclosingUnit.name } : null,
    kind: r.kind,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
  };
}

export function noticeStateOn(
  row: Pick<RecordRow, 'notice_starts_on' | 'notice_ends_on'>,
  today: string,
): NoticeState {
  if (row.notice_starts_on && today < row.notice_starts_on) return 'upcoming';
  if (row.notice_ends_on && today > row.notice_ends_on) return 'closed';
  return 'open';
}

function noticeOf(r: RecordRow, now: Date): PublicNoticePeriod | null {
  if (r.kind !== 'notice' || !r.notice_starts_on || !r.notice_ends_on) return null;
  const state = noticeStateOn(r, chinaToday(now));
  return {
    level: r.notice_level,
    levelName: r.notice_level ? noticeLevelNames[r.notice_level] : null,
    startsOn: r.notice_starts_on,
    endsOn: r.notice_ends_on,
    state,
    stateName: noticeStateNames[state],
  };
}

function publishedProactive(db: Db) {
  return db
    .selectFrom('records')
    .where('publish_state', '=', 'published')
    .where('attribute', '=', 'proactive');
}

function applyFilter<Q extends ReturnType<typeof publishedProactive>>(q: Q, f: PublicRecordFilter): Q {
  let out = q;
  if (f.areaId) out = out.where('area_id', '=', f.areaId) as Q;
  if (f.subAreaId) out = out.where('sub_area_id', '=', f.subAreaId) as Q;
  if (f.stage) out = out.where('stage', '=', f.stage) as Q;
  if (f.unitId) out = out.where('disclosing_unit_id', '=', f.unitId) as Q;
  if (f.kind) out = out.where('kind', '=', f.kind) as Q;
  if (f.year)
    out = out.where('formed_on', '>=', `${f.year}-01-01`).where('formed_on', '<', `${f.year + 1}-01-01`) as Q;
  return out;
}

const page = (f: { limit?: number; offset?: number }) => ({
  limit: Math.min(Math.max(f.limit ?? 20, 1), 200),
  offset: Math.max(f.offset ?? 0, 0),
});

/** 主动公开目录: published proactive records, newest first, by area / sub-area / stage / body / year / kind. */
export async function publicRecords(
  db: Db,
  filter: PublicRecordFilter = {},
): Promise<{ total: number; items: PublicRecordSummary[] }> {
  const { limit, offset } = page(filter);
  const base = applyFilter(publishedProactive(db), filter);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('published_at', 'desc')
    .orderBy('index_number', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return { total: Number(total.n), items: (await recordViews(db, rows)).map(summaryOf) };
}

/** How many records are published proactively (the sitemap's size). */
export async function publishedRecordCount(db: Db): Promise<number> {
  const r = await publishedProactive(db)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Sitemap entries: ids and publication dates of published proactive records, oldest first (index
 * records_public_recent), so that a page of them keeps its content as new records arrive after it.
 */
export async function publishedRecordLocations(
  db: Db,
  { offset, limit }: { offset: number; limit: number },
): Promise<{ id: string; publishedOn: string | null }[]> {
  const rows = await publishedProactive(db)
    .select(['id', 'published_at'])
    .orderBy('published_at')
    .orderBy('index_number')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    publishedOn: r.published_at ? chinaToday(new Date(r.published_at)) : null,
  }));
}

/** One published proactive record, or null (also for on-request, exempt, unpublished or withdrawn ones). */
export async function publicRecord(db: Db, id: string, now: Date): Promise<PublicRecordDetail | null> {
  const row = await publishedProactive(db).selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const [v] = await recordViews(db, [row]);
  if (!v) return null;
  return {
    ...summaryOf(v),
    attributeName: '主动公开',
    body: row.body,
    channels: v.channels,
    attachments: v.attachments.map((a) => ({
      id: a.id,
      fileName: a.file_name,
      mediaType: a.media_type,
      size: a.size,
      url: `/api/v1/public/records/${row.id}/attachments/${a.id}`,
    })),
    notice: noticeOf(row, now),
  };
}

/** An attachment of a public record (for the download route), or null when the record is not public. */
export async function publicAttachment(
  db: Db,
  recordId: string,
  attachmentId: string,
): Promise<{ fileName: string; mediaType: string; storagePath: string } | null> {
  const row = await db
    .selectFrom('record_attachments')
    .innerJoin('records', 'records.id', 'record_attachments.record_id')
    .select([
      'record_attachments.file_name',
      'record_attachments.media_type',
      'record_attachments.storage_path',
    ])
    .where('record_attachments.id', '=', attachmentId)
    .where('records.id', '=', recordId)
    .where('records.publish_state', '=', 'published')
    .where('records.attribute', '=', 'proactive')
    .executeTakeFirst();
  return row ? { fileName: row.file_name, mediaType: row.media_type, storagePath: row.storage_path } : null;
}

/** 依申请公开目录: published on-request records by title and metadata only. */
export async function onRequestCatalogue(
  db: Db,
  filter: Omit<PublicRecordFilter, 'kind'> = {},
): Promise<{ total: number; items: OnRequestEntry[] }> {
  const { limit, offset } = page(filter);
  let base = db
    .selectFrom('records')
    .where('publish_state', '=', 'published')
    .where('attribute', '=', 'onRequest');
  if (filter.areaId) base = base.where('area_id', '=', filter.areaId);
  if (filter.subAreaId) base = base.where('sub_area_id', '=', filter.subAreaId);
  if (filter.stage) base = base.where('stage', '=', filter.stage);
  if (filter.unitId) base = base.where('disclosing_unit_id', '=', filter.unitId);
  if (filter.year)
    base = base
      .where('formed_on', '>=', `${filter.year}-01-01`)
      .where('formed_on', '<', `${filter.year + 1}-01-01`);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('formed_on', 'desc')
    .orderBy('index_number')
    .limit(limit)
    .offset(offset)
    .execute();
  const views = await recordViews(db, rows);
  return {
    total: Number(total.n),
    items: views.map((v) => ({
      id: v.row.id,
      indexNumber: v.row.index_number,
      title: v.row.title,
      formedOn: v.row.formed_on,
      documentNumber: v.row.document_number,
      area: v.area ? { id: v.area.id, name: v.area.name } : null,
      stage: v.row.stage,
      stageName: stageNames[v.row.stage],
      disclosingBody: v.disclosingUnit ? { id: v.disclosingUnit.id, name: v.disclosingUnit.name } : null,
      attributeName: '依申请公开',
    })),
  };
}

/** Public notices (公示) with their periods and state on today's Beijing date; open ones first. */
export async function publicNotices(
  db: Db,
  now: Date,
  filter: { state?: NoticeState; areaId?: string; level?: NoticeLevel; limit?: number; offset?: number } = {},
): Promise<{ total: number; items: PublicNotice[] }> {
  const { limit, offset } = page(filter);
  const today = chinaToday(now);
  let base = publishedProactive(db).where('kind', '=', 'notice');
  if (filter.areaId) base = base.where('area_id', '=', filter.areaId);
  if (filter.level) base = base.where('notice_level', '=', filter.level);
  if (filter.state === 'upcoming') base = base.where('notice_starts_on', '>', today);
  if (filter.state === 'open')
    base = base.where('notice_starts_on', '<=', today).where('notice_ends_on', '>=', today);
  if (filter.state === 'closed') base = base.where('notice_ends_on', '<', today);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('notice_ends_on', 'desc')
    .orderBy('index_number')
    .limit(limit)
    .offset(offset)
    .execute();
  const views = await recordViews(db, rows);
  const items = views.flatMap((v) => {
    const notice = noticeOf(v.row, now);
    return notice ? [{ ...summaryOf(v), notice }] : [];
  });
  return { total: Number(total.n), items };
}

/** Areas a district has adopted, with sub-areas, lead units and the count of published records per stage. */
export async function publicAreas(db: Db): Promise<PublicArea[]> {
  const areas = await db
    .selectFrom('areas')
    .selectAll()
    .where('adopted', '=', 1)
    .orderBy('sort_order')
    .orderBy('name')
    .execute();
  if (!areas.length) return [];
  const ids = areas.map((a) => a.id);
  const [leads, subs, counts] = await Promise.all([
    db
      .selectFrom('area_lead_units')
      .innerJoin('units', 'units.id', 'area_lead_units.unit_id')
      .select(['area_lead_units.area_id', 'units.id', 'units.name'])
      .where('area_lead_units.area_id', 'in', ids)
      .orderBy('area_lead_units.sort_order')
      .execute(),
    db.selectFrom('sub_areas').selectAll().where('area_id', 'in', ids).orderBy('sort_order').execute(),
    publishedProactive(db)
      .select(['area_id', 'stage', (eb) => eb.fn.countAll<number>().as('n')])
      .where('area_id', 'in', ids)
      .groupBy(['area_id', 'stage'])
      .execute(),
  ]);
  return areas.map((a) => ({
    id: a.id,
    name: a.name,
    abbreviation: a.abbreviation,
    scope: a.scope,
    leadUnits: leads.filter((l) => l.area_id === a.id).map((l) => ({ id: l.id, name: l.name })),
    subAreas: subs
      .filter((s) => s.area_id === a.id)
      .map((s) => ({ id: s.id, number: s.number, name: s.name })),
    stages: stages.map((stage) => ({
      stage,
      name: stageNames[stage],
      letter: stageLetters[stage],
      published: Number(counts.find((c) => c.area_id === a.id && c.stage === stage)?.n ?? 0),
    })),
  }));
}
