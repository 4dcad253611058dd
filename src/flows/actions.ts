import type { Context } from '../context.ts';
import { AppError } from '../errors.ts';
import { evaluateAttribute, type Value } from './expressions.ts';
import type { InstanceRow } from './tables.ts';
import { toVariableValue, type VariableValue } from './variableValues.ts';

export interface ActionInput {
  instance: InstanceRow;
  activity: { id: string; name: string };
  /** The service task's `<camunda:property name value>` parameters, as written. */
  properties: Readonly<Record<string, string>>;
  /** The case variables visible at the task. */
  variables: Readonly<Record<string, Value>>;
}

/** Variables to set on the case when the action is done (e.g. the id of the record it created). */
export interface ActionResult {
  variables?: Record<string, VariableValue>;
}

/**
 * An automatic step (`<bpmn:serviceTask gongkai:action="…">`). It runs inside the step's transaction with
 * `ctx.db` = that transaction, so what it writes commits or rolls back with the step: a killed process never
 * leaves a notice published by a step that did not happen.
 */
export type ActionHandler = (ctx: Context, input: ActionInput) => Promise<ActionResult | undefined>;

const registry = new Map<string, ActionHandler>();

/** Modules register their actions at load time (disclosure: createRecord, publishNotice …). */
export function registerAction(name: string, handler: ActionHandler): void {
  if (!/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(name)) throw new Error(`bad action name ${name}`);
  registry.set(name, handler);
}

export const hasAction = (name: string): boolean => registry.has(name);

export const actionNames = (): string[] => [...registry.keys()].sort();

export function getAction(name: string): ActionHandler {
  const handler = registry.get(name);
  if (!handler) throw new AppError('action_unknown', `未注册的自动任务：${name}`, 500);
  return handler;
}

// Built-ins, for charts and tests: `noop` does nothing; `setVariables` sets each property as a case variable
// (a `${…}` value is evaluated over the case variables, anything else is kept as text).
registerAction('noop', async () => undefined);
registerAction('setVariables', async (_ctx, { properties, variables }) => {
  const out: Record<string, VariableValue> = {};
  const lookup = (name: string) => (name in out ? out[name] : variables[name]);
  for (const [name, raw] of Object.entries(properties))
    out[name] = toVariableValue(evaluateAttribute(raw, lookup), name);
  return { variables: out };
});
