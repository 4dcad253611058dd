import { type Kysely, sql } from 'kysely';
import type { DialectHooks } from '../store.ts';
import type { StoreMigration } from './index.ts';

/**
 * A case's history (flow_history: who did what, when, with which outcome and opinion) is append-only (issue 3
 * item 4): the engine only ever inserts into it, and the database now refuses any UPDATE or DELETE of a row, so
 * neither a bug nor a hand-written statement can rewrite what a handler did. Trigger syntax differs, so this
 * migration, like 0007's audit log, is one of the few places that asks which database it runs on.
 */
export const flowHistoryAppendOnly: StoreMigration = {
  name: '0011_flow_history_append_only',
  async up(db: Kysely<unknown>, hooks: DialectHooks) {
    if (hooks.name === 'postgres') {
      await sql`create function flow_history_guard() returns trigger language plpgsql as $$
        begin
          raise exception 'flow_history is append-only';
        end $$`.execute(db);
      await sql`create trigger flow_history_guard before update or delete on flow_history
                for each row execute function flow_history_guard()`.execute(db);
    } else {
      await sql`create trigger flow_history_no_update before update on flow_history
                begin select raise(abort, 'flow_history is append-only'); end`.execute(db);
      await sql`create trigger flow_history_no_delete before delete on flow_history
                begin select raise(abort, 'flow_history is append-only'); end`.execute(db);
    }
  },
};
