import type { Db } from '../store/store.ts';
import { isLate } from './queries.ts';
import { attributes, type DisclosureAttribute, type Stage, stageNames, stages } from './tables.ts';

// The compliance view (issue 4 item 9): per area and stage, the catalogue items that have no record yet, the
// proactive records late for publishing (条例 Art. 26: 20 working days after forming), and counts by attribute.

export interface ComplianceCell {
  stage: Stage;
  stageName: string;
  items: number;
  itemsWithoutRecord: { id: string; matter1: string; matter2: string | null }[];
  lateRecords: {
    id: string;
    indexNumber: string;
    title: string;
    publishBy: string | null;
    published: boolean;
  }[];
  byAttribute: Record<DisclosureAttribute, number>;
}

export interface ComplianceArea {
  area: { id: string; name: string; abbreviation: string };
  stages: ComplianceCell[];
  totals: {
    items: number;
    itemsWithoutRecord: number;
    late: number;
    byAttribute: Record<DisclosureAttribute, number>;
  };
}

export async function complianceView(db: Db, now: Date, areaId?: string): Promise<ComplianceArea[]> {
  let areasQ = db
    .selectFrom('areas')
    .selectAll()
    .where('adopted', '=', 1)
    .orderBy('sort_order')
    .orderBy('name');
  if (areaId) areasQ = areasQ.where('id', '=', areaId);
  const areas = await areasQ.execute();
  if (!areas.length) return [];
  const ids = areas.map((a) => a.id);
  const items = await db
    .selectFrom('disclosure_items')
    .select(['id', 'area_id', 'stage', 'matter1', 'matter2', 'serial'])
    .where('area_id', 'in', ids)
    .orderBy('serial')
    .execute();
  const records = await db.selectFrom('records').selectAll().where('area_id', 'in', ids).execute();
  const withRecord = new Set(records.flatMap((r) => r.item_id ?? []));
  const zero = () => Object.fromEntries(attributes.map((a) => [a, 0])) as Record<DisclosureAttribute, number>;
  return areas.map((a) => {
    const cells = stages.map((stage): ComplianceCell => {
      const its = items.filter((i) => i.area_id === a.id && i.stage === stage);
      const recs = records.filter((r) => r.area_id === a.id && r.stage === stage);
      const byAttribute = zero();
      for (const r of recs) byAttribute[r.attribute]++;
      return {
        stage,
        stageName: stageNames[stage],
        items: its.length,
        itemsWithoutRecord: its
          .filter((i) => !withRecord.has(i.id))
          .map((i) => ({ id: i.id, matter1: i.matter1, matter2: i.matter2 })),
        lateRecords: recs
          .filter((r) => isLate(r, now))
          .map((r) => ({
            id: r.id,
            indexNumber: r.index_number,
            title: r.title,
            publishBy: r.publish_by,
            published: r.publish_state === 'published',
          })),
        byAttribute,
      };
    });
    const byAttribute = zero();
    for (const c of cells) for (const k of attributes) byAttribute[k] += c.byAttribute[k];
    return {
      area: { id: a.id, name: a.name, abbreviation: a.abbreviation },
      stages: cells,
      totals: {
        items: cells.reduce((n, c) => n + c.items, 0),
        itemsWithoutRecord: cells.reduce((n, c) => n + c.itemsWithoutRecord.length, 0),
        late: cells.reduce((n, c) => n + c.lateRecords.length, 0),
        byAttribute,
      },
    };
  });
}
