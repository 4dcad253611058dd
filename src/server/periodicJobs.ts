import type { Logger } from 'pino';
import { inTransaction, systemContext } from '../context.ts';
import { requestSweeper } from '../requests/commands/requestActions.ts';
import type { Store } from '../store/store.ts';

/**
 * Work that runs on a clock rather than on a request. Each job runs in one transaction and re-checks what it
 * acts on under lock, so several app processes on one PostgreSQL database may run it at the same time.
 */
const jobs = [
  {
    // 条例 Art. 30: a request whose supplement deadline passed unanswered is closed as abandoned; the sweeper
    // also closes requests whose fee notice went unpaid (国办函〔2020〕109号).
    name: 'info-request sweeper',
    everyMs: 5 * 60_000,
    run: (store: Store) => inTransaction(systemContext(store), (ctx) => requestSweeper(ctx)),
  },
];

export function startPeriodicJobs(store: Store, log: Logger): { stop(): Promise<void> } {
  const running = new Set<Promise<unknown>>();
  const timers = jobs.map((job) => {
    const tick = () => {
      const p = job
        .run(store)
        .catch((err: unknown) => log.error({ err, job: job.name }, 'periodic job failed'))
        .finally(() => running.delete(p));
      running.add(p);
    };
    // first run soon after start: a request may have lapsed while the server was down
    const first = setTimeout(tick, 10_000);
    const every = setInterval(tick, job.everyMs);
    first.unref();
    every.unref();
    return [first, every] as const;
  });
  return {
    async stop() {
      for (const [first, every] of timers) {
        clearTimeout(first);
        clearInterval(every);
      }
      await Promise.all(running);
    },
  };
}
