import type { Kysely, RawBuilder, SqlBool, Transaction } from 'kysely';
import type { Database } from './schema.ts';

export type BackendName = 'sqlite' | 'postgres';

/**
 * The short, named list of things the two databases do differently. Domain code calls these hooks and never
 * asks which database it runs on (the Payload adapter pattern).
 */
export interface DialectHooks {
  readonly name: BackendName;
  /**
   * Lock the rows a claim query selects so that another process skips them. PostgreSQL: `FOR UPDATE SKIP LOCKED`.
   * SQLite has one writer at a time, so the write transaction is the lock and the query is returned unchanged.
   */
  skipLocked<Q extends Lockable>(query: Q): Q;
  /** Lock the selected rows until the transaction ends (`FOR UPDATE`); SQLite: unchanged, as above. */
  forUpdate<Q extends Lockable>(query: Q): Q;

  // Full-text search (src/search/). The text arrives already segmented by jieba into space-separated words, so
  // each database only indexes words: SQLite in an FTS5 table keyed by search_docs.seq, PostgreSQL in a
  // tsvector column ('simple' configuration) with a GIN index.
  /** Migration step: create the word index over `search_docs` (after that table exists). */
  createSearchIndex(db: Kysely<unknown>): Promise<void>;
  /** Replace the indexed words of one document; title words weigh more than the rest. */
  writeSearchWords(
    db: Db,
    doc: { id: string; seq: number },
    titleWords: string,
    textWords: string,
  ): Promise<void>;
  /**
   * Replace the indexed words of many documents at once (bulk imports): what writeSearchWords does for each,
   * in one statement per chunk instead of one per document.
   */
  writeSearchWordsMany(db: Db, docs: readonly SearchWordsDoc[]): Promise<void>;
  /** Drop the indexed words of one document (before its `search_docs` row goes). */
  deleteSearchWords(db: Db, doc: { id: string; seq: number }): Promise<void>;
  /**
   * SQL fragments for documents holding every one of `words`: `from` names `search_docs` as `d`, `where` is the
   * match. No relevance score comes from the full-text index: FTS5's bm25 reads every match's posting list for
   * the words' document frequency on each query (O(all matches) whatever the LIMIT), so search() scores the
   * candidates from their own columns with `contains`, the same SQL on both databases (ADR 0006).
   */
  searchMatch(words: string[]): {
    from: RawBuilder<unknown>;
    where: RawBuilder<SqlBool>;
    /**
     * The documents' `search_docs.seq`, in the order they were indexed (newest last), walked backwards cheaply
     * by the full-text index itself (FTS5's rowid; `d.seq` on PostgreSQL): relevance is ranked among the newest.
     */
    indexed: RawBuilder<number>;
    /** `from` without the documents' table, for a query that filters on nothing else (FTS5 answers alone). */
    fromIndexOnly: RawBuilder<unknown>;
    /**
     * Whether the text of `column` holds `word` (one of the lower-case query words), ASCII letters in any case:
     * SQLite's LIKE ignores ASCII case by itself, PostgreSQL needs ILIKE; `lower(column) like` on both doubled
     * SQLite's ranking time at 1M records.
     */
    contains(column: RawBuilder<unknown>, word: string): RawBuilder<SqlBool>;
  };

  // Multi-row INSERTs built as text (src/store/bulkInsert.ts), bypassing the query builder's per-value cost.
  /**
   * Most bound parameters one statement may carry: SQLite 32,766 (SQLITE_MAX_VARIABLE_NUMBER since 3.32),
   * PostgreSQL 65,535 (the protocol counts parameters in 16 bits).
   */
  readonly maxParameters: number;
  /**
   * The placeholder part of a multi-row VALUES clause: `rowCount` groups `(…)` of `columnCount` placeholders,
   * comma-separated, bound in order (SQLite `?`, PostgreSQL `$1 … $n`).
   */
  valuesPlaceholders(columnCount: number, rowCount: number): string;
}

/** One document's words for writeSearchWordsMany: its keys (as in writeSearchWords) and the segmented words. */
export interface SearchWordsDoc {
  id: string;
  seq: number;
  titleWords: string;
  textWords: string;
}

export interface Lockable {
  forUpdate(): this;
  skipLocked(): this;
}

export type Db = Kysely<Database> | Transaction<Database>;

/** One store interface over both databases. */
export interface Store {
  readonly hooks: DialectHooks;
  readonly db: Kysely<Database>;
  /** Run `fn` in one transaction; it commits when `fn` resolves and rolls back when it throws. */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** Bring the schema up to date; runs at every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** A human-readable description for logs ("sqlite data/gongkai.db", "postgres 127.0.0.1:5432/test"). */
  readonly description: string;
}
