import { CompiledQuery, type Insertable } from 'kysely';
import type { Database } from './schema.ts';
import type { Db, DialectHooks } from './store.ts';

// Multi-row INSERT without the query builder. Kysely compiles every value into an operation node and back
// into text, ~1.7 µs per bound parameter: for a 36-column records row that is ~60 µs, more than the database
// takes to store it. Here the statement text is built once per (dialect, table, columns, rows per statement)
// and reused; a call only flattens the values into one parameter array.

export type TableName = keyof Database & string;
/** A row as the typed schema takes it: its keys are columns of `T`, checked by the compiler. */
export type Row<T extends TableName> = Insertable<Database[T]>;

// The names go into the SQL text, so they must be plain identifiers. They come from the typed schema's keys
// (the compiler checks the table name and each row's keys); this check keeps a cast or a row object that was
// spread from input from reaching the text.
const identifier = /^[a-z_][a-z0-9_]*$/;

const statements = new Map<string, string>();

function statementText(hooks: DialectHooks, table: string, columns: readonly string[], rows: number): string {
  const key = `${hooks.name}\u0000${table}\u0000${columns.join(',')}\u0000${rows}`;
  let text = statements.get(key);
  if (text === undefined) {
    text = `insert into ${table} (${columns.join(', ')}) values ${hooks.valuesPlaceholders(columns.length, rows)}`;
    // Bounded: a few tables × a few column sets × (a full chunk and one remainder per batch size).
    if (statements.size > 1000) statements.clear();
    statements.set(key, text);
  }
  return text;
}

/**
 * Insert `rows` into `table` with as few statements as the dialect's bound-parameter limit allows, in the
 * caller's transaction (or autocommit on `db`). The columns are the first row's keys, in its order; every row
 * gives its values for those columns (a missing value is NULL, as the statement names every column).
 */
export async function insertRows<T extends TableName>(
  db: Db,
  hooks: DialectHooks,
  table: T,
  rows: readonly Row<T>[],
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  if (!identifier.test(table)) throw new Error(`insertRows: bad table name ${table}`);
  const columns = Object.keys(first);
  for (const c of columns) if (!identifier.test(c)) throw new Error(`insertRows: bad column name ${c}`);
  if (!columns.length) throw new Error(`insertRows: rows for ${table} have no columns`);
  const perStatement = Math.max(1, Math.floor(hooks.maxParameters / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const params: unknown[] = new Array(chunk.length * columns.length);
    let p = 0;
    for (const row of chunk) {
      // Indexing through a string-keyed view: the keys were checked above and typed by the caller.
      const values = row as Record<string, unknown>;
      for (const c of columns) {
        const v = values[c];
        params[p++] = v === undefined ? null : v;
      }
    }
    await db.executeQuery(CompiledQuery.raw(statementText(hooks, table, columns, chunk.length), params));
  }
}
