import type { Kysely } from 'kysely';
import type { StoreMigration } from './index.ts';

// The portal's own tables: objections (异议) raised against public notices, and the watermark of the search
// index's sync with the disclosure records.
export const portal: StoreMigration = {
  name: '0008_portal',
  async up(db: Kysely<unknown>) {
    // An objection carries personal data (name, contact): encrypted at rest, never shown on the portal. It is
    // tied to the notice's record and, where the notice came from a case, to that case, so the step that settles
    // the notice's objections (e.g. 处理村级公示异议 in flow 12-2) can list them.
    await db.schema
      .createTable('notice_objections')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
      .addColumn('process_instance_id', 'text')
      .addColumn('unit_id', 'text', (c) => c.references('units.id'))
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('name_enc', 'text')
      .addColumn('contact_enc', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('notice_objections_record')
      .on('notice_objections')
      .columns(['record_id', 'created_at'])
      .execute();
    await db.schema
      .createTable('search_sync')
      .addColumn('source', 'text', (c) => c.primaryKey())
      .addColumn('watermark', 'text', (c) => c.notNull())
      .execute();
    // The sync asks "which records changed since the watermark": a range scan instead of reading every record.
    await db.schema.createIndex('records_updated_for_search').on('records').column('updated_at').execute();
  },
};
