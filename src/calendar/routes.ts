import { z } from 'zod';
import { inTransaction } from '../context.ts';
import { invalid } from '../errors.ts';
import { defineRoute } from '../server/route.ts';
import { explainAddWorkingDays, loadCalendar } from './calendar.ts';
import { chineseDaysYears } from './chineseDays.ts';
import { calendarDaySetter } from './commands/calendarDaySetter.ts';
import { calendarYearFromPackage, calendarYearImporter } from './commands/calendarYearImporter.ts';
import { calendarDayKinds } from './tables.ts';

const tags = ['calendar 工作日'];
const admin = ['sysadmin'] as const;
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const year = z.coerce.number().int().min(1990, '年份不正确').max(2100, '年份不正确');

/** One imported day: ours ({date, kind, name}) or the holiday-cn data set's ({date, name, isOffDay}). */
const importedDay = z.union([
  z.object({ date, kind: z.enum(calendarDayKinds), name: z.string().max(40).nullable().optional() }),
  z.object({ date, name: z.string().max(40), isOffDay: z.boolean() }),
]);

export const calendarRoutes = [
  defineRoute({
    method: 'GET',
    url: '/calendar/working-days',
    summary:
      'Working-day arithmetic: ?from&add=N → the Nth working day after from; ?from&to → working days in (from, to]',
    tags,
    access: 'public',
    query: z.object({
      from: date,
      add: z.coerce.number().int().min(-3650).max(3650).optional(),
      to: date.optional(),
    }),
    async handler({ query }, ctx) {
      const cal = await loadCalendar(ctx.db);
      if (query.add !== undefined && query.to === undefined) {
        const result = cal.addWorkingDays(query.from, query.add);
        return {
          date: result,
          explanation: explainAddWorkingDays(cal, query.from, query.add),
          covered: cal.covers(query.from) && cal.covers(result),
        };
      }
      if (query.to !== undefined && query.add === undefined) {
        return {
          count: cal.countWorkingDays(query.from, query.to),
          explanation: cal.explainRange(query.from, query.to),
          covered: cal.covers(query.from) && cal.covers(query.to),
        };
      }
      throw invalid([{ field: 'query', reason: '请给出 add 或 to 之一' }]);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/calendar/days',
    summary:
      "A year's holidays (休) and make-up working days (班), and whether the year's official calendar is loaded",
    tags,
    access: 'public',
    query: z.object({ year }),
    async handler({ query }, ctx) {
      const rows = await ctx.db
        .selectFrom('calendar_days')
        .select(['date', 'kind', 'name'])
        .where('date', '>=', `${query.year}-01-01`)
        .where('date', '<=', `${query.year}-12-31`)
        .orderBy('date')
        .execute();
      const y = await ctx.db
        .selectFrom('calendar_years')
        .select(['source', 'updated_at'])
        .where('year', '=', query.year)
        .executeTakeFirst();
      return {
        year: query.year,
        covered: !!y,
        source: y?.source ?? null,
        updatedAt: y?.updated_at ?? null,
        warning: y ? null : `${query.year}年的法定节假日安排尚未录入，期限暂按周末休息计算`,
        items: rows.map((r) => ({ date: r.date, kind: r.kind, name: r.name })),
      };
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/calendar/days/:date',
    summary: "Mark one day as a holiday or a make-up working day ('normal' removes the exception)",
    tags,
    access: admin,
    params: z.object({ date }),
    body: z.object({
      kind: z.enum([...calendarDayKinds, 'normal']),
      name: z.string().max(40).nullable().optional(),
    }),
    async handler({ params, body }, ctx) {
      await inTransaction(ctx, (c) => calendarDaySetter(c, { date: params.date, ...body }));
      const cal = await loadCalendar(ctx.db);
      return {
        date: params.date,
        workingDay: cal.isWorkingDay(params.date),
        exception: cal.dayKind(params.date),
      };
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/calendar/years/:year',
    summary: "Replace a year's holidays and make-up days (bulk import, e.g. the State Council's new notice)",
    tags,
    access: admin,
    params: z.object({ year }),
    body: z.object({
      source: z.string().min(1).max(200).default('管理员导入'),
      days: z.array(importedDay).max(400),
    }),
    handler: ({ params, body }, ctx) =>
      inTransaction(ctx, (c) =>
        calendarYearImporter(
          c,
          params.year,
          body.days.map((d) =>
            'kind' in d
              ? { date: d.date, kind: d.kind, name: d.name ?? null }
              : { date: d.date, kind: d.isOffDay ? 'holiday' : 'workday', name: d.name },
          ),
          body.source,
        ),
      ),
  }),
  defineRoute({
    method: 'POST',
    url: '/calendar/years/:year/from-package',
    summary: 'Re-import a year from the bundled chinese-days data',
    tags,
    access: admin,
    params: z.object({ year }),
    handler: ({ params }, ctx) => inTransaction(ctx, (c) => calendarYearFromPackage(c, params.year)),
  }),
  defineRoute({
    method: 'GET',
    url: '/calendar/years',
    summary: 'Years whose official calendar is loaded, and the years the bundled data knows',
    tags,
    access: 'public',
    async handler(_input, ctx) {
      const rows = await ctx.db
        .selectFrom('calendar_years')
        .select(['year', 'source', 'updated_at'])
        .orderBy('year')
        .execute();
      return {
        items: rows.map((r) => ({ year: Number(r.year), source: r.source, updatedAt: r.updated_at })),
        packageYears: chineseDaysYears(),
      };
    },
  }),
];
