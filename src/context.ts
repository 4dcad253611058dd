import type { Role } from './accounts/tables.ts';
import type { Db, Store } from './store/store.ts';

/** Who acts. `null` in a Context means the public (an anonymous visitor). */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  personId: string | null;
}

/**
 * What a command gets: the actor, the database handle to use (inside a command: the transaction), and the
 * clock. Commands never open their own connection and never read the wall clock directly, so tests can move time.
 */
export interface Context {
  store: Store;
  db: Db;
  actor: Actor | null;
  ip: string | null;
  now: () => Date;
}

export function systemContext(store: Store): Context {
  return { store, db: store.db, actor: null, ip: null, now: () => new Date() };
}

/** Run `fn` in one transaction with a context whose `db` is that transaction. */
export function inTransaction<T>(ctx: Context, fn: (ctx: Context) => Promise<T>): Promise<T> {
  return ctx.store.transaction((trx) => fn({ ...ctx, db: trx }));
}
