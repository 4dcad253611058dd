import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildCalendar, fromDayNumber, loadCalendar } from '../../src/calendar/calendar.ts';
import { onCalendarChanged } from '../../src/calendar/changes.ts';
import { chineseDaysRows } from '../../src/calendar/chineseDays.ts';
import { signIn, testApp } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

const years = Array.from({ length: 10 }, (_, i) => 2017 + i);
const official = buildCalendar(chineseDaysRows(2017, 2026), years, 'test');

describe('the official calendar as data (no database)', () => {
  test("2026's make-up days (01-04, 02-14, 02-28, 05-09, 09-20, 10-10) are working days", () => {
    for (const d of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'])
      assert.equal(official.isWorkingDay(d), true, d);
    // an ordinary weekend stays off
    assert.equal(official.isWorkingDay('2026-03-07'), false);
  });

  test('Spring Festival 2026: 02-15 … 02-23 off, 20 working days from 02-10 end on 03-16', () => {
    for (let d = 15; d <= 23; d++) assert.equal(official.isWorkingDay(`2026-02-${d}`), false, `02-${d}`);
    assert.equal(official.addWorkingDays('2026-02-13', 1), '2026-02-14'); // the make-up Saturday
    assert.equal(official.addWorkingDays('2026-02-14', 1), '2026-02-24');
    assert.equal(official.addWorkingDays('2026-02-10', 20), '2026-03-16');
    assert.equal(official.countWorkingDays('2026-02-10', '2026-03-16'), 20);
    const text = official.explainRange('2026-02-10', '2026-03-16');
    assert.match(text, /春节放假（2月15日至2月23日）不计/);
    assert.match(text, /2月14日、2月28日调休上班计入/);
  });

  test('National Day 2025 shares its break with 中秋; Sunday 09-28 and Saturday 10-11 are worked', () => {
    assert.equal(official.addWorkingDays('2025-09-26', 1), '2025-09-28');
    assert.equal(official.addWorkingDays('2025-09-30', 1), '2025-10-09');
    assert.equal(official.addWorkingDays('2025-09-26', 20), '2025-10-30');
    assert.match(
      official.explainRange('2025-09-26', '2025-10-30'),
      /国庆节、中秋放假（10月1日至10月8日）不计/,
    );
  });

  test('year boundaries: 2025-12-31 + 1 is Sunday 2026-01-04; beyond 2026 only weekends, with a warning', () => {
    assert.equal(official.addWorkingDays('2025-12-31', 1), '2026-01-04');
    assert.equal(official.countWorkingDays('2025-12-31', '2026-01-04'), 1);
    assert.equal(official.addWorkingDays('2026-12-31', 1), '2027-01-01');
    assert.equal(official.covers('2027-01-01'), false);
    assert.match(official.explainRange('2026-12-30', '2027-01-05'), /2027年的法定节假日安排尚未录入/);
    // 2019-12-31 → 2020: 元旦 01-01 off, then Thu 01-02
    assert.equal(official.addWorkingDays('2019-12-31', 1), '2020-01-02');
  });

  test('counting backwards and n = 0', () => {
    assert.equal(official.addWorkingDays('2026-02-24', -1), '2026-02-14');
    assert.equal(official.addWorkingDays('2026-02-24', 0), '2026-02-24');
    assert.equal(official.countWorkingDays('2026-03-16', '2026-02-10'), -20);
  });

  test('bad dates are refused with the field named', () => {
    assert.throws(() => official.addWorkingDays('2026-02-30', 1), /日期不正确/);
    assert.throws(() => official.countWorkingDays('2026-01-01', '26-1-2'), /日期不正确/);
  });

  const day = fc.integer({ min: 17_167, max: 20_800 }).map(fromDayNumber); // 2017-01-01 … 2026-12-12

  test('property: add then count round-trips, and the result is a working day', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 60 }), (from, n) => {
        const end = official.addWorkingDays(from, n);
        assert.equal(official.countWorkingDays(from, end), n);
        if (n > 0) assert.equal(official.isWorkingDay(end), true);
        // no earlier day reaches n: the Nth working day is the first such day
        if (n > 0) assert.equal(official.countWorkingDays(from, fromDayNumber(dayNum(end) - 1)), n - 1);
      }),
      { numRuns: 500 },
    );
  });

  test('property: count is additive over a split and add(from, count(from, to)) never passes to', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 90 }), (a, x, y) => {
        const b = fromDayNumber(dayNum(a) + x);
        const c = fromDayNumber(dayNum(b) + y);
        assert.equal(
          official.countWorkingDays(a, c),
          official.countWorkingDays(a, b) + official.countWorkingDays(b, c),
        );
        const back = official.addWorkingDays(a, official.countWorkingDays(a, c));
        assert.ok(back <= c);
        if (official.isWorkingDay(c) && c > a) assert.equal(back, c);
      }),
      { numRuns: 300 },
    );
  });
});

const dayNum = (ymd: string) => Date.parse(`${ymd}T00:00:00Z`) / 86_400_000;

for (const backend of backendNames) {
  describe(`calendar tables and API [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    before(async () => {
      ts = await freshStore(backend);
      app = await testApp(ts);
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('a new database holds 2017–2026 from chinese-days', async () => {
      const cal = await loadCalendar(ts.store.db);
      assert.deepEqual(cal.coveredYears(), years);
      assert.equal(cal.isWorkingDay('2026-10-10'), true);
      assert.equal(cal.isWorkingDay('2026-10-05'), false);
      assert.equal(cal.isWorkingDay('2017-01-22'), true); // 2017 春节 make-up Sunday
    });

    test('GET working-days adds and counts, with an explanation', async () => {
      const add = await app.inject({ url: '/api/v1/calendar/working-days?from=2026-02-10&add=20' });
      assert.equal(add.statusCode, 200);
      const a = add.json() as { date: string; explanation: string; covered: boolean };
      assert.equal(a.date, '2026-03-16');
      assert.equal(a.covered, true);
      assert.match(a.explanation, /至2026年3月16日/);
      const count = await app.inject({ url: '/api/v1/calendar/working-days?from=2026-09-30&to=2026-10-12' });
      assert.equal((count.json() as { count: number }).count, 4); // 10-08, 10-09, Sat 10-10, 10-12
      // the day D itself is never counted: from a working Monday, 1 working day is Tuesday; from a Friday it is
      // the Monday after; counting from D to D is 0, and to the next working day is 1
      const get = async (q: string) =>
        (await app.inject({ url: `/api/v1/calendar/working-days?${q}` })).json() as {
          date?: string;
          count?: number;
          explanation: string;
        };
      assert.equal((await get('from=2026-03-02&add=1')).date, '2026-03-03');
      assert.equal((await get('from=2026-03-06&add=1')).date, '2026-03-09');
      assert.equal((await get('from=2026-03-07&add=1')).date, '2026-03-09', 'from a Saturday too');
      assert.equal((await get('from=2026-03-02&add=5')).date, '2026-03-09');
      assert.equal((await get('from=2026-03-02&to=2026-03-02')).count, 0);
      assert.equal((await get('from=2026-03-02&to=2026-03-03')).count, 1);
      assert.equal((await get('from=2026-03-02&to=2026-03-09')).count, 5, 'up to and including to');
      assert.match(
        (await get('from=2026-03-02&add=5')).explanation,
        /自2026年3月2日（不含当日）起5个工作日，至2026年3月9日/,
      );
      assert.match(
        (await get('from=2026-03-02&to=2026-03-09')).explanation,
        /（不含当日）至2026年3月9日共5个工作日/,
      );
      const bad = await app.inject({ url: '/api/v1/calendar/working-days?from=2026-13-01&add=1' });
      assert.equal(bad.statusCode, 400);
      const neither = await app.inject({ url: '/api/v1/calendar/working-days?from=2026-01-05' });
      assert.equal(neither.statusCode, 400);
    });

    test('an administrator marks a day; the cached calendar changes and the hooks run', async () => {
      const calls: string[] = [];
      const off = onCalendarChanged(`test-${backend}`, async (ctx) => {
        const cal = await loadCalendar(ctx.db);
        calls.push(String(cal.isWorkingDay('2026-06-01')));
      });
      try {
        assert.equal((await loadCalendar(ts.store.db)).isWorkingDay('2026-06-01'), true);
        const staff = await signIn(app, ts, 'staff');
        const denied = await app.inject({
          method: 'PUT',
          url: '/api/v1/calendar/days/2026-06-01',
          headers: staff.headers,
          payload: { kind: 'holiday', name: '地方假日' },
        });
        assert.equal(denied.statusCode, 403);
        const admin = await signIn(app, ts, 'sysadmin');
        const res = await app.inject({
          method: 'PUT',
          url: '/api/v1/calendar/days/2026-06-01',
          headers: admin.headers,
          payload: { kind: 'holiday', name: '地方假日' },
        });
        assert.equal(res.statusCode, 200);
        assert.equal((res.json() as { workingDay: boolean }).workingDay, false);
        assert.deepEqual(calls, ['false'], 'the hook ran inside the change and saw it');
        const add = await app.inject({ url: '/api/v1/calendar/working-days?from=2026-05-29&add=1' });
        assert.equal((add.json() as { date: string }).date, '2026-06-02');
        const list = await app.inject({ url: '/api/v1/calendar/days?year=2026' });
        const items = (list.json() as { items: { date: string; kind: string }[] }).items;
        assert.ok(items.some((i) => i.date === '2026-06-01' && i.kind === 'holiday'));
        await app.inject({
          method: 'PUT',
          url: '/api/v1/calendar/days/2026-06-01',
          headers: admin.headers,
          payload: { kind: 'normal' },
        });
        assert.equal((await loadCalendar(ts.store.db)).isWorkingDay('2026-06-01'), true);
      } finally {
        off();
      }
    });

    test('a new year is imported in bulk (holiday-cn format) and is covered from then on', async () => {
      const admin = await signIn(app, ts, 'sysadmin');
      const before = await app.inject({ url: '/api/v1/calendar/days?year=2027' });
      assert.equal((before.json() as { covered: boolean }).covered, false);
      assert.match((before.json() as { warning: string }).warning, /尚未录入/);
      const res = await app.inject({
        method: 'PUT',
        url: '/api/v1/calendar/years/2027',
        headers: admin.headers,
        payload: {
          source: '国务院办公厅通知（测试）',
          days: [
            { date: '2027-01-01', name: '元旦', isOffDay: true },
            { date: '2027-01-02', name: '元旦', isOffDay: true },
            { date: '2027-01-03', name: '元旦', isOffDay: true },
            { date: '2027-01-09', name: '元旦', isOffDay: false },
          ],
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      const add = await app.inject({ url: '/api/v1/calendar/working-days?from=2026-12-31&add=1' });
      const body = add.json() as { date: string; covered: boolean };
      assert.equal(body.date, '2027-01-04');
      assert.equal(body.covered, true);
      assert.equal((await loadCalendar(ts.store.db)).isWorkingDay('2027-01-09'), true);
      const wrongYear = await app.inject({
        method: 'PUT',
        url: '/api/v1/calendar/years/2027',
        headers: admin.headers,
        payload: { days: [{ date: '2028-01-01', kind: 'holiday', name: '元旦' }] },
      });
      assert.equal(wrongYear.statusCode, 400);
      assert.equal((wrongYear.json() as { fields: { field: string }[] }).fields[0]?.field, 'days.0.date');
    });
  });
}
