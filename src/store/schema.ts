import type { AccountTables } from '../accounts/tables.ts';
import type { CalendarTables } from '../calendar/tables.ts';
import type { DisclosureTables } from '../disclosure/tables.ts';
import type { FlowTables } from '../flows/tables.ts';
import type { PortalTables } from '../portal/tables.ts';
import type { RegistryTables } from '../registry/tables.ts';
import type { RequestTables } from '../requests/tables.ts';
import type { SearchTables } from '../search/tables.ts';
import type { SecurityTables } from '../security/tables.ts';
import type { CounterTables } from './counters.ts';

/**
 * The whole database as Kysely sees it: each module declares its own tables next to its code, and this
 * interface joins them. Add a module's tables here.
 */
export interface Database
  extends CounterTables,
    RegistryTables,
    AccountTables,
    FlowTables,
    CalendarTables,
    DisclosureTables,
    SearchTables,
    RequestTables,
    SecurityTables,
    PortalTables {}
