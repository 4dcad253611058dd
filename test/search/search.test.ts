import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inTransaction } from '../../src/context.ts';
import {
  indexDocument,
  indexDocuments,
  maxPage,
  removeDocument,
  type SearchDoc,
  search,
} from '../../src/search/searchIndex.ts';
import { highlight } from '../../src/search/snippet.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

const docs = [
  {
    id: 'r1',
    kind: 'record',
    url: '/records/r1',
    title: '关于娄桥街道2024年度农村危房改造补助对象的公示',
    summary: '经农户申请、村民代表评议、街道审核，现将危房改造补助对象予以公示。',
    body: '公示期为7天。如有异议，请于公示期内向街道农业农村办反映。',
    publishedAt: '2024-05-10T02:00:00.000Z',
    filters: { area: 'wfgz', stage: 'result', unit: 'oh-lq', unitName: '娄桥街道办事处', year: 2024 },
  },
  {
    id: 'r2',
    kind: 'record',
    url: '/records/r2',
    title: '瓯海区保障性住房配租方案',
    summary: '本方案适用于本区公共租赁住房的配租。',
    body: '申请家庭应当符合住房困难和收入条件。',
    attachmentsText: '附件：公共租赁住房申请表',
    publishedAt: '2025-03-01T02:00:00.000Z',
    filters: {
      area: 'bzxzf',
      stage: 'decision',
      unit: 'oh-zjj',
      unitName: '瓯海区住房和城乡建设局',
      year: 2025,
    },
  },
  {
    id: 'r3',
    kind: 'record',
    url: '/records/r3',
    title: '2023年住房保障工作总结',
    summary: '全年筹集保障性租赁住房1200套。<script>alert(1)</script>',
    body: null,
    publishedAt: '2023-12-20T02:00:00.000Z',
    filters: {
      area: 'bzxzf',
      stage: 'result',
      unit: 'oh-zjj',
      unitName: '瓯海区住房和城乡建设局',
      year: 2023,
    },
  },
  {
    id: 'n1',
    kind: 'notice',
    url: '/notices/n1',
    title: '郭溪街道危房鉴定结果公示',
    summary: '以下房屋经鉴定为C级危房。',
    publishedAt: '2025-06-01T02:00:00.000Z',
    filters: { area: 'wfgz', stage: 'result', unit: 'oh-gx', unitName: '郭溪街道办事处', year: 2025 },
  },
];

for (const backend of backendNames) {
  describe(`Chinese full-text search [${backend}]`, () => {
    let ts: TestStore;
    before(async () => {
      ts = await freshStore(backend);
      ts.ctx = { ...ts.ctx, now: () => new Date('2025-07-01T00:00:00Z') };
      await inTransaction(ts.ctx, async (c) => {
        for (const d of docs) await indexDocument(c, d);
      });
    });
    after(async () => ts.dispose());

    test('two-character words are found: 危房 and 住房', async () => {
      const wf = await search(ts.ctx, '危房');
      assert.deepEqual(wf.hits.map((h) => h.id).sort(), ['n1', 'r1']);
      const zf = await search(ts.ctx, '住房');
      assert.deepEqual(zf.hits.map((h) => h.id).sort(), ['r2', 'r3']);
      assert.equal(zf.total, 2);
    });

    test('a long word and the words inside it both match (保障性住房, 危房改造)', async () => {
      const long = await search(ts.ctx, '保障性住房');
      assert.ok(long.hits.some((h) => h.id === 'r2'));
      const gz = await search(ts.ctx, '危房改造');
      assert.deepEqual(
        gz.hits.map((h) => h.id),
        ['r1'],
      );
      const att = await search(ts.ctx, '申请表');
      assert.deepEqual(
        att.hits.map((h) => h.id),
        ['r2'],
        'attachment text is searched',
      );
    });

    test('filters by area, stage, body, year and kind', async () => {
      assert.deepEqual(
        (await search(ts.ctx, '住房', { year: 2023 })).hits.map((h) => h.id),
        ['r3'],
      );
      assert.deepEqual(
        (await search(ts.ctx, '住房', { stage: 'decision' })).hits.map((h) => h.id),
        ['r2'],
      );
      assert.deepEqual(
        (await search(ts.ctx, '危房', { kind: 'notice' })).hits.map((h) => h.id),
        ['n1'],
      );
      assert.deepEqual(
        (await search(ts.ctx, '危房', { unit: 'oh-lq', area: 'wfgz' })).hits.map((h) => h.id),
        ['r1'],
      );
      assert.equal((await search(ts.ctx, '危房', { area: 'bzxzf' })).total, 0);
    });

    test('snippets mark the words and escape the text around them', async () => {
      const r = await search(ts.ctx, '住房 保障');
      const r3 = r.hits.find((h) => h.id === 'r3');
      assert.ok(r3, '2023年住房保障工作总结 found');
      assert.match(r3.titleHtml, /<mark>住房<\/mark><mark>保障<\/mark>/);
      assert.ok(r3.snippetHtml.includes('&lt;script&gt;'), 'markup in the text is escaped');
      assert.ok(!r3.snippetHtml.includes('<script>'));
      const wf = await search(ts.ctx, '危房');
      const r1 = wf.hits.find((h) => h.id === 'r1');
      assert.match(r1?.snippetHtml ?? '', /<mark>危房<\/mark>改造补助对象/);
    });

    test('ranking: among equal matches the newer comes first; date sort is newest first', async () => {
      const wf = await search(ts.ctx, '危房', {}, { sort: 'date' });
      assert.deepEqual(
        wf.hits.map((h) => h.id),
        ['n1', 'r1'],
      );
      const zf = await search(ts.ctx, '住房');
      assert.equal(zf.hits[0]?.id, 'r2', 'the 2025 document before the 2023 one');
    });

    test('relevance is scored among the most recently indexed matches; the total and the date order stay whole', async () => {
      // 住房 matches r2 and r3, indexed in that order: with one candidate, only r3 is ranked
      const whole = await search(ts.ctx, '住房');
      assert.equal(whole.ranked, whole.total);
      const capped = await search(ts.ctx, '住房', {}, { candidates: 1 });
      assert.equal(capped.total, whole.total);
      assert.equal(capped.ranked, 1);
      assert.deepEqual(
        capped.hits.map((h) => h.id),
        ['r3'],
      );
      assert.deepEqual((await search(ts.ctx, '住房', {}, { candidates: 1, page: 2 })).hits, []);
      const byDate = await search(ts.ctx, '住房', {}, { candidates: 1, sort: 'date' });
      assert.equal(byDate.ranked, whole.total);
      assert.deepEqual(byDate.hits.map((h) => h.id).sort(), whole.hits.map((h) => h.id).sort());
      // filters apply before the candidates are taken: the newest match of the area, not of everything
      const filtered = await search(ts.ctx, '危房', { area: 'wfgz', year: 2024 }, { candidates: 1 });
      assert.deepEqual(
        filtered.hits.map((h) => h.id),
        ['r1'],
      );
    });

    test('nothing matches: empty result, also for punctuation-only and hostile queries', async () => {
      for (const q of ['地铁', '', '，。！', '" OR 1=1 --', "'&|!():*", '住房 NEAR(']) {
        const r = await search(ts.ctx, q);
        assert.equal(r.total, 0, `no hit for ${q}`);
        assert.deepEqual(r.hits, []);
      }
    });

    test('paging, re-indexing and removal', async () => {
      const p1 = await search(ts.ctx, '住房', {}, { pageSize: 1 });
      const p2 = await search(ts.ctx, '住房', {}, { pageSize: 1, page: 2 });
      assert.equal(p1.total, 2);
      assert.notEqual(p1.hits[0]?.id, p2.hits[0]?.id);
      await inTransaction(ts.ctx, async (c) => {
        const first = docs[0];
        assert.ok(first);
        await indexDocument(c, {
          ...first,
          title: '娄桥街道农村住房安全情况通报',
          summary: '已完成排查。',
          body: '',
        });
      });
      assert.deepEqual(
        (await search(ts.ctx, '危房')).hits.map((h) => h.id),
        ['n1'],
        'the old words of r1 are gone',
      );
      assert.ok((await search(ts.ctx, '住房')).hits.some((h) => h.id === 'r1'));
      await inTransaction(ts.ctx, (c) => removeDocument(c, 'n1'));
      assert.equal((await search(ts.ctx, '危房')).total, 0);
    });
  });
}

for (const backend of backendNames) {
  describe(`search totals and relevance at scale [${backend}]`, () => {
    let ts: TestStore;
    // 1,001 documents holding 档案, 300 of them of 2024: more than a reader can page through at one per page.
    const archive = Array.from(
      { length: maxPage + 1 },
      (_, i): SearchDoc => ({
        id: `a${String(i).padStart(4, '0')}`,
        kind: 'record',
        url: `/records/a${i}`,
        title: `第${i}号档案目录`,
        publishedAt: i < 300 ? '2024-03-01T02:00:00.000Z' : '2025-03-01T02:00:00.000Z',
      }),
    );
    const doc = (id: string, title: string, body: string, publishedAt: string): SearchDoc => ({
      id,
      kind: 'record',
      url: `/records/${id}`,
      title,
      body,
      publishedAt,
    });
    before(async () => {
      ts = await freshStore(backend);
      ts.ctx = { ...ts.ctx, now: () => new Date('2025-07-01T00:00:00Z') };
      await inTransaction(ts.ctx, (c) => indexDocuments(c, archive));
    });
    after(async () => ts.dispose());

    test('more matches than 1000 pages reach: the total stops at 1000 × pageSize and says there are more', async () => {
      const r = await search(ts.ctx, '档案', {}, { pageSize: 1 });
      assert.equal(r.total, 1000);
      assert.equal(r.totalIsLowerBound, true);
      assert.equal(r.ranked, 1000, 'the relevance order pages as far as the total');
      assert.equal(r.hits.length, 1);
      const last = await search(ts.ctx, '档案', {}, { pageSize: 1, page: 5000, sort: 'date' });
      assert.equal(last.page, maxPage, 'the page is clamped to the last one');
      assert.equal(last.totalIsLowerBound, true);
      assert.equal(last.hits.length, 1, 'the last page still has its hit');
      // filtered, the count goes through the documents' table and is capped the same way
      const filtered = await search(ts.ctx, '档案', { kind: 'record' }, { pageSize: 1 });
      assert.deepEqual([filtered.total, filtered.totalIsLowerBound], [1000, true]);
    });

    test('under the cap the total is exact', async () => {
      const r = await search(ts.ctx, '档案', {}, { pageSize: 2 });
      assert.deepEqual([r.total, r.totalIsLowerBound], [maxPage + 1, false]);
      const y = await search(ts.ctx, '档案', { year: 2024 }, { pageSize: 1 });
      assert.deepEqual([y.total, y.totalIsLowerBound], [300, false]);
      const none = await search(ts.ctx, '地铁', {}, { pageSize: 1 });
      assert.deepEqual([none.total, none.totalIsLowerBound], [0, false]);
    });

    test('a word in the title ranks above the same word in the text only, at the same age', async () => {
      const day = '2025-05-01T02:00:00.000Z';
      await inTransaction(ts.ctx, async (c) => {
        // the title match is indexed first and has the lower id: neither the index order nor the id favours it
        await indexDocument(c, doc('t1', '全区GDP统计公报', '全年经济运行平稳。', day));
        await indexDocument(c, doc('t2', '经济运行情况', '全区GDP同比增长。', day));
        await indexDocument(c, doc('t3', '绿化养护招标公告', '城区道路绿化。', day));
        await indexDocument(c, doc('t4', '公园管理办法', '公园绿化养护标准。', day));
      });
      // a Latin word in capitals is still a title match (SQLite LIKE / PostgreSQL ILIKE ignore ASCII case)
      assert.deepEqual(
        (await search(ts.ctx, 'gdp')).hits.map((h) => h.id),
        ['t1', 't2'],
      );
      assert.deepEqual(
        (await search(ts.ctx, '绿化养护')).hits.map((h) => h.id),
        ['t3', 't4'],
      );
    });

    test('equal matches: the newer first; a title match a year old still beats a text-only match of today', async () => {
      await inTransaction(ts.ctx, async (c) => {
        // the newer is indexed first and has the lower id
        await indexDocument(c, doc('e1', '河道保洁服务公示', '', '2025-06-01T02:00:00.000Z'));
        await indexDocument(c, doc('e2', '河道保洁服务公示', '', '2024-06-01T02:00:00.000Z'));
        await indexDocument(c, doc('e3', '环境卫生通报', '部分河道保洁不到位。', '2025-06-30T02:00:00.000Z'));
      });
      assert.deepEqual(
        (await search(ts.ctx, '河道保洁')).hits.map((h) => h.id),
        ['e1', 'e2', 'e3'],
      );
    });
  });
}

test('highlight escapes before marking and cuts a window around the first match', () => {
  assert.equal(highlight('a<b>住房&amp;', ['住房']), 'a&lt;b&gt;<mark>住房</mark>&amp;amp;');
  assert.equal(highlight('x&y', ['amp']), 'x&amp;y', 'no match inside an entity');
  const long = `${'甲'.repeat(200)}危房${'乙'.repeat(200)}`;
  const h = highlight(long, ['危房'], 40);
  assert.ok(h.startsWith('…') && h.endsWith('…'));
  assert.ok(h.includes('<mark>危房</mark>'));
});
