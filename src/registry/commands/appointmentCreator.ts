import type { Context } from '../../context.ts';
import { invalid, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';

export interface NewAppointment {
  personId: string;
  positionId: string;
  startsOn: string;
  endsOn?: string | null;
}

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s));

/** A person takes a position from a date (to a date). Earlier holders keep their rows: history is kept. */
export async function appointmentCreator(ctx: Context, input: NewAppointment): Promise<{ id: string }> {
  const fields = [];
  if (!isDate(input.startsOn)) fields.push({ field: 'startsOn', reason: '日期格式应为 YYYY-MM-DD' });
  if (input.endsOn && !isDate(input.endsOn))
    fields.push({ field: 'endsOn', reason: '日期格式应为 YYYY-MM-DD' });
  if (input.endsOn && input.endsOn < input.startsOn)
    fields.push({ field: 'endsOn', reason: '结束日期早于开始日期' });
  if (fields.length) throw invalid(fields);
  const person = await ctx.db
    .selectFrom('people')
    .select('id')
    .where('id', '=', input.personId)
    .executeTakeFirst();
  if (!person) throw notFound('人员', input.personId);
  const position = await ctx.db
    .selectFrom('positions')
    .select('id')
    .where('id', '=', input.positionId)
    .executeTakeFirst();
  if (!position) throw notFound('岗位', input.positionId);
  const id = newId();
  await ctx.db
    .insertInto('appointments')
    .values({
      id,
      person_id: input.personId,
      position_id: input.positionId,
      starts_on: input.startsOn,
      ends_on: input.endsOn ?? null,
      created_at: nowIso(ctx.now()),
    })
    .execute();
  return { id };
}

/** End a person's tenure of a position (离任). */
export async function appointmentEnder(ctx: Context, appointmentId: string, endsOn: string): Promise<void> {
  if (!isDate(endsOn)) throw invalid([{ field: 'endsOn', reason: '日期格式应为 YYYY-MM-DD' }]);
  const row = await ctx.db
    .selectFrom('appointments')
    .selectAll()
    .where('id', '=', appointmentId)
    .executeTakeFirst();
  if (!row) throw notFound('任职记录', appointmentId);
  if (endsOn < row.starts_on) throw invalid([{ field: 'endsOn', reason: '结束日期早于开始日期' }]);
  await ctx.db.updateTable('appointments').set({ ends_on: endsOn }).where('id', '=', appointmentId).execute();
}
