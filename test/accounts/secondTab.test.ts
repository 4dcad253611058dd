import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { signIn, testApp } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

for (const backend of backendNames) {
  describe(`a second tab and a stale cookie [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    before(async () => {
      ts = await freshStore(backend);
      app = await testApp(ts);
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('a tab that only has the cookie reads the write token from GET /session and can write', async () => {
      const admin = await signIn(app, ts, 'sysadmin');
      const me = await app.inject({ url: '/api/v1/session', headers: { cookie: admin.cookie } });
      assert.equal(me.statusCode, 200);
      const token = (me.json() as { csrfToken: string }).csrfToken;
      assert.equal(token, admin.csrf);
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: { cookie: admin.cookie, 'x-csrf-token': token },
        payload: { parentId: null, name: '测试区人民政府', kind: 'government' },
      });
      assert.equal(created.statusCode, 201);
    });

    test('someone with a session cookie can log in again without its token', async () => {
      const staff = await signIn(app, ts, 'staff');
      const again = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        headers: { cookie: staff.cookie },
        payload: { username: 't-staff', password: 'Test-pass-2026' },
      });
      assert.equal(again.statusCode, 200);
      const other = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: { cookie: staff.cookie },
        payload: { parentId: null, name: 'x', kind: 'government' },
      });
      assert.equal(other.statusCode, 403, 'every other write still needs the token');
      assert.equal((other.json() as { code: string }).code, 'csrf_failed');
    });
  });
}
