import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { userCreator } from '../../src/accounts/userCreator.ts';
import { inTransaction } from '../../src/context.ts';
import { Sm4Cipher, setDataCipher } from '../../src/security/crypto.ts';
import { base32Decode, totp } from '../../src/security/totp.ts';
import { buildApp } from '../../src/server/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

setDataCipher(new Sm4Cipher(randomBytes(32)));

const password = 'Quiet-river-42';

for (const backend of backendNames) {
  describe(`authentication (等保 身份鉴别) [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let clock = new Date('2026-03-02T01:00:00.000Z');
    const now = () => clock;
    const advance = (minutes: number) => {
      clock = new Date(clock.getTime() + minutes * 60_000);
    };

    before(async () => {
      ts = await freshStore(backend);
      app = await buildApp({ store: ts.store, now, security: { loginPerMinute: 1000 } });
      for (const [username, mustChange] of [
        ['clerk', false],
        ['newbie', true],
        ['locky', false],
        ['twofa', false],
        ['idler', false],
      ] as const) {
        await inTransaction(ts.ctx, (c) =>
          userCreator(c, {
            username,
            displayName: username,
            role: 'staff',
            password,
            mustChangePassword: mustChange,
          }),
        );
      }
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    const loginAs = (username: string, pw = password, extra: Record<string, string> = {}, headers = {}) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username, password: pw, ...extra },
        headers,
      });
    const sessionOf = (res: Awaited<ReturnType<typeof loginAs>>) => {
      const cookie = res.cookies.find((c) => c.name === 'gk_session');
      assert.ok(cookie, 'a session cookie is set');
      return {
        cookie,
        headers: {
          cookie: `gk_session=${cookie.value}`,
          'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken,
        },
      };
    };

    test('passwords must have 8 characters of 3 classes, not the username, not a common one', async () => {
      for (const weak of ['Short1!', 'alllowercase1', 'Password123', 'P@ssw0rd', 'Xclerk-2026a']) {
        const res = await inTransaction(ts.ctx, (c) =>
          userCreator(c, {
            username: 'clerkx',
            displayName: 'x',
            role: 'staff',
            password: weak.replace('clerk', 'clerkx'),
          }),
        ).then(
          () => null,
          (e: unknown) => e,
        );
        assert.ok(res instanceof Error, `${weak} is refused`);
        assert.equal((res as { code?: string }).code, 'validation_failed');
      }
    });

    test('the cookie is HttpOnly and SameSite=Strict; Secure when the proxy says the client used TLS', async () => {
      const plain = sessionOf(await loginAs('clerk'));
      assert.equal(plain.cookie.httpOnly, true);
      assert.equal(plain.cookie.sameSite, 'Strict');
      assert.notEqual(plain.cookie.secure, true);
      const tls = sessionOf(await loginAs('clerk', password, {}, { 'x-forwarded-proto': 'https' }));
      assert.equal(tls.cookie.secure, true);
      assert.notEqual(tls.cookie.value, plain.cookie.value, 'a new session id at every login');
    });

    test('logout ends the session at once', async () => {
      const s = sessionOf(await loginAs('clerk'));
      assert.equal(
        (await app.inject({ method: 'GET', url: '/api/v1/session', headers: s.headers })).statusCode,
        200,
      );
      const out = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: s.headers });
      assert.equal(out.statusCode, 200);
      const again = await app.inject({ method: 'GET', url: '/api/v1/session', headers: s.headers });
      assert.equal(again.statusCode, 401);
    });

    test('five failures lock the account for 30 minutes, even with the right password', async () => {
      for (let i = 0; i < 5; i++) {
        const res = await loginAs('locky', 'Wrong-pass-99');
        assert.equal(res.statusCode, 401);
        assert.equal(res.json().code, 'login_failed');
      }
      const locked = await loginAs('locky');
      assert.equal(locked.statusCode, 423);
      assert.equal(locked.json().code, 'account_locked');
      advance(29);
      assert.equal((await loginAs('locky')).statusCode, 423);
      advance(2);
      assert.equal((await loginAs('locky')).statusCode, 200);
    });

    test('a session unused for 30 minutes ends', async () => {
      const s = sessionOf(await loginAs('idler'));
      advance(20);
      assert.equal(
        (await app.inject({ method: 'GET', url: '/api/v1/session', headers: s.headers })).statusCode,
        200,
      );
      advance(29); // 29 minutes since the last use: still alive
      assert.equal(
        (await app.inject({ method: 'GET', url: '/api/v1/session', headers: s.headers })).statusCode,
        200,
      );
      advance(31);
      assert.equal(
        (await app.inject({ method: 'GET', url: '/api/v1/session', headers: s.headers })).statusCode,
        401,
      );
    });

    test('first login: everything but change-password and logout is refused until the password is changed', async () => {
      const res = await loginAs('newbie');
      assert.equal(res.json().mustChangePassword, true);
      const s = sessionOf(res);
      const blocked = await app.inject({ method: 'GET', url: '/api/v1/session', headers: s.headers });
      assert.equal(blocked.statusCode, 403);
      assert.equal(blocked.json().code, 'password_change_required');
      const people = await app.inject({ method: 'GET', url: '/api/v1/people', headers: s.headers });
      assert.equal(people.json().code, 'password_change_required');
      const weak = await app.inject({
        method: 'POST',
        url: '/api/v1/session/password',
        headers: s.headers,
        payload: { currentPassword: password, newPassword: 'newbie123' },
      });
      assert.equal(weak.statusCode, 400);
      assert.ok(weak.json().fields.some((f: { field: string }) => f.field === 'body.newPassword'));
      const changed = await app.inject({
        method: 'POST',
        url: '/api/v1/session/password',
        headers: s.headers,
        payload: { currentPassword: password, newPassword: 'Brand-new-path-7' },
      });
      assert.equal(changed.statusCode, 200);
      assert.equal(
        (await app.inject({ method: 'GET', url: '/api/v1/session', headers: s.headers })).statusCode,
        200,
      );
      assert.equal((await loginAs('newbie')).statusCode, 401, 'the old password no longer works');
      assert.equal((await loginAs('newbie', 'Brand-new-path-7')).json().mustChangePassword, false);
    });

    test('TOTP: enrol, confirm, then login needs the code; codes are single-use; recovery codes work once', async () => {
      const s = sessionOf(await loginAs('twofa'));
      const enrol = await app.inject({ method: 'POST', url: '/api/v1/session/totp', headers: s.headers });
      assert.equal(enrol.statusCode, 200);
      const { secret, uri } = enrol.json() as { secret: string; uri: string };
      assert.match(uri, /^otpauth:\/\/totp\/Gongkai%3Atwofa\?secret=/);
      const key = base32Decode(secret);
      const bad = await app.inject({
        method: 'POST',
        url: '/api/v1/session/totp/confirm',
        headers: s.headers,
        payload: { code: totp(key, new Date(clock.getTime() + 600_000)) },
      });
      assert.equal(bad.statusCode, 400);
      const ok = await app.inject({
        method: 'POST',
        url: '/api/v1/session/totp/confirm',
        headers: s.headers,
        payload: { code: totp(key, clock) },
      });
      assert.equal(ok.statusCode, 200);
      const { recoveryCodes } = ok.json() as { recoveryCodes: string[] };
      assert.equal(recoveryCodes.length, 10);

      const noCode = await loginAs('twofa');
      assert.equal(noCode.statusCode, 401);
      assert.equal(noCode.json().code, 'totp_required');
      assert.equal(
        (await loginAs('twofa', password, { totp: totp(key, clock) })).statusCode,
        401,
        'code used at confirm',
      );
      advance(1);
      const withCode = await loginAs('twofa', password, { totp: totp(key, clock) });
      assert.equal(withCode.statusCode, 200);
      const replay = await loginAs('twofa', password, { totp: totp(key, clock) });
      assert.equal(replay.json().code, 'totp_failed', 'the same code twice is refused');
      const rc = recoveryCodes[0]!;
      assert.equal((await loginAs('twofa', password, { totp: rc })).statusCode, 200);
      assert.equal(
        (await loginAs('twofa', password, { totp: rc })).statusCode,
        401,
        'recovery codes are single-use',
      );
      assert.equal((await loginAs('twofa', 'Wrong-pass-99', { totp: recoveryCodes[1]! })).statusCode, 401);
      const stored = await ts.store.db
        .selectFrom('users')
        .select('totp_secret')
        .where('username', '=', 'twofa')
        .executeTakeFirstOrThrow();
      assert.ok(stored.totp_secret?.startsWith('enc:sm4-'), 'the TOTP secret is stored SM4-encrypted');
      assert.ok(!stored.totp_secret?.includes(secret));
    });
  });
}
