import type { Context } from '../../context.ts';
import { invalid } from '../../errors.ts';
import { isYmd } from '../calendar.ts';
import { calendarChanged } from '../changes.ts';
import type { CalendarDayKind } from '../tables.ts';

export interface CalendarDayChange {
  date: string;
  /** `normal`: remove the exception, the day follows the weekend rule again. */
  kind: CalendarDayKind | 'normal';
  name?: string | null;
}

/** An administrator marks one day as a holiday or a make-up working day (or back to normal). */
export async function calendarDaySetter(ctx: Context, change: CalendarDayChange): Promise<void> {
  if (!isYmd(change.date)) throw invalid([{ field: 'date', reason: '日期格式应为 YYYY-MM-DD' }]);
  if (change.kind === 'normal') {
    await ctx.db.deleteFrom('calendar_days').where('date', '=', change.date).execute();
  } else {
    const name = change.name?.trim() || null;
    const kind: CalendarDayKind = change.kind;
    await ctx.db
      .insertInto('calendar_days')
      .values({ date: change.date, kind, name })
      .onConflict((oc) => oc.column('date').doUpdateSet({ kind, name }))
      .execute();
  }
  await calendarChanged(ctx);
}
