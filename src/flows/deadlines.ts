import { chineseDate, explainAddWorkingDays, type LoadedCalendar } from '../calendar/calendar.ts';
import { endOfChinaDay } from './durations.ts';

/** What a timer row keeps of how its due date was reached. */
export interface TimerFacts {
  due_at: string;
  created_at: string;
  working_days: number | null;
  from_day: string | null;
}

const chinaOffsetMs = 8 * 3600_000;

/** 2025年9月30日10时00分 (China time, UTC+8). */
function chinaDateTime(iso: string): string {
  const t = new Date(Date.parse(iso) + chinaOffsetMs).toISOString();
  return `${chineseDate(t.slice(0, 10))}${Number(t.slice(11, 13))}时${t.slice(14, 16)}分`;
}

function spanWords(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}日`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}小时`;
  return `${Math.round(ms / 60_000)}分钟`;
}

/**
 * A deadline explains itself (issue 3 item 6): a working-day period names its first day (not counted), the
 * holidays it skipped and the make-up days it counted, and the day it ends; a calendar period names its start,
 * its length and its end. The explanation is computed from the timer row and today's calendar, so it follows a
 * calendar change that moved the deadline.
 */
export function explainDeadline(cal: LoadedCalendar, t: TimerFacts): string {
  if (t.working_days !== null && t.from_day !== null) {
    const last = cal.addWorkingDays(t.from_day, t.working_days);
    const ends =
      endOfChinaDay(last).toISOString() === t.due_at
        ? `${chineseDate(last)}24时届满`
        : `${chinaDateTime(t.due_at)}届满`;
    return `${explainAddWorkingDays(cal, t.from_day, t.working_days)}；${ends}（北京时间）`;
  }
  const span = Date.parse(t.due_at) - Date.parse(t.created_at);
  return `自${chinaDateTime(t.created_at)}起${spanWords(span)}（按自然日计算），至${chinaDateTime(t.due_at)}届满（北京时间）`;
}
