import { type Compilable, type CompiledQuery, createQueryId, type QueryResult } from 'kysely';
import type { Db } from './store.ts';

/** Stands for the i-th argument while a statement is built once; replaced by the real value at each run. */
class Slot {
  constructor(readonly index: number) {}
}

/**
 * `slot(i)` is typed `never` so it fits any column of the statement being built; at run time it is a marker
 * that compile() passes through as a bound parameter.
 */
export type SlotOf = (index: number) => never;

interface Compiled {
  sql: string;
  query: CompiledQuery['query'];
  /** For each bound parameter: the argument it comes from, or the constant the statement was built with. */
  binds: ({ arg: number } | { value: unknown })[];
}

/**
 * A statement of fixed shape, built and compiled by the query builder once per dialect and then run with new
 * values: building and compiling costs about as much as SQLite takes to run the small statements of a flow
 * step (issue 8), and a task completion sends the same few statements every time. The compiled text depends
 * only on the dialect, so it is kept per dialect adapter. A value must be bound as a parameter (the builder
 * inlines none of the ones used here); the first compile checks that every slot came out as one. The stores
 * use no Kysely plugins; a plugin's query transformation would be applied at the first compile only.
 */
export function precompiled<R, A extends readonly unknown[]>(
  build: (db: Db, slot: SlotOf) => Compilable<R>,
): (db: Db, ...args: A) => Promise<QueryResult<R>> {
  const byAdapter = new WeakMap<object, Compiled>();
  const slot = ((index: number) => new Slot(index)) as unknown as SlotOf;
  return (db, ...args) => {
    const adapter = db.getExecutor().adapter;
    let c = byAdapter.get(adapter);
    if (!c) {
      const q = build(db, slot).compile();
      const binds = q.parameters.map((p) => (p instanceof Slot ? { arg: p.index } : { value: p }));
      for (let i = 0; i < args.length; i++) {
        if (!binds.some((b) => 'arg' in b && b.arg === i))
          throw new Error(`precompiled: argument ${i} is not bound in ${q.sql}`);
      }
      c = { sql: q.sql, query: q.query, binds };
      byAdapter.set(adapter, c);
    }
    const compiled: CompiledQuery<R> = {
      sql: c.sql,
      query: c.query,
      queryId: createQueryId(),
      parameters: c.binds.map((b) => ('arg' in b ? args[b.arg] : b.value)),
    };
    return db.executeQuery(compiled);
  };
}
