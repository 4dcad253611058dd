import { stateNames } from './commands/recordReview.ts';
import type { AreaView, ItemView, RecordView } from './queries.ts';
import { isLate } from './queries.ts';
import {
  attributeNames,
  audienceNames,
  type HistoryRow,
  levelNames,
  methodNames,
  type NegativeEntryRow,
  originNames,
  type PlanItemRow,
  stageLetters,
  stageNames,
} from './tables.ts';

// Internal (workbench) presenters: fields picked by name. The public ones are in publicQueries.ts.

export function presentArea(a: AreaView) {
  return {
    id: a.row.id,
    name: a.row.name,
    abbreviation: a.row.abbreviation,
    regionCode: a.row.region_code,
    scope: a.row.scope,
    source: a.row.source,
    adopted: a.row.adopted === 1,
    leadUnits: a.leadUnits,
    subAreas: a.subAreas.map((s) => ({ id: s.id, number: s.number, name: s.name, note: s.note })),
  };
}

export function presentItem(i: ItemView) {
  const r = i.row;
  return {
    id: r.id,
    areaId: r.area_id,
    subArea: i.subArea ? { id: i.subArea.id, number: i.subArea.number, name: i.subArea.name } : null,
    stage: r.stage,
    stageName: stageNames[r.stage],
    serial: r.serial,
    matter1: r.matter1,
    matter2: r.matter2,
    content: r.content,
    legalBasis: r.legal_basis,
    timeLimit: r.time_limit,
    disclosingUnit: i.disclosingUnit,
    disclosingBodyText: r.disclosing_body_text,
    channels: i.channels,
    audience: r.audience,
    audienceName: audienceNames[r.audience],
    method: r.method,
    methodName: methodNames[r.method],
    level: r.level,
    levelName: levelNames[r.level],
    duty: i.duty ? { id: i.duty.id, number: i.duty.number, name: i.duty.name } : null,
    responsibleUnits: i.responsibleUnits,
    responsibleNote: r.responsible_note,
  };
}

export function presentRecord(v: RecordView, now: Date) {
  const r = v.row;
  return {
    id: r.id,
    indexNumber: r.index_number,
    indexScheme: r.index_scheme,
    title: r.title,
    summary: r.summary,
    origin: r.origin,
    originName: originNames[r.origin],
    kind: r.kind,
    formedOn: r.formed_on,
    documentNumber: r.document_number,
    attribute: r.attribute,
    attributeName: attributeNames[r.attribute],
    exemptionBasis: r.exemption_basis,
    negativeListEntry: v.negativeEntry
      ? { id: v.negativeEntry.id, matter: v.negativeEntry.matter, basis: v.negativeEntry.basis }
      : null,
    disclosingUnit: v.disclosingUnit,
    area: v.area ? { id: v.area.id, name: v.area.name, abbreviation: v.area.abbreviation } : null,
    subArea: v.subArea ? { id: v.subArea.id, number: v.subArea.number, name: v.subArea.name } : null,
    stage: r.stage,
    stageName: stageNames[r.stage],
    stageLetter: stageLetters[r.stage],
    duty: v.duty ? { id: v.duty.id, number: v.duty.number, name: v.duty.name } : null,
    itemId: r.item_id,
    channels: v.channels,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    body: r.body,
    notice:
      r.kind === 'notice'
        ? { level: r.notice_level, startsOn: r.notice_starts_on, endsOn: r.notice_ends_on }
        : null,
    attachments: v.attachments.map((a) => ({
      id: a.id,
      fileName: a.file_name,
      mediaType: a.media_type,
      size: a.size,
      sha256: a.sha256,
    })),
    publishState: r.publish_state,
    publishStateName: stateNames[r.publish_state],
    publishBy: r.publish_by,
    publishedAt: r.published_at,
    late: isLate(r, now),
    source: r.source_process_instance_id
      ? { processInstanceId: r.source_process_instance_id, step: r.source_step }
      : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export const presentHistory = (h: HistoryRow) => ({
  seq: h.seq,
  at: h.at,
  actor: h.actor_name,
  action: h.action,
  fromState: h.from_state,
  toState: h.to_state,
  note: h.note,
});

export const presentNegativeEntry = (e: NegativeEntryRow) => ({
  id: e.id,
  areaId: e.area_id,
  matter: e.matter,
  basis: e.basis,
  sortOrder: e.sort_order,
});

export const presentPlanItem = (p: PlanItemRow, units: { id: string; name: string }[]) => ({
  id: p.id,
  list: p.list,
  serial: p.serial,
  content: p.content,
  leadUnitId: p.lead_unit_id,
  leadUnitText: p.lead_unit_text,
  responsibleUnits: units,
  responsiblePerson: p.responsible_person,
  deadlineText: p.deadline_text,
  dueOn: p.due_on,
  progress: p.progress,
  done: p.done === 1,
});
