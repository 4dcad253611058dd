import type { Context } from '../context.ts';
import type { InstanceRow } from './tables.ts';
import type { VariableValue } from './variableValues.ts';

/** The end event a case ended at (null when a person terminated it, 终止, or it ended without one). */
export interface EndActivity {
  id: string;
  name: string;
}

/** A case that has just ended: its row (status `completed` or `terminated`, ended_at set) and its variables. */
export interface EndedInstance extends InstanceRow {
  variables: Readonly<Record<string, VariableValue>>;
}

/**
 * Called inside the transaction that ends the case, with `ctx.db` = that transaction: what a handler writes
 * commits with the case's end or not at all, and a handler that throws rolls the ending step back (so a
 * module that must react to every end, such as the disclosure review, never misses one).
 */
export type InstanceCompletedHandler = (
  ctx: Context,
  instance: EndedInstance,
  endActivity: EndActivity | null,
) => Promise<void>;

const hooks = new Map<string, InstanceCompletedHandler[]>();

/**
 * Other modules (disclosure review, information requests) react to a case's end: `definitionKey` is a flow's
 * key (`flow-12-2`), or `'*'` for every flow. Handlers run in the order they were registered, those of the key
 * first. Returns a function that removes the handler (tests register and remove their own).
 */
export function onInstanceCompleted(definitionKey: string, handler: InstanceCompletedHandler): () => void {
  hooks.set(definitionKey, [...(hooks.get(definitionKey) ?? []), handler]);
  return () => {
    hooks.set(
      definitionKey,
      (hooks.get(definitionKey) ?? []).filter((h) => h !== handler),
    );
  };
}

export function completionHandlers(definitionKey: string): InstanceCompletedHandler[] {
  return [...(hooks.get(definitionKey) ?? []), ...(hooks.get('*') ?? [])];
}
