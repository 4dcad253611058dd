import { invalid } from '../errors.ts';
import type { Db } from '../store/store.ts';
import type { CalendarDayKind } from './tables.ts';

/**
 * China's working-day calendar: weekends off, the statutory holidays of the State Council's yearly notice off,
 * the 调休 make-up days on. Every statutory period of the 政府信息公开条例 (Art. 30, 32, 33) and the short periods
 * of the 行政处罚法 (Art. 85) count in these working days.
 */
export interface WorkingDayCalendar {
  isWorkingDay(ymd: string): boolean;
  /** The Nth working day after fromYmd; fromYmd itself is not counted (n = 0 gives fromYmd; n < 0 counts back). */
  addWorkingDays(fromYmd: string, n: number): string;
  /** Working days after fromYmd, up to and including toYmd (negative when toYmd is before fromYmd). */
  countWorkingDays(fromYmd: string, toYmd: string): number;
  /** A Chinese sentence on what lies in (fromYmd, toYmd]: holidays skipped, make-up days worked, the count. */
  explainRange?(fromYmd: string, toYmd: string): string;
}

export interface HolidaySpan {
  /** The holidays of a run of consecutive days off (2025: 国庆节 and 中秋 share one break). */
  names: string[];
  from: string;
  to: string;
  /** Of those days, how many would have been working days without the holiday. */
  weekdays: number;
}

export interface RangeDescription {
  from: string;
  to: string;
  workingDays: number;
  holidays: HolidaySpan[];
  makeUpDays: { date: string; name: string | null }[];
  /** Years in the range whose official calendar is not loaded: there, only weekends are off. */
  uncoveredYears: number[];
}

/** The calendar as loaded from the tables: the interface above plus what explanations need. */
export interface LoadedCalendar extends WorkingDayCalendar {
  explainRange(fromYmd: string, toYmd: string): string;
  /** Whether the official calendar of the day's year is loaded (false: weekends only, flag a warning). */
  covers(ymd: string): boolean;
  coveredYears(): number[];
  /** The exception recorded for a day, if any. */
  dayKind(ymd: string): { kind: CalendarDayKind; name: string | null } | null;
  describeRange(fromYmd: string, toYmd: string): RangeDescription;
  /** Changes whenever the tables change. */
  readonly revision: string;
}

const DAY_MS = 86_400_000;
const ymdPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number since 1970-01-01 (UTC), refusing anything that is not a real YYYY-MM-DD date. */
export function dayNumber(ymd: string, field = 'date'): number {
  const m = ymdPattern.exec(ymd);
  if (m) {
    const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    const n = ms / DAY_MS;
    if (fromDayNumber(n) === ymd) return n;
  }
  throw invalid([{ field, reason: '日期格式应为 YYYY-MM-DD' }], `日期不正确：${ymd}`);
}

export const fromDayNumber = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

export const isYmd = (s: string): boolean => {
  const m = ymdPattern.exec(s);
  return !!m && fromDayNumber(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS) === s;
};

/** 2026年2月3日 */
export function chineseDate(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** Plain calendar-day arithmetic on YYYY-MM-DD. */
export const addCalendarDays = (ymd: string, n: number): string => fromDayNumber(dayNumber(ymd) + n);

// 1970-01-01 was a Thursday: weekday 0 = Sunday … 6 = Saturday.
const weekday = (day: number) => (((day + 4) % 7) + 7) % 7;

export function buildCalendar(
  days: readonly { date: string; kind: CalendarDayKind; name: string | null }[],
  years: readonly number[],
  revision: string,
): LoadedCalendar {
  const exceptions = new Map<number, { kind: CalendarDayKind; name: string | null }>();
  for (const d of days) exceptions.set(dayNumber(d.date), { kind: d.kind, name: d.name });
  const covered = new Set(years);

  const working = (day: number): boolean => {
    const e = exceptions.get(day);
    if (e) return e.kind === 'workday';
    const w = weekday(day);
    return w !== 0 && w !== 6;
  };

  const add = (fromYmd: string, n: number): string => {
    if (!Number.isInteger(n)) throw invalid([{ field: 'add', reason: '工作日数应为整数' }]);
    if (Math.abs(n) > 100_000) throw invalid([{ field: 'add', reason: '工作日数过大' }]);
    let day = dayNumber(fromYmd, 'from');
    const step = n < 0 ? -1 : 1;
    let left = Math.abs(n);
    while (left > 0) {
      day += step;
      if (working(day)) left--;
    }
    return fromDayNumber(day);
  };

  const count = (fromYmd: string, toYmd: string): number => {
    const a = dayNumber(fromYmd, 'from');
    const b = dayNumber(toYmd, 'to');
    if (b < a) return -count(toYmd, fromYmd);
    if (b - a > 40_000) throw invalid([{ field: 'to', reason: '日期范围过大' }]);
    let n = 0;
    for (let day = a + 1; day <= b; day++) if (working(day)) n++;
    return n;
  };

  const describeRange = (fromYmd: string, toYmd: string): RangeDescription => {
    const a = dayNumber(fromYmd, 'from');
    const b = dayNumber(toYmd, 'to');
    const holidays: HolidaySpan[] = [];
    const makeUpDays: { date: string; name: string | null }[] = [];
    const uncovered = new Set<number>();
    let workingDays = 0;
    let open: HolidaySpan | null = null;
    for (let day = a + 1; day <= b; day++) {
      const ymd = fromDayNumber(day);
      const year = Number(ymd.slice(0, 4));
      if (!covered.has(year)) uncovered.add(year);
      const e = exceptions.get(day);
      if (working(day)) workingDays++;
      if (e?.kind === 'holiday') {
        const w = weekday(day);
        const weekdayLost = w !== 0 && w !== 6 ? 1 : 0;
        const name = e.name ?? '节假日';
        if (open && dayNumber(open.to) === day - 1) {
          open.to = ymd;
          open.weekdays += weekdayLost;
          if (!open.names.includes(name)) open.names.push(name);
        } else {
          open = { names: [name], from: ymd, to: ymd, weekdays: weekdayLost };
          holidays.push(open);
        }
      } else if (e?.kind === 'workday') {
        makeUpDays.push({ date: ymd, name: e.name });
      }
    }
    return {
      from: fromYmd,
      to: toYmd,
      workingDays,
      holidays,
      makeUpDays,
      uncoveredYears: [...uncovered].sort(),
    };
  };

  const explainRange = (fromYmd: string, toYmd: string): string => {
    const d = describeRange(fromYmd, toYmd);
    const head = `${chineseDate(fromYmd)}（不含当日）至${chineseDate(toYmd)}共${d.workingDays}个工作日`;
    return [head, ...rangeClauses(d)].join('；');
  };

  return {
    revision,
    isWorkingDay: (ymd) => working(dayNumber(ymd)),
    addWorkingDays: add,
    countWorkingDays: count,
    explainRange,
    describeRange,
    covers: (ymd) => covered.has(Number(ymd.slice(0, 4))),
    coveredYears: () => [...covered].sort((x, y) => x - y),
    dayKind: (ymd) => exceptions.get(dayNumber(ymd)) ?? null,
  };
}

const shortDate = (ymd: string) => `${Number(ymd.slice(5, 7))}月${Number(ymd.slice(8, 10))}日`;

const span = (h: HolidaySpan) =>
  h.from === h.to ? shortDate(h.from) : `${shortDate(h.from)}至${shortDate(h.to)}`;

/** ["春节放假（2月15日至2月23日）不计", "2月14日、2月28日调休上班计入"]: what a deadline explanation adds. */
export function rangeClauses(d: RangeDescription): string[] {
  const parts: string[] = [];
  const off = d.holidays.filter((h) => h.weekdays > 0);
  if (off.length) parts.push(`${off.map((h) => `${h.names.join('、')}放假（${span(h)}）`).join('、')}不计`);
  if (d.makeUpDays.length) parts.push(`${d.makeUpDays.map((m) => shortDate(m.date)).join('、')}调休上班计入`);
  if (d.uncoveredYears.length)
    parts.push(`注意：${d.uncoveredYears.join('、')}年的法定节假日安排尚未录入，暂按周末休息计算`);
  return parts;
}

/** Explain "N working days from D": the period, what it skipped, and the day it ends. */
export function explainAddWorkingDays(cal: LoadedCalendar, fromYmd: string, n: number): string {
  const end = cal.addWorkingDays(fromYmd, n);
  const head = `自${chineseDate(fromYmd)}（不含当日）起${n}个工作日，至${chineseDate(end)}`;
  return [head, ...rangeClauses(cal.describeRange(fromYmd, end))].join('；');
}

// ---- loading, with a cache keyed by the tables' revision ----

const cache = new Map<string, LoadedCalendar>();
const cacheLimit = 8;

async function readRevision(db: Db): Promise<string> {
  const row = await db
    .selectFrom('calendar_meta')
    .select('value')
    .where('key', '=', 'revision')
    .executeTakeFirst();
  return row?.value ?? 'none';
}

/**
 * The calendar from the tables. Cached: one small read checks the revision, which every change replaces with
 * a fresh random id — so a cached copy is never stale, also when another process changed the table, and two
 * databases never share a cache entry.
 */
export async function loadCalendar(db: Db): Promise<LoadedCalendar> {
  const revision = await readRevision(db);
  const hit = cache.get(revision);
  if (hit && revision !== 'none') return hit;
  const [days, years] = await Promise.all([
    db.selectFrom('calendar_days').select(['date', 'kind', 'name']).execute(),
    db.selectFrom('calendar_years').select('year').execute(),
  ]);
  const cal = buildCalendar(
    days,
    years.map((y) => Number(y.year)),
    revision,
  );
  if (cache.size >= cacheLimit) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(revision, cal);
  return cal;
}
