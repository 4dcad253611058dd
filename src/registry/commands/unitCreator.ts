import type { Context } from '../../context.ts';
import { conflict, invalid, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { type UnitKind, unitKinds } from '../tables.ts';

export interface NewUnit {
  id?: string;
  parentId: string | null;
  name: string;
  shortName?: string | null;
  kind: UnitKind;
  regionCode?: string | null;
  remit?: string | null;
  sortOrder?: number;
}

export async function unitCreator(ctx: Context, input: NewUnit): Promise<{ id: string }> {
  if (!input.name.trim()) throw invalid([{ field: 'name', reason: '单位名称不能为空' }]);
  if (!unitKinds.includes(input.kind)) throw invalid([{ field: 'kind', reason: '单位类型不正确' }]);
  let regionCode = input.regionCode ?? null;
  if (input.parentId) {
    const parent = await ctx.db
      .selectFrom('units')
      .select(['id', 'region_code'])
      .where('id', '=', input.parentId)
      .executeTakeFirst();
    if (!parent) throw notFound('上级单位', input.parentId);
    regionCode ??= parent.region_code;
  }
  const id = input.id ?? newId();
  if (input.id) {
    const taken = await ctx.db.selectFrom('units').select('id').where('id', '=', id).executeTakeFirst();
    if (taken) throw conflict('unit_exists', `单位编号已存在：${id}`);
  }
  const now = nowIso(ctx.now());
  await ctx.db
    .insertInto('units')
    .values({
      id,
      parent_id: input.parentId,
      name: input.name.trim(),
      short_name: input.shortName ?? null,
      kind: input.kind,
      region_code: regionCode,
      remit: input.remit ?? null,
      sort_order: input.sortOrder ?? 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id };
}
