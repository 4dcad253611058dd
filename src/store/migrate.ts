import { type Kysely, type Migration, Migrator } from 'kysely';
import { migrations } from './migrations/index.ts';
import type { DialectHooks } from './store.ts';

/** Run every pending migration; throws with the failing migration's name. */
export async function runMigrations(
  db: Kysely<unknown>,
  hooks: DialectHooks,
  /** PostgreSQL schema holding the migration tables. Kysely looks for its tables across every schema it can
   * see, so without this a store in one schema would take another schema's migration table for its own. */
  migrationTableSchema?: string,
): Promise<void> {
  const provided: Record<string, Migration> = {};
  for (const m of migrations) provided[m.name] = { up: (kdb) => m.up(kdb as Kysely<unknown>, hooks) };
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => provided },
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
