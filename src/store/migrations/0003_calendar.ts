import { type Kysely, sql } from 'kysely';
import { chineseDaysRows, shippedYears } from '../../calendar/chineseDays.ts';
import type { CalendarTables } from '../../calendar/tables.ts';
import { newId, nowIso } from '../../ids.ts';
import type { StoreMigration } from './index.ts';

// China's working-day calendar (issue 3 item 6): only the exceptions to the weekend rule are stored, and the
// official years 2017–2026 are loaded from the `chinese-days` package here, so a new database counts
// statutory periods correctly from its first start. Administrators extend it through the API.
export const calendar: StoreMigration = {
  name: '0003_calendar',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('calendar_days')
      .addColumn('date', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday', 'workday')`))
      .addColumn('name', 'text')
      .execute();
    await db.schema
      .createTable('calendar_years')
      .addColumn('year', 'integer', (c) => c.primaryKey())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('calendar_meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    const cdb = db as unknown as Kysely<CalendarTables>;
    const rows = chineseDaysRows(shippedYears.from, shippedYears.to);
    for (let i = 0; i < rows.length; i += 200)
      await cdb
        .insertInto('calendar_days')
        .values(rows.slice(i, i + 200))
        .execute();
    const now = nowIso();
    const years = [];
    for (let y = shippedYears.from; y <= shippedYears.to; y++)
      years.push({ year: y, source: 'chinese-days', updated_at: now });
    await cdb.insertInto('calendar_years').values(years).execute();
    await cdb.insertInto('calendar_meta').values({ key: 'revision', value: newId() }).execute();
  },
};
