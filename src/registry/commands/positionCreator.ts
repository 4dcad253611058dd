import type { Context } from '../../context.ts';
import { invalid, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { type PositionKind, positionKinds } from '../tables.ts';

export interface NewPosition {
  id?: string;
  unitId: string;
  name: string;
  kind: PositionKind;
  category?: string | null;
  serial?: number | null;
  number?: number | null;
  sortOrder?: number;
}

export async function positionCreator(ctx: Context, input: NewPosition): Promise<{ id: string }> {
  if (!input.name.trim()) throw invalid([{ field: 'name', reason: '岗位名称不能为空' }]);
  if (!positionKinds.includes(input.kind)) throw invalid([{ field: 'kind', reason: '岗位类型不正确' }]);
  const unit = await ctx.db
    .selectFrom('units')
    .select('id')
    .where('id', '=', input.unitId)
    .executeTakeFirst();
  if (!unit) throw notFound('单位', input.unitId);
  const id = input.id ?? newId();
  const now = nowIso(ctx.now());
  await ctx.db
    .insertInto('positions')
    .values({
      id,
      unit_id: input.unitId,
      name: input.name.trim(),
      kind: input.kind,
      category: input.category ?? null,
      serial: input.serial ?? null,
      number: input.number ?? null,
      sort_order: input.sortOrder ?? input.serial ?? 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id };
}
