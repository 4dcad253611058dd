import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { appendAudit, pruneAudit, verifyAuditChain } from '../../src/security/audit.ts';
import { Sm4Cipher, setDataCipher } from '../../src/security/crypto.ts';
import { buildApp } from '../../src/server/app.ts';
import { signIn } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import { databaseUrlOf } from './support.ts';

setDataCipher(new Sm4Cipher(randomBytes(32)));
const exec = promisify(execFile);

async function dropGuards(ts: TestStore): Promise<void> {
  // a database administrator with full rights can drop the triggers; the chain still tells
  if (ts.store.hooks.name === 'postgres') {
    await sql`drop trigger audit_log_guard on audit_log`.execute(ts.store.db);
  } else {
    await sql`drop trigger audit_log_no_update`.execute(ts.store.db);
    await sql`drop trigger audit_log_no_delete`.execute(ts.store.db);
  }
}

async function cli(ts: TestStore, ...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await exec(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrlOf(ts),
        GONGKAI_DATA_KEY: randomBytes(32).toString('hex'),
      },
    });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

for (const backend of backendNames) {
  describe(`audit trail (等保 安全审计) [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    before(async () => {
      ts = await freshStore(backend);
      app = await buildApp({ store: ts.store, security: { loginPerMinute: 1000 } });
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('logins, failures, logouts and writes are recorded with actor, time, address, target and outcome', async () => {
      const admin = await signIn(app, ts, 'sysadmin', 'au-admin');
      const bad = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'au-admin', password: 'Not-the-pass-1' },
        remoteAddress: '10.1.2.3',
      });
      assert.equal(bad.statusCode, 401);
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: admin.headers,
        payload: { parentId: null, name: '审计测试局', kind: 'bureau' },
      });
      assert.equal(created.statusCode, 201);
      const unitId = (created.json() as { id: string }).id;
      await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: admin.headers });
      const rows = await ts.store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
      const login = rows.find((r) => r.action === 'login' && r.outcome === 'success');
      assert.equal(login?.actor_name, 'au-admin');
      assert.equal(login?.actor_role, 'sysadmin');
      assert.ok(login?.ip);
      const failed = rows.find((r) => r.action === 'login' && r.outcome === 'failure');
      assert.equal(failed?.actor_name, 'au-admin', 'the attempted username');
      assert.equal(failed?.ip, '10.1.2.3');
      assert.equal(failed?.detail, 'login_failed');
      const write = rows.find((r) => r.action === 'POST /api/v1/units');
      assert.equal(write?.target, unitId);
      assert.equal(write?.outcome, 'success');
      assert.equal(write?.status, 201);
      assert.match(write?.at ?? '', /^\d{4}-\d{2}-\d{2}T/);
      const logout = rows.find((r) => r.action === 'logout');
      assert.equal(logout?.actor_name, 'au-admin');
      const noPassword = rows.filter((r) => JSON.stringify(r).includes('Not-the-pass-1'));
      assert.equal(noPassword.length, 0, 'passwords are never recorded');
    });

    test('only the auditor reads the trail through the API', async () => {
      const auditor = await signIn(app, ts, 'auditor', 'au-auditor');
      const res = await app.inject({ method: 'GET', url: '/api/v1/audit?limit=5', headers: auditor.headers });
      assert.equal(res.statusCode, 200);
      assert.ok((res.json() as { items: unknown[] }).items.length > 0);
      const sec = await signIn(app, ts, 'secadmin', 'au-sec');
      assert.equal(
        (await app.inject({ method: 'GET', url: '/api/v1/audit', headers: sec.headers })).statusCode,
        403,
      );
      const v = await app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: auditor.headers });
      assert.equal(v.json().ok, true);
    });

    test('appends from several processes at once keep one unbroken chain', async () => {
      const before = (await verifyAuditChain(ts.store.db)).lastSeq;
      const env = { ...process.env, DATABASE_URL: databaseUrlOf(ts) };
      // three processes, plus this one appending at the same time
      const children = ['a', 'b', 'c'].map((label) =>
        exec(process.execPath, ['--import', 'tsx', 'test/security/fixtures/appendAudit.ts', label, '20'], {
          env,
        }),
      );
      for (let i = 0; i < 20; i++)
        await appendAudit(ts.store, { action: 'test.process.main', outcome: 'success' });
      await Promise.all(children);
      const v = await verifyAuditChain(ts.store.db);
      assert.deepEqual(v.problems, []);
      assert.equal(v.lastSeq, before + 80);
    });

    test('the database refuses to change or delete audit rows', async () => {
      await assert.rejects(
        sql`update audit_log set detail = 'x' where seq = 1`.execute(ts.store.db),
        /append-only/,
      );
      await assert.rejects(sql`delete from audit_log where seq = 2`.execute(ts.store.db), /append-only/);
    });

    test('pruning keeps at least 6 months and leaves a verifiable chain with a checkpoint', async () => {
      const old = new Date(Date.now() - 400 * 86_400_000);
      // fresh rows appended with an old clock stand for last year's rows
      const store = ts.store;
      const base = (await verifyAuditChain(store.db)).lastSeq;
      await assert.rejects(pruneAudit(store, 30), /180 days/);
      for (let i = 0; i < 5; i++)
        await appendAudit(store, { action: 'test.old', outcome: 'success', at: old });
      const removed = await pruneAudit(store, 180);
      assert.equal(removed, base + 5, 'every row up to the last old one');
      const v = await verifyAuditChain(store.db);
      assert.deepEqual(v.problems, []);
      const first = await store.db
        .selectFrom('audit_log')
        .selectAll()
        .orderBy('seq')
        .executeTakeFirstOrThrow();
      assert.equal(first.action, 'audit.checkpoint');
      await appendAudit(store, { action: 'test.after-prune', outcome: 'success' });
      assert.equal((await verifyAuditChain(store.db)).ok, true);
    });

    test('`gongkai audit verify` passes, then detects a changed row and a deleted row; export writes every row', async () => {
      const ok = await cli(ts, 'audit', 'verify');
      assert.equal(ok.code, 0, ok.out);
      assert.match(ok.out, /audit chain OK/);
      const file = join(tmpdir(), `gk-audit-${randomBytes(4).toString('hex')}.jsonl`);
      const exported = await cli(ts, 'audit', 'export', file);
      assert.equal(exported.code, 0, exported.out);
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      const count = await ts.store.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(lines.length, Number(count.n) + 1, 'every row and the head');

      await dropGuards(ts);
      const victim = await ts.store.db
        .selectFrom('audit_log')
        .select('seq')
        .where('action', '=', 'test.after-prune')
        .executeTakeFirstOrThrow();
      for (let i = 0; i < 3; i++) await appendAudit(ts.store, { action: 'test.tail', outcome: 'success' });
      await sql`update audit_log set outcome = 'failure' where seq = ${victim.seq}`.execute(ts.store.db);
      const changed = await cli(ts, 'audit', 'verify');
      assert.equal(changed.code, 1);
      assert.match(changed.out, new RegExp(`seq ${victim.seq}: content changed`));
      await sql`update audit_log set outcome = 'success' where seq = ${victim.seq}`.execute(ts.store.db);
      assert.equal((await verifyAuditChain(ts.store.db)).ok, true, 'restored');

      await sql`delete from audit_log where seq = ${victim.seq + 1}`.execute(ts.store.db);
      const deleted = await verifyAuditChain(ts.store.db);
      assert.equal(deleted.ok, false);
      assert.match(deleted.problems.map((p) => p.problem).join('; '), /missing rows/);

      const last = await verifyAuditChain(ts.store.db);
      await sql`delete from audit_log where seq = ${last.lastSeq}`.execute(ts.store.db);
      const tail = (await verifyAuditChain(ts.store.db)).problems.map((p) => p.problem).join('; ');
      assert.match(tail, /missing at the end/);
    });
  });
}
