import { affiliationOf, type DutyTable } from './dutyTables.ts';
import type { PositionView, UnitView, WorkItemView } from './queries.ts';
import type { PersonRow, UnitRow } from './tables.ts';

// Presenters pick each field by name: adding a column to a table never adds it to an answer by accident.

export const presentPersonRef = (p: PersonRow) => ({ id: p.id, name: p.name });

export const presentUnitRef = (u: UnitRow) => ({ id: u.id, name: u.name, kind: u.kind });

export function presentWorkItem(w: WorkItemView) {
  return {
    id: w.row.id,
    positionId: w.row.position_id,
    number: w.row.number,
    title: w.row.title,
    functions: w.functions,
    responsibilities: w.responsibilities,
    flowCodes: w.flowCodes,
    lead: w.lead ? presentPersonRef(w.lead) : null,
    assistants: w.assistants.map(presentPersonRef),
    note: w.row.note,
  };
}

export function presentPosition(p: PositionView) {
  return {
    id: p.row.id,
    unitId: p.row.unit_id,
    serial: p.row.serial,
    category: p.row.category,
    name: p.row.name,
    number: p.row.number,
    kind: p.row.kind,
    holders: p.holders.map((h) => ({ id: h.id, name: h.name, title: h.title })),
    supervises: p.supervises.map(presentUnitRef),
    workItems: p.workItems.map(presentWorkItem),
  };
}

export function presentUnit(u: UnitView) {
  return {
    id: u.row.id,
    parentId: u.row.parent_id,
    name: u.row.name,
    shortName: u.row.short_name,
    kind: u.row.kind,
    regionCode: u.row.region_code,
    remit: u.row.remit,
    positions: u.positions.map(presentPosition),
    memberUnits: u.memberUnits.map(presentUnitRef),
    workItemCount: u.positions.reduce((n, p) => n + p.workItems.length, 0),
  };
}

export function presentPerson(p: PersonRow, positions: { id: string; name: string; unitId: string }[]) {
  return { id: p.id, name: p.name, unitId: p.unit_id, title: p.title, positions };
}

/**
 * One printed 定岗定责定流程表 (dutyTables.ts): the workbench draws the same tables as the printable page from the
 * posts it already has, so the rule of which post stands in which table, in which order, lives only there.
 */
export function presentDutyTable(t: DutyTable) {
  return {
    unitId: t.unit.row.id,
    name: t.unit.row.name,
    kind: t.unit.row.kind,
    // the printed page names 隶属关系 for a 所属单位 only (src/portal/pages/orgPages.ts)
    affiliation: t.unit.row.kind === 'centre' ? affiliationOf(t) : null,
    remit: t.unit.row.remit,
    positionIds: t.positions.map((p) => p.row.id),
  };
}
