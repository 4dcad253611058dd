import type { Context } from '../../context.ts';
import { invalid } from '../../errors.ts';
import { nowIso } from '../../ids.ts';
import { isYmd } from '../calendar.ts';
import { calendarChanged } from '../changes.ts';
import { type CalendarDayInput, chineseDaysRows } from '../chineseDays.ts';

/**
 * Replace one year's holidays and make-up days, e.g. when the State Council announces next year's
 * arrangement (usually in November). The year then counts as covered: no more weekends-only warning.
 */
export async function calendarYearImporter(
  ctx: Context,
  year: number,
  days: CalendarDayInput[],
  source: string,
): Promise<{ year: number; holidays: number; workdays: number }> {
  if (!Number.isInteger(year) || year < 1990 || year > 2100)
    throw invalid([{ field: 'year', reason: '年份不正确' }]);
  const bad = days.findIndex((d) => !isYmd(d.date) || Number(d.date.slice(0, 4)) !== year);
  if (bad >= 0) throw invalid([{ field: `days.${bad}.date`, reason: `日期应为 ${year} 年的 YYYY-MM-DD` }]);
  const seen = new Set<string>();
  for (const [i, d] of days.entries()) {
    if (seen.has(d.date)) throw invalid([{ field: `days.${i}.date`, reason: '日期重复' }]);
    seen.add(d.date);
  }
  await ctx.db
    .deleteFrom('calendar_days')
    .where('date', '>=', `${year}-01-01`)
    .where('date', '<=', `${year}-12-31`)
    .execute();
  await insertDays(ctx, days);
  await ctx.db
    .insertInto('calendar_years')
    .values({ year, source, updated_at: nowIso(ctx.now()) })
    .onConflict((oc) => oc.column('year').doUpdateSet({ source, updated_at: nowIso(ctx.now()) }))
    .execute();
  await calendarChanged(ctx);
  return {
    year,
    holidays: days.filter((d) => d.kind === 'holiday').length,
    workdays: days.filter((d) => d.kind === 'workday').length,
  };
}

/** Re-import a year from the bundled `chinese-days` data (after upgrading the package). */
export function calendarYearFromPackage(ctx: Context, year: number) {
  const rows = chineseDaysRows(year, year);
  if (!rows.length) throw invalid([{ field: 'year', reason: `内置数据不含 ${year} 年的节假日安排` }]);
  return calendarYearImporter(ctx, year, rows, 'chinese-days');
}

async function insertDays(ctx: Context, days: CalendarDayInput[]): Promise<void> {
  for (let i = 0; i < days.length; i += 200) {
    const chunk = days.slice(i, i + 200);
    if (chunk.length)
      await ctx.db
        .insertInto('calendar_days')
        .values(chunk.map((d) => ({ date: d.date, kind: d.kind, name: d.name })))
        .execute();
  }
}
