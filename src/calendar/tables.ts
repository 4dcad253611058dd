/** An exception to the weekend rule: a statutory holiday (休) or a 调休 make-up working day (班). */
export const calendarDayKinds = ['holiday', 'workday'] as const;
export type CalendarDayKind = (typeof calendarDayKinds)[number];

export interface CalendarTables {
  /** Only the exceptions are stored; every other day is a working day from Monday to Friday. */
  calendar_days: { date: string; kind: CalendarDayKind; name: string | null };
  /** The years whose State Council notice is loaded; outside them the calendar falls back to weekends only. */
  calendar_years: { year: number; source: string; updated_at: string };
  /**
   * `revision`: a fresh random id written with every change, so a cached calendar is known to be current with
   * one small read, across processes sharing the database.
   */
  calendar_meta: { key: string; value: string };
}
