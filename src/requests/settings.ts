import type { Db } from '../store/store.ts';
import { type ClockSettings, defaultClockSettings } from './clock.ts';

/** Beijing date of an instant: the statutory days of the 条例 are days in China (UTC+8, no daylight saving). */
export const beijingDate = (d: Date): string =>
  new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

export interface RequestSettings {
  clock: ClockSettings;
  /** Art. 42: the 信息处理费 module is optional and off unless a region turns it on. */
  feesEnabled: boolean;
  /** Art. 44: how many different applicants asking for the same information make it a candidate. */
  repeatThreshold: number;
  /** Working days given to supplement when the notice names none (Art. 30: "合理的补正期限"). */
  defaultSupplementDays: number;
}

export const defaultSettings: RequestSettings = {
  clock: defaultClockSettings,
  feesEnabled: false,
  repeatThreshold: 3,
  defaultSupplementDays: 15,
};

const numeric: Record<string, (s: RequestSettings, v: number) => void> = {
  'clock.replyDays': (s, v) => {
    s.clock.replyDays = v;
  },
  'clock.dueSoonDays': (s, v) => {
    s.clock.dueSoonDays = v;
  },
  'clock.consultationDays': (s, v) => {
    s.clock.consultationDays = v;
  },
  repeatThreshold: (s, v) => {
    s.repeatThreshold = v;
  },
  defaultSupplementDays: (s, v) => {
    s.defaultSupplementDays = v;
  },
};

export const settingKeys = ['fees.enabled', ...Object.keys(numeric)] as const;

export async function loadSettings(db: Db): Promise<RequestSettings> {
  const rows = await db.selectFrom('info_request_settings').select(['key', 'value']).execute();
  const s: RequestSettings = { ...defaultSettings, clock: { ...defaultSettings.clock } };
  for (const r of rows) {
    if (r.key === 'fees.enabled') s.feesEnabled = r.value === '1';
    const set = numeric[r.key];
    const v = Number(r.value);
    if (set && Number.isInteger(v) && v >= 0) set(s, v);
  }
  return s;
}

export async function saveSetting(db: Db, key: string, value: string): Promise<void> {
  await db
    .insertInto('info_request_settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
