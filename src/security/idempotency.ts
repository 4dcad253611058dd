import { createHash } from 'node:crypto';
import type { Context } from '../context.ts';
import { AppError, invalid } from '../errors.ts';
import { nowIso } from '../ids.ts';
import type { Store } from '../store/store.ts';

/**
 * Idempotency keys (issue 7 item 7): a client that retries a POST after a timeout sends the same
 * `Idempotency-Key` header and gets the first answer, instead of submitting an information request twice.
 * The key is recorded in the same transaction as the work, so either both are there or neither is: a crash
 * between them cannot leave work done without its key (the retry would do it again) or a key without work.
 */

export const idempotencyHeader = 'idempotency-key';

/** JSON with sorted keys, so the same body in another key order hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function parseIdempotencyKey(raw: string | string[] | undefined): string | null {
  if (raw === undefined) return null;
  const key = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (key === '') return null;
  if (key === undefined || !/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw invalid([{ field: `headers.${idempotencyHeader}`, reason: '幂等键须为 1–200 个可见 ASCII 字符' }]);
  }
  return key;
}

export interface StoredAnswer {
  status: number;
  body: unknown;
  replayed: boolean;
}

/**
 * Run `work` once per (caller, key): inside one transaction, claim the key (a concurrent duplicate waits on
 * the claim and then sees the stored answer), do the work with a context whose store and db are that
 * transaction, and store the answer. Errors roll everything back, so a failed attempt can be retried.
 */
export async function runIdempotent(
  ctx: Context,
  input: { key: string; route: string; body: unknown; successStatus: () => number },
  work: (ctx: Context) => Promise<unknown>,
): Promise<StoredAnswer> {
  const keyHash = sha256(`${ctx.actor?.userId ?? 'public'}\n${input.key}`);
  const bodyHash = sha256(canonicalJson(input.body ?? null));
  return ctx.store.transaction(async (trx) => {
    const claimed = await trx
      .insertInto('idempotency_keys')
      .values({
        key_hash: keyHash,
        route: input.route,
        body_hash: bodyHash,
        status: 0,
        response: '',
        created_at: nowIso(ctx.now()),
      })
      .onConflict((oc) => oc.column('key_hash').doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) {
      const prior = await trx
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('key_hash', '=', keyHash)
        .executeTakeFirstOrThrow();
      if (prior.route !== input.route || prior.body_hash !== bodyHash) {
        throw new AppError('idempotency_key_reused', '该幂等键已用于另一请求，请换一个新的幂等键', 409);
      }
      return { status: prior.status, body: JSON.parse(prior.response) as unknown, replayed: true };
    }
    // nested transactions inside `work` become this one, so the work and the key commit together
    const store: Store = { ...ctx.store, db: trx, transaction: (fn) => fn(trx) };
    const body = (await work({ ...ctx, store, db: trx })) ?? null;
    const status = input.successStatus();
    await trx
      .updateTable('idempotency_keys')
      .set({ status, response: JSON.stringify(body) })
      .where('key_hash', '=', keyHash)
      .execute();
    return { status, body, replayed: false };
  });
}

/** Forget keys older than `days` (a retry comes within minutes; a day is generous). */
export async function pruneIdempotencyKeys(store: Store, now: Date, days = 7): Promise<number> {
  const res = await store.db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', nowIso(new Date(now.getTime() - days * 86_400_000)))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
