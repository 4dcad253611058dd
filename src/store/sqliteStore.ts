import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, type SqlBool, SqliteDialect, sql } from 'kysely';
import { runMigrations } from './migrate.ts';
import type { Database } from './schema.ts';
import { cachingStatements } from './sqliteStatementCache.ts';
import type { DialectHooks, Lockable, Store } from './store.ts';

// SQLITE_MAX_VARIABLE_NUMBER of the SQLite that better-sqlite3 builds (the default since SQLite 3.32).
const sqliteMaxParameters = 32_766;

export const sqliteHooks: DialectHooks = {
  name: 'sqlite',
  // SQLite serialises writers (one write transaction at a time), so a claim inside a write transaction is
  // already exclusive; the query needs no row lock and SQLite has no syntax for one.
  skipLocked: <Q extends Lockable>(q: Q) => q,
  forUpdate: <Q extends Lockable>(q: Q) => q,
  // Contentless FTS5 (the original text stays in search_docs) whose rowid is search_docs.seq: a stable integer,
  // unlike the implicit rowid of a text-keyed table, which VACUUM may renumber. unicode61 splits on the spaces
  // jieba's words are joined with.
  async createSearchIndex(db) {
    await sql`create virtual table search_fts using fts5(title, body, content='', contentless_delete=1, tokenize='unicode61')`.execute(
      db,
    );
  },
  async writeSearchWords(db, doc, titleWords, textWords) {
    await sql`insert or replace into search_fts(rowid, title, body) values (${doc.seq}, ${titleWords}, ${textWords})`.execute(
      db,
    );
  },
  async writeSearchWordsMany(db, docs) {
    // One multi-row statement per chunk of 3-parameter rows instead of one statement per document.
    const per = Math.floor(sqliteMaxParameters / 3);
    for (let i = 0; i < docs.length; i += per) {
      const chunk = docs.slice(i, i + per);
      const params: unknown[] = [];
      for (const d of chunk) params.push(d.seq, d.titleWords, d.textWords);
      await db.executeQuery(
        CompiledQuery.raw(
          `insert or replace into search_fts(rowid, title, body) values ${sqliteHooks.valuesPlaceholders(3, chunk.length)}`,
          params,
        ),
      );
    }
  },
  async deleteSearchWords(db, doc) {
    await sql`delete from search_fts where rowid = ${doc.seq}`.execute(db);
  },
  searchMatch(words) {
    // Each word is an FTS5 string (quotes doubled), so no user text is read as query syntax; juxtaposed: AND.
    const query = words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' ');
    return {
      from: sql`search_fts join search_docs d on d.seq = search_fts.rowid`,
      where: sql<SqlBool>`search_fts match ${query}`,
      // FTS5 walks its matches in rowid order, so `order by rowid desc limit n` stops after n rows
      indexed: sql<number>`search_fts.rowid`,
      fromIndexOnly: sql`search_fts`,
      // SQLite's LIKE ignores ASCII case by itself; the word's own % _ \ are escaped
      contains: (column, word) =>
        sql<SqlBool>`${column} like ${`%${word.replace(/[\\%_]/g, '\\$&')}%`} escape '\\'`,
    };
  },
  maxParameters: sqliteMaxParameters,
  valuesPlaceholders(columnCount, rowCount) {
    // Anonymous `?` placeholders bind in order, so every row's group is the same text.
    const group = `(${new Array(columnCount).fill('?').join(',')})`;
    return new Array(rowCount).fill(group).join(',');
  },
};

export interface SqliteStoreOptions {
  /** File path, or ':memory:'. */
  path: string;
}

export function openSqliteStore({ path }: SqliteStoreOptions): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before it is acknowledged, also across a power cut (NORMAL only across a crash
  // of the process). Acknowledged writes are never lost.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
  return {
    hooks: sqliteHooks,
    db,
    description: `sqlite ${path}`,
    transaction: (fn) => db.transaction().execute(fn),
    migrate: () => runMigrations(db as unknown as Kysely<unknown>, sqliteHooks),
    close: () => db.destroy(),
  };
}
