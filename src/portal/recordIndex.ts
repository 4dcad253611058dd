import { sql } from 'kysely';
import { type Context, inTransaction } from '../context.ts';
import { type PublicRecordDetail, publicRecord } from '../disclosure/publicQueries.ts';
import { indexDocument, removeDocument, type SearchDoc } from '../search/searchIndex.ts';
import type { Db } from '../store/store.ts';

// The search index follows the disclosure records without the disclosure module knowing about it: records
// changed since the last watermark are read back through the PUBLIC query (publicRecord), so an on-request,
// exempt, withdrawn or unpublished record comes back as null and is removed — the index can only ever hold what
// the portal may show. The overlap re-reads a few seconds before the watermark, because a transaction may
// commit a little after another one with a later timestamp.

const source = 'records';
const overlapMs = 10_000;
const batch = 500;

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

let running: Promise<number> | null = null;

/** Bring the index up to date with the records; concurrent callers share one run. Returns documents touched. */
export function syncRecordIndex(ctx: Context): Promise<number> {
  running ??= runSync(ctx).finally(() => {
    running = null;
  });
  return running;
}

async function runSync(ctx: Context): Promise<number> {
  let touched = 0;
  for (;;) {
    const mark = await ctx.db
      .selectFrom('search_sync')
      .select('watermark')
      .where('source', '=', source)
      .executeTakeFirst();
    // The overlap matters only shortly after a change; later every transaction stamped before the watermark has
    // long committed, and re-reading would just repeat work on every search.
    const recent = mark !== undefined && Date.now() - Date.parse(mark.watermark) < 2 * overlapMs;
    const since = !mark
      ? ''
      : recent && touched === 0
        ? new Date(Date.parse(mark.watermark) - overlapMs).toISOString()
        : mark.watermark;
    const changed = await ctx.db
      .selectFrom('records')
      .select(['id', 'updated_at'])
      .where('updated_at', '>', since)
      .orderBy('updated_at')
      .orderBy('id')
      .limit(batch)
      .execute();
    const work = changed;
    if (!work.length) return touched;
    const last = changed[changed.length - 1]?.updated_at ?? '';
    await inTransaction(ctx, async (c) => {
      for (const { id } of work) {
        const rec = await publicRecord(c.db, id, c.now());
        if (rec) await indexDocument(c, searchDocOf(rec));
        else await removeDocument(c, id);
      }
      await c.db
        .insertInto('search_sync')
        .values({ source, watermark: last })
        .onConflict((oc) => oc.column('source').doUpdateSet({ watermark: last }))
        .execute();
    });
    touched += work.length;
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
