import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AggregateCache } from '../../src/portal/aggregateCache.ts';
import type { Db } from '../../src/store/store.ts';

const db = {} as Db;
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('counts over every published record are computed once and refreshed behind the visitor', () => {
  test('fresh: one computation; stale: the old value at once while a new one is computed; a write: computed anew', async () => {
    let loads = 0;
    const cache = new AggregateCache(async () => ++loads, 30);
    assert.equal(await cache.get(db), 1);
    assert.equal(await cache.get(db), 1, 'fresh: no second computation');
    assert.equal(loads, 1);
    await tick(40);
    assert.equal(await cache.get(db), 1, 'stale: the old value is served without waiting');
    await tick(5);
    assert.equal(loads, 2, 'and a new one was computed behind it');
    assert.equal(await cache.get(db), 2);
    cache.forget();
    assert.equal(await cache.get(db), 3, 'after a write the next visitor waits for the new count');
  });

  test('a failed computation is not kept', async () => {
    let fail = true;
    const cache = new AggregateCache(async () => {
      if (fail) throw new Error('database busy');
      return 'ok';
    });
    await assert.rejects(cache.get(db), /database busy/);
    fail = false;
    assert.equal(await cache.get(db), 'ok');
  });
});
