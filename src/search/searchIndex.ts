import { sql } from 'kysely';
import type { Context } from '../context.ts';
import { nowIso } from '../ids.ts';
import { insertRows } from '../store/bulkInsert.ts';
import { nextCounterValue, reserveCounterRange } from '../store/counters.ts';
import { indexWords, queryWords } from './segment.ts';
import { highlight } from './snippet.ts';

/** A public document as the index takes it. The owning module hands over public text only. */
export interface SearchDoc {
  id: string;
  /** What it is: 'record', 'notice', 'unit' … (a filter, and how the page labels a hit). */
  kind: string;
  /** Where the public page of the document lives. */
  url: string;
  title: string;
  summary?: string | null;
  body?: string | null;
  attachmentsText?: string | null;
  /** ISO-8601 timestamp of publication. */
  publishedAt: string;
  filters?: {
    area?: string | null;
    subArea?: string | null;
    stage?: string | null;
    /** The disclosing body (unit id) and its name for display. */
    unit?: string | null;
    unitName?: string | null;
    year?: number | null;
  };
}

export interface SearchFilters {
  kind?: string;
  area?: string;
  subArea?: string;
  stage?: string;
  unit?: string;
  year?: number;
}

export interface SearchHit {
  id: string;
  kind: string;
  url: string;
  title: string;
  /** The title with the query's words in <mark>, escaped: safe to put into a page as is. */
  titleHtml: string;
  /** A window of the summary or text around the first match, escaped and marked like titleHtml. */
  snippetHtml: string;
  publishedAt: string;
  area: string | null;
  stage: string | null;
  unit: string | null;
  unitName: string | null;
  year: number | null;
}

export interface SearchResult {
  /** The words the query was cut into (every one must occur in a hit). */
  words: string[];
  /**
   * How many documents match, counted only as far as a reader can page (pages end at maxPage): exact when
   * totalIsLowerBound is false, else the number of matches the pages reach, with more beyond.
   */
  total: number;
  /** More documents match than `total`: the page says "N 条以上". */
  totalIsLowerBound: boolean;
  /** How many of them the order reaches: all by date; by relevance, at most the candidates. */
  ranked: number;
  page: number;
  pageSize: number;
  hits: SearchHit[];
}

const dayMs = 86_400_000;
const dayOf = (iso: string) => Math.floor(Date.parse(iso) / dayMs);
// Snippets are cut from this much text; the index itself takes the whole body.
const storedContentLimit = 20_000;

/** The search_docs row of a document, but for its keys (id, seq). */
function rowOf(doc: SearchDoc, updatedAt: string) {
  const content = [doc.body, doc.attachmentsText].filter(Boolean).join('\n');
  const f = doc.filters ?? {};
  return {
    kind: doc.kind,
    url: doc.url,
    title: doc.title,
    summary: doc.summary ?? null,
    content: content.slice(0, storedContentLimit) || null,
    area: f.area ?? null,
    sub_area: f.subArea ?? null,
    stage: f.stage ?? null,
    body: f.unit ?? null,
    body_name: f.unitName ?? null,
    year: f.year ?? (Number.parseInt(doc.publishedAt.slice(0, 4), 10) || null),
    published_at: doc.publishedAt,
    published_day: dayOf(doc.publishedAt),
    updated_at: updatedAt,
  };
}

/** A document's words for the full-text index: the title's apart, as they weigh more in the ranking. */
function wordsOf(doc: SearchDoc): { titleWords: string; textWords: string } {
  const text = [doc.summary, doc.body, doc.attachmentsText, doc.filters?.unitName].filter(Boolean).join('\n');
  return { titleWords: indexWords(doc.title), textWords: indexWords(text) };
}

/** Add or replace a document in the index, in the caller's transaction. */
export async function indexDocument(ctx: Context, doc: SearchDoc): Promise<void> {
  const row = rowOf(doc, nowIso(ctx.now()));
  const existing = await ctx.db
    .selectFrom('search_docs')
    .select(['id', 'seq'])
    .where('id', '=', doc.id)
    .executeTakeFirst();
  let key: { id: string; seq: number };
  if (existing) {
    await ctx.db.updateTable('search_docs').set(row).where('id', '=', doc.id).execute();
    key = { id: existing.id, seq: Number(existing.seq) };
  } else {
    key = { id: doc.id, seq: await nextCounterValue(ctx.db, 'search_docs') };
    await ctx.db
      .insertInto('search_docs')
      .values({ id: doc.id, seq: key.seq, ...row })
      .execute();
  }
  const w = wordsOf(doc);
  await ctx.store.hooks.writeSearchWords(ctx.db, key, w.titleWords, w.textWords);
}

/** search_docs has 16 columns: 500 rows stay far below both databases' bound-parameter limits. */
const bulkRows = 500;

/** The seq keys of those of `ids` that are in the index. */
async function seqsOf(ctx: Context, ids: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < ids.length; i += bulkRows) {
    const rows = await ctx.db
      .selectFrom('search_docs')
      .select(['id', 'seq'])
      .where('id', 'in', ids.slice(i, i + bulkRows))
      .execute();
    for (const r of rows) out.set(r.id, Number(r.seq));
  }
  return out;
}

/**
 * Add or replace many documents in the caller's transaction: what `indexDocument` does for each, many rows per
 * statement. New documents get their seq keys in one counter update; a document already indexed keeps its seq
 * (the full-text row's key), its row is deleted and inserted again with the others, and its words are replaced
 * by the same writeSearchWordsMany call. Of two documents with one id, the later wins, as it would one by one.
 * Bulk imports and the portal's follower use it.
 */
export async function indexDocuments(ctx: Context, docs: readonly SearchDoc[]): Promise<void> {
  if (!docs.length) return;
  const last = new Map<string, SearchDoc>();
  for (const d of docs) {
    last.delete(d.id);
    last.set(d.id, d);
  }
  const unique = [...last.values()];
  const existing = await seqsOf(
    ctx,
    unique.map((d) => d.id),
  );
  const freshCount = unique.length - existing.size;
  let next = freshCount ? await reserveCounterRange(ctx.db, 'search_docs', freshCount) : 0;
  const keyed = unique.map((doc) => ({ doc, seq: existing.get(doc.id) ?? next++ }));
  const updatedAt = nowIso(ctx.now());
  for (let i = 0; i < keyed.length; i += bulkRows) {
    const chunk = keyed.slice(i, i + bulkRows);
    const replaced = chunk.filter((k) => existing.has(k.doc.id)).map((k) => k.doc.id);
    if (replaced.length) await ctx.db.deleteFrom('search_docs').where('id', 'in', replaced).execute();
    await insertRows(
      ctx.db,
      ctx.store.hooks,
      'search_docs',
      chunk.map(({ doc, seq }) => ({ id: doc.id, seq, ...rowOf(doc, updatedAt) })),
    );
    // The words of the whole chunk in one hook call (one statement), after its rows exist: PostgreSQL writes
    // them into those rows; SQLite replaces the full-text rows by seq. Segmentation stays per document.
    await ctx.store.hooks.writeSearchWordsMany(
      ctx.db,
      chunk.map(({ doc, seq }) => ({ id: doc.id, seq, ...wordsOf(doc) })),
    );
  }
}

/** Take a document out of the index (withdrawn, or no longer public). Unknown ids are ignored. */
export async function removeDocument(ctx: Context, id: string): Promise<void> {
  await removeDocuments(ctx, [id]);
}

/** Take many documents out of the index with one lookup and one delete per chunk. Unknown ids are ignored. */
export async function removeDocuments(ctx: Context, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  const existing = await seqsOf(ctx, ids);
  if (!existing.size) return;
  for (const [id, seq] of existing) await ctx.store.hooks.deleteSearchWords(ctx.db, { id, seq });
  const gone = [...existing.keys()];
  for (let i = 0; i < gone.length; i += bulkRows)
    await ctx.db
      .deleteFrom('search_docs')
      .where('id', 'in', gone.slice(i, i + bulkRows))
      .execute();
}

/** How many of the newest matches the relevance order scores (see search()). */
export const relevanceCandidates = 2000;

/** The last page a reader can ask for: the total is counted up to maxPage × pageSize (+1 to know of more). */
export const maxPage = 1000;

// How much a query word in the title weighs in the relevance score, against 1 for one in the summary or text.
const titleWeight = 4;

export interface SearchOptions {
  /** How many of the most recently indexed matches the relevance order scores; default relevanceCandidates. */
  candidates?: number;
  page?: number;
  pageSize?: number;
  /** 'relevance' (default): relevance discounted by age; 'date': newest first. */
  sort?: 'relevance' | 'date';
}

/**
 * Documents holding every word of `query`, filtered, ranked by relevance and recency: a score of the query's
 * words in the title (4 each) and in the summary or text (1 each), divided by (1 + age in years), so of two
 * equally good matches the newer comes first and a much better old match still beats a weak new one.
 */
export async function search(
  ctx: Context,
  query: string,
  filters: SearchFilters = {},
  { page = 1, pageSize = 10, sort = 'relevance', candidates = relevanceCandidates }: SearchOptions = {},
): Promise<SearchResult> {
  const words = queryWords(query);
  const safePage = Math.max(1, Math.min(maxPage, Math.floor(page)));
  const size = Math.max(1, Math.min(100, Math.floor(pageSize)));
  const empty = {
    words,
    total: 0,
    totalIsLowerBound: false,
    ranked: 0,
    page: safePage,
    pageSize: size,
    hits: [],
  };
  if (!words.length) return empty;

  const m = ctx.store.hooks.searchMatch(words);
  const conditions = [m.where];
  if (filters.kind) conditions.push(sql`d.kind = ${filters.kind}`);
  if (filters.area) conditions.push(sql`d.area = ${filters.area}`);
  if (filters.subArea) conditions.push(sql`d.sub_area = ${filters.subArea}`);
  if (filters.stage) conditions.push(sql`d.stage = ${filters.stage}`);
  if (filters.unit) conditions.push(sql`d.body = ${filters.unit}`);
  if (filters.year) conditions.push(sql`d.year = ${filters.year}`);
  const where = sql.join(conditions, sql` and `);
  const today = dayOf(ctx.now().toISOString());
  // Unfiltered, the full-text index answers alone (FTS5 without reading a document).
  const from = conditions.length === 1 ? m.fromIndexOnly : m.from;

  // Counted only as far as pages reach: an exact count of a common word read its whole posting list (改造,
  // 375k matches at 1M records: 16 ms; two words AND-ed: 30–37 ms), the first 10,001 take 1–3 ms.
  const reachable = maxPage * size;
  const countRow = await sql<{
    n: number;
  }>`select count(*) as n from (select 1 as one from ${from} where ${where} limit ${reachable + 1}) m`.execute(
    ctx.db,
  );
  const counted = Number(countRow.rows[0]?.n ?? 0);
  if (counted === 0) return empty;
  const totalIsLowerBound = counted > reachable;
  const total = Math.min(counted, reachable);
  // Relevance is scored among the `candidates` most recently indexed matches only: scoring every match of a
  // common word (住房, 公示: 10^5 documents at 1M records) took 0.3–2 s (bench/portal.ts), and an older match
  // rarely outranks the newest thousands once its age discount applies. Pages of the relevance order end with
  // the candidates; the date order reaches every match the pages reach.
  const cap = Math.max(1, Math.floor(candidates));
  const ranked = sort === 'date' ? total : Math.min(total, cap);
  const result = { words, total, totalIsLowerBound, ranked, page: safePage, pageSize: size };
  if ((safePage - 1) * size >= ranked) return { ...result, hits: [] };
  const columns = sql`d.id, d.kind, d.url, d.title, d.summary, d.content, d.area, d.stage, d.body, d.body_name, d.year, d.published_at`;
  const window = sql`limit ${size} offset ${(safePage - 1) * size}`;
  // The score is read from the candidates' own rows, not from the full-text index: FTS5's bm25 computed each
  // word's document frequency by walking its whole posting list on every query (22–49 ms for 2,000
  // candidates, about as much for 500), ADR 0006. A word counts titleWeight in the title and 1 in the summary
  // or text; a match holds each word in one or the other (the index has nothing else), so only a word found in
  // the title needs the text read.
  const inTitle = (w: string) => m.contains(sql.ref('d.title'), w);
  const inText = (w: string) =>
    sql`(${m.contains(sql.ref('d.summary'), w)} or ${m.contains(sql.ref('d.content'), w)})`;
  const score = sql.join(
    words.map(
      (w) =>
        sql`(case when ${inTitle(w)} then ${sql.lit(titleWeight)} + case when ${inText(w)} then 1 else 0 end else 1 end)`,
    ),
    sql` + `,
  );
  // Ranked on the candidates' keys and short columns, then the page's few rows are read whole.
  const statement =
    sort === 'date'
      ? sql`select ${columns} from ${m.from} where ${where} order by d.published_at desc, d.id desc ${window}`
      : sql`select ${columns} from (
            select d.id, d.published_at, (${score}) / (1.0 + (${today} - d.published_day) / 365.0) as relevance
            from (select ${m.indexed} as seq from ${from} where ${where} order by ${m.indexed} desc limit ${cap}) c
            join search_docs d on d.seq = c.seq
            order by relevance desc, d.published_at desc, d.id desc ${window}) r
          join search_docs d on d.id = r.id
          order by r.relevance desc, r.published_at desc, r.id desc`;
  const rows = await sql<{
    id: string;
    kind: string;
    url: string;
    title: string;
    summary: string | null;
    content: string | null;
    area: string | null;
    stage: string | null;
    body: string | null;
    body_name: string | null;
    year: number | null;
    published_at: string;
  }>`${statement}`.execute(ctx.db);

  const hits = rows.rows.map((r): SearchHit => {
    // The snippet comes from the summary when it holds a word, else from the text, else the summary's start.
    const lowerSummary = (r.summary ?? '').toLowerCase();
    const source =
      r.summary && words.some((w) => lowerSummary.includes(w))
        ? r.summary
        : r.content && words.some((w) => r.content?.toLowerCase().includes(w))
          ? r.content
          : (r.summary ?? r.content ?? '');
    return {
      id: r.id,
      kind: r.kind,
      url: r.url,
      title: r.title,
      titleHtml: highlight(r.title, words),
      snippetHtml: highlight(source.replace(/\s+/g, ' '), words, 120),
      publishedAt: r.published_at,
      area: r.area,
      stage: r.stage,
      unit: r.body,
      unitName: r.body_name,
      year: r.year === null ? null : Number(r.year),
    };
  });
  return { ...result, hits };
}
