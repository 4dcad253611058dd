import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Context, systemContext } from '../../src/context.ts';
import { openPostgresStore } from '../../src/store/postgresStore.ts';
import { openSqliteStore } from '../../src/store/sqliteStore.ts';
import type { BackendName, Store } from '../../src/store/store.ts';

/**
 * The databases the integration tests run on: both, unless the test runner found no PostgreSQL
 * (scripts/test.mjs sets GONGKAI_TEST_BACKENDS and prints which ran). Tests are written once and run on each.
 */
export const backendNames: BackendName[] = (process.env.GONGKAI_TEST_BACKENDS ?? 'sqlite,postgres')
  .split(',')
  .filter((b): b is BackendName => b === 'sqlite' || b === 'postgres');

const pgUrl = process.env.GONGKAI_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore {
  store: Store;
  ctx: Context;
  /** Drop everything this store created. */
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated, empty store: a new SQLite file in a temporary folder, or a new PostgreSQL schema, so
 * that test files can run in parallel without seeing each other's rows.
 */
export async function freshStore(backend: BackendName): Promise<TestStore> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gongkai-test-'));
    const store = openSqliteStore({ path: join(dir, 'test.db') });
    await store.migrate();
    return {
      store,
      ctx: systemContext(store),
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const store = openPostgresStore({ url: pgUrl, schema, poolSize: 5 });
  await store.migrate();
  return {
    store,
    ctx: systemContext(store),
    async dispose() {
      await store.close();
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}
