import type { Context } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { newId } from '../../ids.ts';

/** 分管: a leader takes charge of a unit from a date. */
export async function supervisionCreator(
  ctx: Context,
  input: { personId: string; unitId: string; startsOn: string },
): Promise<{ id: string }> {
  const person = await ctx.db
    .selectFrom('people')
    .select('id')
    .where('id', '=', input.personId)
    .executeTakeFirst();
  if (!person) throw notFound('人员', input.personId);
  const unit = await ctx.db
    .selectFrom('units')
    .select('id')
    .where('id', '=', input.unitId)
    .executeTakeFirst();
  if (!unit) throw notFound('单位', input.unitId);
  const id = newId();
  await ctx.db
    .insertInto('supervisions')
    .values({
      id,
      person_id: input.personId,
      unit_id: input.unitId,
      starts_on: input.startsOn,
      ends_on: null,
    })
    .execute();
  return { id };
}
