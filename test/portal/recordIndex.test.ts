import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { type Context, inTransaction } from '../../src/context.ts';
import { type BulkRecord, recordBulkImporter } from '../../src/disclosure/commands/recordBulkImporter.ts';
import { decidedRecordPublisher, recordWithdrawer } from '../../src/disclosure/commands/recordReview.ts';
import { recordUpdater } from '../../src/disclosure/commands/recordUpdater.ts';
import { type Stage, stages } from '../../src/disclosure/tables.ts';
import { syncRecordIndex } from '../../src/portal/recordIndex.ts';
import { search } from '../../src/search/searchIndex.ts';
import type { Store } from '../../src/store/store.ts';
import { smallDistrict } from '../disclosure/fixtures.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

type Ids = Awaited<ReturnType<typeof smallDistrict>>;

/** n records; with `mixed`, every 7th is 依申请公开 and every 5th not yet published (the follower skips both). */
function rows(ids: Ids, n: number, tag: string, mixed = true): BulkRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    title: `关于${tag}第${i}号房屋征收项目补偿方案的公告`,
    summary: `${tag}第${i}号项目的征收范围和补偿标准。`,
    origin: 'produced' as const,
    formedOn: '2024-05-06',
    attribute: mixed && i % 7 === 3 ? ('onRequest' as const) : ('proactive' as const),
    disclosingUnitId: i % 2 ? 'oh-zsb' : 'oh-zjj',
    areaId: ids.areaId,
    subAreaId: i % 4 < 2 ? ids.subAreaId : null,
    dutyId: i % 3 === 0 ? ids.dutyId : null,
    stage: stages[i % 5] as Stage,
    body: `征收补偿资金在签约后二十个工作日内拨付。项目编号${tag}${i}。`,
    channels: ['政府网站'],
    publishedOn: mixed && i % 5 === 4 ? null : '2024-05-10',
  }));
}

/** Import with the clock at `at` (every row of one import carries that updated_at), search left for later. */
async function importAt(ctx: Context, input: BulkRecord[], at?: string) {
  const c = at ? { ...ctx, now: () => new Date(at) } : ctx;
  const res = await inTransaction(c, (t) => recordBulkImporter(t, input, { index: false }));
  return res.records.map((r) => r.id);
}

const indexedIds = async (ts: TestStore) =>
  new Set((await ts.store.db.selectFrom('search_docs').select('id').execute()).map((r) => r.id));
const publicIds = async (ts: TestStore) =>
  new Set(
    (
      await ts.store.db
        .selectFrom('records')
        .select('id')
        .where('publish_state', '=', 'published')
        .where('attribute', '=', 'proactive')
        .execute()
    ).map((r) => r.id),
  );
const watermark = async (ts: TestStore) =>
  (await ts.store.db.selectFrom('search_sync').select('watermark').executeTakeFirst())?.watermark;
/** The records in the follower's order, (updated_at, id). */
const inOrder = async (ts: TestStore) =>
  ts.store.db
    .selectFrom('records')
    .select(['id', 'updated_at'])
    .orderBy('updated_at')
    .orderBy('id')
    .execute();

for (const backend of backendNames) {
  describe(`the portal's search follower [${backend}]`, () => {
    let ts: TestStore;
    let ids: Ids;
    beforeEach(async () => {
      ts = await freshStore(backend);
      ids = await smallDistrict(ts.ctx);
    });
    afterEach(async () => {
      await ts.dispose();
    });

    test('one sync makes a bulk import of thousands searchable, though they all share one updated_at', async () => {
      const imported = await importAt(ts.ctx, rows(ids, 2600, '甲'));
      assert.equal(new Set((await inOrder(ts)).map((r) => r.updated_at)).size, 1, 'one updated_at');
      assert.equal((await search(ts.ctx, '补偿方案')).total, 0, 'nothing indexed by the import');
      const read = await syncRecordIndex(ts.ctx);
      assert.equal(read, 2600);
      const expected = await publicIds(ts);
      assert.ok(expected.size > 1500 && expected.size < 2600, `${expected.size} public of 2600`);
      assert.deepEqual(await indexedIds(ts), expected);
      assert.equal((await search(ts.ctx, '补偿方案')).total, expected.size);
      // The last record read, in (updated_at, id) order, is the watermark.
      const last = (await inOrder(ts)).at(-1);
      assert.equal(await watermark(ts), `${last?.updated_at} ${last?.id}`);
      assert.equal(imported.length, 2600);
    });

    test('batch boundaries inside and at the end of a run of equal updated_at skip nothing', async () => {
      // Batches of 4 over 3 + 5 + 2 records: the first batch ends inside the second run, the second at its end.
      await importAt(ts.ctx, rows(ids, 3, '乙', false), '2025-03-01T01:00:00.000Z');
      await importAt(ts.ctx, rows(ids, 5, '丙', false), '2025-03-01T02:00:00.000Z');
      await importAt(ts.ctx, rows(ids, 2, '丁', false), '2025-03-01T03:00:00.000Z');
      const order = await inOrder(ts);
      assert.equal(await syncRecordIndex(ts.ctx, { batch: 4 }), 10);
      assert.deepEqual(await indexedIds(ts), new Set(order.map((r) => r.id)));
      assert.equal((await search(ts.ctx, '补偿方案')).total, 10);
      assert.equal(await watermark(ts), `2025-03-01T03:00:00.000Z ${order.at(-1)?.id}`);
      // The watermark is exact: the next sync reads nothing again.
      assert.equal(await syncRecordIndex(ts.ctx, { batch: 4 }), 0);
      // Records stamped with the watermark's very updated_at after it was written (later ids) are not skipped.
      await importAt(ts.ctx, rows(ids, 2, '庚', false), '2025-03-01T03:00:00.000Z');
      assert.equal(await syncRecordIndex(ts.ctx, { batch: 4 }), 2);
      assert.equal((await search(ts.ctx, '补偿方案')).total, 12);
      // A watermark of a bare updated_at (bench/generate.ts writes one) means "up to and including" it.
      await ts.store.db.updateTable('search_sync').set({ watermark: '2025-03-01T02:00:00.000Z' }).execute();
      assert.equal(
        await syncRecordIndex(ts.ctx, { batch: 4 }),
        4,
        'only the records after 02:00 are read again',
      );
    });

    test('a crash in the middle neither skips nor loses a record: the watermark moves with its batch', async () => {
      await importAt(ts.ctx, rows(ids, 12, '戊', false), '2025-03-01T01:00:00.000Z');
      const order = await inOrder(ts);
      // The second batch's transaction fails after its work: its documents and its watermark roll back together.
      let transactions = 0;
      const flaky: Store = {
        ...ts.store,
        transaction: (fn) =>
          ts.store.transaction(async (trx) => {
            const out = await fn(trx);
            transactions += 1;
            if (transactions === 2) throw new Error('the process died');
            return out;
          }),
      };
      await assert.rejects(syncRecordIndex({ ...ts.ctx, store: flaky }, { batch: 5 }), /the process died/);
      assert.deepEqual(await indexedIds(ts), new Set(order.slice(0, 5).map((r) => r.id)));
      assert.equal(await watermark(ts), `2025-03-01T01:00:00.000Z ${order[4]?.id}`);
      assert.equal(await syncRecordIndex(ts.ctx, { batch: 5 }), 7, 'the run resumes after the first batch');
      assert.deepEqual(await indexedIds(ts), new Set(order.map((r) => r.id)));
      assert.equal((await search(ts.ctx, '补偿方案')).total, 12);
    });

    test('a record changed after a sync is indexed again: in place, withdrawn, edited and published again', async () => {
      const [a, b] = await importAt(ts.ctx, rows(ids, 6, '己', false));
      assert.ok(a && b);
      await syncRecordIndex(ts.ctx);
      const seqOf = async (id: string) =>
        (await ts.store.db.selectFrom('search_docs').select('seq').where('id', '=', id).executeTakeFirst())
          ?.seq;
      const seqB = await seqOf(b);
      assert.equal((await search(ts.ctx, '补偿方案')).total, 6);

      // In place (a correction written straight into the row): the document is replaced, under the same key.
      await ts.store.db
        .updateTable('records')
        .set({ title: '关于白鹭湾安置小区分房结果的公示', updated_at: new Date().toISOString() })
        .where('id', '=', b)
        .execute();
      await syncRecordIndex(ts.ctx);
      assert.deepEqual(
        (await search(ts.ctx, '安置小区')).hits.map((h) => h.id),
        [b],
      );
      assert.equal((await search(ts.ctx, '补偿方案')).total, 5, 'the old title is no longer found');
      assert.equal(await seqOf(b), seqB);
      assert.equal((await indexedIds(ts)).size, 6);

      // Withdrawn: out of the index.
      await inTransaction(ts.ctx, (c) => recordWithdrawer(c, a, '内容需要更正'));
      await syncRecordIndex(ts.ctx);
      assert.equal((await search(ts.ctx, '补偿方案')).total, 4);
      assert.equal((await indexedIds(ts)).has(a), false);

      // Edited and published again: back, with the new text.
      const row = await ts.store.db
        .selectFrom('records')
        .selectAll()
        .where('id', '=', a)
        .executeTakeFirstOrThrow();
      await inTransaction(ts.ctx, async (c) => {
        await recordUpdater(c, a, {
          title: '关于更正第0号房屋征收项目危房鉴定结果的公告',
          summary: row.summary,
          origin: row.origin,
          formedOn: row.formed_on,
          attribute: row.attribute,
          body: row.body,
          channels: ['政府网站'],
        });
        await decidedRecordPublisher(c, a, '更正后重新发布');
      });
      await syncRecordIndex(ts.ctx);
      assert.deepEqual(
        (await search(ts.ctx, '危房鉴定')).hits.map((h) => h.id),
        [a],
      );
      assert.equal((await indexedIds(ts)).size, 6);
    });
  });
}
