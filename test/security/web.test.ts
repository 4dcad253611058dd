import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { inTransaction } from '../../src/context.ts';
import { Sm4Cipher, setDataCipher } from '../../src/security/crypto.ts';
import { installSecurity } from '../../src/security/http.ts';
import { sanitizeRichText } from '../../src/security/sanitize.ts';
import { readUpload, sniffType, storeUpload } from '../../src/security/uploads.ts';
import { buildApp } from '../../src/server/app.ts';
import { defineRoute, mountRoutes } from '../../src/server/route.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

setDataCipher(new Sm4Cipher(randomBytes(32)));

/** A public form route standing for the information-request form: each run writes one counter row. */
const formRoute = defineRoute({
  method: 'POST',
  url: '/test-forms',
  summary: 'test form',
  tags: ['test'],
  access: 'public',
  status: 201,
  body: z.object({ name: z.string().min(1).max(40), fail: z.boolean().optional() }),
  async handler({ body }, ctx) {
    return inTransaction(ctx, async (c) => {
      const prior = await c.db
        .selectFrom('counters')
        .select('value')
        .where('scope', '=', `form:${body.name}`)
        .executeTakeFirst();
      const value = (prior?.value ?? 0) + 1;
      if (prior)
        await c.db.updateTable('counters').set({ value }).where('scope', '=', `form:${body.name}`).execute();
      else
        await c.db
          .insertInto('counters')
          .values({ scope: `form:${body.name}`, value })
          .execute();
      if (body.fail) throw new Error('handler failed after writing');
      return { id: `form:${body.name}`, value };
    });
  },
});

for (const backend of backendNames) {
  describe(`web defences [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let forms: FastifyInstance;
    before(async () => {
      ts = await freshStore(backend);
      app = await buildApp({ store: ts.store, security: { loginPerMinute: 5, publicFormPerMinute: 1000 } });
      forms = Fastify();
      const { guard } = installSecurity(forms, {
        store: ts.store,
        now: () => new Date(),
        apiPrefix: '/api/v1',
        options: { publicFormPerMinute: 3 },
      });
      forms.setErrorHandler((error, _req, reply) => {
        const e = error as { status?: number; statusCode?: number; code?: string; message: string };
        return reply
          .code(e.status ?? e.statusCode ?? 500)
          .send({ code: e.code, message: e.message, fields: [] });
      });
      mountRoutes(forms, '/api/v1', [formRoute], {
        contextFor: async (req) => ({
          store: ts.store,
          db: ts.store.db,
          actor: null,
          ip: req.ip,
          now: () => new Date(),
        }),
        guard,
      });
    });
    after(async () => {
      await app.close();
      await forms.close();
      await ts.dispose();
    });

    test('API answers carry CSP, nosniff, no framing, no caching; HSTS behind TLS', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
      assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.headers['strict-transport-security'], undefined);
      const tls = await app.inject({
        method: 'GET',
        url: '/api/v1/health',
        headers: { 'x-forwarded-proto': 'https' },
      });
      assert.match(String(tls.headers['strict-transport-security']), /max-age=\d+/);
      const page = await app.inject({ method: 'GET', url: '/' });
      assert.ok(page.headers['content-security-policy'], 'portal pages have a CSP too');
      assert.equal(page.headers['x-content-type-options'], 'nosniff');
    });

    test('malformed JSON and oversized bodies get the JSON error shape (400, 413)', async () => {
      const bad = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        headers: { 'content-type': 'application/json' },
        payload: '{"username": "a", "password": ',
      });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(Object.keys(bad.json()).sort(), ['code', 'fields', 'message']);
      const big = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ username: 'x', password: 'y'.repeat(2 * 1024 * 1024) }),
      });
      assert.equal(big.statusCode, 413);
      assert.equal(big.json().code, 'body_too_large');
      assert.equal(typeof big.json().message, 'string');
    });

    test('readiness: the database answers and every migration ran', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/ready' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().status, 'ready');
    });

    test('login is rate-limited per address: 429 with the JSON error shape', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { username: `nobody${i}`, password: 'Whatever-1x' },
          remoteAddress: '192.0.2.7',
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) assert.equal(res.json().code, 'rate_limited');
      }
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
      const other = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'nobody', password: 'Whatever-1x' },
        remoteAddress: '192.0.2.8',
      });
      assert.equal(other.statusCode, 401, 'another address has its own bucket');
    });

    test('idempotency keys: same key and body → the first answer; another body → 409; failures are not kept', async () => {
      const key = randomBytes(12).toString('hex');
      const post = (payload: object, k = key, ip = '198.51.100.1') =>
        forms.inject({
          method: 'POST',
          url: '/api/v1/test-forms',
          headers: { 'idempotency-key': k },
          payload,
          remoteAddress: ip,
        });
      const first = await post({ name: 'alpha' });
      assert.equal(first.statusCode, 201);
      assert.deepEqual(first.json(), { id: 'form:alpha', value: 1 });
      const again = await post({ name: 'alpha' }, key, '198.51.100.2');
      assert.equal(again.statusCode, 201);
      assert.deepEqual(again.json(), { id: 'form:alpha', value: 1 }, 'the stored answer, not a second run');
      assert.equal(again.headers['idempotent-replayed'], 'true');
      const row = await ts.store.db
        .selectFrom('counters')
        .select('value')
        .where('scope', '=', 'form:alpha')
        .executeTakeFirst();
      assert.equal(row?.value, 1, 'the work was done once');
      const reused = await post({ name: 'beta' }, key, '198.51.100.3');
      assert.equal(reused.statusCode, 409);
      assert.equal(reused.json().code, 'idempotency_key_reused');

      const k2 = randomBytes(12).toString('hex');
      const failed = await post({ name: 'gamma', fail: true }, k2, '198.51.100.4');
      assert.equal(failed.statusCode, 500);
      const gamma = await ts.store.db
        .selectFrom('counters')
        .select('value')
        .where('scope', '=', 'form:gamma')
        .executeTakeFirst();
      assert.equal(gamma, undefined, 'the failed attempt rolled back with its key');
      const retried = await post({ name: 'gamma' }, k2, '198.51.100.5');
      assert.equal(retried.statusCode, 201, 'the key is free again after a failure');

      const k3 = randomBytes(12).toString('hex');
      const racing = await Promise.all(
        [6, 7, 8, 9].map((n) => post({ name: 'delta' }, k3, `198.51.100.${n}`)),
      );
      assert.ok(racing.every((r) => r.statusCode === 201));
      const delta = await ts.store.db
        .selectFrom('counters')
        .select('value')
        .where('scope', '=', 'form:delta')
        .executeTakeFirst();
      assert.equal(delta?.value, 1, 'four racing duplicates did the work once');
      const badKey = await post({ name: 'eps' }, 'bad key', '198.51.100.10');
      assert.equal(badKey.statusCode, 400);
    });

    test('public forms are rate-limited per address', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await forms.inject({
          method: 'POST',
          url: '/api/v1/test-forms',
          payload: { name: `r${i}` },
          remoteAddress: '203.0.113.9',
        });
        statuses.push(res.statusCode);
      }
      assert.deepEqual(statuses, [201, 201, 201, 429]);
    });
  });
}

describe('rich text and uploads', () => {
  test('sanitising keeps structure and removes scripts, handlers, styles and javascript: links', () => {
    const out = sanitizeRichText(
      '<p onclick="x()">公开<strong>内容</strong><script>alert(1)</script><a href="javascript:alert(1)">链接</a>' +
        '<a href="https://www.gov.cn/">国务院</a><img src="x" onerror="alert(1)"><iframe src="//evil"></iframe>' +
        '<style>p{}</style></p>\u0007',
    );
    assert.equal(
      out,
      '<p>公开<strong>内容</strong><a rel="noopener noreferrer">链接</a><a href="https://www.gov.cn/" rel="noopener noreferrer">国务院</a><img src="x" /></p>',
    );
  });

  test('uploads are typed by their bytes, not their name, and stored outside the served folders', () => {
    const pdf = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const exe = Buffer.from('4d5a90000300000004000000ffff0000', 'hex');
    assert.equal(sniffType(pdf), 'pdf');
    assert.equal(sniffType(png), 'png');
    assert.equal(sniffType(html), null);
    assert.equal(sniffType(exe), null);
    const dir = mkdtempSync(join(tmpdir(), 'gk-uploads-'));
    try {
      const stored = storeUpload(pdf, ['pdf'], { dir });
      assert.equal(stored.type, 'pdf');
      assert.match(stored.id, /^[0-9a-f]{32}$/);
      assert.deepEqual(readUpload(stored.id, { dir }), pdf);
      assert.throws(
        () => storeUpload(html, ['pdf'], { dir }),
        (e: { status?: number }) => e.status === 415,
      );
      assert.throws(
        () => storeUpload(png, ['pdf'], { dir }),
        (e: { code?: string }) => e.code === 'upload_type_refused',
      );
      assert.throws(
        () => storeUpload(pdf, ['pdf'], { dir, maxBytes: 10 }),
        (e: { status?: number }) => e.status === 413,
      );
      assert.throws(
        () => readUpload('../../etc/passwd', { dir }),
        (e: { status?: number }) => e.status === 404,
      );
      assert.deepEqual(readdirSync(dir).length, 1, 'refused files leave nothing behind');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
