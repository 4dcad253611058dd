import type { Db } from '../store/store.ts';
import type { PersonRow, PositionRow, UnitRow, WorkItemRow } from './tables.ts';

export interface WorkItemView {
  row: WorkItemRow;
  functions: string[];
  responsibilities: { kind: string; text: string }[];
  flowCodes: string[];
  lead: PersonRow | null;
  assistants: PersonRow[];
}

export interface PositionView {
  row: PositionRow;
  holders: PersonRow[];
  supervises: UnitRow[];
  workItems: WorkItemView[];
}

export interface UnitView {
  row: UnitRow;
  positions: PositionView[];
  memberUnits: UnitRow[];
}

const today = (d: Date) => d.toISOString().slice(0, 10);

/** Every unit id in the subtree rooted at `rootId` (itself included), in tree order. */
export async function subtreeIds(db: Db, rootId: string): Promise<string[]> {
  const all = await db
    .selectFrom('units')
    .select(['id', 'parent_id', 'sort_order'])
    .orderBy('sort_order')
    .execute();
  const children = new Map<string | null, string[]>();
  for (const u of all) {
    const list = children.get(u.parent_id) ?? [];
    list.push(u.id);
    children.set(u.parent_id, list);
  }
  if (!all.some((u) => u.id === rootId)) return [];
  const out: string[] = [];
  const walk = (id: string) => {
    out.push(id);
    for (const c of children.get(id) ?? []) walk(c);
  };
  walk(rootId);
  return out;
}

/** Units in tree order (parents before children, siblings by sort order). */
export async function listUnitRows(
  db: Db,
  filter: { root?: string; kind?: string } = {},
): Promise<UnitRow[]> {
  const all = await db.selectFrom('units').selectAll().orderBy('sort_order').orderBy('name').execute();
  const byParent = new Map<string | null, UnitRow[]>();
  for (const u of all) {
    const list = byParent.get(u.parent_id) ?? [];
    list.push(u);
    byParent.set(u.parent_id, list);
  }
  const ordered: UnitRow[] = [];
  const walk = (u: UnitRow) => {
    ordered.push(u);
    for (const c of byParent.get(u.id) ?? []) walk(c);
  };
  const roots = filter.root ? all.filter((u) => u.id === filter.root) : (byParent.get(null) ?? []);
  for (const r of roots) walk(r);
  return filter.kind ? ordered.filter((u) => u.kind === filter.kind) : ordered;
}

async function peopleById(db: Db, ids: string[]): Promise<Map<string, PersonRow>> {
  const unique = [...new Set(ids)];
  const map = new Map<string, PersonRow>();
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('people')
      .selectAll()
      .where('id', 'in', unique.slice(i, i + 500))
      .execute();
    for (const r of rows) map.set(r.id, r);
  }
  return map;
}

function groupBy<T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const list = m.get(key(r)) ?? [];
    list.push(r);
    m.set(key(r), list);
  }
  return m;
}

/** Work items with their lists and people, in the order given. */
export async function workItemViews(db: Db, rows: WorkItemRow[]): Promise<WorkItemView[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const chunks = <T>(fn: (part: string[]) => Promise<T[]>) =>
    Promise.all(
      Array.from({ length: Math.ceil(ids.length / 500) }, (_, i) => fn(ids.slice(i * 500, i * 500 + 500))),
    ).then((parts) => parts.flat());
  const [fns, resps, codes, assists] = await Promise.all([
    chunks((p) =>
      db
        .selectFrom('work_item_functions')
        .selectAll()
        .where('work_item_id', 'in', p)
        .orderBy('sort_order')
        .execute(),
    ),
    chunks((p) =>
      db
        .selectFrom('work_item_responsibilities')
        .selectAll()
        .where('work_item_id', 'in', p)
        .orderBy('sort_order')
        .execute(),
    ),
    chunks((p) =>
      db
        .selectFrom('work_item_flow_codes')
        .selectAll()
        .where('work_item_id', 'in', p)
        .orderBy('sort_order')
        .execute(),
    ),
    chunks((p) =>
      db
        .selectFrom('work_item_assistants')
        .selectAll()
        .where('work_item_id', 'in', p)
        .orderBy('sort_order')
        .execute(),
    ),
  ]);
  const people = await peopleById(db, [
    ...rows.flatMap((r) => (r.lead_person_id ? [r.lead_person_id] : [])),
    ...assists.map((a) => a.person_id),
  ]);
  const fnsBy = groupBy(fns, (f) => f.work_item_id);
  const respBy = groupBy(resps, (f) => f.work_item_id);
  const codeBy = groupBy(codes, (f) => f.work_item_id);
  const asBy = groupBy(assists, (f) => f.work_item_id);
  return rows.map((row) => ({
    row,
    functions: (fnsBy.get(row.id) ?? []).map((f) => f.text),
    responsibilities: (respBy.get(row.id) ?? []).map((r) => ({ kind: r.kind, text: r.text })),
    flowCodes: (codeBy.get(row.id) ?? []).map((c) => c.flow_code),
    lead: row.lead_person_id ? (people.get(row.lead_person_id) ?? null) : null,
    assistants: (asBy.get(row.id) ?? []).flatMap((a) => people.get(a.person_id) ?? []),
  }));
}

/** Positions of the given units with current holders, 分管 units and work items. */
export async function positionViews(
  db: Db,
  unitIds: string[],
  on: Date = new Date(),
): Promise<PositionView[]> {
  if (!unitIds.length) return [];
  const day = today(on);
  const positions = await db
    .selectFrom('positions')
    .selectAll()
    .where('unit_id', 'in', unitIds)
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
  if (!positions.length) return [];
  const positionIds = positions.map((p) => p.id);
  const appointments = await db
    .selectFrom('appointments')
    .selectAll()
    .where('position_id', 'in', positionIds)
    .where('starts_on', '<=', day)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', day)]))
    .orderBy('starts_on')
    .execute();
  const people = await peopleById(
    db,
    appointments.map((a) => a.person_id),
  );
  const holderIds = [...people.keys()];
  const supervisions = holderIds.length
    ? await db
        .selectFrom('supervisions')
        .innerJoin('units', 'units.id', 'supervisions.unit_id')
        .selectAll('units')
        .select('supervisions.person_id')
        .where('supervisions.person_id', 'in', holderIds)
        .where('supervisions.starts_on', '<=', day)
        .where((eb) => eb.or([eb('supervisions.ends_on', 'is', null), eb('supervisions.ends_on', '>=', day)]))
        .orderBy('units.sort_order')
        .execute()
    : [];
  const items = await db
    .selectFrom('work_items')
    .selectAll()
    .where('position_id', 'in', positionIds)
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
  const itemViews = groupBy(await workItemViews(db, items), (w) => w.row.position_id);
  const apptBy = groupBy(appointments, (a) => a.position_id);
  const supBy = groupBy(supervisions, (s) => s.person_id);
  const order = new Map(unitIds.map((id, i) => [id, i]));
  positions.sort((a, b) => (order.get(a.unit_id) ?? 0) - (order.get(b.unit_id) ?? 0));
  return positions.map((row) => {
    const holders = (apptBy.get(row.id) ?? []).flatMap((a) => people.get(a.person_id) ?? []);
    const supervises = holders.flatMap((h) =>
      (supBy.get(h.id) ?? []).map(({ person_id: _p, ...unit }) => unit as UnitRow),
    );
    return { row, holders, supervises, workItems: itemViews.get(row.id) ?? [] };
  });
}

export async function unitViews(db: Db, units: UnitRow[], on?: Date): Promise<UnitView[]> {
  const positions = groupBy(
    await positionViews(
      db,
      units.map((u) => u.id),
      on,
    ),
    (p) => p.row.unit_id,
  );
  const memberships = units.length
    ? await db
        .selectFrom('unit_memberships')
        .innerJoin('units', 'units.id', 'unit_memberships.member_unit_id')
        .selectAll('units')
        .select('unit_memberships.group_id')
        .where(
          'unit_memberships.group_id',
          'in',
          units.map((u) => u.id),
        )
        .orderBy('unit_memberships.sort_order')
        .execute()
    : [];
  const memBy = groupBy(memberships, (m) => m.group_id);
  return units.map((row) => ({
    row,
    positions: positions.get(row.id) ?? [],
    memberUnits: (memBy.get(row.id) ?? []).map(({ group_id: _g, ...u }) => u as UnitRow),
  }));
}

/** Work items filtered by unit subtree and flow code (a printed code or the chart code it aliases). */
export async function findWorkItems(
  db: Db,
  filter: { unit?: string; flowCode?: string },
): Promise<WorkItemView[]> {
  let q = db
    .selectFrom('work_items')
    .innerJoin('positions', 'positions.id', 'work_items.position_id')
    .selectAll('work_items');
  if (filter.unit) {
    const ids = await subtreeIds(db, filter.unit);
    if (!ids.length) return [];
    q = q.where('positions.unit_id', 'in', ids);
  }
  if (filter.flowCode) {
    const aliases = await db
      .selectFrom('flow_code_aliases')
      .select('code')
      .where('chart_code', '=', filter.flowCode)
      .execute();
    const codes = [filter.flowCode, ...aliases.map((a) => a.code)];
    q = q.where(
      'work_items.id',
      'in',
      db.selectFrom('work_item_flow_codes').select('work_item_id').where('flow_code', 'in', codes),
    );
  }
  const rows = await q
    .orderBy('positions.unit_id')
    .orderBy('positions.sort_order')
    .orderBy('work_items.sort_order')
    .execute();
  return workItemViews(db, rows);
}

export async function chartCodeFor(db: Db, code: string): Promise<string> {
  const alias = await db
    .selectFrom('flow_code_aliases')
    .select('chart_code')
    .where('code', '=', code)
    .executeTakeFirst();
  return alias?.chart_code ?? code;
}
