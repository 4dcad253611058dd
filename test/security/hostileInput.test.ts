import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { Sm4Cipher, setDataCipher } from '../../src/security/crypto.ts';
import { canonicalJson } from '../../src/security/idempotency.ts';
import { passwordProblems } from '../../src/security/passwordPolicy.ts';
import { maskIdNumber, maskPhone } from '../../src/security/personalData.ts';
import { sanitizeRichText } from '../../src/security/sanitize.ts';
import { apiRoutes } from '../../src/server/apiRoutes.ts';
import { buildApp } from '../../src/server/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import { hostileString, hostileValue, runs } from './hostileArbitraries.ts';

setDataCipher(new Sm4Cipher(randomBytes(32)));

/**
 * Hostile input (issue 7 item 9; 等保 2.0 入侵防范: 应提供数据有效性检验功能): property tests with 100,000 cases each
 * against the pure functions that meet untrusted input first, then a sample through HTTP. Nothing may throw
 * anything but a clear refusal, and nothing may crash the server.
 */
const publicWrites = apiRoutes.filter((r) => r.access === 'public' && r.method !== 'GET' && r.body);

describe('hostile input: pure functions, 100,000 cases each', () => {
  test(`the body schemas of the ${publicWrites.length} public forms answer every input with data or field errors`, () => {
    assert.ok(publicWrites.length >= 2, 'login and the information-request form at least');
    const fieldNames = [
      ...new Set(publicWrites.flatMap((r) => Object.keys((r.body as { shape?: object }).shape ?? {}))),
    ];
    fc.assert(
      fc.property(
        fc.nat(publicWrites.length - 1),
        fc.dictionary(fc.oneof(fc.constantFrom(...fieldNames), hostileString), hostileValue, { maxKeys: 12 }),
        (i, body) => {
          const route = publicWrites[i]!;
          const result = route.body!.safeParse(body);
          if (!result.success) assert.ok(result.error.issues.length > 0);
        },
      ),
      runs,
    );
  });

  test('passwords: the rules never throw, and what they accept has 8+ characters of 3 classes', () => {
    fc.assert(
      fc.property(hostileString, fc.option(hostileString), (pw, user) => {
        const problems = passwordProblems(pw, user ?? undefined);
        if (!problems.length) {
          assert.ok([...pw].length >= 8);
          const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(pw)).length;
          assert.ok(classes >= 3);
        }
      }),
      runs,
    );
  });

  test('rich text: no script, event handler or javascript: URL survives sanitising', () => {
    const pieces = fc.constantFrom(
      '<script>',
      '</script>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">',
      '<a href="jav&#x61;script:x">',
      '<svg onload=alert(1)>',
      '<iframe src=//x>',
      '<p style="x:expression(1)">',
      '<!--',
      '-->',
      '<',
      '>',
      '"',
      "'",
      '<p>',
      '</p>',
      '<ScRiPt>',
      '<a href=" javascript:x">',
      '<math><mi xlink:href="javascript:x">',
      '<div onmouseover="x">',
      'on',
      '=',
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            pieces,
            hostileString.filter((s) => s.length < 200),
          ),
          { maxLength: 12 },
        ),
        (parts) => {
          const out = sanitizeRichText(parts.join('')).toLowerCase();
          assert.ok(!out.includes('<script'), out);
          assert.ok(!/<[^>]*\son[a-z]+\s*=/.test(out), out);
          assert.ok(!/(href|src)\s*=\s*"\s*javascript:/.test(out), out);
          assert.ok(!out.includes('<iframe') && !out.includes('<svg'), out);
        },
      ),
      runs,
    );
  });

  test('idempotency: the body hash ignores key order and reads back the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        assert.equal(canonicalJson(JSON.parse(text)), text);
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          const reversed = Object.fromEntries(Object.entries(value).reverse());
          assert.equal(canonicalJson(reversed), text);
        }
      }),
      runs,
    );
  });

  test('masks never show more than 7 characters of an ID number or 7 of a phone', () => {
    fc.assert(
      fc.property(
        hostileString.filter((s) => s.length < 100),
        (v) => {
          const shown = (m: string | null) => [...(m ?? '')].filter((c) => c !== '*').length;
          assert.ok(shown(maskIdNumber(v)) <= 7);
          assert.ok(shown(maskPhone(v)) <= 7);
          assert.equal([...(maskIdNumber(v) ?? '')].length, [...v].length);
        },
      ),
      runs,
    );
  });
});

for (const backend of backendNames) {
  describe(`hostile input through HTTP, a sample [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    before(async () => {
      ts = await freshStore(backend);
      app = await buildApp({ store: ts.store, security: { loginPerMinute: 1e6, publicFormPerMinute: 1e6 } });
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('public forms answer hostile bodies with a clear 4xx in the JSON error shape, never a 5xx', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.nat(publicWrites.length - 1),
          fc.oneof(
            fc
              .dictionary(
                hostileString.filter((s) => s.length < 50),
                hostileValue,
                { maxKeys: 8 },
              )
              .map((o) => JSON.stringify(o)),
            hostileString.map((s) => s.slice(0, 2000)),
            fc.constantFrom(
              '{',
              '[1,',
              '{"a":}',
              'null',
              '"x"',
              '{"__proto__":{"admin":true}}',
              '{"constructor":{"prototype":{}}}',
            ),
          ),
          async (i, payload) => {
            const route = publicWrites[i]!;
            const res = await app.inject({
              method: route.method,
              url: `/api/v1${route.url}`,
              headers: { 'content-type': 'application/json' },
              payload,
            });
            assert.ok(
              res.statusCode >= 400 && res.statusCode < 500,
              `${route.url}: ${res.statusCode} ${res.body.slice(0, 200)}`,
            );
            const body = res.json() as { code: unknown; message: unknown; fields: unknown };
            assert.equal(typeof body.code, 'string');
            assert.equal(typeof body.message, 'string');
            assert.ok(Array.isArray(body.fields));
          },
        ),
        { numRuns: 300 },
      );
      assert.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype pollution');
    });
  });
}
