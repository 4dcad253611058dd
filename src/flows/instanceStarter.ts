import type { Context } from '../context.ts';
import { AppError, invalid } from '../errors.ts';
import { newId } from '../ids.ts';
import { latestDefinition, modelOf } from './definitions.ts';
import { run } from './engine.ts';
import { evaluateExpression, isTemplate } from './expressions.ts';
import { Step, type Token } from './step.ts';
import type { InstanceRow } from './tables.ts';
import { toVariableValue, type VariableValue } from './variableValues.ts';

/** Names the engine sets itself; a starter cannot preset them. */
const reserved = new Set([
  'starter',
  'outcome',
  'nrOfInstances',
  'nrOfCompletedInstances',
  'nrOfActiveInstances',
  'loopCounter',
  'collection',
]);
const variableName = /^[\p{L}_][\p{L}\p{N}_]{0,63}$/u;

export function checkVariables(input: Record<string, unknown>): Record<string, VariableValue> {
  const out: Record<string, VariableValue> = {};
  const fields = [];
  for (const [name, value] of Object.entries(input)) {
    if (!variableName.test(name) || reserved.has(name)) {
      fields.push({ field: `variables.${name}`, reason: '变量名不合法或为系统保留' });
      continue;
    }
    out[name] = toVariableValue(value as VariableValue, name);
  }
  if (fields.length) throw invalid(fields);
  return out;
}

export interface StartedInstance {
  id: string;
  definitionId: string;
  key: string;
  version: number;
}

/** Start a case on the newest version of a flow, and run it to its first wait states, in one transaction. */
export async function instanceStarter(
  ctx: Context,
  key: string,
  input: { variables?: Record<string, unknown>; businessKey?: string | null } = {},
): Promise<StartedInstance> {
  const variables = checkVariables(input.variables ?? {});
  const def = await latestDefinition(ctx.db, key);
  const model = await modelOf(def);
  const id = newId(ctx.now().getTime());
  const step = Step.forNewRoot(ctx, id);
  const row: InstanceRow = {
    id,
    definition_id: def.id,
    definition_key: def.key,
    root_instance_id: id,
    parent_instance_id: null,
    parent_execution_id: null,
    business_key: input.businessKey ?? null,
    status: 'running',
    started_by: ctx.actor?.userId ?? null,
    started_at: step.at,
    ended_at: null,
    step: 1,
  };
  await ctx.db.insertInto('process_instances').values(row).execute();
  step.remember(row);
  if (ctx.actor) await step.setVariable(id, id, 'starter', ctx.actor.username);
  for (const [name, value] of Object.entries(variables)) await step.setVariable(id, id, name, value);
  // the statutory periods' defaults (default:noticeDays …): a value given at the start wins
  await applyDefaults(step, id, model.defaults, new Set(Object.keys(variables)));
  await step.history({ instanceId: id, action: 'start', detail: `${def.key} v${def.version}` });
  step.queue.push(step.newToken(id, null, model.startId));
  await run(step);
  return { id, definitionId: def.id, key: def.key, version: def.version };
}

/** A call activity starts the newest version of the called flow as a child case, with the caller's variables. */
export async function startChildInstance(step: Step, caller: Token, key: string): Promise<void> {
  const parent = await step.instance(caller.instanceId);
  const def = await latestDefinition(step.db, key).catch(() => {
    throw new AppError('called_flow_missing', `调用的流程不存在：${key}`, 409, [
      { field: caller.activityId, reason: key },
    ]);
  });
  const model = await modelOf(def);
  const id = newId(step.now.getTime());
  const row: InstanceRow = {
    id,
    definition_id: def.id,
    definition_key: def.key,
    root_instance_id: step.rootId,
    parent_instance_id: parent.id,
    parent_execution_id: caller.id,
    business_key: parent.business_key,
    status: 'running',
    started_by: parent.started_by,
    started_at: step.at,
    ended_at: null,
    step: 0,
  };
  await step.db.insertInto('process_instances').values(row).execute();
  step.remember(row);
  const inherited = await step.caseVariables(parent.id);
  for (const [name, value] of Object.entries(inherited)) await step.setVariable(id, id, name, value);
  await applyDefaults(step, id, model.defaults, new Set(Object.keys(inherited)));
  await step.history({
    instanceId: id,
    activityId: caller.activityId,
    action: 'call',
    detail: `${def.key} v${def.version}`,
    actor: null,
  });
  step.queue.push(step.newToken(id, null, model.startId));
}

/**
 * Give a new case the process defaults it was not started with, in the order the file declares them. A default
 * written as `${…}` is an expression over the case's variables so far, so one period can default to another
 * (12-2: `default:villageNoticeDays` = `${noticeDays}`: set one period for every level, or one level apart).
 */
async function applyDefaults(
  step: Step,
  instanceId: string,
  defaults: Readonly<Record<string, string | number | boolean>>,
  given: ReadonlySet<string>,
): Promise<void> {
  for (const [name, value] of Object.entries(defaults)) {
    if (given.has(name)) continue;
    if (typeof value === 'string' && isTemplate(value)) {
      const lookup = await step.lookup({ instanceId, id: null, parentId: null });
      await step.setVariable(
        instanceId,
        instanceId,
        name,
        toVariableValue(evaluateExpression(value, lookup), name),
      );
    } else await step.setVariable(instanceId, instanceId, name, value);
  }
}
