import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type Role, roles } from '../../src/accounts/tables.ts';
import { Sm4Cipher, setDataCipher } from '../../src/security/crypto.ts';
import { apiRoutes } from '../../src/server/apiRoutes.ts';
import { buildApp } from '../../src/server/app.ts';
import { type Session, signIn } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

setDataCipher(new Sm4Cipher(randomBytes(32)));

/**
 * The route × role matrix (等保 2.0 访问控制): iterates EVERY route in src/server/apiRoutes.ts, so a route another
 * module adds is covered without touching this file. Public routes answer anonymous callers; the others refuse
 * them with 401; role-restricted routes refuse every other role with 403 and let their roles through.
 */
const url = (u: string) => `/api/v1${u.replace(/:([A-Za-z]+)/g, 'matrix-no-such-$1')}`;
const isRoleList = (a: unknown): a is readonly Role[] => Array.isArray(a);

for (const backend of backendNames) {
  describe(`route × role matrix over ${apiRoutes.length} routes [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    const sessions = new Map<Role, Session>();
    before(async () => {
      ts = await freshStore(backend);
      app = await buildApp({
        store: ts.store,
        security: { loginPerMinute: 10_000, publicFormPerMinute: 10_000 },
      });
      for (const role of roles) sessions.set(role, await signIn(app, ts, role, `matrix-${role}`));
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('every route declares who may call it', () => {
      for (const r of apiRoutes) {
        assert.ok(
          r.access === 'public' ||
            r.access === 'authenticated' ||
            (isRoleList(r.access) && r.access.length > 0),
          `${r.method} ${r.url} has an access rule`,
        );
        if (isRoleList(r.access)) for (const role of r.access) assert.ok(roles.includes(role));
      }
    });

    test('anonymous callers: public routes answer, all others get 401', async () => {
      for (const r of apiRoutes) {
        const res = await app.inject({ method: r.method, url: url(r.url) });
        const where = `${r.method} ${r.url} → ${res.statusCode} ${res.body.slice(0, 120)}`;
        if (r.access === 'public') {
          assert.ok(![401, 403].includes(res.statusCode), `public: ${where}`);
          assert.ok(res.statusCode < 500, `no crash: ${where}`);
        } else {
          assert.equal(res.statusCode, 401, `needs a login: ${where}`);
          assert.equal(res.json().code, 'unauthenticated');
        }
      }
    });

    test('each role: refused with 403 outside the route’s roles, let through inside', async () => {
      for (const r of apiRoutes) {
        if (r.access === 'public') continue;
        for (const role of roles) {
          const s = sessions.get(role)!;
          const res = await app.inject({ method: r.method, url: url(r.url), headers: s.headers });
          const where = `${role} ${r.method} ${r.url} → ${res.statusCode} ${res.body.slice(0, 160)}`;
          const allowed = r.access === 'authenticated' || (isRoleList(r.access) && r.access.includes(role));
          if (allowed) {
            assert.notEqual(res.statusCode, 401, where);
            assert.ok(!(res.statusCode === 403 && res.json().code === 'forbidden'), where);
            assert.ok(res.statusCode < 500, `no crash: ${where}`);
          } else {
            assert.equal(res.statusCode, 403, where);
            assert.equal(res.json().code, 'forbidden');
          }
          // logging out is one of the routes: sign in again for the next ones
          if (r.method === 'DELETE' && r.url === '/session') {
            sessions.set(role, await signIn(app, ts, role, `matrix-${role}`));
          }
        }
      }
    });

    test('the three administrator roles are apart: audit is the auditor’s only, accounts are not the auditor’s', async () => {
      const audit = apiRoutes.find((r) => r.method === 'GET' && r.url === '/audit');
      assert.deepEqual(audit?.access, ['auditor']);
      const createUser = apiRoutes.find((r) => r.method === 'POST' && r.url === '/users');
      assert.deepEqual(createUser?.access, ['sysadmin']);
      for (const r of apiRoutes) {
        if (!isRoleList(r.access)) continue;
        if (r.access.includes('auditor')) {
          assert.equal(r.method, 'GET', `the auditor only reads: ${r.method} ${r.url}`);
        }
      }
    });

    test('every public POST honours idempotency keys (login excepted: its answer is a session)', () => {
      for (const r of apiRoutes) {
        if (r.method !== 'POST' || r.access !== 'public') continue;
        if (r.url === '/session') continue;
        assert.notEqual(r.idempotent, false, `${r.method} ${r.url} takes an Idempotency-Key`);
      }
    });

    test('every call above that was a write or a refusal left an audit row', async () => {
      const rows = await ts.store.db
        .selectFrom('audit_log')
        .select(['action', 'outcome', 'status'])
        .execute();
      for (const r of apiRoutes) {
        if (r.method === 'GET') continue;
        const action =
          r.url === '/session' ? (r.method === 'POST' ? 'login' : 'logout') : `${r.method} /api/v1${r.url}`;
        assert.ok(
          rows.some((a) => a.action === action),
          `audited: ${action}`,
        );
      }
      assert.ok(
        rows.some((a) => a.status === 401 && a.outcome === 'failure'),
        'refusals are audited',
      );
    });
  });
}
