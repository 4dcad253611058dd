import type { Context } from '../context.ts';
import { forbidden, unauthenticated } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import type { Db } from '../store/store.ts';
import type { PublishState } from './tables.ts';

/**
 * Today's date in China (UTC+8, no daylight saving): a notice opens and a publish-by date passes at midnight
 * Beijing time, not at midnight UTC.
 */
export function chinaToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The year a date belongs to, for catalogue filters and the national scheme's YYYY. */
export const yearOf = (ymd: string) => Number(ymd.slice(0, 4));

/** Writes need a signed-in account; the roles allowed are checked by each route. */
export function requireActor(ctx: Context) {
  if (!ctx.actor) throw unauthenticated();
  return ctx.actor;
}

export function requireRole(ctx: Context, roles: readonly string[]) {
  const actor = requireActor(ctx);
  if (!roles.includes(actor.role)) throw forbidden();
  return actor;
}

/** Append one line to a record's history (append-only: nothing ever updates or deletes these rows). */
export async function appendHistory(
  ctx: Context,
  recordId: string,
  entry: { action: string; from?: PublishState | null; to?: PublishState | null; note?: string | null },
): Promise<void> {
  const last = await ctx.db
    .selectFrom('record_history')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('record_id', '=', recordId)
    .executeTakeFirst();
  await ctx.db
    .insertInto('record_history')
    .values({
      id: newId(),
      record_id: recordId,
      seq: Number(last?.seq ?? 0) + 1,
      at: nowIso(ctx.now()),
      actor_user_id: ctx.actor?.userId ?? null,
      actor_name: ctx.actor?.displayName ?? null,
      action: entry.action,
      from_state: entry.from ?? null,
      to_state: entry.to ?? null,
      note: entry.note ?? null,
    })
    .execute();
}

export async function replaceRecordChannels(db: Db, recordId: string, channels: string[]): Promise<void> {
  await db.deleteFrom('record_channels').where('record_id', '=', recordId).execute();
  if (channels.length)
    await db
      .insertInto('record_channels')
      .values(channels.map((channel, i) => ({ record_id: recordId, sort_order: i, channel })))
      .execute();
}

export async function replaceItemChannels(db: Db, itemId: string, channels: string[]): Promise<void> {
  await db.deleteFrom('disclosure_item_channels').where('item_id', '=', itemId).execute();
  if (channels.length)
    await db
      .insertInto('disclosure_item_channels')
      .values(channels.map((channel, i) => ({ item_id: itemId, sort_order: i, channel })))
      .execute();
}

/** Trimmed, non-empty, de-duplicated, in the order given. */
export const cleanList = (xs: readonly string[] | undefined) => [
  ...new Set((xs ?? []).map((x) => x.trim()).filter(Boolean)),
];
