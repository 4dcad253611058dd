import { isPostgresUrl } from '../config.ts';
import { openPostgresStore } from './postgresStore.ts';
import { openSqliteStore } from './sqliteStore.ts';
import type { Store } from './store.ts';

/** `postgres://…` opens PostgreSQL; anything else is a SQLite file. */
export function openStore(databaseUrl: string): Store {
  if (isPostgresUrl(databaseUrl)) return openPostgresStore({ url: databaseUrl });
  return openSqliteStore({ path: databaseUrl.replace(/^sqlite:(\/\/)?/, '') });
}
