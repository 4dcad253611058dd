import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inTransaction } from '../../src/context.ts';
import {
  type BulkRecord,
  indexImportedRecords,
  recordBulkImporter,
} from '../../src/disclosure/commands/recordBulkImporter.ts';
import { recordCreator } from '../../src/disclosure/commands/recordCreator.ts';
import { indexPartsFor } from '../../src/disclosure/indexIssuer.ts';
import { parseIndexNumber, serialScope } from '../../src/disclosure/indexNumber.ts';
import { type Stage, stages } from '../../src/disclosure/tables.ts';
import { AppError } from '../../src/errors.ts';
import { syncRecordIndex } from '../../src/portal/recordIndex.ts';
import { indexDocuments, search } from '../../src/search/searchIndex.ts';
import { nextCounterValue, reserveCounterRange } from '../../src/store/counters.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import { smallDistrict } from './fixtures.ts';

type Ids = Awaited<ReturnType<typeof smallDistrict>>;

/** n records spread over sub-area/none × duty/none × the five stages: 20 scopes. */
function rows(ids: Ids, n: number, tag: string, over: Partial<BulkRecord> = {}): BulkRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    title: `关于${tag}第${i}号拆迁项目的公示`,
    origin: 'produced' as const,
    formedOn: '2024-05-06',
    attribute: i % 7 === 3 ? ('onRequest' as const) : ('proactive' as const),
    disclosingUnitId: i % 2 ? 'oh-zsb' : 'oh-zjj',
    areaId: ids.areaId,
    subAreaId: i % 4 < 2 ? ids.subAreaId : null,
    dutyId: i % 3 === 0 ? ids.dutyId : null,
    stage: stages[i % 5] as Stage,
    body: `${tag}项目征收补偿方案第${i}条`,
    channels: i % 2 ? ['政府网站'] : [],
    publishedOn: i % 5 === 4 ? null : '2024-05-10',
    ...over,
  }));
}

async function serialsByScope(ts: TestStore): Promise<Map<string, number[]>> {
  const all = await ts.store.db
    .selectFrom('records')
    .select(['index_scope', 'index_serial', 'index_number'])
    .execute();
  assert.equal(new Set(all.map((r) => r.index_number)).size, all.length, 'index numbers distinct');
  const by = new Map<string, number[]>();
  for (const r of all) by.set(r.index_scope, [...(by.get(r.index_scope) ?? []), Number(r.index_serial)]);
  for (const list of by.values()) list.sort((a, b) => a - b);
  return by;
}

function assertGapless(by: Map<string, number[]>): void {
  for (const [scope, list] of by)
    assert.deepEqual(
      list,
      list.map((_, i) => i + 1),
      `serials of ${scope} are 1…n`,
    );
}

for (const backend of backendNames) {
  describe(`counters: reserveCounterRange [${backend}]`, () => {
    let ts: TestStore;
    before(async () => {
      ts = await freshStore(backend);
    });
    after(() => ts.dispose());

    test('a range starts after single draws and the next draw follows it; a rollback returns it', async () => {
      assert.equal(await inTransaction(ts.ctx, (c) => nextCounterValue(c.db, 'r1')), 1);
      assert.equal(await inTransaction(ts.ctx, (c) => reserveCounterRange(c.db, 'r1', 10)), 2);
      assert.equal(await inTransaction(ts.ctx, (c) => nextCounterValue(c.db, 'r1')), 12);
      await assert.rejects(
        inTransaction(ts.ctx, async (c) => {
          await reserveCounterRange(c.db, 'r1', 5);
          throw new Error('rolled back');
        }),
      );
      assert.equal(await inTransaction(ts.ctx, (c) => reserveCounterRange(c.db, 'r1', 3)), 13);
      assert.equal(await inTransaction(ts.ctx, (c) => reserveCounterRange(c.db, 'fresh', 4)), 1);
      await assert.rejects(
        inTransaction(ts.ctx, (c) => reserveCounterRange(c.db, 'r1', 0)),
        RangeError,
      );
    });

    test('concurrent ranges and draws cover 1…total exactly once', async () => {
      const sizes = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 1 : (i % 7) + 2));
      const got = await Promise.all(
        sizes.map((n, i) =>
          inTransaction(ts.ctx, async (c) =>
            i % 4 === 0
              ? [await nextCounterValue(c.db, 'c1')]
              : [await reserveCounterRange(c.db, 'c1', n), n],
          ),
        ),
      );
      const values = got.flatMap(([first, n]) =>
        Array.from({ length: n ?? 1 }, (_, k) => (first as number) + k),
      );
      values.sort((a, b) => a - b);
      const total = sizes.reduce((a, b) => a + b, 0);
      assert.deepEqual(
        values,
        Array.from({ length: total }, (_, i) => i + 1),
      );
    });
  });

  describe(`bulk record import [${backend}]`, () => {
    let ts: TestStore;
    let ids: Ids;
    before(async () => {
      ts = await freshStore(backend);
      ids = await smallDistrict(ts.ctx);
    });
    after(() => ts.dispose());

    test('2,000 records (more than one INSERT) get distinct, gapless numbers per scope that recordCreator continues', async () => {
      const input = rows(ids, 2000, '甲');
      const res = await inTransaction(ts.ctx, (c) => recordBulkImporter(c, input));
      assert.equal(res.records.length, 2000);
      assert.equal(res.published, input.filter((r) => r.publishedOn).length);
      assert.equal(res.indexed, input.filter((r) => r.publishedOn && r.attribute === 'proactive').length);
      const by = await serialsByScope(ts);
      assert.equal(by.size, 20);
      assertGapless(by);

      // Each number has the parts recordCreator's issuer gives the same record.
      for (const i of [0, 1, 2, 3, 7, 11, 1999]) {
        const r = input[i] as BulkRecord;
        const parsed = parseIndexNumber(res.records[i]?.indexNumber ?? '');
        assert.ok(parsed);
        const expected = await indexPartsFor(ts.store.db, r);
        assert.equal(serialScope(parsed), serialScope(expected));
        if (parsed.scheme === 'seed' && expected.scheme === 'seed')
          assert.equal(parsed.attribute, expected.attribute);
      }
      const one = input[0] as BulkRecord;
      const scope = serialScope(await indexPartsFor(ts.store.db, one));
      const created = await inTransaction(ts.ctx, (c) => recordCreator(c, one));
      assert.equal(parseIndexNumber(created.indexNumber)?.serial, (by.get(scope)?.length ?? 0) + 1);

      const row = await ts.store.db
        .selectFrom('records')
        .selectAll()
        .where('id', '=', res.records[1]?.id as string)
        .executeTakeFirstOrThrow();
      assert.equal(row.publish_state, 'published');
      assert.equal(row.index_number, res.records[1]?.indexNumber);
      assert.ok(row.publish_by, 'a proactive record has its publish-by date');
      const channels = await ts.store.db
        .selectFrom('record_channels')
        .select('channel')
        .where('record_id', '=', row.id)
        .execute();
      assert.deepEqual(
        channels.map((c) => c.channel),
        ['政府网站'],
      );
      const history = await ts.store.db
        .selectFrom('record_history')
        .select(['seq', 'action'])
        .where('record_id', '=', row.id)
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        history.map((h) => h.action),
        ['created', 'published'],
      );
    });

    test('published proactive records are searchable; on-request and drafts are not; the portal sync finds the same documents', async () => {
      await inTransaction(ts.ctx, (c) =>
        recordBulkImporter(c, [
          ...rows(ids, 3, '乙', { title: '关于危房改造补助资金的公示', body: '危房改造补助资金' }),
          ...rows(ids, 1, '丙', { title: '关于危房改造申请材料的答复', attribute: 'onRequest' }),
          ...rows(ids, 1, '丁', { title: '关于危房改造验收的通知', publishedOn: null }),
        ]),
      );
      const hits = await search(ts.ctx, '危房改造');
      assert.equal(hits.total, 3);
      assert.ok(hits.hits.every((h) => h.title === '关于危房改造补助资金的公示'));
      const before = await ts.store.db
        .selectFrom('search_docs')
        .select([
          'id',
          'title',
          'content',
          'area',
          'sub_area',
          'stage',
          'body',
          'body_name',
          'year',
          'published_at',
        ])
        .orderBy('id')
        .execute();
      await syncRecordIndex(ts.ctx);
      const afterSync = await ts.store.db
        .selectFrom('search_docs')
        .select([
          'id',
          'title',
          'content',
          'area',
          'sub_area',
          'stage',
          'body',
          'body_name',
          'year',
          'published_at',
        ])
        .orderBy('id')
        .execute();
      assert.deepEqual(afterSync, before);
      assert.equal((await search(ts.ctx, '危房改造')).total, 3);
    });

    test('index: false leaves search to later; indexImportedRecords then writes the documents the import would have', async () => {
      const input = [
        ...rows(ids, 4, '己', { title: '关于农村公路养护资金的公示', body: '农村公路养护' }),
        ...rows(ids, 1, '庚', { title: '关于农村公路养护申请的答复', attribute: 'onRequest' }),
        ...rows(ids, 1, '辛', { title: '关于农村公路养护验收的通知', publishedOn: null }),
      ];
      const published = input.filter((r) => r.publishedOn && r.attribute === 'proactive').length;
      const res = await inTransaction(ts.ctx, (c) => recordBulkImporter(c, input, { index: false }));
      assert.equal(res.indexed, 0);
      assert.equal((await search(ts.ctx, '公路养护')).total, 0);
      const n = await inTransaction(ts.ctx, (c) =>
        indexImportedRecords(
          c,
          res.records.map((r) => r.id),
        ),
      );
      assert.equal(n, published);
      assert.equal((await search(ts.ctx, '公路养护')).total, published);
      const cols = [
        'id',
        'title',
        'content',
        'area',
        'sub_area',
        'stage',
        'body',
        'body_name',
        'year',
        'published_at',
      ] as const;
      const ours = await ts.store.db
        .selectFrom('search_docs')
        .select(cols)
        .where(
          'id',
          'in',
          res.records.map((r) => r.id),
        )
        .orderBy('id')
        .execute();
      // The portal's follower, re-reading the same records through the public query, writes the same rows.
      await syncRecordIndex(ts.ctx);
      const synced = await ts.store.db
        .selectFrom('search_docs')
        .select(cols)
        .where(
          'id',
          'in',
          res.records.map((r) => r.id),
        )
        .orderBy('id')
        .execute();
      assert.deepEqual(synced, ours);
    });

    test('indexDocuments replaces a document already indexed', async () => {
      const doc = {
        id: 'doc-replace',
        kind: 'record',
        url: '/records/doc-replace',
        title: '关于老旧小区改造的通知',
        publishedAt: '2025-01-02T00:00:00+08:00',
      };
      await inTransaction(ts.ctx, (c) => indexDocuments(c, [doc]));
      await inTransaction(ts.ctx, (c) => indexDocuments(c, [{ ...doc, title: '关于背街小巷整治的通知' }]));
      assert.equal((await search(ts.ctx, '老旧小区')).total, 0);
      assert.equal((await search(ts.ctx, '背街小巷')).total, 1);
    });

    test('one bad row: nothing is written, every bad row is named', async () => {
      const count = async () =>
        Number(
          (
            await ts.store.db
              .selectFrom('records')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const counters = () => ts.store.db.selectFrom('counters').selectAll().orderBy('scope').execute();
      const n0 = await count();
      const c0 = await counters();
      const input = rows(ids, 50, '戊');
      input[3] = { ...(input[3] as BulkRecord), title: '  ' };
      input[7] = { ...(input[7] as BulkRecord), disclosingUnitId: 'no-such-unit' };
      input[20] = {
        ...(input[20] as BulkRecord),
        attribute: 'exempt',
        exemptionBasis: null,
        publishedOn: null,
      };
      input[41] = {
        ...(input[41] as BulkRecord),
        attribute: 'exempt',
        exemptionBasis: '条例第十四条',
        publishedOn: '2024-05-10',
      };
      await assert.rejects(
        inTransaction(ts.ctx, (c) => recordBulkImporter(c, input)),
        (e: unknown) => {
          assert.ok(e instanceof AppError);
          assert.equal(e.code, 'validation_failed');
          assert.deepEqual(
            e.fields.map((f) => f.field),
            ['rows[3].title', 'rows[7].disclosingUnitId', 'rows[20].exemptionBasis', 'rows[41].publishedOn'],
          );
          return true;
        },
      );
      assert.equal(await count(), n0);
      assert.deepEqual(await counters(), c0);
    });

    test('concurrent bulk imports and single creations never collide', async () => {
      const work = [
        ...Array.from({ length: 4 }, (_, k) =>
          inTransaction(ts.ctx, (c) => recordBulkImporter(c, rows(ids, 300, `并发${k}`))),
        ),
        ...Array.from({ length: 20 }, (_, k) =>
          inTransaction(ts.ctx, (c) => recordCreator(c, rows(ids, 1, `单${k}`)[0] as BulkRecord)),
        ),
      ];
      const results = await Promise.allSettled(work);
      assert.deepEqual(
        results.filter((r) => r.status === 'rejected'),
        [],
      );
      assertGapless(await serialsByScope(ts));
    });
  });
}
