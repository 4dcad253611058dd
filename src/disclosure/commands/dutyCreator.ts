import type { Context } from '../../context.ts';
import { conflict, invalid, notFound } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { DutyKind } from '../tables.ts';

export interface NewDuty {
  id?: string;
  areaId: string;
  /** Three digits, the 工作职责编号 of the index number. */
  number: string;
  name: string;
  kind: DutyKind;
  /** 权力类型 (行政征收, 其他行政权力 …) for a power. */
  powerType?: string | null;
  /** The power list's own code, e.g. 征收-00207-000. */
  code?: string | null;
  unitId?: string | null;
  sortOrder?: number;
}

/** One line of an area's 工作职责清单 (seed 附件7 step 4): a power, a responsibility or a public service. */
export async function dutyCreator(ctx: Context, input: NewDuty): Promise<{ id: string }> {
  const fields = [];
  if (!/^\d{3}$/.test(input.number) || input.number === '000')
    fields.push({ field: 'number', reason: '工作职责编号应为 001–999' });
  if (!input.name.trim()) fields.push({ field: 'name', reason: '职责名称不能为空' });
  if (fields.length) throw invalid(fields);
  const area = await ctx.db
    .selectFrom('areas')
    .select('id')
    .where('id', '=', input.areaId)
    .executeTakeFirst();
  if (!area) throw notFound('领域', input.areaId);
  if (input.unitId) {
    const unit = await ctx.db
      .selectFrom('units')
      .select('id')
      .where('id', '=', input.unitId)
      .executeTakeFirst();
    if (!unit) throw notFound('责任单位', input.unitId);
  }
  const taken = await ctx.db
    .selectFrom('disclosure_duties')
    .select('name')
    .where('area_id', '=', input.areaId)
    .where('number', '=', input.number)
    .executeTakeFirst();
  if (taken) throw conflict('duty_number_taken', `工作职责编号 ${input.number} 已被“${taken.name}”使用`);
  const id = input.id ?? newId();
  await ctx.db
    .insertInto('disclosure_duties')
    .values({
      id,
      area_id: input.areaId,
      number: input.number,
      name: input.name.trim(),
      kind: input.kind,
      power_type: input.powerType ?? null,
      code: input.code ?? null,
      unit_id: input.unitId ?? null,
      sort_order: input.sortOrder ?? Number(input.number),
    })
    .execute();
  return { id };
}
