import { systemContext } from '../context.ts';
import { newId, nowIso } from '../ids.ts';
import type { Store } from '../store/store.ts';
import { fireTimer } from './timerFiring.ts';

export interface TimerSchedulerOptions {
  /** The clock (tests move it). */
  now?: () => Date;
  intervalMs?: number;
  batchSize?: number;
  /** How long a claim holds; a scheduler that died leaves its claims to others after this. */
  leaseMs?: number;
  /** After this many failed firings (`attempts`) a timer is left alone, visible with its last error. */
  maxAttempts?: number;
  owner?: string;
  onError?: (err: unknown, timerId: string) => void;
}

export interface TimerScheduler {
  readonly owner: string;
  /** Claim and fire the timers due now; returns how many fired. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Claim due timers: a short transaction selects them with `skipLocked` (FOR UPDATE SKIP LOCKED on PostgreSQL)
 * and stamps them with this scheduler's name and a lease, so several app processes sharing one database
 * divide the timers among themselves instead of queueing on the same rows.
 */
export function claimDueTimers(
  store: Store,
  owner: string,
  now: Date,
  opts: { batchSize: number; leaseMs: number; maxAttempts: number },
): Promise<string[]> {
  const at = nowIso(now);
  return store.transaction(async (trx) => {
    const query = trx
      .selectFrom('timers')
      .select('id')
      .where('due_at', '<=', at)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', at)]))
      .where('attempts', '<', opts.maxAttempts)
      .orderBy('due_at')
      .limit(opts.batchSize);
    const rows = await store.hooks.skipLocked(query).execute();
    const ids = rows.map((r) => r.id);
    if (!ids.length) return [];
    await trx
      .updateTable('timers')
      .set({ claimed_by: owner, claimed_until: nowIso(new Date(now.getTime() + opts.leaseMs)) })
      .where('id', 'in', ids)
      .execute();
    return ids;
  });
}

/** The scheduler loop: started by serve(), stopped on shutdown; timers live in the table, so restarts lose none. */
export function startTimerScheduler(store: Store, options: TimerSchedulerOptions = {}): TimerScheduler {
  const now = options.now ?? (() => new Date());
  const intervalMs = options.intervalMs ?? 1000;
  const claim = {
    batchSize: options.batchSize ?? 20,
    leaseMs: options.leaseMs ?? 60_000,
    maxAttempts: options.maxAttempts ?? 10,
  };
  const owner = options.owner ?? `sched-${newId()}`;
  let stopped = false;
  let handle: NodeJS.Timeout | null = null;
  let current: Promise<unknown> = Promise.resolve();

  const runOnce = async (): Promise<number> => {
    const ids = await claimDueTimers(store, owner, now(), claim);
    let fired = 0;
    for (const id of ids) {
      if (stopped) break;
      const ctx = { ...systemContext(store), now };
      try {
        if (await fireTimer(ctx, id, owner)) fired++;
      } catch (err) {
        options.onError?.(err, id);
        // the claim stays until its lease ends, so the retry comes later, not in a tight loop
        await store.db
          .updateTable('timers')
          .set((eb) => ({
            attempts: eb('attempts', '+', 1),
            last_error: String(err instanceof Error ? err.message : err).slice(0, 1000),
          }))
          .where('id', '=', id)
          .execute()
          .catch(() => undefined);
      }
    }
    return fired;
  };

  const tick = () => {
    handle = null;
    if (stopped) return;
    current = (async () => {
      try {
        while (!stopped && (await runOnce()) >= claim.batchSize) {
          // a full batch: more may be due, go on without waiting
        }
      } catch (err) {
        options.onError?.(err, '');
      }
    })().finally(() => {
      if (!stopped) handle = setTimeout(tick, intervalMs);
    });
  };
  handle = setTimeout(tick, intervalMs);

  return {
    owner,
    runOnce,
    async stop() {
      stopped = true;
      if (handle) clearTimeout(handle);
      await current;
    },
  };
}
