import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../../src/context.ts';
import { loadDemo } from '../../src/demo/loadDemo.ts';
import { sitemapRecordFiles } from '../../src/portal/recordRoutes.ts';
import { indexDocuments, type SearchDoc } from '../../src/search/searchIndex.ts';
import { buildApp } from '../../src/server/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

// A full 18-digit ID number whose birth date is plausible (GB 11643: digits 7–14 are YYYYMMDD), and a full
// mainland mobile number; digits around them must not continue (so a longer number is not a false alarm).
const idNumber = /(?<![0-9])\d{6}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9])/;
const mobile = /(?<![0-9])1[3-9]\d{9}(?![0-9])/;

const links = (body: string) =>
  [...body.matchAll(/href="(\/[^"#]*)"/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));

for (const backend of backendNames) {
  describe(`public portal pages with the demo district [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let recordIds: string[] = [];
    before(async () => {
      ts = await freshStore(backend);
      await loadDemo(ts.ctx, 'Demo-pass-2026');
      app = await buildApp({ store: ts.store });
      const list = await app.inject({ url: '/xxgk/catalogue' });
      recordIds = [...list.body.matchAll(/href="\/records\/([^"]+)"/g)].map((m) => m[1] ?? '');
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('every page type answers, carries the security headers, and shows no ID or mobile number', async () => {
      const seen = new Set<string>();
      const queue = ['/', '/xxgk', '/sitemap', '/feeds', '/notices?state=closed', '/notices?state=upcoming'];
      const extra = [
        '/feeds/all.atom',
        '/feeds/notices.atom',
        '/sitemap.xml',
        '/xxgk/catalogue.csv',
        '/xxgk/on-request.csv',
        '/api/v1/public/records?limit=200',
        '/api/v1/public/notices',
        '/api/v1/public/on-request',
        '/search?q=%E5%8D%B1%E6%88%BF',
        '/search?q=%E4%BD%8F%E6%88%BF',
      ];
      // Crawl the portal from the home page: every internal link of every page, once.
      while (queue.length && seen.size < 400) {
        const url = queue.shift() as string;
        if (
          seen.has(url) ||
          url.startsWith('/prefs') ||
          url.startsWith('/api/') ||
          url.startsWith('/static/')
        )
          continue;
        seen.add(url);
        const res = await app.inject({ url });
        assert.ok(res.statusCode === 200, `${url} answers 200, got ${res.statusCode}`);
        const body = res.body;
        assert.doesNotMatch(body, idNumber, `${url} shows no full ID number`);
        assert.doesNotMatch(body, mobile, `${url} shows no full mobile number`);
        if (String(res.headers['content-type']).startsWith('text/html')) {
          assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
          assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
          assert.equal(res.headers['x-content-type-options'], 'nosniff');
          assert.ok(res.headers['referrer-policy']);
          assert.doesNotMatch(body, /<script|style="/i, `${url} has no script and no inline style`);
          for (const l of links(body)) if (!seen.has(l)) queue.push(l);
        }
      }
      for (const url of extra) {
        const res = await app.inject({ url });
        assert.equal(res.statusCode, 200, url);
        assert.doesNotMatch(res.body, idNumber, `${url} shows no full ID number`);
        assert.doesNotMatch(res.body, mobile, `${url} shows no full mobile number`);
      }
      assert.ok(seen.size > 40, `crawled ${seen.size} pages`);
      for (const must of [
        '/xxgk/guide',
        '/xxgk/documents',
        '/xxgk/on-request',
        '/gazette',
        '/bodies',
        '/years',
      ]) {
        assert.ok(seen.has(must), `${must} is linked from the site`);
      }
      assert.ok(
        [...seen].some((u) => /^\/gazette\/\d{4}\/[1-4]$/.test(u)),
        'a gazette issue is linked',
      );
      assert.ok(
        [...seen].some((u) => /^\/areas\/[^/]+\/[^/?]+$/.test(u)),
        'a sub-area page is linked',
      );
    });

    test('the record page shows the standard metadata block; exempt and on-request records have no page', async () => {
      const id = recordIds[0];
      assert.ok(id);
      const res = await app.inject({ url: `/records/${id}` });
      for (const label of ['索引号', '发布机构', '生成日期', '文号', '主题分类', '公开方式', '有效性']) {
        assert.ok(res.body.includes(`<th scope="row">${label}</th>`), `metadata ${label}`);
      }
      const hidden = await ts.store.db
        .selectFrom('records')
        .select(['id', 'title'])
        .where('attribute', 'in', ['exempt', 'onRequest'])
        .execute();
      assert.ok(
        hidden.some((h) => h.title),
        'the demo has exempt / on-request records',
      );
      for (const h of hidden) {
        assert.equal((await app.inject({ url: `/records/${h.id}` })).statusCode, 404);
      }
      const exempt = await ts.store.db
        .selectFrom('records')
        .select(['id', 'title'])
        .where('attribute', '=', 'exempt')
        .executeTakeFirstOrThrow();
      const found = await app.inject({ url: `/search?q=${encodeURIComponent(exempt.title)}` });
      assert.ok(!found.body.includes(`/records/${exempt.id}`), 'the exempt record is not found by search');
      assert.ok(!found.body.includes(`>${exempt.title}<`));
      const home = await app.inject({ url: '/' });
      assert.ok(!home.body.includes(exempt.title));
    });

    test('ETag and Last-Modified: a repeated request gets 304', async () => {
      for (const url of ['/', '/xxgk/guide', `/records/${recordIds[0]}`, '/feeds/all.atom']) {
        const first = await app.inject({ url });
        const etag = first.headers.etag as string;
        assert.ok(etag, `${url} has an ETag`);
        const again = await app.inject({ url, headers: { 'if-none-match': etag } });
        assert.equal(again.statusCode, 304, url);
        assert.equal(again.body, '');
      }
      const rec = await app.inject({ url: `/records/${recordIds[0]}` });
      const lm = rec.headers['last-modified'] as string;
      assert.ok(lm, 'the record page has Last-Modified');
      const since = await app.inject({
        url: `/records/${recordIds[0]}`,
        headers: { 'if-modified-since': lm },
      });
      assert.equal(since.statusCode, 304);
      const large = await app.inject({ url: '/xxgk/guide', headers: { cookie: 'gk_prefs=L' } });
      assert.notEqual(large.headers.etag, (await app.inject({ url: '/xxgk/guide' })).headers.etag);
      assert.match(large.body, /<html lang="zh-CN" class="text-large">/);
    });

    test('search: 危房 finds the village notice, with the word marked; nothing found gives a helpful page', async () => {
      const res = await app.inject({ url: `/search?q=${encodeURIComponent('危房')}` });
      assert.match(res.body, /泽雅镇纸山村2024年农村困难群众<mark>危房<\/mark>改造对象村级评议结果公示/);
      const area = await app.inject({ url: `/search?q=${encodeURIComponent('危房')}&stage=decision` });
      assert.ok(!area.body.includes('纸山村'), 'the stage filter applies');
      const none = await app.inject({ url: `/search?q=${encodeURIComponent('危房 地铁')}` });
      assert.match(none.body, /没有找到与“危房 地铁”相关的信息/);
      assert.match(none.body, /只搜“<a href="[^"]+">危房<\/a>”（\d+条）/);
    });

    test('search: more matches than 1,000 pages of 10 reach are shown as "10,000 条以上"; fewer, exactly', async () => {
      const exact = await app.inject({ url: `/search?q=${encodeURIComponent('危房')}` });
      assert.match(exact.body, /找到 \d+ 条与“危房”相关的信息/);
      assert.doesNotMatch(exact.body, /条以上/);
      // 10,001 documents holding 卷宗 (a word the demo does not use): one more than the pages reach
      const docs = Array.from(
        { length: 10_001 },
        (_, i): SearchDoc => ({
          id: `dossier-${i}`,
          kind: 'page',
          url: '/xxgk/guide',
          title: `第${i}号卷宗目录`,
          publishedAt: '2025-01-01T00:00:00.000Z',
        }),
      );
      await inTransaction(ts.ctx, (c) => indexDocuments(c, docs));
      const many = await app.inject({ url: `/search?q=${encodeURIComponent('卷宗')}` });
      assert.match(many.body, /找到 10,000 条以上与“卷宗”相关的信息/);
      assert.match(
        many.body,
        /按相关度排列的是最新的 2,000 条；<a href="[^"]+">按时间排序<\/a>可以查看最新的 10,000 条/,
      );
      const byDate = await app.inject({ url: `/search?q=${encodeURIComponent('卷宗')}&sort=date` });
      assert.match(byDate.body, /找到 10,000 条以上与“卷宗”相关的信息/);
      assert.match(byDate.body, /结果较多，只列出最新的 10,000 条/);
      assert.match(byDate.body, /第 1 页，共 1000 页/);
      const none = await app.inject({ url: `/search?q=${encodeURIComponent('卷宗 地铁')}` });
      assert.match(none.body, /只搜“<a href="[^"]+">卷宗<\/a>”（10,000条以上）/);
    });

    test('feeds, CSV and sitemap are well-formed', async () => {
      const atom = await app.inject({ url: '/feeds/all.atom' });
      assert.match(String(atom.headers['content-type']), /application\/atom\+xml/);
      assert.match(atom.body, /^<\?xml[^>]+\?><feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
      assert.ok((atom.body.match(/<entry>/g) ?? []).length >= 10);
      const notices = await app.inject({ url: '/feeds/notices.atom' });
      assert.match(notices.body, /公示/);
      const csvRes = await app.inject({ url: '/xxgk/catalogue.csv' });
      assert.ok(csvRes.body.startsWith('\uFEFF"索引号","名称"'));
      assert.match(String(csvRes.headers['content-disposition']), /attachment/);
      // the sitemap is an index: the pages, then the records in files of at most 40,000
      const sitemap = await app.inject({ url: '/sitemap.xml' });
      assert.match(
        sitemap.body,
        /^<\?xml[^>]+\?><sitemapindex xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/,
      );
      const files = [...sitemap.body.matchAll(/<loc>http:\/\/[^/<]+(\/[^<]+)<\/loc>/g)].map(
        (m) => m[1] ?? '',
      );
      assert.deepEqual(files, ['/sitemaps/pages.xml', '/sitemaps/records/1.xml']);
      const pagesFile = await app.inject({ url: '/sitemaps/pages.xml' });
      assert.match(pagesFile.body, /\/xxgk\/catalogue<\/loc>/);
      const recordsFile = await app.inject({ url: '/sitemaps/records/1.xml' });
      const listed = [...recordsFile.body.matchAll(/\/records\/([^<]+)<\/loc>/g)].map((m) => m[1]);
      const all = (
        (await app.inject({ url: '/api/v1/public/records?limit=200' })).json() as { items: { id: string }[] }
      ).items.map((r) => r.id);
      assert.ok(all.length > 20 && all.length < 200);
      assert.deepEqual([...listed].sort(), [...all].sort(), 'every published record, once');
      assert.equal((await app.inject({ url: '/sitemaps/records/2.xml' })).statusCode, 404);
      assert.equal((await app.inject({ url: '/sitemaps/records/x.xml' })).statusCode, 404);
      assert.deepEqual(
        [0, 1, 40_000, 40_001, 1_000_000].map((n) => sitemapRecordFiles(n)),
        [1, 1, 1, 2, 25],
      );
      const api = await app.inject({ url: '/api/v1/public/records?limit=5' });
      assert.equal((api.json() as { items: unknown[] }).items.length, 5);
    });

    test('objection (异议) to an open notice: stored once per form, contact encrypted, robots and closed notices refused', async () => {
      const open = await app.inject({ url: '/notices?state=open' });
      const openId = open.body.match(/href="\/records\/([^"]+)"/)?.[1];
      assert.ok(openId, 'the demo has an open notice');
      const pageRes = await app.inject({ url: `/records/${openId}` });
      assert.match(pageRes.body, /提出异议/);
      const token = pageRes.body.match(/name="token" value="([^"]+)"/)?.[1] ?? '';
      const post = (form: Record<string, string>, id = openId) =>
        app.inject({
          method: 'POST',
          url: `/records/${id}/objections`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams(form).toString(),
        });
      const form = {
        token,
        content: '公示名单中的第2户实际已在城区购房，不符合条件。',
        name: '张三',
        contact: '13812345678',
      };
      const first = await post(form);
      assert.equal(first.statusCode, 200);
      assert.match(first.body, /异议已提交/);
      const ref = first.body.match(/受理编号 <strong>([^<]+)<\/strong>/)?.[1];
      const second = await post(form);
      assert.equal(
        second.body.match(/受理编号 <strong>([^<]+)<\/strong>/)?.[1],
        ref,
        'a resubmitted form is the same objection',
      );
      const rows = await ts.store.db
        .selectFrom('notice_objections')
        .selectAll()
        .where('record_id', '=', openId)
        .execute();
      assert.equal(rows.length, 1);
      assert.ok(rows[0]?.contact_enc?.startsWith('enc:'), 'the contact is encrypted at rest');
      assert.ok(!rows[0]?.name_enc?.includes('张三'));
      assert.doesNotMatch((await app.inject({ url: `/records/${openId}` })).body, /13812345678|张三/);

      const bot = await post({
        token: 'bot-token-000001',
        content: '广告广告广告广告',
        website: 'http://spam.example',
      });
      assert.match(bot.body, /异议已提交/);
      assert.equal(
        (await ts.store.db.selectFrom('notice_objections').selectAll().execute()).length,
        1,
        'honeypot: nothing stored',
      );

      const empty = await post({ token: 'empty-token-00001', content: '' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /请填写异议内容/);

      const closed = await app.inject({ url: '/notices?state=closed' });
      const closedId = closed.body.match(/href="\/records\/([^"]+)"/)?.[1] ?? '';
      const late = await post({ token: 'late-token-000001', content: '公示期后提出的异议内容' }, closedId);
      assert.equal(late.statusCode, 409);
      assert.doesNotMatch((await app.inject({ url: `/records/${closedId}` })).body, /<form method="post"/);
    });
  });
}
