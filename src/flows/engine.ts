import type { Context } from '../context.ts';
import { AppError } from '../errors.ts';
import { getAction } from './actions.ts';
import { completionHandlers, type EndActivity } from './completionHooks.ts';
import { evaluateCondition } from './expressions.ts';
import { startChildInstance } from './instanceStarter.ts';
import { type FlowNode, flow, node, type ProcessModel, reachable } from './model.ts';
import { childCompleted, startMulti } from './multiInstance.ts';
import type { Step, Token } from './step.ts';
import { createTask } from './taskCreation.ts';
import { createTimer, deleteTimersOf } from './timers.ts';
import { toVariableValue } from './variableValues.ts';

type NodeOf<K extends FlowNode['kind']> = Extract<FlowNode, { kind: K }>;
type DecisionNode = Extract<FlowNode, { defaultFlow: string | null }>;

/** Move tokens until each rests (a task, a timer, a join) or ends. */
export async function run(step: Step): Promise<void> {
  for (;;) {
    for (let t = step.queue.shift(); t; t = step.queue.shift()) await enter(step, t);
    if (!step.inclusivePending) break;
    step.inclusivePending = false;
    if (!(await fireReadyInclusiveJoins(step))) break;
  }
  // every step ends here (task actions, timers, starts): its history is written last, in one statement
  await step.flushHistory();
}

/** Put a token in transit to an activity. */
export function moveTo(step: Step, t: Token, activityId: string, via: string | null): void {
  t.activityId = activityId;
  t.arrivedVia = via;
  t.state = 'moving';
  t.loopIndex = null;
  if (!step.queue.includes(t)) step.queue.push(t);
}

async function enter(step: Step, t: Token): Promise<void> {
  const model = await step.model(t.instanceId);
  const n = node(model, t.activityId);
  switch (n.kind) {
    case 'startEvent':
      return leave(step, t);
    case 'endEvent':
      // every end reached is in the history, so a reader sees how (退件, 取消资格 …) the case or a branch ended
      if (n.terminate) return terminateScope(step, t, n);
      await step.history({
        instanceId: t.instanceId,
        activityId: n.id,
        action: 'endEvent',
        detail: n.name || null,
        actor: null,
      });
      return endToken(step, t, { id: n.id, name: n.name });
    case 'userTask':
      if (n.multi) return startMulti(step, t, n);
      await step.rest(t, 'waiting');
      await createTask(step, t, n, { dueAt: await createBoundaryTimers(step, t, n) });
      return;
    case 'serviceTask':
      return runService(step, t, n);
    case 'exclusiveGateway':
      return leave(step, t, [await chooseExclusive(step, t, model, n)]);
    case 'parallelGateway':
      if (n.incoming.length > 1 && !(await joinParallel(step, t, n))) return;
      return leave(step, t, n.outgoing);
    case 'inclusiveGateway':
      if (n.incoming.length > 1) {
        await step.rest(t, 'joining');
        step.inclusivePending = true;
        return;
      }
      return leave(step, t, await chooseInclusive(step, t, model, n));
    case 'subProcess': {
      await step.rest(t, 'scope');
      await createBoundaryTimers(step, t, n);
      const inner = step.newToken(t.instanceId, t.id, n.startId);
      step.queue.push(inner);
      return;
    }
    case 'callActivity':
      await step.rest(t, 'waiting');
      await createBoundaryTimers(step, t, n);
      await startChildInstance(step, t, n.calledElement);
      return;
    case 'timerCatch': {
      await step.rest(t, 'waiting');
      const due = await createTimer(step, t, n.id, n.timer);
      await step.history({
        instanceId: t.instanceId,
        activityId: n.id,
        action: 'timerSet',
        detail: due.toISOString(),
        actor: null,
      });
      return;
    }
    case 'boundaryTimer':
      return leave(step, t);
  }
}

/** Boundary timers start with their activity; the earliest interrupting one is the task's deadline. */
async function createBoundaryTimers(step: Step, t: Token, n: FlowNode): Promise<Date | null> {
  if (!n.boundaries.length) return null;
  const model = await step.model(t.instanceId);
  let deadline: Date | null = null;
  for (const b of n.boundaries) {
    const bn = node(model, b);
    if (bn.kind !== 'boundaryTimer') continue;
    const due = await createTimer(step, t, b, bn.timer);
    if (bn.cancelActivity && (!deadline || due < deadline)) deadline = due;
  }
  return deadline;
}

/** An activity is done: its boundary timers go, and its token follows the outgoing flows. */
export async function completeActivity(step: Step, t: Token): Promise<void> {
  const n = node(await step.model(t.instanceId), t.activityId);
  if (n.boundaries.length) await deleteTimersOf(step, [t.id]);
  await leave(step, t);
}

async function runService(step: Step, t: Token, n: NodeOf<'serviceTask'>): Promise<void> {
  const instance = await step.instance(t.instanceId);
  const handler = getAction(n.action);
  const result = await handler(step.ctx, {
    instance,
    activity: { id: n.id, name: n.name },
    properties: n.properties,
    variables: await step.caseVariables(t.instanceId),
  });
  for (const [name, value] of Object.entries(result?.variables ?? {})) {
    await step.setVariable(t.instanceId, t.instanceId, name, toVariableValue(value, name));
  }
  await step.history({
    instanceId: t.instanceId,
    activityId: n.id,
    action: 'auto',
    detail: n.action,
    actor: null,
  });
  await leave(step, t);
}

/** Follow outgoing flows: the given ones, or (for tasks and events) every flow whose condition holds. */
export async function leave(step: Step, t: Token, only?: string[]): Promise<void> {
  const model = await step.model(t.instanceId);
  const n = node(model, t.activityId);
  let flows = only;
  if (!flows) {
    const conditional = n.outgoing.some((f) => flow(model, f).condition);
    const lookup = conditional ? await step.lookup(t) : () => undefined;
    flows = n.outgoing.filter((f) => {
      const c = flow(model, f).condition;
      return !c || evaluateCondition(c, lookup);
    });
    if (!flows.length && n.outgoing.length) throw noPath(n);
  }
  if (!flows.length) return endToken(step, t);
  flows.forEach((f, i) => {
    const target = flow(model, f).target;
    const token = i === 0 ? t : step.newToken(t.instanceId, t.parentId, target);
    moveTo(step, token, target, f);
  });
}

const noPath = (n: FlowNode) =>
  new AppError('flow_no_path', `“${n.name || n.id}”之后没有满足条件的路径`, 409, [
    { field: n.id, reason: '没有满足条件的出线' },
  ]);

async function chooseExclusive(step: Step, t: Token, model: ProcessModel, n: DecisionNode): Promise<string> {
  const lookup = await step.lookup(t);
  for (const f of n.outgoing) {
    if (f === n.defaultFlow) continue;
    const c = flow(model, f).condition;
    if (!c || evaluateCondition(c, lookup)) return f;
  }
  if (n.defaultFlow) return n.defaultFlow;
  throw noPath(n);
}

async function chooseInclusive(
  step: Step,
  t: Token,
  model: ProcessModel,
  n: DecisionNode,
): Promise<string[]> {
  const lookup = await step.lookup(t);
  const taken = n.outgoing.filter((f) => {
    if (f === n.defaultFlow) return false;
    const c = flow(model, f).condition;
    return !c || evaluateCondition(c, lookup);
  });
  if (taken.length) return taken;
  if (n.defaultFlow) return [n.defaultFlow];
  throw noPath(n);
}

/**
 * A parallel join fires when a token has arrived by each incoming flow (one per flow is consumed, so a
 * second round through a loop waits again). Returns true when `t` goes on.
 */
async function joinParallel(step: Step, t: Token, n: NodeOf<'parallelGateway'>): Promise<boolean> {
  const waiting = (await step.tokensInScope(t.instanceId, t.parentId)).filter(
    (o) => o.id !== t.id && o.activityId === n.id && o.state === 'joining',
  );
  const consumed: Token[] = [];
  for (const f of n.incoming) {
    if (f === t.arrivedVia) continue;
    const o = waiting.find((w) => w.arrivedVia === f && !consumed.includes(w));
    if (!o) {
      await step.rest(t, 'joining');
      return false;
    }
    consumed.push(o);
  }
  for (const o of consumed) await step.drop(o);
  return true;
}

/**
 * An inclusive join fires when no other token of its scope can still reach it (issue 3 item 2: "a correct
 * join"): tokens elsewhere that have no path to the gateway are not waited for.
 */
async function fireReadyInclusiveJoins(step: Step): Promise<boolean> {
  let fired = false;
  for (const instanceId of step.touchedInstanceIds()) {
    const inst = await step.instance(instanceId);
    if (inst.status !== 'running') continue;
    const model = await step.model(instanceId);
    const joining = await step.db
      .selectFrom('executions')
      .selectAll()
      .where('instance_id', '=', instanceId)
      .where('state', '=', 'joining')
      .execute();
    const groups = new Map<string, Token[]>();
    for (const r of joining) {
      const t = (await step.token(r.id)) ?? step.cacheRow(r);
      if (model.nodes.get(t.activityId)?.kind !== 'inclusiveGateway') continue;
      const k = `${t.parentId ?? ''}\u0000${t.activityId}`;
      groups.set(k, [...(groups.get(k) ?? []), t]);
    }
    for (const tokens of groups.values()) {
      const first = tokens[0] as Token;
      const others = (await step.tokensInScope(instanceId, first.parentId)).filter(
        (o) => !tokens.includes(o),
      );
      if (others.some((o) => reachable(model, o.activityId).has(first.activityId))) continue;
      for (const o of tokens.slice(1)) await step.drop(o);
      const n = node(model, first.activityId);
      if (n.kind !== 'inclusiveGateway') continue;
      await leave(step, first, await chooseInclusive(step, first, model, n));
      fired = true;
    }
  }
  return fired;
}

/** A token ends (an end event, or no outgoing flow); its scope completes when it was the last one. */
export async function endToken(step: Step, t: Token, end: EndActivity | null = null): Promise<void> {
  await step.drop(t);
  await scopeMaybeComplete(step, t.instanceId, t.parentId, end);
}

async function scopeMaybeComplete(
  step: Step,
  instanceId: string,
  parentId: string | null,
  end: EndActivity | null,
): Promise<void> {
  if ((await step.tokensInScope(instanceId, parentId)).length) {
    // a token that ended may free an inclusive join waiting in this scope
    step.inclusivePending = true;
    return;
  }
  if (parentId === null) return completeInstance(step, instanceId, 'completed', end);
  const scope = await step.requireToken(parentId);
  await step.dropScopeVariables(instanceId, [scope.id]);
  await completeActivity(step, scope);
}

/** A terminate end event ends every token of its scope (the case, or the sub-process it is in). */
async function terminateScope(step: Step, t: Token, n: FlowNode): Promise<void> {
  const others = (await step.tokensInScope(t.instanceId, t.parentId)).filter((o) => o.id !== t.id);
  await cancelTokens(step, others, 'cancelled');
  await step.drop(t);
  await step.history({
    instanceId: t.instanceId,
    activityId: t.activityId,
    action: 'terminateEnd',
    detail: n.name || null,
    actor: null,
  });
  await scopeMaybeComplete(step, t.instanceId, t.parentId, { id: n.id, name: n.name });
}

/**
 * The case is done; a case called by another hands its variables back and lets the caller go on. The `end`
 * history row names the end event that closed the case (GET /process-instances/:id shows it as endActivity),
 * and the modules' completion hooks run here, in the same transaction.
 */
export async function completeInstance(
  step: Step,
  instanceId: string,
  status: 'completed' | 'terminated',
  end: EndActivity | null = null,
): Promise<void> {
  const inst = await step.instance(instanceId);
  await step.db
    .updateTable('process_instances')
    .set({ status, ended_at: step.at })
    .where('id', '=', instanceId)
    .execute();
  const ended = { ...inst, status, ended_at: step.at };
  step.remember(ended);
  await step.history({
    instanceId,
    action: status === 'completed' ? 'end' : 'terminated',
    activityId: end?.id ?? null,
    detail: end?.name || null,
    actor: null,
  });
  const handlers = completionHandlers(inst.definition_key);
  if (handlers.length) {
    const variables = await step.caseVariables(instanceId);
    for (const h of handlers) await h(step.ctx, { ...ended, variables }, end);
  }
  if (status !== 'completed' || !inst.parent_execution_id || !inst.parent_instance_id) return;
  const caller = await step.token(inst.parent_execution_id);
  if (!caller) return;
  for (const [name, value] of Object.entries(await step.caseVariables(instanceId))) {
    if (name === 'starter') continue;
    await step.setVariable(inst.parent_instance_id, inst.parent_instance_id, name, value);
  }
  await completeActivity(step, caller);
}

/**
 * Cancel tokens and all that hangs on them: inner tokens, called cases, open tasks (marked `status`),
 * timers and local variables. Used by interrupting timers, terminate events, completion conditions, 退回.
 */
export async function cancelTokens(
  step: Step,
  tokens: Token[],
  status: 'cancelled' | 'returned' | 'recalled',
): Promise<void> {
  if (!tokens.length) return;
  const ids = tokens.map((t) => t.id);
  const children = await step.db.selectFrom('executions').selectAll().where('parent_id', 'in', ids).execute();
  await cancelTokens(
    step,
    children.map((r) => step.cacheRow(r)),
    'cancelled',
  );
  const called = await step.db
    .selectFrom('process_instances')
    .select('id')
    .where('parent_execution_id', 'in', ids)
    .where('status', '=', 'running')
    .execute();
  for (const c of called) await terminateInstanceTree(step, c.id);
  await step.db
    .updateTable('tasks')
    .set({ status, completed_at: step.at })
    .where('execution_id', 'in', ids)
    .where('status', 'in', ['open', 'supplementing'])
    .execute();
  await deleteTimersOf(step, ids);
  const byInstance = new Map<string, string[]>();
  for (const t of tokens) byInstance.set(t.instanceId, [...(byInstance.get(t.instanceId) ?? []), t.id]);
  for (const [instanceId, scopeIds] of byInstance) await step.dropScopeVariables(instanceId, scopeIds);
  for (const t of tokens) await step.drop(t);
}

/** An interrupting boundary timer stops what the token's activity was doing: tasks, inner tokens, called cases. */
export async function interruptActivity(step: Step, t: Token): Promise<void> {
  await cancelTokens(step, await step.childTokens(t.id), 'cancelled');
  const called = await step.db
    .selectFrom('process_instances')
    .select('id')
    .where('parent_execution_id', '=', t.id)
    .where('status', '=', 'running')
    .execute();
  for (const c of called) await terminateInstanceTree(step, c.id);
  await step.db
    .updateTable('tasks')
    .set({ status: 'cancelled', completed_at: step.at })
    .where('execution_id', '=', t.id)
    .where('status', 'in', ['open', 'supplementing'])
    .execute();
  await deleteTimersOf(step, [t.id]);
  await step.dropScopeVariables(t.instanceId, [t.id]);
}

/** Stop a case and the cases it called: every token cancelled, status `terminated`. */
export async function terminateInstanceTree(step: Step, instanceId: string): Promise<void> {
  const rows = await step.db
    .selectFrom('executions')
    .selectAll()
    .where('instance_id', '=', instanceId)
    .execute();
  const top = rows.filter((r) => r.parent_id === null).map((r) => step.cacheRow(r));
  await cancelTokens(step, top, 'cancelled');
  await completeInstance(step, instanceId, 'terminated');
}

/** Called from task completion: a multi-instance task's token reports to its body (with the countersigner's outcome), others move on. */
export async function tokenDone(step: Step, t: Token, outcome: string | null = null): Promise<void> {
  const model = await step.model(t.instanceId);
  const n = node(model, t.activityId);
  if (n.kind === 'userTask' && n.multi && t.parentId) {
    const body = await step.requireToken(t.parentId);
    if (body.state === 'multi' && body.activityId === n.id) return childCompleted(step, t, body, n, outcome);
  }
  await completeActivity(step, t);
}

export type { Context };
