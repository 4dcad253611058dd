import { openPostgresStore } from '../../src/store/postgresStore.ts';
import { openSqliteStore } from '../../src/store/sqliteStore.ts';
import type { Store } from '../../src/store/store.ts';
import type { TestStore } from '../support/backends.ts';

export const pgUrl = process.env.GONGKAI_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Where a test store lives: the SQLite file, or the PostgreSQL schema (read from its description). */
export function locate(ts: TestStore): { sqlitePath?: string; schema?: string } {
  const d = ts.store.description;
  const sqlite = /^sqlite (.+)$/.exec(d);
  if (sqlite) return { sqlitePath: sqlite[1]! };
  const schema = / schema ([a-z0-9_]+)$/.exec(d);
  if (!schema?.[1]) throw new Error(`cannot locate ${d}`);
  return { schema: schema[1] };
}

/** A second handle on the same database, as another process would have. */
export function anotherHandle(ts: TestStore): Store {
  const where = locate(ts);
  if (where.sqlitePath) return openSqliteStore({ path: where.sqlitePath });
  return openPostgresStore({ url: pgUrl, schema: where.schema!, poolSize: 3 });
}

/** A connection URL a child process can use (PostgreSQL: the schema through the search_path option). */
export function databaseUrlOf(ts: TestStore): string {
  const where = locate(ts);
  if (where.sqlitePath) return where.sqlitePath;
  const u = new URL(pgUrl);
  u.searchParams.set('options', `-c search_path=${where.schema}`);
  return u.toString();
}
