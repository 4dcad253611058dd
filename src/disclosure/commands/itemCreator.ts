import type { Context } from '../../context.ts';
import { type FieldError, invalid, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import type { Audience, Level, Method, Stage } from '../tables.ts';
import { audiences, levels, methods, stages } from '../tables.ts';
import { cleanList, replaceItemChannels } from '../util.ts';

/** A 公开事项 with its standard (rules.md §3 columns) and the units that carry out its work content. */
export interface NewItem {
  id?: string;
  areaId: string;
  subAreaId?: string | null;
  stage: Stage;
  serial?: number;
  /** 一级事项. */
  matter1: string;
  /** 二级事项 (the work content of 附件5, when the 一级事项 is a group). */
  matter2?: string | null;
  content?: string | null;
  legalBasis?: string | null;
  timeLimit?: string | null;
  disclosingUnitId?: string | null;
  disclosingBodyText?: string | null;
  channels?: string[];
  audience?: Audience;
  method?: Method;
  level?: Level;
  dutyId?: string | null;
  responsibleUnitIds?: string[];
  responsibleNote?: string | null;
}

/** Every problem of an item, named by field; the catalogue import reuses it to name bad rows. */
export function itemProblems(input: NewItem): FieldError[] {
  const fields: FieldError[] = [];
  if (!input.matter1?.trim()) fields.push({ field: 'matter1', reason: '公开事项（一级事项）不能为空' });
  if (!stages.includes(input.stage))
    fields.push({ field: 'stage', reason: '五公开阶段应为 决策/执行/管理/服务/结果' });
  if (input.audience && !audiences.includes(input.audience))
    fields.push({ field: 'audience', reason: '公开对象应为 全社会 或 特定群体' });
  if (input.method && !methods.includes(input.method))
    fields.push({ field: 'method', reason: '公开方式应为 主动 或 依申请' });
  if (input.level && !levels.includes(input.level))
    fields.push({ field: 'level', reason: '公开层级应为 县级 或 乡级' });
  return fields;
}

export async function itemCreator(ctx: Context, input: NewItem): Promise<{ id: string }> {
  const problems = itemProblems(input);
  if (problems.length) throw invalid(problems);
  const area = await ctx.db
    .selectFrom('areas')
    .select('id')
    .where('id', '=', input.areaId)
    .executeTakeFirst();
  if (!area) throw notFound('领域', input.areaId);
  if (input.subAreaId) {
    const sub = await ctx.db
      .selectFrom('sub_areas')
      .select('area_id')
      .where('id', '=', input.subAreaId)
      .executeTakeFirst();
    if (sub?.area_id !== input.areaId) throw invalid([{ field: 'subAreaId', reason: '子领域不属于该领域' }]);
  }
  if (input.dutyId) {
    const duty = await ctx.db
      .selectFrom('disclosure_duties')
      .select('area_id')
      .where('id', '=', input.dutyId)
      .executeTakeFirst();
    if (duty?.area_id !== input.areaId) throw invalid([{ field: 'dutyId', reason: '工作职责不属于该领域' }]);
  }
  const unitIds = cleanList(input.responsibleUnitIds);
  const wanted = [...unitIds, ...(input.disclosingUnitId ? [input.disclosingUnitId] : [])];
  if (wanted.length) {
    const found = new Set(
      (await ctx.db.selectFrom('units').select('id').where('id', 'in', wanted).execute()).map((u) => u.id),
    );
    const missing = wanted.filter((u) => !found.has(u));
    if (missing.length) throw notFound('单位', missing.join('、'));
  }
  let serial = input.serial;
  if (serial === undefined) {
    const max = await ctx.db
      .selectFrom('disclosure_items')
      .select((eb) => eb.fn.max('serial').as('m'))
      .where('area_id', '=', input.areaId)
      .executeTakeFirst();
    serial = Number(max?.m ?? 0) + 1;
  }
  const id = input.id ?? newId();
  const now = nowIso(ctx.now());
  await ctx.db
    .insertInto('disclosure_items')
    .values({
      id,
      area_id: input.areaId,
      sub_area_id: input.subAreaId ?? null,
      stage: input.stage,
      serial,
      matter1: input.matter1.trim(),
      matter2: input.matter2?.trim() || null,
      content: input.content ?? null,
      legal_basis: input.legalBasis ?? null,
      // 条例 Art. 26 is the usual time limit (rules.md §3); an item may state a shorter one.
      time_limit: input.timeLimit ?? '信息形成（或者变更）之日起20个工作日内',
      disclosing_unit_id: input.disclosingUnitId ?? null,
      disclosing_body_text: input.disclosingBodyText ?? null,
      audience: input.audience ?? 'public',
      method: input.method ?? 'proactive',
      level: input.level ?? 'county',
      duty_id: input.dutyId ?? null,
      responsible_note: input.responsibleNote ?? null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (unitIds.length)
    await ctx.db
      .insertInto('disclosure_item_units')
      .values(unitIds.map((unit_id, sort_order) => ({ item_id: id, sort_order, unit_id })))
      .execute();
  await replaceItemChannels(ctx.db, id, cleanList(input.channels));
  return { id };
}
