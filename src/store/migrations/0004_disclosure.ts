import type { Kysely } from 'kysely';
import type { StoreMigration } from './index.ts';

// 政务公开: areas, sub-areas, duties, catalogue items (公开事项) with their standard, the negative list, records
// with index numbers, their channels, attachments and append-only history, and the plan items of 附件5/附件6.
// Conventions as in 0001: application text ids, ISO-8601 UTC timestamps, YYYY-MM-DD dates, 0/1 flags; lists
// (channels, units) are child tables, never JSON.

export const disclosure: StoreMigration = {
  name: '0004_disclosure',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('disclosure_index_schemes')
      .addColumn('region_code', 'text', (c) => c.primaryKey())
      .addColumn('scheme', 'text', (c) => c.notNull())
      .addColumn('org_code', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('disclosure_unit_codes')
      .addColumn('unit_id', 'text', (c) => c.primaryKey().references('units.id'))
      .addColumn('org_code', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('areas')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('abbreviation', 'text', (c) => c.notNull())
      .addColumn('region_code', 'text')
      .addColumn('scope', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('adopted', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // The abbreviation goes into every index number of the area, so two areas may never share one (rules.md §4).
    await db.schema.createIndex('areas_abbreviation').on('areas').column('abbreviation').unique().execute();
    await db.schema.createIndex('areas_name').on('areas').column('name').unique().execute();

    await db.schema
      .createTable('area_lead_units')
      .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
      .addColumn('sort_order', 'integer', (c) => c.notNull())
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addPrimaryKeyConstraint('area_lead_units_pk', ['area_id', 'sort_order'])
      .execute();

    await db.schema
      .createTable('sub_areas')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('sub_areas_number')
      .on('sub_areas')
      .columns(['area_id', 'number'])
      .unique()
      .execute();

    await db.schema
      .createTable('disclosure_duties')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('power_type', 'text')
      .addColumn('code', 'text')
      .addColumn('unit_id', 'text', (c) => c.references('units.id'))
      .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('disclosure_duties_number')
      .on('disclosure_duties')
      .columns(['area_id', 'number'])
      .unique()
      .execute();

    await db.schema
      .createTable('disclosure_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
      .addColumn('sub_area_id', 'text', (c) => c.references('sub_areas.id'))
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('serial', 'integer', (c) => c.notNull())
      .addColumn('matter1', 'text', (c) => c.notNull())
      .addColumn('matter2', 'text')
      .addColumn('content', 'text')
      .addColumn('legal_basis', 'text')
      .addColumn('time_limit', 'text')
      .addColumn('disclosing_unit_id', 'text', (c) => c.references('units.id'))
      .addColumn('disclosing_body_text', 'text')
      .addColumn('audience', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('duty_id', 'text', (c) => c.references('disclosure_duties.id'))
      .addColumn('responsible_note', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('disclosure_items_area')
      .on('disclosure_items')
      .columns(['area_id', 'stage', 'serial'])
      .execute();

    await db.schema
      .createTable('disclosure_item_units')
      .addColumn('item_id', 'text', (c) => c.notNull().references('disclosure_items.id').onDelete('cascade'))
      .addColumn('sort_order', 'integer', (c) => c.notNull())
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addPrimaryKeyConstraint('disclosure_item_units_pk', ['item_id', 'sort_order'])
      .execute();
    await db.schema
      .createIndex('disclosure_item_units_unit')
      .on('disclosure_item_units')
      .column('unit_id')
      .execute();

    await db.schema
      .createTable('disclosure_item_channels')
      .addColumn('item_id', 'text', (c) => c.notNull().references('disclosure_items.id').onDelete('cascade'))
      .addColumn('sort_order', 'integer', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('disclosure_item_channels_pk', ['item_id', 'sort_order'])
      .execute();

    await db.schema
      .createTable('negative_list_entries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
      .addColumn('matter', 'text', (c) => c.notNull())
      .addColumn('basis', 'text', (c) => c.notNull())
      .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('negative_list_entries_area')
      .on('negative_list_entries')
      .column('area_id')
      .execute();

    await db.schema
      .createTable('records')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('summary', 'text')
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('formed_on', 'text', (c) => c.notNull())
      .addColumn('document_number', 'text')
      .addColumn('attribute', 'text', (c) => c.notNull())
      .addColumn('exemption_basis', 'text')
      .addColumn('negative_list_entry_id', 'text', (c) => c.references('negative_list_entries.id'))
      .addColumn('disclosing_unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id'))
      .addColumn('sub_area_id', 'text', (c) => c.references('sub_areas.id'))
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('duty_id', 'text', (c) => c.references('disclosure_duties.id'))
      .addColumn('item_id', 'text', (c) => c.references('disclosure_items.id'))
      .addColumn('valid_from', 'text')
      .addColumn('valid_until', 'text')
      .addColumn('body', 'text')
      .addColumn('notice_level', 'text')
      .addColumn('notice_starts_on', 'text')
      .addColumn('notice_ends_on', 'text')
      .addColumn('index_number', 'text', (c) => c.notNull())
      .addColumn('index_scheme', 'text', (c) => c.notNull())
      .addColumn('index_scope', 'text', (c) => c.notNull())
      .addColumn('index_serial', 'integer', (c) => c.notNull())
      .addColumn('publish_state', 'text', (c) => c.notNull())
      .addColumn('publish_by', 'text')
      .addColumn('published_at', 'text')
      .addColumn('source_process_instance_id', 'text')
      .addColumn('source_step', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // Issued once and unique (rules.md §4); the second index makes a duplicate serial in one scope impossible
    // even if a bug bypassed the counter.
    await db.schema
      .createIndex('records_index_number')
      .on('records')
      .column('index_number')
      .unique()
      .execute();
    await db.schema
      .createIndex('records_index_serial')
      .on('records')
      .columns(['index_scope', 'index_serial'])
      .unique()
      .execute();
    await db.schema
      .createIndex('records_public')
      .on('records')
      .columns(['publish_state', 'attribute', 'area_id', 'stage'])
      .execute();
    await db.schema.createIndex('records_item').on('records').column('item_id').execute();

    await db.schema
      .createTable('record_channels')
      .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
      .addColumn('sort_order', 'integer', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('record_channels_pk', ['record_id', 'sort_order'])
      .execute();

    await db.schema
      .createTable('record_attachments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('media_type', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('storage_path', 'text', (c) => c.notNull())
      .addColumn('text_content', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('record_attachments_record')
      .on('record_attachments')
      .column('record_id')
      .execute();

    await db.schema
      .createTable('record_history')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_user_id', 'text')
      .addColumn('actor_name', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('from_state', 'text')
      .addColumn('to_state', 'text')
      .addColumn('note', 'text')
      .execute();
    await db.schema
      .createIndex('record_history_seq')
      .on('record_history')
      .columns(['record_id', 'seq'])
      .unique()
      .execute();

    await db.schema
      .createTable('plan_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('list', 'text', (c) => c.notNull())
      .addColumn('serial', 'integer', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('lead_unit_id', 'text', (c) => c.references('units.id'))
      .addColumn('lead_unit_text', 'text')
      .addColumn('responsible_person', 'text')
      .addColumn('deadline_text', 'text')
      .addColumn('due_on', 'text')
      .addColumn('progress', 'text')
      .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('plan_item_units')
      .addColumn('plan_item_id', 'text', (c) => c.notNull().references('plan_items.id').onDelete('cascade'))
      .addColumn('sort_order', 'integer', (c) => c.notNull())
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addPrimaryKeyConstraint('plan_item_units_pk', ['plan_item_id', 'sort_order'])
      .execute();
  },
};
