import type { Kysely } from 'kysely';
import type { DialectHooks } from '../store.ts';
import { registryAndAccounts } from './0001_registry_accounts.ts';
import { flows } from './0002_flows.ts';
import { calendar } from './0003_calendar.ts';
import { disclosure } from './0004_disclosure.ts';
import { search } from './0005_search.ts';
import { infoRequests } from './0006_info_requests.ts';
import { security } from './0007_security.ts';
import { portal } from './0008_portal.ts';
import { objectionTasks } from './0009_objection_tasks.ts';
import { publicListingIndexes } from './0010_public_listing_indexes.ts';
import { flowHistoryAppendOnly } from './0011_flow_history_append_only.ts';
import { requestHandlingUnit } from './0012_request_handling_unit.ts';

/**
 * A migration is written once for both databases with Kysely's schema builder. The few statements that differ
 * (full-text indexes) go through `hooks`. Names sort in the order they run; never edit one that has shipped.
 */
export interface StoreMigration {
  name: string;
  up(db: Kysely<unknown>, hooks: DialectHooks): Promise<void>;
}

/** In the order they run (Kysely also sorts them by name). */
export const migrations: StoreMigration[] = [
  registryAndAccounts,
  flows,
  calendar,
  disclosure,
  search,
  infoRequests,
  security,
  portal,
  objectionTasks,
  publicListingIndexes,
  flowHistoryAppendOnly,
  requestHandlingUnit,
];
