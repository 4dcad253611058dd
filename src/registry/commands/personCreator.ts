import type { Context } from '../../context.ts';
import { invalid, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';

export interface NewPerson {
  id?: string;
  name: string;
  unitId: string | null;
  title?: string | null;
}

export async function personCreator(ctx: Context, input: NewPerson): Promise<{ id: string }> {
  const name = input.name.replace(/\s+/g, '');
  if (!name) throw invalid([{ field: 'name', reason: '姓名不能为空' }]);
  if (input.unitId) {
    const unit = await ctx.db
      .selectFrom('units')
      .select('id')
      .where('id', '=', input.unitId)
      .executeTakeFirst();
    if (!unit) throw notFound('单位', input.unitId);
  }
  const id = input.id ?? newId();
  const now = nowIso(ctx.now());
  await ctx.db
    .insertInto('people')
    .values({ id, name, unit_id: input.unitId, title: input.title ?? null, created_at: now, updated_at: now })
    .execute();
  return { id };
}
