import type { Context } from '../../context.ts';
import { conflict, invalid, notFound } from '../../errors.ts';
import { newId } from '../../ids.ts';

export interface NewSubArea {
  id?: string;
  areaId: string;
  /** Two digits, as in the index number (CQAZ01). */
  number: string;
  name: string;
  note?: string | null;
  sortOrder?: number;
}

export async function subAreaCreator(ctx: Context, input: NewSubArea): Promise<{ id: string }> {
  const fields = [];
  if (!/^\d{2}$/.test(input.number)) fields.push({ field: 'number', reason: '子领域编号应为 2 位数字' });
  if (input.number === '00') fields.push({ field: 'number', reason: '00 表示“无子领域”，不能使用' });
  if (!input.name.trim()) fields.push({ field: 'name', reason: '子领域名称不能为空' });
  if (fields.length) throw invalid(fields);
  const area = await ctx.db
    .selectFrom('areas')
    .select('id')
    .where('id', '=', input.areaId)
    .executeTakeFirst();
  if (!area) throw notFound('领域', input.areaId);
  const taken = await ctx.db
    .selectFrom('sub_areas')
    .select('name')
    .where('area_id', '=', input.areaId)
    .where('number', '=', input.number)
    .executeTakeFirst();
  if (taken) throw conflict('sub_area_number_taken', `子领域编号 ${input.number} 已被“${taken.name}”使用`);
  const id = input.id ?? newId();
  await ctx.db
    .insertInto('sub_areas')
    .values({
      id,
      area_id: input.areaId,
      number: input.number,
      name: input.name.trim(),
      note: input.note ?? null,
      sort_order: input.sortOrder ?? Number(input.number),
    })
    .execute();
  return { id };
}
