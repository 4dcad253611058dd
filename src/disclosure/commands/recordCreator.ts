import { loadCalendar } from '../../calendar/calendar.ts';
import type { Context } from '../../context.ts';
import { AppError, type FieldError, invalid, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import type { Db } from '../../store/store.ts';
import { type IndexSubject, indexPartsFor, issueIndexNumber } from '../indexIssuer.ts';
import { parseIndexNumber, serialScope } from '../indexNumber.ts';
import {
  attributes,
  type DisclosureAttribute,
  type NoticeLevel,
  noticeLevels,
  type Origin,
  origins,
  type RecordKind,
  recordKinds,
  type Stage,
  stages,
} from '../tables.ts';
import { assertUnitScope } from '../unitScope.ts';
import { appendHistory, cleanList, replaceRecordChannels } from '../util.ts';

/** 条例 Art. 26: proactive information is published within 20 working days of being formed or changed. */
export const publishWithinWorkingDays = 20;

export interface RecordFields {
  title: string;
  summary?: string | null;
  origin: Origin;
  kind?: RecordKind;
  /** 成文日期 / 形成日期, YYYY-MM-DD. */
  formedOn: string;
  documentNumber?: string | null;
  attribute: DisclosureAttribute;
  /** The law ground when the record is exempt and no negative-list entry names it. */
  exemptionBasis?: string | null;
  negativeListEntryId?: string | null;
  disclosingUnitId: string;
  areaId: string;
  subAreaId?: string | null;
  stage: Stage;
  dutyId?: string | null;
  itemId?: string | null;
  channels?: string[];
  validFrom?: string | null;
  validUntil?: string | null;
  body?: string | null;
  noticeLevel?: NoticeLevel | null;
  noticeStartsOn?: string | null;
  noticeEndsOn?: string | null;
}

export interface NewRecord extends RecordFields {
  /**
   * A number issued before the platform (catalogue import, the seed's worked example). It must fit the
   * region's scheme and the record's own area, sub-area, stage and duty; the scope's counter then continues
   * after it, so later serials neither repeat nor go back.
   */
  legacyIndexNumber?: string | null;
  source?: { processInstanceId: string | null; step: string | null } | null;
}

const ymd = /^\d{4}-\d{2}-\d{2}$/;

/** Field-level problems of a record's own fields (references are checked against the database separately). */
export function recordFieldProblems(r: Partial<RecordFields>): FieldError[] {
  const f: FieldError[] = [];
  if (!r.title?.trim()) f.push({ field: 'title', reason: '政府信息名称不能为空' });
  if (!r.origin || !origins.includes(r.origin))
    f.push({ field: 'origin', reason: '信息来源应为 获取 或 制作' });
  if (r.kind && !recordKinds.includes(r.kind)) f.push({ field: 'kind', reason: '信息类别不正确' });
  if (!r.formedOn || !ymd.test(r.formedOn))
    f.push({ field: 'formedOn', reason: '形成日期格式应为 YYYY-MM-DD' });
  if (!r.attribute || !attributes.includes(r.attribute))
    f.push({ field: 'attribute', reason: '公开属性应为 主动公开、依申请公开 或 不予公开' });
  if (!r.stage || !stages.includes(r.stage)) f.push({ field: 'stage', reason: '五公开阶段不正确' });
  // 不予公开 needs its ground: a negative-list entry of the area, or a law named here (条例 Art. 14–16).
  if (r.attribute === 'exempt' && !r.negativeListEntryId && !r.exemptionBasis?.trim())
    f.push({
      field: 'exemptionBasis',
      reason: '不予公开的信息必须写明不公开依据（负面清单事项或法律法规条款）',
    });
  for (const k of ['validFrom', 'validUntil', 'noticeStartsOn', 'noticeEndsOn'] as const) {
    const v = r[k];
    if (v && !ymd.test(v)) f.push({ field: k, reason: '日期格式应为 YYYY-MM-DD' });
  }
  if (r.noticeLevel && !noticeLevels.includes(r.noticeLevel))
    f.push({ field: 'noticeLevel', reason: '公示层级应为 村级、乡镇级 或 区级' });
  if (r.kind === 'notice') {
    if (!r.noticeStartsOn) f.push({ field: 'noticeStartsOn', reason: '公示信息必须写明公示期起始日期' });
    if (!r.noticeEndsOn) f.push({ field: 'noticeEndsOn', reason: '公示信息必须写明公示期截止日期' });
  }
  if (r.noticeStartsOn && r.noticeEndsOn && r.noticeEndsOn < r.noticeStartsOn)
    f.push({ field: 'noticeEndsOn', reason: '公示期截止日期不能早于起始日期' });
  if (r.validFrom && r.validUntil && r.validUntil < r.validFrom)
    f.push({ field: 'validUntil', reason: '有效期截止日期不能早于起始日期' });
  return f;
}

/** References a record holds must exist and belong to its area. */
export async function checkRecordReferences(db: Db, r: RecordFields): Promise<void> {
  const f: FieldError[] = [];
  if (r.negativeListEntryId) {
    const e = await db
      .selectFrom('negative_list_entries')
      .select('area_id')
      .where('id', '=', r.negativeListEntryId)
      .executeTakeFirst();
    if (e?.area_id !== r.areaId)
      f.push({ field: 'negativeListEntryId', reason: '负面清单事项不存在或不属于该领域' });
  }
  if (r.itemId) {
    const item = await db
      .selectFrom('disclosure_items')
      .select('area_id')
      .where('id', '=', r.itemId)
      .executeTakeFirst();
    if (item?.area_id !== r.areaId) f.push({ field: 'itemId', reason: '公开事项不存在或不属于该领域' });
  }
  if (f.length) throw invalid(f);
}

/** Publish-by date of a proactive record: 20 working days after it was formed (条例 Art. 26). */
export async function publishByFor(
  db: Db,
  attribute: DisclosureAttribute,
  formedOn: string,
): Promise<string | null> {
  if (attribute !== 'proactive') return null;
  const calendar = await loadCalendar(db);
  return calendar.addWorkingDays(formedOn, publishWithinWorkingDays);
}

export interface CreateOptions {
  /**
   * The record comes from a flow step (flowActions.ts): the flow's task assignment already decided who may
   * complete the step, and the disclosing unit is the flow's (by default the starter's), so the completer's
   * own unit scope is not asked again — a 村 secretary completing 村级公示 publishes for the village.
   */
  fromFlowStep?: boolean;
}

export async function recordCreator(
  ctx: Context,
  input: NewRecord,
  options: CreateOptions = {},
): Promise<{ id: string; indexNumber: string }> {
  const problems = recordFieldProblems(input);
  if (problems.length) throw invalid(problems);
  // Unit scope (issue 7 item 2, unitScope.ts): a township clerk creates records of its township only.
  if (!options.fromFlowStep) await assertUnitScope(ctx, input.disclosingUnitId);
  await checkRecordReferences(ctx.db, input);
  const subject: IndexSubject = {
    areaId: input.areaId,
    subAreaId: input.subAreaId ?? null,
    stage: input.stage,
    dutyId: input.dutyId ?? null,
    attribute: input.attribute,
    disclosingUnitId: input.disclosingUnitId,
    formedOn: input.formedOn,
  };
  let issued: { number: string; scope: string; serial: number; scheme: 'seed' | 'national' };
  if (input.legacyIndexNumber) issued = await acceptLegacyNumber(ctx.db, subject, input.legacyIndexNumber);
  else issued = await issueIndexNumber(ctx.db, subject);
  const id = newId();
  const now = nowIso(ctx.now());
  await ctx.db
    .insertInto('records')
    .values({
      id,
      title: input.title.trim(),
      summary: input.summary ?? null,
      origin: input.origin,
      kind: input.kind ?? 'document',
      formed_on: input.formedOn,
      document_number: input.documentNumber ?? null,
      attribute: input.attribute,
      exemption_basis: input.exemptionBasis ?? null,
      negative_list_entry_id: input.negativeListEntryId ?? null,
      disclosing_unit_id: input.disclosingUnitId,
      area_id: input.areaId,
      sub_area_id: input.subAreaId ?? null,
      stage: input.stage,
      duty_id: input.dutyId ?? null,
      item_id: input.itemId ?? null,
      valid_from: input.validFrom ?? null,
      valid_until: input.validUntil ?? null,
      body: input.body ?? null,
      notice_level: input.noticeLevel ?? null,
      notice_starts_on: input.noticeStartsOn ?? null,
      notice_ends_on: input.noticeEndsOn ?? null,
      index_number: issued.number,
      index_scheme: issued.scheme,
      index_scope: issued.scope,
      index_serial: issued.serial,
      publish_state: 'draft',
      publish_by: await publishByFor(ctx.db, input.attribute, input.formedOn),
      published_at: null,
      source_process_instance_id: input.source?.processInstanceId ?? null,
      source_step: input.source?.step ?? null,
      created_by: ctx.actor?.userId ?? null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await replaceRecordChannels(ctx.db, id, cleanList(input.channels));
  await appendHistory(ctx, id, { action: 'created', to: 'draft', note: `索引号 ${issued.number}` });
  return { id, indexNumber: issued.number };
}

async function acceptLegacyNumber(db: Db, subject: IndexSubject, text: string) {
  const parsed = parseIndexNumber(text);
  const expected = await indexPartsFor(db, subject);
  const bad = (reason: string) => invalid([{ field: 'legacyIndexNumber', reason }]);
  if (!parsed) throw bad(`索引号格式不正确：${text}`);
  if (parsed.scheme !== expected.scheme) throw bad('索引号不符合本地区的索引号方案');
  if (serialScope(parsed) !== serialScope(expected))
    throw bad('索引号的区域、领域、子领域、阶段或职责编号与该信息不一致');
  if (parsed.scheme === 'seed' && expected.scheme === 'seed' && parsed.attribute !== expected.attribute)
    throw bad('索引号的公开方式字母与该信息的公开属性不一致');
  const scope = serialScope(parsed);
  const taken = await db
    .selectFrom('records')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('index_number', '=', text),
        eb.and([eb('index_scope', '=', scope), eb('index_serial', '=', parsed.serial)]),
      ]),
    )
    .executeTakeFirst();
  if (taken) throw new AppError('index_number_taken', `索引号已被使用：${text}`, 409);
  // Raise the scope's counter to at least this serial, so the next issued serial follows it.
  await db
    .insertInto('counters')
    .values({ scope, value: parsed.serial })
    .onConflict((oc) =>
      oc.column('scope').doUpdateSet((eb) => ({
        value: eb
          .case()
          .when('counters.value', '<', parsed.serial)
          .then(parsed.serial)
          .else(eb.ref('counters.value'))
          .end(),
      })),
    )
    .execute();
  return { number: text, scope, serial: parsed.serial, scheme: parsed.scheme };
}

export async function requireRecord(db: Db, id: string) {
  const row = await db.selectFrom('records').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('政府信息', id);
  return row;
}
