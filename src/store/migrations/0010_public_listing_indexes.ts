import type { Kysely } from 'kysely';
import type { StoreMigration } from './index.ts';

// The portal lists published proactive records newest first — all of them (主动公开目录), per area (and sub-area,
// stage), per disclosing body — and counts them per area and stage, per body and per year. With 1M records the
// one index of 0004 (publish_state, attribute, area_id, stage) left every such list to sort every published row:
// 4–45 s for the first catalogue page (bench/portal.ts, the 1M-record district), far past the 15 s in which a
// government page must open. Each index below serves one listing in its order, and covers the counts beside it.
export const publicListingIndexes: StoreMigration = {
  name: '0010_public_listing_indexes',
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('records_public').execute();
    const index = (name: string, columns: string[]) =>
      db.schema.createIndex(name).on('records').columns(columns).execute();
    await index('records_public_recent', ['publish_state', 'attribute', 'published_at', 'index_number']);
    // stage last: the per-area lists filter on it while walking the order; the counts per stage read it here
    await index('records_public_area', [
      'publish_state',
      'attribute',
      'area_id',
      'published_at',
      'index_number',
      'stage',
    ]);
    await index('records_public_unit', [
      'publish_state',
      'attribute',
      'disclosing_unit_id',
      'published_at',
      'index_number',
    ]);
    // the years list and the year filter; the on-request catalogue's order
    await index('records_public_formed', ['publish_state', 'attribute', 'formed_on', 'index_number']);
    // public notices by the end of their period; the gazette's normative documents
    await index('records_public_kind', ['kind', 'publish_state', 'attribute', 'notice_ends_on']);
  },
};
