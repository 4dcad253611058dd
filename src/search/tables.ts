/**
 * The document index: one row per searchable public document (a record, a notice, a page), whatever module
 * owns it. Only public text goes in; the owning module decides what is public before calling `indexDocument`.
 * The words themselves live in the database's full-text index (see DialectHooks.createSearchIndex).
 */
export interface SearchTables {
  search_docs: {
    id: string;
    /** Stable integer key of the full-text row (SQLite FTS5 rowid); from the `search_docs` counter. */
    seq: number;
    kind: string;
    url: string;
    title: string;
    summary: string | null;
    /** Body and attachment text, kept for snippets. */
    content: string | null;
    area: string | null;
    sub_area: string | null;
    stage: string | null;
    body: string | null;
    body_name: string | null;
    year: number | null;
    published_at: string;
    /** Days since 1970-01-01 of published_at: recency arithmetic that is the same SQL on both databases. */
    published_day: number;
    updated_at: string;
  };
}
