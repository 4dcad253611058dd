import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadDemo } from '../../src/demo/loadDemo.ts';
import { buildApp } from '../../src/server/app.ts';
import { signIn } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

for (const backend of backendNames) {
  describe(`public page cache [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    before(async () => {
      ts = await freshStore(backend);
      await loadDemo(ts.ctx, 'Demo-pass-2026');
      app = await buildApp({ store: ts.store, portalCacheSeconds: 60 });
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('a page is rendered once, then served from the cache with the same bytes and validators', async () => {
      const first = await app.inject({ url: '/org/st-zjj' });
      assert.equal(first.statusCode, 200);
      assert.equal(first.headers['x-page-cache'], undefined);
      const second = await app.inject({ url: '/org/st-zjj' });
      assert.equal(second.headers['x-page-cache'], 'hit');
      assert.equal(second.body, first.body);
      assert.equal(second.headers.etag, first.headers.etag);
      assert.ok(String(second.headers['content-security-policy']).includes("default-src 'self'"));
      const revalidated = await app.inject({
        url: '/org/st-zjj',
        headers: { 'if-none-match': String(first.headers.etag) },
      });
      assert.equal(revalidated.statusCode, 304);
    });

    test('each reading mode has its own entry', async () => {
      const large = await app.inject({ url: '/org/st-zjj', headers: { cookie: 'gk_prefs=large' } });
      assert.equal(large.statusCode, 200);
      assert.equal(large.headers['x-page-cache'], undefined);
    });

    test('a write through this process shows on the next visit at once', async () => {
      await app.inject({ url: '/org/st-zjj' });
      const admin = await signIn(app, ts, 'sysadmin');
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: admin.headers,
        payload: { parentId: 'st-zjj', name: '城市管理股', kind: 'section' },
      });
      assert.equal(created.statusCode, 201);
      const after = await app.inject({ url: '/org/st-zjj' });
      assert.equal(after.headers['x-page-cache'], undefined);
      assert.ok(after.body.includes('城市管理股'));
    });

    test('API answers and missing pages are never cached', async () => {
      await app.inject({ url: '/api/v1/units/st-zjj' });
      const api = await app.inject({ url: '/api/v1/units/st-zjj' });
      assert.equal(api.headers['x-page-cache'], undefined);
      await app.inject({ url: '/org/no-such-unit' });
      const missing = await app.inject({ url: '/org/no-such-unit' });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.headers['x-page-cache'], undefined);
    });
  });
}
