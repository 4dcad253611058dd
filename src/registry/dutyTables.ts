import type { PositionView, UnitView } from './queries.ts';
import type { UnitRow } from './tables.ts';

/** One printed 定岗定责定流程表: a unit with the positions of its 股室, rows in the table's 序号 order. */
export interface DutyTable {
  unit: UnitView;
  /** The unit it belongs to (隶属关系), for a table printed apart below the root. */
  parent: UnitRow | null;
  positions: PositionView[];
}

/**
 * A unit's subtree as the tables a bureau prints (seed 000): the bureau's own table holds the posts of its 股室,
 * in 序号 order whatever 股室 a post sits in; each 所属单位 (and any other non-股室 unit below) prints its own
 * table with its 隶属关系 and 宗旨和业务范围. `views` is the subtree in tree order, root first (unitViews of
 * listUnitRows({root})); `rootParent` is the unit the root belongs to, if any. Units below the root with no
 * positions print nothing.
 */
export function dutyTables(views: UnitView[], rootParent: UnitRow | null = null): DutyTable[] {
  const [root] = views;
  if (!root) return [];
  const byId = new Map(views.map((v) => [v.row.id, v]));
  const tables = new Map<string, DutyTable>();
  const ownerOf = (v: UnitView): DutyTable => {
    const own = tables.get(v.row.id);
    if (own) return own;
    const parent = v.row.parent_id ? byId.get(v.row.parent_id) : undefined;
    // a 股室 is part of the unit above it; the root and every other kind of unit is a table of its own
    if (v !== root && v.row.kind === 'section' && parent) return ownerOf(parent);
    const table: DutyTable = {
      unit: v,
      parent: v === root ? rootParent : (parent?.row ?? null),
      positions: [],
    };
    tables.set(v.row.id, table);
    return table;
  };
  for (const v of views) ownerOf(v).positions.push(...v.positions);
  // positions keep the order they were entered in (the printed 序号 order); a stable sort keeps ties in tree order
  const position = (p: PositionView) => [p.row.sort_order, p.row.serial ?? Number.MAX_SAFE_INTEGER] as const;
  for (const t of tables.values()) {
    t.positions.sort((a, b) => {
      const [sa, na] = position(a);
      const [sb, nb] = position(b);
      return sa - sb || na - nb;
    });
  }
  return [...tables.values()].filter((t) => t.unit === root || t.positions.length > 0);
}

/** "隶属关系：区住建局所属", as the centres' tables print it. */
export const affiliationOf = (t: DutyTable) =>
  t.parent ? `${t.parent.short_name ?? t.parent.name}所属` : null;
