import type { Database as SqliteHandle, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * Kysely's SQLite driver prepares every statement it runs, and preparing (parsing and planning the SQL in
 * SQLite) costs more than running the small statements the flow engine sends: about a fifth of a task
 * completion (issue 8). The platform sends the same few hundred statement texts over and over, so the
 * prepared statements are kept, keyed by their text, the least recently used one dropped beyond `limit`
 * (texts built from a variable number of values, `in (?, ?, …)` lists and multi-row inserts, would grow it
 * without bound). SQLite re-prepares a kept statement by itself when the schema changes under it.
 *
 * Reusing one statement is safe because Kysely's driver runs one statement at a time on its one connection
 * (a mutex), and a statement is run to its end (all/run) or iterated to its end before the next one starts.
 */
export function cachingStatements(db: SqliteHandle, limit = 500): SqliteDatabase {
  const kept = new Map<string, Statement>();
  return {
    close: () => {
      kept.clear();
      db.close();
    },
    prepare(sql: string) {
      let stmt = kept.get(sql);
      if (stmt) {
        // Map keeps insertion order: moving the text to the end makes the first key the least recently used
        kept.delete(sql);
      } else {
        stmt = db.prepare(sql);
        if (kept.size >= limit) {
          const oldest = kept.keys().next().value;
          if (oldest !== undefined) kept.delete(oldest);
        }
      }
      kept.set(sql, stmt);
      return stmt;
    },
  };
}
