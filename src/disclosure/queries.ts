import type { Db } from '../store/store.ts';
import type {
  AreaRow,
  AttachmentRow,
  DutyRow,
  HistoryRow,
  ItemRow,
  NegativeEntryRow,
  RecordRow,
  Stage,
  SubAreaRow,
} from './tables.ts';
import { chinaToday } from './util.ts';

// Read models assembled in bulk (one query per child table, never one per row).

export interface UnitRef {
  id: string;
  name: string;
  shortName: string | null;
}

async function unitRefs(db: Db, ids: string[]): Promise<Map<string, UnitRef>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await db
    .selectFrom('units')
    .select(['id', 'name', 'short_name'])
    .where('id', 'in', unique)
    .execute();
  return new Map(rows.map((u) => [u.id, { id: u.id, name: u.name, shortName: u.short_name }]));
}

export interface AreaView {
  row: AreaRow;
  leadUnits: UnitRef[];
  subAreas: SubAreaRow[];
}

export async function areaViews(db: Db, rows: AreaRow[]): Promise<AreaView[]> {
  const ids = rows.map((a) => a.id);
  if (!ids.length) return [];
  const leads = await db
    .selectFrom('area_lead_units')
    .selectAll()
    .where('area_id', 'in', ids)
    .orderBy('sort_order')
    .execute();
  const subs = await db
    .selectFrom('sub_areas')
    .selectAll()
    .where('area_id', 'in', ids)
    .orderBy('sort_order')
    .orderBy('number')
    .execute();
  const units = await unitRefs(
    db,
    leads.map((l) => l.unit_id),
  );
  return rows.map((row) => ({
    row,
    leadUnits: leads.filter((l) => l.area_id === row.id).flatMap((l) => units.get(l.unit_id) ?? []),
    subAreas: subs.filter((s) => s.area_id === row.id),
  }));
}

export async function listAreaRows(
  db: Db,
  q: { source?: string; adopted?: boolean } = {},
): Promise<AreaRow[]> {
  let query = db.selectFrom('areas').selectAll().orderBy('sort_order').orderBy('name');
  if (q.source) query = query.where('source', '=', q.source as AreaRow['source']);
  if (q.adopted !== undefined) query = query.where('adopted', '=', q.adopted ? 1 : 0);
  return query.execute();
}

export async function findArea(db: Db, idOrAbbreviation: string): Promise<AreaRow | undefined> {
  return db
    .selectFrom('areas')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('id', '=', idOrAbbreviation),
        eb('abbreviation', '=', idOrAbbreviation.toUpperCase()),
        eb('name', '=', idOrAbbreviation),
      ]),
    )
    .executeTakeFirst();
}

export interface ItemView {
  row: ItemRow;
  subArea: SubAreaRow | null;
  duty: DutyRow | null;
  responsibleUnits: UnitRef[];
  disclosingUnit: UnitRef | null;
  channels: string[];
}

export async function itemViews(db: Db, rows: ItemRow[]): Promise<ItemView[]> {
  const ids = rows.map((r) => r.id);
  if (!ids.length) return [];
  const [units, channels] = await Promise.all([
    db
      .selectFrom('disclosure_item_units')
      .selectAll()
      .where('item_id', 'in', ids)
      .orderBy('sort_order')
      .execute(),
    db
      .selectFrom('disclosure_item_channels')
      .selectAll()
      .where('item_id', 'in', ids)
      .orderBy('sort_order')
      .execute(),
  ]);
  const subIds = [...new Set(rows.flatMap((r) => r.sub_area_id ?? []))];
  const dutyIds = [...new Set(rows.flatMap((r) => r.duty_id ?? []))];
  const subs = subIds.length
    ? await db.selectFrom('sub_areas').selectAll().where('id', 'in', subIds).execute()
    : [];
  const duties = dutyIds.length
    ? await db.selectFrom('disclosure_duties').selectAll().where('id', 'in', dutyIds).execute()
    : [];
  const refs = await unitRefs(db, [
    ...units.map((u) => u.unit_id),
    ...rows.flatMap((r) => r.disclosing_unit_id ?? []),
  ]);
  return rows.map((row) => ({
    row,
    subArea: subs.find((s) => s.id === row.sub_area_id) ?? null,
    duty: duties.find((d) => d.id === row.duty_id) ?? null,
    responsibleUnits: units.filter((u) => u.item_id === row.id).flatMap((u) => refs.get(u.unit_id) ?? []),
    disclosingUnit: row.disclosing_unit_id ? (refs.get(row.disclosing_unit_id) ?? null) : null,
    channels: channels.filter((c) => c.item_id === row.id).map((c) => c.channel),
  }));
}

export async function findItemRows(
  db: Db,
  q: { areaId?: string; subAreaId?: string; stage?: Stage; unitId?: string },
): Promise<ItemRow[]> {
  let query = db.selectFrom('disclosure_items').selectAll();
  if (q.areaId) query = query.where('area_id', '=', q.areaId);
  if (q.subAreaId) query = query.where('sub_area_id', '=', q.subAreaId);
  if (q.stage) query = query.where('stage', '=', q.stage);
  if (q.unitId) {
    const unitId = q.unitId;
    query = query.where('id', 'in', (eb) =>
      eb.selectFrom('disclosure_item_units').select('item_id').where('unit_id', '=', unitId),
    );
  }
  const rows = await query.orderBy('area_id').orderBy('serial').execute();
  const order = { decision: 0, execution: 1, management: 2, service: 3, result: 4 } as const;
  // Stable by area, then the fixed stage order, then the printed serial.
  return rows.sort((a, b) =>
    a.area_id === b.area_id ? order[a.stage] - order[b.stage] || a.serial - b.serial : 0,
  );
}

export interface RecordView {
  row: RecordRow;
  area: AreaRow | null;
  subArea: SubAreaRow | null;
  duty: DutyRow | null;
  disclosingUnit: UnitRef | null;
  channels: string[];
  attachments: AttachmentRow[];
  negativeEntry: NegativeEntryRow | null;
}

export async function recordViews(db: Db, rows: RecordRow[]): Promise<RecordView[]> {
  const ids = rows.map((r) => r.id);
  if (!ids.length) return [];
  const [channels, attachments] = await Promise.all([
    db
      .selectFrom('record_channels')
      .selectAll()
      .where('record_id', 'in', ids)
      .orderBy('sort_order')
      .execute(),
    db
      .selectFrom('record_attachments')
      .selectAll()
      .where('record_id', 'in', ids)
      .orderBy('created_at')
      .execute(),
  ]);
  const pick = <T>(xs: (T | null)[]) => [...new Set(xs.filter((x): x is T => x !== null))];
  const areaIds = pick(rows.map((r) => r.area_id));
  const subIds = pick(rows.map((r) => r.sub_area_id));
  const dutyIds = pick(rows.map((r) => r.duty_id));
  const negIds = pick(rows.map((r) => r.negative_list_entry_id));
  const [areas, subs, duties, negs, refs] = await Promise.all([
    db.selectFrom('areas').selectAll().where('id', 'in', areaIds).execute(),
    subIds.length ? db.selectFrom('sub_areas').selectAll().where('id', 'in', subIds).execute() : [],
    dutyIds.length ? db.selectFrom('disclosure_duties').selectAll().where('id', 'in', dutyIds).execute() : [],
    negIds.length
      ? db.selectFrom('negative_list_entries').selectAll().where('id', 'in', negIds).execute()
      : [],
    unitRefs(
      db,
      rows.map((r) => r.disclosing_unit_id),
    ),
  ]);
  return rows.map((row) => ({
    row,
    area: areas.find((a) => a.id === row.area_id) ?? null,
    subArea: subs.find((s) => s.id === row.sub_area_id) ?? null,
    duty: duties.find((d) => d.id === row.duty_id) ?? null,
    disclosingUnit: refs.get(row.disclosing_unit_id) ?? null,
    channels: channels.filter((c) => c.record_id === row.id).map((c) => c.channel),
    attachments: attachments.filter((a) => a.record_id === row.id),
    negativeEntry: negs.find((n) => n.id === row.negative_list_entry_id) ?? null,
  }));
}

/**
 * Late (条例 Art. 26): a proactive record published after its publish-by date, or not yet published when that
 * date has passed (Beijing date).
 */
export function isLate(row: RecordRow, now: Date): boolean {
  if (row.attribute !== 'proactive' || !row.publish_by) return false;
  if (row.published_at) return chinaToday(new Date(row.published_at)) > row.publish_by;
  return chinaToday(now) > row.publish_by;
}

export async function recordHistory(db: Db, recordId: string): Promise<HistoryRow[]> {
  return db
    .selectFrom('record_history')
    .selectAll()
    .where('record_id', '=', recordId)
    .orderBy('seq')
    .execute();
}
