import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { serverBundle, startServer } from '../security/serverProcess.ts';
import { databaseUrlOf } from '../security/support.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

// The first start and the `gongkai` command line as an installer meets them (issue 2 items 5, 7, 9): the
// administrator's and the demo accounts' passwords are set from the environment or generated and printed once;
// there is no built-in default password; the three administrator roles are separate accounts.

const run = promisify(execFile);

/** Run `gongkai …` (bin/gongkai.js, what `npx gongkai` runs) against a database. */
function gongkai(env: NodeJS.ProcessEnv, ...args: string[]) {
  return run(process.execPath, ['bin/gongkai.js', ...args], {
    env,
    cwd: process.cwd(),
    timeout: 120_000,
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: e.code ?? 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    }),
  );
}

/** The environment of a fresh install: no passwords configured, no demo. */
function cleanEnv(databaseUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    GONGKAI_DEMO: '0',
    LOG_LEVEL: 'warn',
  };
  delete env.GONGKAI_ADMIN_PASSWORD;
  delete env.GONGKAI_DEMO_PASSWORD;
  return env;
}

/** Start the server as `npm start` does, until it answers; what it printed, then stop it. */
async function startOnce(
  env: NodeJS.ProcessEnv,
): Promise<{ printed: string; base: string; stop: () => Promise<void> }> {
  const server = await startServer({ ...env, GONGKAI_DATA_KEY: 'a'.repeat(64) });
  return {
    printed: server.output(),
    base: server.base,
    async stop() {
      server.child.kill('SIGTERM');
      await server.exited;
    },
  };
}

const loginAt = (base: string, username: string, password: string) =>
  fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });

after(async () => {
  rmSync(dirname(await serverBundle()), { recursive: true, force: true });
});

const adminLine = /管理员账号 admin 的初始密码（仅显示一次，首次登录后须修改）：(\S+)/;
const demoLine = /演示账号（用户名为姓名拼音，如 sunhonghu）的共同密码（仅显示一次）：(\S+)/;

for (const backend of backendNames) {
  describe(`first start and the command line [${backend}]`, () => {
    let ts: TestStore;
    let env: NodeJS.ProcessEnv;
    let app: FastifyInstance;
    before(async () => {
      ts = await freshStore(backend);
      env = cleanEnv(databaseUrlOf(ts));
      app = await buildApp({ store: ts.store });
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });
    const login = (username: string, password: string) =>
      app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });

    test('gongkai migrate brings the schema up to date and says where', async () => {
      const r = await gongkai(env, 'migrate');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, backend === 'sqlite' ? /^migrated sqlite / : /^migrated postgres/);
    });

    test('without GONGKAI_ADMIN_PASSWORD the first start prints a generated admin password once; no default works', async () => {
      assert.equal(
        (await ts.store.db.selectFrom('users').select('id').execute()).length,
        0,
        'an empty database has no account at all',
      );
      const first = await gongkai(env, 'user', 'list');
      assert.equal(first.code, 0, first.stderr);
      const password = adminLine.exec(first.stdout)?.[1];
      assert.ok(password, `the password is printed: ${first.stdout}`);
      assert.ok(password.length >= 12);
      assert.match(first.stdout, /^admin\tsysadmin\t系统管理员$/m);
      const second = await gongkai(env, 'user', 'list');
      assert.equal(second.code, 0, second.stderr);
      assert.doesNotMatch(second.stdout, /初始密码/, 'printed once only');

      for (const guess of ['admin', 'admin123', 'Admin@123', '123456']) {
        assert.equal((await login('admin', guess)).statusCode, 401, `${guess} is not a password`);
      }
      const ok = await login('admin', password);
      assert.equal(ok.statusCode, 200);
      const body = ok.json() as { mustChangePassword: boolean; user: { role: string } };
      assert.equal(body.user.role, 'sysadmin');
      assert.equal(body.mustChangePassword, true, 'a generated password must be changed at first login');
      const stored = await ts.store.db
        .selectFrom('users')
        .select('password_hash')
        .where('username', '=', 'admin')
        .executeTakeFirstOrThrow();
      assert.ok(!stored.password_hash.includes(password), 'only a hash is kept');
      assert.match(stored.password_hash, /^scrypt\$/, 'hashed with scrypt (RFC 7914)');
    });

    test('gongkai user add: security administrator and auditor are accounts of their own, one role each', async () => {
      const add = (username: string, role: string) =>
        gongkai(
          env,
          'user',
          'add',
          username,
          '--role',
          role,
          '--name',
          username,
          '--password',
          'Quiet-river-42',
        );
      const sec = await add('anquan', 'secadmin');
      assert.equal(sec.code, 0, sec.stderr);
      assert.match(sec.stdout, /created anquan \(secadmin\)/);
      assert.equal((await add('shenji', 'auditor')).code, 0);
      const again = await add('anquan', 'auditor');
      assert.equal(again.code, 1, 'the security administrator cannot also be made the auditor');
      assert.match(again.stderr, /用户名已存在：anquan/);
      assert.equal((await add('both', 'secadmin,auditor')).code, 2, 'one role per account');
      const list = await gongkai(env, 'user', 'list');
      assert.deepEqual(
        list.stdout
          .trim()
          .split('\n')
          .map((l) => l.split('\t').slice(0, 2)),
        [
          ['admin', 'sysadmin'],
          ['anquan', 'secadmin'],
          ['shenji', 'auditor'],
        ],
      );
      const first = await login('anquan', 'Quiet-river-42');
      assert.equal((first.json() as { user: { role: string } }).user.role, 'secadmin');
      assert.equal((first.json() as { mustChangePassword: boolean }).mustChangePassword, true);
    });

    test('with the passwords in the environment nothing is printed; the demo accounts use GONGKAI_DEMO_PASSWORD', async () => {
      const other = await freshStore(backend);
      const server = await startOnce({
        ...cleanEnv(databaseUrlOf(other)),
        GONGKAI_DEMO: '1',
        GONGKAI_ADMIN_PASSWORD: 'Granite-owl-2026',
        GONGKAI_DEMO_PASSWORD: 'Demo-lake-2026',
      });
      try {
        assert.doesNotMatch(server.printed, adminLine);
        assert.doesNotMatch(server.printed, demoLine);
        const admin = await loginAt(server.base, 'admin', 'Granite-owl-2026');
        assert.equal(admin.status, 200);
        assert.equal(((await admin.json()) as { mustChangePassword: boolean }).mustChangePassword, false);
        assert.equal((await loginAt(server.base, 'sunhonghu', 'Demo-lake-2026')).status, 200);
      } finally {
        await server.stop();
        await other.dispose();
      }
    });

    test('without GONGKAI_DEMO_PASSWORD the demo password is generated and printed once', async () => {
      const other = await freshStore(backend);
      const demoEnv = { ...cleanEnv(databaseUrlOf(other)), GONGKAI_DEMO: '1' };
      try {
        const first = await startOnce(demoEnv);
        await first.stop();
        const adminPassword = adminLine.exec(first.printed)?.[1];
        const demoPassword = demoLine.exec(first.printed)?.[1];
        assert.ok(adminPassword && demoPassword, first.printed);
        assert.notEqual(adminPassword, demoPassword);
        const second = await startOnce(demoEnv);
        try {
          assert.doesNotMatch(second.printed, /密码/, 'a second start prints no password');
          const res = await loginAt(second.base, 'wangzhenyong', demoPassword);
          assert.equal(res.status, 200);
          assert.equal(((await res.json()) as { user: { displayName: string } }).user.displayName, '王振勇');
          // the README's first command: the home page, and the seed units of 山亭区住建局 with their 43 work items
          assert.equal((await fetch(`${second.base}/`)).status, 200);
          const units = (await (await fetch(`${second.base}/api/v1/units`)).json()) as {
            items: { id: string; parentId: string | null; name: string; workItemCount: number }[];
          };
          const seed = units.items.filter((u) => u.id === 'st-zjj' || u.parentId === 'st-zjj');
          assert.ok(seed.some((u) => u.name === '山亭区住房保障服务中心'));
          assert.ok(seed.some((u) => u.name === '山亭区建筑业发展服务中心'));
          assert.equal(
            seed.reduce((n, u) => n + u.workItemCount, 0),
            43,
          );
        } finally {
          await second.stop();
        }
      } finally {
        await other.dispose();
      }
    });
  });
}
