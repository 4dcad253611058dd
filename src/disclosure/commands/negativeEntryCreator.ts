import type { Context } from '../../context.ts';
import { invalid, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';

export interface NewNegativeEntry {
  id?: string;
  areaId: string;
  matter: string;
  /** The legal ground: 条例 Art. 14–16, a law, or a regulation. Required — the list exists to name it. */
  basis: string;
  sortOrder?: number;
}

/** One matter of an area's 政务公开负面清单 (seed 方案 三（六）): not disclosed, with its basis. */
export async function negativeEntryCreator(ctx: Context, input: NewNegativeEntry): Promise<{ id: string }> {
  const fields = [];
  if (!input.matter.trim()) fields.push({ field: 'matter', reason: '不予公开事项不能为空' });
  if (!input.basis.trim()) fields.push({ field: 'basis', reason: '负面清单事项必须写明不公开依据' });
  if (fields.length) throw invalid(fields);
  const area = await ctx.db
    .selectFrom('areas')
    .select('id')
    .where('id', '=', input.areaId)
    .executeTakeFirst();
  if (!area) throw notFound('领域', input.areaId);
  const count = await ctx.db
    .selectFrom('negative_list_entries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('area_id', '=', input.areaId)
    .executeTakeFirstOrThrow();
  const id = input.id ?? newId();
  await ctx.db
    .insertInto('negative_list_entries')
    .values({
      id,
      area_id: input.areaId,
      matter: input.matter.trim(),
      basis: input.basis.trim(),
      sort_order: input.sortOrder ?? Number(count.n) + 1,
      created_at: nowIso(ctx.now()),
    })
    .execute();
  return { id };
}
