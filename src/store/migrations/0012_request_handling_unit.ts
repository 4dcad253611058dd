import type { Kysely } from 'kysely';
import type { StoreMigration } from './index.ts';

/**
 * 交办 (issue 6 item 2): a request stays addressed to the body that received it (受理机关: it signs the reply and
 * counts the request in its annual report), and is handled by the unit it is assigned to (承办单位), whose staff
 * may then act on it. Null until assigned, or when the receiving body handles it itself.
 */
export const requestHandlingUnit: StoreMigration = {
  name: '0012_request_handling_unit',
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('info_requests')
      .addColumn('handling_unit_id', 'text', (c) => c.references('units.id'))
      .execute();
    await db.schema
      .createIndex('info_requests_handling_unit')
      .on('info_requests')
      .column('handling_unit_id')
      .execute();
  },
};
