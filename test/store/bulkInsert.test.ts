import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inTransaction } from '../../src/context.ts';
import { indexDocuments, search } from '../../src/search/searchIndex.ts';
import { insertRows, type Row } from '../../src/store/bulkInsert.ts';
import { postgresHooks } from '../../src/store/postgresStore.ts';
import { sqliteHooks } from '../../src/store/sqliteStore.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

describe('valuesPlaceholders', () => {
  test('SQLite: anonymous ? in row groups', () => {
    assert.equal(sqliteHooks.valuesPlaceholders(3, 2), '(?,?,?),(?,?,?)');
    assert.equal(sqliteHooks.valuesPlaceholders(1, 1), '(?)');
  });
  test('PostgreSQL: $1 … $n numbered row by row', () => {
    assert.equal(postgresHooks.valuesPlaceholders(3, 2), '($1,$2,$3),($4,$5,$6)');
    assert.equal(postgresHooks.valuesPlaceholders(2, 1), '($1,$2)');
  });
  test('the parameter limits are the databases’ own', () => {
    assert.equal(sqliteHooks.maxParameters, 32_766);
    assert.equal(postgresHooks.maxParameters, 65_535);
  });
});

for (const backend of backendNames) {
  describe(`insertRows [${backend}]`, () => {
    let ts: TestStore;
    before(async () => {
      ts = await freshStore(backend);
    });
    after(() => ts.dispose());

    test('more rows than one statement may bind: every row arrives once, with its values', async () => {
      // counters has 2 columns: 40,000 rows are 80,000 parameters, past both limits (several statements).
      const rows: Row<'counters'>[] = Array.from({ length: 40_000 }, (_, i) => ({
        scope: `bulk-${i}`,
        value: i * 3,
      }));
      await inTransaction(ts.ctx, (c) => insertRows(c.db, c.store.hooks, 'counters', rows));
      const got = await ts.store.db
        .selectFrom('counters')
        .select(['scope', 'value'])
        .where('scope', 'like', 'bulk-%')
        .execute();
      assert.equal(got.length, 40_000);
      const byScope = new Map(got.map((r) => [r.scope, Number(r.value)]));
      for (const i of [0, 1, 16_382, 16_383, 16_384, 32_766, 32_767, 32_768, 39_999])
        assert.equal(byScope.get(`bulk-${i}`), i * 3, `row ${i}`);
    });

    test('nulls, numbers and text with quotes and Chinese round-trip; a second call reuses the statement', async () => {
      const doc = (i: number): Row<'search_docs'> => ({
        id: `d-${i}`,
        seq: 900_000 + i,
        kind: 'record',
        url: `/records/d-${i}`,
        title: `关于"引号"和'撇号'的第${i}号通知`,
        summary: i % 2 ? null : '摘要',
        content: null,
        area: null,
        sub_area: null,
        stage: i % 2 ? 'x' : null,
        body: null,
        body_name: null,
        year: i % 2 ? 2024 : null,
        published_at: '2024-05-10T00:00:00+08:00',
        published_day: 19_853,
        updated_at: '2024-05-10T02:00:00.000Z',
      });
      await insertRows(ts.store.db, ts.store.hooks, 'search_docs', [doc(1), doc(2)]);
      await insertRows(ts.store.db, ts.store.hooks, 'search_docs', [doc(3), doc(4)]);
      const got = await ts.store.db
        .selectFrom('search_docs')
        .select(['id', 'seq', 'title', 'summary', 'stage', 'year'])
        .where('id', 'like', 'd-%')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        got.map((r) => ({ ...r, seq: Number(r.seq), year: r.year === null ? null : Number(r.year) })),
        [1, 2, 3, 4].map((i) => {
          const d = doc(i);
          return { id: d.id, seq: d.seq, title: d.title, summary: d.summary, stage: d.stage, year: d.year };
        }),
      );
    });

    test('rolled back with its transaction', async () => {
      await assert.rejects(
        inTransaction(ts.ctx, async (c) => {
          await insertRows(c.db, c.store.hooks, 'counters', [{ scope: 'rollback-1', value: 1 }]);
          throw new Error('rolled back');
        }),
      );
      const n = await ts.store.db
        .selectFrom('counters')
        .select('scope')
        .where('scope', '=', 'rollback-1')
        .execute();
      assert.equal(n.length, 0);
    });

    test('a column name that is not a plain identifier never reaches the SQL text', async () => {
      // A row built from input (or cast) could carry any key; insertRows refuses it instead of writing it.
      const bad = {
        scope: 'x',
        'value) values (1,1); drop table counters; --': 1,
      } as unknown as Row<'counters'>;
      await assert.rejects(insertRows(ts.store.db, ts.store.hooks, 'counters', [bad]), /bad column name/);
      const evil = 'counters; drop table units' as unknown as 'counters';
      await assert.rejects(
        insertRows(ts.store.db, ts.store.hooks, evil, [{ scope: 'y', value: 1 }]),
        /bad table name/,
      );
    });

    test('empty input writes nothing', async () => {
      await insertRows(ts.store.db, ts.store.hooks, 'counters', []);
    });

    test('indexDocuments over several chunks: every document searchable by its words (writeSearchWordsMany)', async () => {
      const docs = Array.from({ length: 1_234 }, (_, i) => ({
        id: `w-${i}`,
        kind: 'record',
        url: `/records/w-${i}`,
        title: i % 3 === 0 ? `关于危房改造补助的公示${i}` : `关于道路养护的通知${i}`,
        body: i % 5 === 0 ? '农村饮水安全工程' : '日常工作',
        publishedAt: '2024-05-10T00:00:00+08:00',
      }));
      await inTransaction(ts.ctx, (c) => indexDocuments(c, docs));
      assert.equal((await search(ts.ctx, '危房改造')).total, docs.filter((_, i) => i % 3 === 0).length);
      assert.equal((await search(ts.ctx, '饮水安全')).total, docs.filter((_, i) => i % 5 === 0).length);
      // Replacing words of a document already indexed still takes the one-document path.
      await inTransaction(ts.ctx, (c) =>
        indexDocuments(c, [{ ...(docs[0] as (typeof docs)[number]), title: '关于背街小巷整治的通知' }]),
      );
      assert.equal((await search(ts.ctx, '背街小巷')).total, 1);
      assert.equal((await search(ts.ctx, '危房改造')).total, docs.filter((_, i) => i % 3 === 0).length - 1);
    });
  });
}
