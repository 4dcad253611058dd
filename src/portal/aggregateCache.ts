import type { FastifyInstance } from 'fastify';
import type { Db } from '../store/store.ts';

/**
 * A count over every published record (per area and stage, per disclosing body, per year) walks an index of
 * all of them: 0.2–1 s at 1M records (bench/portal.ts), too slow to compute for each home or area page. One
 * value per app is kept: a write through this process forgets it (the next page recomputes, so staff see their
 * own publication counted at once); otherwise it is served for `freshMs`, then served once more while a
 * recomputation runs in the background, so no visitor waits for it. Another process's writes show within
 * `freshMs` plus one recomputation.
 */
export class AggregateCache<T> {
  private value: Promise<T> | null = null;
  private at = 0;
  private refreshing = false;

  constructor(
    private readonly load: (db: Db) => Promise<T>,
    private readonly freshMs = 30_000,
  ) {}

  get(db: Db): Promise<T> {
    const cached = this.value;
    if (!cached) return this.reload(db);
    if (Date.now() - this.at > this.freshMs && !this.refreshing) {
      this.refreshing = true;
      const next = this.load(db);
      next
        .then(() => {
          // a write may have forgotten the value meanwhile: keep the newer state of things
          if (this.value === cached) {
            this.value = next;
            this.at = Date.now();
          }
        })
        .catch(() => {})
        .finally(() => {
          this.refreshing = false;
        });
    }
    return cached;
  }

  forget(): void {
    this.value = null;
  }

  private reload(db: Db): Promise<T> {
    const value = this.load(db);
    this.value = value;
    this.at = Date.now();
    value.catch(() => {
      if (this.value === value) this.value = null;
    });
    return value;
  }
}

/** Forget the caches when this process takes a write (any request that is not a read). */
export function forgetOnWrite(app: FastifyInstance, caches: AggregateCache<unknown>[]): void {
  app.addHook('onRequest', async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS')
      for (const c of caches) c.forget();
  });
}
