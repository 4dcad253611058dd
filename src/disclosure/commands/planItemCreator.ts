import type { Context } from '../../context.ts';
import { invalid, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import type { PlanList } from '../tables.ts';
import { cleanList } from '../util.ts';

export interface NewPlanItem {
  id?: string;
  list: PlanList;
  serial: number;
  content: string;
  leadUnitId?: string | null;
  leadUnitText?: string | null;
  responsibleUnitIds?: string[];
  responsiblePerson?: string | null;
  /** The deadline as printed (“2017 年 12 月前完成一期建设；2018 年 6 月前正式开通”, “按季度编发”). */
  deadlineText?: string | null;
  /** The last date it can be done by, when the printed deadline names one. */
  dueOn?: string | null;
  progress?: string | null;
  done?: boolean;
}

/** A line of the 任务清单 / 创新工作清单 (seed 附件6): a work-plan item, not a workflow task. */
export async function planItemCreator(ctx: Context, input: NewPlanItem): Promise<{ id: string }> {
  if (!input.content.trim()) throw invalid([{ field: 'content', reason: '工作内容不能为空' }]);
  if (input.dueOn && !/^\d{4}-\d{2}-\d{2}$/.test(input.dueOn))
    throw invalid([{ field: 'dueOn', reason: '日期格式应为 YYYY-MM-DD' }]);
  const unitIds = cleanList(input.responsibleUnitIds);
  const wanted = [...unitIds, ...(input.leadUnitId ? [input.leadUnitId] : [])];
  if (wanted.length) {
    const found = new Set(
      (await ctx.db.selectFrom('units').select('id').where('id', 'in', wanted).execute()).map((u) => u.id),
    );
    const missing = wanted.filter((u) => !found.has(u));
    if (missing.length) throw notFound('单位', missing.join('、'));
  }
  const id = input.id ?? newId();
  const now = nowIso(ctx.now());
  await ctx.db
    .insertInto('plan_items')
    .values({
      id,
      list: input.list,
      serial: input.serial,
      content: input.content.trim(),
      lead_unit_id: input.leadUnitId ?? null,
      lead_unit_text: input.leadUnitText ?? null,
      responsible_person: input.responsiblePerson ?? null,
      deadline_text: input.deadlineText ?? null,
      due_on: input.dueOn ?? null,
      progress: input.progress ?? null,
      done: input.done ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (unitIds.length)
    await ctx.db
      .insertInto('plan_item_units')
      .values(unitIds.map((unit_id, sort_order) => ({ plan_item_id: id, sort_order, unit_id })))
      .execute();
  return { id };
}
