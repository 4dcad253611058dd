import type { Context } from '../../context.ts';
import { invalid, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';

export interface Responsibility {
  kind: string;
  text: string;
}

export interface WorkItemFields {
  number?: string | null;
  title: string;
  functions: string[];
  responsibilities: Responsibility[];
  flowCodes: string[];
  leadPersonId: string | null;
  assistantIds: string[];
  note?: string | null;
  sortOrder?: number;
}

export const flowCodePattern = /^[0-9a-z]{1,4}(-[0-9a-z]{1,4}){0,3}$/i;

async function check(ctx: Context, input: WorkItemFields): Promise<void> {
  const fields = [];
  if (!input.title.trim()) fields.push({ field: 'title', reason: '工作事项不能为空' });
  input.flowCodes.forEach((c, i) => {
    if (!flowCodePattern.test(c))
      fields.push({ field: `flowCodes.${i}`, reason: `流程编号格式不正确：${c}` });
  });
  input.responsibilities.forEach((r, i) => {
    if (!r.kind.trim() || !r.text.trim())
      fields.push({ field: `responsibilities.${i}`, reason: '责任类型和内容都不能为空' });
  });
  const people = [...(input.leadPersonId ? [input.leadPersonId] : []), ...input.assistantIds];
  if (people.length) {
    const found = await ctx.db.selectFrom('people').select('id').where('id', 'in', people).execute();
    const known = new Set(found.map((p) => p.id));
    if (input.leadPersonId && !known.has(input.leadPersonId)) {
      fields.push({ field: 'leadPersonId', reason: `人员不存在：${input.leadPersonId}` });
    }
    input.assistantIds.forEach((id, i) => {
      if (!known.has(id)) fields.push({ field: `assistantIds.${i}`, reason: `人员不存在：${id}` });
    });
  }
  if (fields.length) throw invalid(fields);
}

async function writeLists(ctx: Context, id: string, input: WorkItemFields): Promise<void> {
  const fns = input.functions.map((text, i) => ({ work_item_id: id, sort_order: i, text: text.trim() }));
  if (fns.length) await ctx.db.insertInto('work_item_functions').values(fns).execute();
  const rs = input.responsibilities.map((r, i) => ({
    work_item_id: id,
    sort_order: i,
    kind: r.kind.trim(),
    text: r.text.trim(),
  }));
  if (rs.length) await ctx.db.insertInto('work_item_responsibilities').values(rs).execute();
  const fcs = input.flowCodes.map((flow_code, i) => ({ work_item_id: id, sort_order: i, flow_code }));
  if (fcs.length) await ctx.db.insertInto('work_item_flow_codes').values(fcs).execute();
  const as = input.assistantIds.map((person_id, i) => ({ work_item_id: id, sort_order: i, person_id }));
  if (as.length) await ctx.db.insertInto('work_item_assistants').values(as).execute();
}

/** Add a duty item to a position, with its functions, typed responsibilities, flow codes and people. */
export async function workItemCreator(
  ctx: Context,
  positionId: string,
  input: WorkItemFields & { id?: string },
): Promise<{ id: string }> {
  const position = await ctx.db
    .selectFrom('positions')
    .select('id')
    .where('id', '=', positionId)
    .executeTakeFirst();
  if (!position) throw notFound('岗位', positionId);
  await check(ctx, input);
  const id = input.id ?? newId();
  const now = nowIso(ctx.now());
  await ctx.db
    .insertInto('work_items')
    .values({
      id,
      position_id: positionId,
      number: input.number ?? null,
      title: input.title.trim(),
      lead_person_id: input.leadPersonId,
      note: input.note ?? null,
      sort_order: input.sortOrder ?? 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await writeLists(ctx, id, input);
  return { id };
}

/** Replace a duty item's content as a whole (the form edits all of it at once). */
export async function workItemUpdater(ctx: Context, id: string, input: WorkItemFields): Promise<void> {
  const row = await ctx.db.selectFrom('work_items').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('工作事项', id);
  await check(ctx, input);
  await ctx.db
    .updateTable('work_items')
    .set({
      number: input.number ?? null,
      title: input.title.trim(),
      lead_person_id: input.leadPersonId,
      note: input.note ?? null,
      ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
      updated_at: nowIso(ctx.now()),
    })
    .where('id', '=', id)
    .execute();
  for (const t of [
    'work_item_functions',
    'work_item_responsibilities',
    'work_item_flow_codes',
    'work_item_assistants',
  ] as const) {
    await ctx.db.deleteFrom(t).where('work_item_id', '=', id).execute();
  }
  await writeLists(ctx, id, input);
}
