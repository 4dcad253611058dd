import { Kysely, type SqlBool, sql } from 'kysely';
import pg from 'pg';
import { runMigrations } from './migrate.ts';
import { GongkaiPostgresDialect } from './postgresIntrospector.ts';
import type { Database } from './schema.ts';
import type { DialectHooks, Lockable, Store } from './store.ts';

// COUNT(*) and other int8 results arrive as strings by default; the values this platform counts fit in a
// double, so read them as numbers on both databases.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

export const postgresHooks: DialectHooks = {
  name: 'postgres',
  skipLocked: <Q extends Lockable>(q: Q) => q.forUpdate().skipLocked(),
  forUpdate: <Q extends Lockable>(q: Q) => q.forUpdate(),
  // 'simple': no stemming or stop words, the words are jieba's already; weight A for the title, B for the rest.
  async createSearchIndex(db) {
    await sql`alter table search_docs add column tsv tsvector`.execute(db);
    await sql`create index search_docs_tsv on search_docs using gin (tsv)`.execute(db);
  },
  async writeSearchWords(db, doc, titleWords, textWords) {
    await sql`update search_docs set tsv = setweight(to_tsvector('simple', ${titleWords}), 'A') || setweight(to_tsvector('simple', ${textWords}), 'B') where id = ${doc.id}`.execute(
      db,
    );
  },
  async writeSearchWordsMany(db, docs) {
    if (!docs.length) return;
    // Three array parameters whatever the number of documents: no parameter limit, one statement, and the
    // same weighting as writeSearchWords.
    await sql`update search_docs d set tsv = setweight(to_tsvector('simple', v.t), 'A') || setweight(to_tsvector('simple', v.b), 'B')
      from (select unnest(${docs.map((x) => x.id)}::text[]) as id, unnest(${docs.map((x) => x.titleWords)}::text[]) as t, unnest(${docs.map((x) => x.textWords)}::text[]) as b) v
      where d.id = v.id`.execute(db);
  },
  async deleteSearchWords(db, doc) {
    await sql`update search_docs set tsv = null where id = ${doc.id}`.execute(db);
  },
  searchMatch(words) {
    // Each word a quoted tsquery lexeme (quotes and backslashes escaped), joined with &: every word must occur.
    const query = words.map((w) => `'${w.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' & ');
    return {
      from: sql`search_docs d`,
      where: sql<SqlBool>`d.tsv @@ to_tsquery('simple', ${query})`,
      indexed: sql<number>`d.seq`,
      fromIndexOnly: sql`search_docs d`,
      // ILIKE: ASCII case ignored as by SQLite's LIKE; the word's own % _ \ are escaped
      contains: (column, word) =>
        sql<SqlBool>`${column} ilike ${`%${word.replace(/[\\%_]/g, '\\$&')}%`} escape '\\'`,
    };
  },
  // The protocol's Bind message counts parameters in 16 bits.
  maxParameters: 65_535,
  valuesPlaceholders(columnCount, rowCount) {
    // Numbered placeholders, $1 … $(columnCount × rowCount), row by row.
    const groups: string[] = new Array(rowCount);
    let n = 1;
    for (let r = 0; r < rowCount; r++) {
      const g: string[] = new Array(columnCount);
      for (let c = 0; c < columnCount; c++) g[c] = `$${n++}`;
      groups[r] = `(${g.join(',')})`;
    }
    return groups.join(',');
  },
};

export interface PostgresStoreOptions {
  url: string;
  /** A schema to work in (created if missing); tests use one per store so test files can run in parallel. */
  schema?: string;
  poolSize?: number;
}

export function openPostgresStore({ url, schema, poolSize = 10 }: PostgresStoreOptions): Store {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema))
    throw new Error(`bad schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new GongkaiPostgresDialect({ pool }) });
  const safeUrl = url.replace(/\/\/[^@/]*@/, '//***@');
  return {
    hooks: postgresHooks,
    db,
    description: `postgres ${safeUrl}${schema ? ` schema ${schema}` : ''}`,
    transaction: (fn) => db.transaction().execute(fn),
    async migrate() {
      if (schema) {
        const client = await pool.connect();
        try {
          await client.query(`create schema if not exists ${schema}`);
        } finally {
          client.release();
        }
      }
      await runMigrations(db as unknown as Kysely<unknown>, postgresHooks, schema);
    },
    close: () => db.destroy(),
  };
}
