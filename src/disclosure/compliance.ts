import { sql } from 'kysely';
import type { Db } from '../store/store.ts';
import { attributes, type DisclosureAttribute, type Stage, stageNames, stages } from './tables.ts';
import { chinaToday } from './util.ts';

// The compliance view (issue 4 item 9): per area and stage, the catalogue items that have no record yet, the
// proactive records late for publishing (条例 Art. 26: 20 working days after forming), and counts by attribute.
// A district holds up to a million records: they are counted and filtered in the database (GROUP BY, EXISTS on
// records_item), never loaded; only the late ones come back, by the columns the view shows.

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
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('records')
            .select('records.id')
            .whereRef('records.item_id', '=', 'disclosure_items.id'),
        )
        .as('has_record'),
    )
    .where('area_id', 'in', ids)
    .orderBy('serial')
    .execute();
  const counts = await db
    .selectFrom('records')
    .select(['area_id', 'stage', 'attribute', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('area_id', 'in', ids)
    .groupBy(['area_id', 'stage', 'attribute'])
    .execute();
  // isLate (queries.ts) in SQL: published on a China date after publish_by, i.e. at or after 16:00 UTC of
  // publish_by (= 00:00 Beijing the next day); or not published and publish_by already past today (Beijing).
  const late = await db
    .selectFrom('records')
    .select(['id', 'area_id', 'stage', 'index_number', 'title', 'publish_by', 'publish_state'])
    .where('area_id', 'in', ids)
    .where('attribute', '=', 'proactive')
    .where('publish_by', 'is not', null)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('published_at', 'is not', null),
          eb('published_at', '>=', sql<string>`${sql.ref('publish_by')} || 'T16:00:00.000Z'`),
        ]),
        eb.and([eb('published_at', 'is', null), eb('publish_by', '<', chinaToday(now))]),
      ]),
    )
    .orderBy('publish_by')
    .orderBy('index_number')
    .execute();
  const zero = () => Object.fromEntries(attributes.map((a) => [a, 0])) as Record<DisclosureAttribute, number>;
  return areas.map((a) => {
    const cells = stages.map((stage): ComplianceCell => {
      const its = items.filter((i) => i.area_id === a.id && i.stage === stage);
      const byAttribute = zero();
      for (const c of counts)
        if (c.area_id === a.id && c.stage === stage) byAttribute[c.attribute] += Number(c.n);
      return {
        stage,
        stageName: stageNames[stage],
        items: its.length,
        itemsWithoutRecord: its
          .filter((i) => !Number(i.has_record))
          .map((i) => ({ id: i.id, matter1: i.matter1, matter2: i.matter2 })),
        lateRecords: late
          .filter((r) => r.area_id === a.id && r.stage === stage)
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
