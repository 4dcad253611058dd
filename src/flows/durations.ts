import type { WorkingDayCalendar } from '../calendar/calendar.ts';
import { AppError } from '../errors.ts';

export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const isoPattern =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** `P7D`, `PT2H`, `P1DT12H`, `P2W`: ISO-8601 durations as timer events carry them; null when malformed. */
export function parseIsoDuration(text: string): IsoDuration | null {
  const m = isoPattern.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return null;
  const n = (i: number) => Number(m[i] ?? 0);
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

const chinaOffsetMs = 8 * 3600_000;

/** The day (YYYY-MM-DD) in China (UTC+8, no daylight saving) at an instant: working days are Chinese days. */
export const chinaDay = (at: Date): string =>
  new Date(at.getTime() + chinaOffsetMs).toISOString().slice(0, 10);

/** The instant a Chinese day ends (midnight after it, UTC+8): a period "ends on" its last day, inclusive. */
export const endOfChinaDay = (ymd: string): Date =>
  new Date(Date.parse(`${ymd}T00:00:00.000Z`) + 86_400_000 - chinaOffsetMs);

export interface DueDate {
  dueAt: Date;
  /** Set for working-day periods, so a change of the calendar can recompute the due date. */
  workingDays: number | null;
  fromDay: string | null;
}

/**
 * When a timer started at `from` is due. Calendar periods add the duration as is; a working-day period of N
 * days ends at the end of the Nth working day after the start day, the start day not counted
 * (docs/bpmn-conventions.md, Timers; issue 3 item 6).
 */
export function dueDate(
  from: Date,
  duration: IsoDuration | number,
  workingDays: boolean,
  calendar: WorkingDayCalendar | null,
): DueDate {
  const d: IsoDuration =
    typeof duration === 'number'
      ? { years: 0, months: 0, weeks: 0, days: duration, hours: 0, minutes: 0, seconds: 0 }
      : duration;
  const dayCount = d.weeks * 7 + d.days;
  if (workingDays && dayCount > 0 && d.years === 0 && d.months === 0) {
    if (!calendar) throw new AppError('calendar_missing', '工作日历未加载，无法计算工作日期限', 500);
    if (!Number.isInteger(dayCount)) throw new AppError('duration_invalid', '工作日天数应为整数', 400);
    const fromDay = chinaDay(from);
    const last = calendar.addWorkingDays(fromDay, dayCount);
    const end = endOfChinaDay(last);
    const rest = ((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000;
    return { dueAt: new Date(end.getTime() + rest), workingDays: dayCount, fromDay };
  }
  const at = new Date(from.getTime());
  if (d.years || d.months) at.setUTCMonth(at.getUTCMonth() + d.years * 12 + d.months);
  const ms = (((dayCount * 24 + d.hours) * 60 + d.minutes) * 60 + d.seconds) * 1000;
  return { dueAt: new Date(at.getTime() + ms), workingDays: null, fromDay: null };
}
