import { sql } from 'kysely';
import { type Context, inTransaction } from '../context.ts';
import { type PublicRecordDetail, publicRecord } from '../disclosure/publicQueries.ts';
import { indexDocuments, removeDocuments, type SearchDoc } from '../search/searchIndex.ts';
import type { Db } from '../store/store.ts';

// The search index follows the disclosure records without the disclosure module knowing about it: records
// changed since the last watermark are read back through the PUBLIC query (publicRecord), so an on-request,
// exempt, withdrawn or unpublished record comes back as null and is removed — the index can only ever hold what
// the portal may show. The overlap re-reads a few seconds before the watermark, because a transaction may
// commit a little after another one with a later timestamp.
//
// The watermark is the last record a batch covered, as `updated_at id`: every record before it in (updated_at,
// id) order is indexed as it was when read. Both parts are needed, because one transaction stamps all the
// records it writes with one updated_at (a bulk import: thousands), so a batch may end in the middle of them;
// an updated_at alone would skip the rest of them. A watermark without an id (as bench/generate.ts writes it)
// means every record up to and including that updated_at.

const source = 'records';
const overlapMs = 10_000;
const defaultBatch = 500;
// Records read side by side before a batch's transaction. publicRecord costs several queries per record, each a
// round trip on PostgreSQL, where the pool runs the readers in parallel (1,000 reads: 4.7 s one at a time, 1.7 s
// four at a time, on the 2-core test machine).
const readers = 4;

export function searchDocOf(r: PublicRecordDetail): SearchDoc {
  return {
    id: r.id,
    kind: r.kind === 'notice' ? 'notice' : 'record',
    url: `/records/${r.id}`,
    title: r.title,
    summary: r.summary,
    body: [r.documentNumber, r.indexNumber, r.body].filter(Boolean).join('\n'),
    attachmentsText: r.attachments.map((a) => a.fileName).join('\n'),
    publishedAt: r.publishedOn ? `${r.publishedOn}T00:00:00+08:00` : `${r.formedOn}T00:00:00+08:00`,
    filters: {
      area: r.area?.id ?? null,
      subArea: r.area && r.subArea ? `${r.area.id}:${r.subArea.number}` : null,
      stage: r.stage,
      unit: r.disclosingBody?.id ?? null,
      unitName: r.disclosingBody?.name ?? null,
      year: Number(r.formedOn.slice(0, 4)),
    },
  };
}

interface Watermark {
  updatedAt: string;
  /** The last record of its batch; null: every record with updated_at up to and including updatedAt. */
  id: string | null;
}

const parseWatermark = (text: string): Watermark => {
  const [updatedAt = '', id = null] = text.split(' ');
  return { updatedAt, id };
};
const watermarkText = (w: Watermark) => (w.id ? `${w.updatedAt} ${w.id}` : w.updatedAt);

let running: Promise<number> | null = null;

export interface SyncOptions {
  /** Records per transaction (default 500). */
  batch?: number;
}

/**
 * Bring the index up to date with the records, a batch (default 500 records) per transaction; concurrent callers
 * share one run. Returns the number of records read (each indexed, replaced or removed).
 */
export function syncRecordIndex(ctx: Context, opts: SyncOptions = {}): Promise<number> {
  running ??= runSync(ctx, Math.max(1, opts.batch ?? defaultBatch)).finally(() => {
    running = null;
  });
  return running;
}

/** The next `batch` records after `since` in (updated_at, id) order. */
function changedAfter(db: Db, since: Watermark, batch: number) {
  let q = db.selectFrom('records').select(['id', 'updated_at']);
  if (since.id === null) q = q.where('updated_at', '>', since.updatedAt);
  else {
    const { updatedAt, id } = since;
    // The first condition alone lets both databases range-scan records_updated_for_search.
    q = q
      .where('updated_at', '>=', updatedAt)
      .where((eb) => eb.or([eb('updated_at', '>', updatedAt), eb('id', '>', id)]));
  }
  return q.orderBy('updated_at').orderBy('id').limit(batch).execute();
}

/** publicRecord for each id, a few at a time; in the order given. */
async function publicRecordsOf(ctx: Context, ids: readonly string[]): Promise<(PublicRecordDetail | null)[]> {
  const out: (PublicRecordDetail | null)[] = new Array(ids.length).fill(null);
  let next = 0;
  const reader = async () => {
    for (let i = next++; i < ids.length; i = next++)
      out[i] = await publicRecord(ctx.db, ids[i] as string, ctx.now());
  };
  await Promise.all(Array.from({ length: Math.min(readers, ids.length) }, reader));
  return out;
}

async function runSync(ctx: Context, batch: number): Promise<number> {
  let touched = 0;
  for (;;) {
    const mark = await ctx.db
      .selectFrom('search_sync')
      .select('watermark')
      .where('source', '=', source)
      .executeTakeFirst();
    const at = mark ? parseWatermark(mark.watermark) : null;
    // The overlap matters only shortly after a change; later every transaction stamped before the watermark has
    // long committed, and re-reading would just repeat work on every search.
    const recent = at !== null && Date.now() - Date.parse(at.updatedAt) < 2 * overlapMs;
    const since: Watermark = !at
      ? { updatedAt: '', id: null }
      : recent && touched === 0
        ? { updatedAt: new Date(Date.parse(at.updatedAt) - overlapMs).toISOString(), id: null }
        : at;
    const changed = await changedAfter(ctx.db, since, batch);
    const last = changed[changed.length - 1];
    if (!last) return touched;
    // Read before the transaction, so that the transaction (on SQLite: the one connection every page waits for)
    // lasts only as long as the writes. A record that changes after it was read here is stamped after the
    // watermark written below, or within the overlap if its own transaction was slow, so a later run reads it
    // again: reading early skips nothing.
    const ids = changed.map((r) => r.id);
    const recs = await publicRecordsOf(ctx, ids);
    const docs = recs.filter((r): r is PublicRecordDetail => r !== null).map(searchDocOf);
    const gone = ids.filter((_, i) => recs[i] === null);
    const watermark = watermarkText({ updatedAt: last.updated_at, id: last.id });
    // The batch's documents and the watermark that covers them commit together: a crash before the commit
    // leaves both as they were, and the next run reads the whole batch again.
    await inTransaction(ctx, async (c) => {
      await indexDocuments(c, docs);
      await removeDocuments(c, gone);
      await c.db
        .insertInto('search_sync')
        .values({ source, watermark })
        .onConflict((oc) => oc.column('source').doUpdateSet({ watermark }))
        .execute();
    });
    touched += changed.length;
    if (changed.length < batch) return touched;
  }
}

/**
 * Counts for the browse pages, read with the same condition the public queries use (published AND
 * proactive), and nothing but ids and counts.
 */
export async function publishedBodies(db: Db): Promise<{ id: string; name: string; n: number }[]> {
  const rows = await db
    .selectFrom('records')
    .innerJoin('units', 'units.id', 'records.disclosing_unit_id')
    .select(['units.id', 'units.name', (eb) => eb.fn.countAll<number>().as('n')])
    .where('records.publish_state', '=', 'published')
    .where('records.attribute', '=', 'proactive')
    .groupBy(['units.id', 'units.name'])
    .orderBy('units.name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, n: Number(r.n) }));
}

export async function publishedYears(db: Db): Promise<{ year: number; n: number }[]> {
  const rows = await db
    .selectFrom('records')
    .select([sql<string>`substr(formed_on, 1, 4)`.as('y'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('publish_state', '=', 'published')
    .where('attribute', '=', 'proactive')
    .groupBy(sql`substr(formed_on, 1, 4)`)
    .orderBy(sql`substr(formed_on, 1, 4)`, 'desc')
    .execute();
  return rows.map((r) => ({ year: Number(r.y), n: Number(r.n) }));
}

/** When a published record last changed, for Last-Modified (the public query does not carry it). */
export async function publishedUpdatedAt(db: Db, id: string): Promise<string | null> {
  const row = await db
    .selectFrom('records')
    .select('updated_at')
    .where('id', '=', id)
    .where('publish_state', '=', 'published')
    .executeTakeFirst();
  return row?.updated_at ?? null;
}
