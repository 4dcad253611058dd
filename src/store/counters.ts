import type { Db } from './store.ts';

export interface CounterTables {
  counters: { scope: string; value: number };
}

/**
 * Next value of a named counter, inside the caller's transaction. The UPDATE takes the row lock on PostgreSQL
 * and the write lock on SQLite, so concurrent callers are serialised; a rolled-back transaction gives its
 * value back. The sequence therefore has neither gaps nor duplicates — what index-number serials need.
 */
export async function nextCounterValue(db: Db, scope: string): Promise<number> {
  await db
    .insertInto('counters')
    .values({ scope, value: 0 })
    .onConflict((oc) => oc.column('scope').doNothing())
    .execute();
  const row = await db
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('scope', '=', scope)
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/**
 * Reserve `count` consecutive values of a named counter in ONE update, inside the caller's transaction; returns
 * the first (the range is first … first + count − 1). Same locking as nextCounterValue — the UPDATE holds the
 * row (PostgreSQL) or the write lock (SQLite) until the transaction ends, and a rollback returns the whole range
 * — so concurrent reservations and single draws interleave without gaps or duplicates. Bulk imports use it to
 * number thousands of records with one statement per scope instead of one per record.
 */
export async function reserveCounterRange(db: Db, scope: string, count: number): Promise<number> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`counter range must be ≥ 1, got ${count}`);
  await db
    .insertInto('counters')
    .values({ scope, value: 0 })
    .onConflict((oc) => oc.column('scope').doNothing())
    .execute();
  const row = await db
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', count) }))
    .where('scope', '=', scope)
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value) - count + 1;
}
