/**
 * A token bucket per key (client IP and bucket name), in memory (等保 2.0 入侵防范: 限制登录和表单的暴力尝试).
 * One process, one set of buckets: behind several processes each enforces its own share, which still bounds
 * guessing; the per-account lockout (src/accounts/sessions.ts) is the durable limit.
 */
export interface RateLimitOptions {
  /** Requests allowed per minute, which is also the burst. */
  perMinute: number;
  /** Buckets kept at most; the least recently used go first (bounded memory under a spray of addresses). */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly #perMs: number;
  readonly #capacity: number;
  readonly #maxKeys: number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: RateLimitOptions) {
    this.#capacity = options.perMinute;
    this.#perMs = options.perMinute / 60_000;
    this.#maxKeys = options.maxKeys ?? 50_000;
  }

  /** Take one token; returns 0 when allowed, else the seconds until the next token. */
  take(key: string, nowMs: number = Date.now()): number {
    let bucket = this.#buckets.get(key);
    if (bucket) {
      this.#buckets.delete(key); // re-insert below: Map order is then least recently used first
      bucket.tokens = Math.min(this.#capacity, bucket.tokens + (nowMs - bucket.at) * this.#perMs);
      bucket.at = nowMs;
    } else {
      bucket = { tokens: this.#capacity, at: nowMs };
    }
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > this.#maxKeys) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.#perMs / 1000);
  }
}
