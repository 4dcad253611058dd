import type { Kysely } from 'kysely';
import type { StoreMigration } from './index.ts';

// 依申请公开 (issue 6): requests, their append-only event log (the clock is derived from it, never stored), the
// replies, reconsideration and litigation records, and the annual report's edited parts.
export const infoRequests: StoreMigration = {
  name: '0006_info_requests',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('info_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('tracking_number', 'text', (c) => c.notNull().unique())
      .addColumn('query_code', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('applicant_kind', 'text', (c) => c.notNull())
      .addColumn('organisation_kind', 'text')
      .addColumn('applicant_name', 'text', (c) => c.notNull())
      .addColumn('organisation_code', 'text')
      .addColumn('legal_representative', 'text')
      .addColumn('contact_name', 'text')
      .addColumn('id_type', 'text')
      // personal data, sealed by src/requests/personalData.ts (SM4 where configured): text of any length
      .addColumn('applicant_id_number', 'text')
      .addColumn('applicant_phone', 'text')
      .addColumn('email', 'text')
      .addColumn('address', 'text')
      .addColumn('postal_code', 'text')
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('document_number', 'text')
      .addColumn('purpose', 'text')
      .addColumn('delivery_form', 'text', (c) => c.notNull())
      .addColumn('delivery_method', 'text', (c) => c.notNull())
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .addColumn('received_on', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('handler_user_id', 'text', (c) => c.references('users.id'))
      .addColumn('outcome', 'text')
      .addColumn('concluded_on', 'text')
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.unique())
      .addColumn('body_hash', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('info_requests_unit')
      .on('info_requests')
      .columns(['unit_id', 'received_on'])
      .execute();
    await db.schema.createIndex('info_requests_state').on('info_requests').column('state').execute();
    await db.schema
      .createIndex('info_requests_concluded')
      .on('info_requests')
      .column('concluded_on')
      .execute();
    await db.schema
      .createIndex('info_requests_fingerprint')
      .on('info_requests')
      .column('fingerprint')
      .execute();

    await db.schema
      .createTable('info_request_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull().references('info_requests.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('on_date', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_name', 'text')
      .addColumn('state_after', 'text', (c) => c.notNull())
      .addColumn('ref_date', 'text')
      .addColumn('days', 'integer')
      .addColumn('amount', 'integer')
      .addColumn('target', 'text')
      .addColumn('outcome', 'text')
      .addColumn('note', 'text')
      // one sequence per request: two concurrent writers cannot both append event n
      .addUniqueConstraint('info_request_events_seq', ['request_id', 'seq'])
      .execute();

    await db.schema
      .createTable('info_request_replies')
      .addColumn('request_id', 'text', (c) => c.primaryKey().references('info_requests.id'))
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('letter_number', 'text')
      .addColumn('detail', 'text')
      .addColumn('other_agency', 'text')
      .addColumn('review_body', 'text')
      .addColumn('court', 'text')
      .addColumn('replied_on', 'text', (c) => c.notNull())
      .addColumn('delivered_on', 'text')
      .addColumn('delivery_method', 'text')
      .addColumn('record_id', 'text')
      .execute();

    await db.schema
      .createTable('info_request_appeals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull().references('info_requests.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('filed_on', 'text', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('concluded_on', 'text')
      .addColumn('note', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('info_request_appeals_filed')
      .on('info_request_appeals')
      .column('filed_on')
      .execute();

    await db.schema
      .createTable('annual_report_texts')
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('section', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .addPrimaryKeyConstraint('annual_report_texts_pk', ['year', 'scope', 'section'])
      .execute();
    await db.schema
      .createTable('annual_report_figures')
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('row_key', 'text', (c) => c.notNull())
      .addColumn('column_key', 'text', (c) => c.notNull())
      .addColumn('value', 'real', (c) => c.notNull())
      .addPrimaryKeyConstraint('annual_report_figures_pk', ['year', 'scope', 'row_key', 'column_key'])
      .execute();
    await db.schema
      .createTable('annual_report_cells')
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('table_key', 'text', (c) => c.notNull())
      .addColumn('row_key', 'text', (c) => c.notNull())
      .addColumn('column_key', 'text', (c) => c.notNull())
      .addColumn('value', 'integer', (c) => c.notNull())
      .addColumn('published_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('annual_report_cells_pk', [
        'year',
        'scope',
        'table_key',
        'row_key',
        'column_key',
      ])
      .execute();
    await db.schema
      .createTable('info_request_settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('info_request_proactive')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('fingerprint', 'text', (c) => c.notNull().unique())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('request_ids', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .execute();
  },
};
