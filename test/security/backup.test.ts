import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { inTransaction } from '../../src/context.ts';
import { unitCreator } from '../../src/registry/commands/unitCreator.ts';
import { appendAudit, verifyAuditChain } from '../../src/security/audit.ts';
import { backupDatabase, restoreDatabase } from '../../src/security/backup.ts';
import { openPostgresStore } from '../../src/store/postgresStore.ts';
import { openSqliteStore } from '../../src/store/sqliteStore.ts';
import type { Db, Store } from '../../src/store/store.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import { locate, pgUrl } from './support.ts';

/**
 * Backup under load and restore (等保 2.0 数据备份恢复): a backup taken while units are being written restores
 * into a database whose every table matches the source as of one moment: tables the load does not touch are
 * equal row for row; the written table holds an unbroken prefix of the writes, including every write
 * acknowledged before the backup began.
 */
async function tableNames(store: Store, schema?: string): Promise<string[]> {
  if (store.hooks.name === 'sqlite') {
    const r = await sql<{ name: string }>`select name from sqlite_master where type = 'table'
      and name not like 'sqlite_%' order by name`.execute(store.db);
    return r.rows.map((x) => x.name);
  }
  const r = await sql<{ table_name: string }>`select table_name from information_schema.tables
    where table_schema = ${schema} and table_type = 'BASE TABLE' order by table_name`.execute(store.db);
  return r.rows.map((x) => x.table_name);
}

async function rowsOf(db: Db, table: string): Promise<string[]> {
  const r = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
  return r.rows
    .map((row) => JSON.stringify(Object.entries(row).sort(([a], [b]) => a.localeCompare(b))))
    .sort();
}

for (const backend of backendNames) {
  describe(`backup while writing, then restore [${backend}]`, () => {
    let ts: TestStore;
    let restored: Store | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    const dir = mkdtempSync(join(tmpdir(), 'gk-backup-'));
    before(async () => {
      ts = await freshStore(backend);
      for (let i = 0; i < 5; i++)
        await appendAudit(ts.store, { action: 'test.before-backup', outcome: 'success' });
    });
    after(async () => {
      await restored?.close();
      await cleanup?.();
      await ts.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    test('every table of the restored backup matches the source at one moment', async () => {
      const where = locate(ts);
      const root = (
        await inTransaction(ts.ctx, (c) =>
          unitCreator(c, { parentId: null, name: '备份测试', kind: 'bureau' }),
        )
      ).id;
      let written = 0;
      let stop = false;
      const load = (async () => {
        while (!stop) {
          const n = written + 1;
          await inTransaction(ts.ctx, (c) =>
            unitCreator(c, { parentId: root, name: `写入${String(n).padStart(6, '0')}`, kind: 'section' }),
          );
          written = n;
          // SQLite runs in this process: let the backup's steps interleave with the writes
          await new Promise((r) => setImmediate(r));
        }
      })();
      while (written < 30) await new Promise((r) => setTimeout(r, 5));
      const ackedBeforeBackup = written;
      const file = join(dir, backend === 'sqlite' ? 'gongkai.db.bak' : 'gongkai.dump');
      await backupDatabase(
        where.sqlitePath ? { databaseUrl: where.sqlitePath } : { databaseUrl: pgUrl, schema: where.schema! },
        file,
      );
      const ackedAfterBackup = written;
      stop = true;
      await load;
      assert.ok(
        ackedAfterBackup > ackedBeforeBackup || backend === 'sqlite',
        'writes went on during the backup',
      );

      if (where.sqlitePath) {
        const target = join(dir, 'restored.db');
        await restoreDatabase({ databaseUrl: target }, file);
        restored = openSqliteStore({ path: target });
      } else {
        const dbName = `gk_restore_${randomBytes(4).toString('hex')}`;
        const admin = new pg.Client({ connectionString: pgUrl });
        await admin.connect();
        await admin.query(`create database ${dbName}`);
        await admin.end();
        const url = new URL(pgUrl);
        url.pathname = `/${dbName}`;
        await restoreDatabase({ databaseUrl: url.toString() }, file);
        restored = openPostgresStore({ url: url.toString(), schema: where.schema!, poolSize: 2 });
        cleanup = async () => {
          const c = new pg.Client({ connectionString: pgUrl });
          await c.connect();
          await c.query(`drop database if exists ${dbName}`);
          await c.end();
        };
      }

      const sourceTables = await tableNames(ts.store, where.schema);
      const restoredTables = await tableNames(restored, where.schema);
      assert.deepEqual(restoredTables, sourceTables, 'every table is there');
      assert.ok(sourceTables.includes('audit_log') && sourceTables.includes('units'));
      for (const table of sourceTables) {
        const a = await rowsOf(ts.store.db, table);
        const b = await rowsOf(restored.db, table);
        if (table === 'units') {
          const source = new Set(a);
          for (const row of b) assert.ok(source.has(row), 'each restored unit is a source unit, unchanged');
        } else {
          assert.deepEqual(b, a, `table ${table} equal row for row`);
        }
      }
      const names = (
        await restored.db.selectFrom('units').select('name').where('parent_id', '=', root).execute()
      )
        .map((u) => Number(u.name.slice(2)))
        .sort((x, y) => x - y);
      assert.ok(
        names.length >= ackedBeforeBackup,
        `every write acknowledged before the backup: ${names.length} ≥ ${ackedBeforeBackup}`,
      );
      assert.deepEqual(
        names,
        Array.from({ length: names.length }, (_, i) => i + 1),
        'an unbroken prefix: one moment',
      );
      assert.equal((await verifyAuditChain(restored.db)).ok, true, 'the restored audit chain verifies');
    });
  });
}
