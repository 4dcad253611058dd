import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CalendarDayKind } from './tables.ts';

export interface CalendarDayInput {
  date: string;
  kind: CalendarDayKind;
  name: string | null;
}

/** The years shipped with the platform (issue 3 item 6); later years are imported by an administrator. */
export const shippedYears = { from: 2017, to: 2026 } as const;

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

let data: ChineseDaysData | null = null;

function readData(): ChineseDaysData {
  if (data) return data;
  // The package (MIT) ships its table as JSON: "2026-02-15": "Spring Festival,春节,4" (English, Chinese, days).
  const path = createRequire(import.meta.url).resolve('chinese-days/dist/chinese-days.json');
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ChineseDaysData>;
  if (!parsed.holidays || !parsed.workdays) throw new Error('chinese-days: unexpected data layout');
  data = { holidays: parsed.holidays, workdays: parsed.workdays };
  return data;
}

const chineseName = (value: string) => value.split(',')[1]?.trim() || null;

/**
 * The official holidays (休, weekends inside a holiday included) and 调休 make-up days (班) of the years asked
 * for, from the `chinese-days` package, which follows the State Council's yearly notice.
 */
export function chineseDaysRows(fromYear: number, toYear: number): CalendarDayInput[] {
  const d = readData();
  const inRange = (date: string) => {
    const y = Number(date.slice(0, 4));
    return y >= fromYear && y <= toYear;
  };
  const rows: CalendarDayInput[] = [];
  for (const [date, v] of Object.entries(d.holidays))
    if (inRange(date)) rows.push({ date, kind: 'holiday', name: chineseName(v) });
  for (const [date, v] of Object.entries(d.workdays)) {
    const n = chineseName(v);
    if (inRange(date)) rows.push({ date, kind: 'workday', name: n ? `${n}调休上班` : '调休上班' });
  }
  return rows.sort((a, b) => a.date.localeCompare(b.date));
}

/** Which years the package knows, so an administrator can re-import one from it. */
export function chineseDaysYears(): number[] {
  const d = readData();
  const years = new Set<number>();
  for (const date of Object.keys(d.holidays)) years.add(Number(date.slice(0, 4)));
  return [...years].sort((a, b) => a - b);
}
