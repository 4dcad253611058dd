import { AppError } from '../errors.ts';
import { cancelTokens, completeActivity } from './engine.ts';
import { evaluateCondition, evaluateExpression, isTemplate, type Value } from './expressions.ts';
import type { FlowNode, OutcomeRule } from './model.ts';
import type { Step, Token } from './step.ts';
import { createTask } from './taskCreation.ts';
import { createTimer } from './timers.ts';
import type { Scalar } from './variableValues.ts';

type UserTaskNode = Extract<FlowNode, { kind: 'userTask' }>;

// 会签 (docs/bpmn-conventions.md, Multi-instance). The body token stands on the activity in state `multi` and
// holds the counters as its local variables (nrOfInstances, nrOfCompletedInstances, nrOfActiveInstances) and
// the collection, so completion conditions read them like any variable; each per-instance token holds one task.

const collectionVar = 'collection';
/** The outcomes the countersigners chose, in the order they acted (a local variable of the body token). */
const outcomesVar = 'countersignOutcomes';

const ruleNames: Record<OutcomeRule, string> = {
  veto: '一票否决',
  majority: '多数决',
  last: '以最后办理人为准',
};

/**
 * The countersign's `outcome` from each countersigner's (docs/bpmn-conventions.md, Multi-instance):
 * - `veto` (会签一票否决, the default): any outcome other than the approving one wins; several such outcomes →
 *   the first in the decision's order; otherwise the approving one;
 * - `majority`: the outcome most countersigners chose; a tie is not a majority for approval, so the approving
 *   outcome loses a tie, and among other tied outcomes the first in the decision's order wins;
 * - `last`: the outcome of whoever acted last (what engines without a rule do).
 * The approving outcome is `gongkai:approvingOutcome`, else the first one the decision offers.
 */
export function aggregateOutcome(
  rule: OutcomeRule,
  offered: readonly string[],
  approving: string | null,
  chosen: readonly string[],
): string | null {
  if (!chosen.length) return null;
  const last = chosen[chosen.length - 1] as string;
  if (rule === 'last') return last;
  const approve = approving ?? offered[0] ?? null;
  const order = [...offered, ...chosen.filter((c) => !offered.includes(c))];
  if (rule === 'veto') return order.find((o) => o !== approve && chosen.includes(o)) ?? approve ?? last;
  const count = (o: string) => chosen.filter((c) => c === o).length;
  const best = Math.max(...order.map(count));
  const tied = order.filter((o) => count(o) === best);
  return tied.find((o) => o !== approve) ?? (tied[0] as string);
}

const asScalars = (v: Value): Scalar[] => {
  const list = Array.isArray(v) ? v : v === null ? [] : [v];
  return list.map((x) => (x === null || typeof x !== 'object' ? x : JSON.stringify(x)));
};

async function counters(step: Step, body: Token) {
  const get = async (name: string) => {
    const v = await step.scopeVariable(body.instanceId, body.id, name);
    return typeof v === 'number' ? v : 0;
  };
  const list = await step.scopeVariable(body.instanceId, body.id, collectionVar);
  return {
    total: await get('nrOfInstances'),
    completed: await get('nrOfCompletedInstances'),
    active: await get('nrOfActiveInstances'),
    collection: Array.isArray(list) ? list : [],
  };
}

async function setCounters(step: Step, body: Token, c: { total: number; completed: number; active: number }) {
  await step.setVariable(body.instanceId, body.id, 'nrOfInstances', c.total);
  await step.setVariable(body.instanceId, body.id, 'nrOfCompletedInstances', c.completed);
  await step.setVariable(body.instanceId, body.id, 'nrOfActiveInstances', c.active);
}

export async function startMulti(step: Step, body: Token, n: UserTaskNode): Promise<void> {
  const mi = n.multi;
  if (!mi) throw new Error('not a multi-instance task');
  await step.rest(body, 'multi');
  let dueAt: Date | null = null;
  const model = await step.model(body.instanceId);
  for (const b of n.boundaries) {
    const bn = model.nodes.get(b);
    if (bn?.kind !== 'boundaryTimer') continue;
    const due = await createTimer(step, body, b, bn.timer);
    if (bn.cancelActivity && (!dueAt || due < dueAt)) dueAt = due;
  }
  const lookup = await step.lookup(body);
  let items: Scalar[];
  if (mi.collection) {
    items = asScalars(
      isTemplate(mi.collection) ? evaluateExpression(mi.collection, lookup) : (lookup(mi.collection) ?? null),
    );
  } else {
    const count = evaluateExpression(mi.cardinality ?? '0', lookup);
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 1000) {
      throw new AppError('multi_invalid', `会签人数无效：${String(count)}`, 400);
    }
    items = Array.from({ length: count }, () => null);
  }
  await step.setVariable(body.instanceId, body.id, collectionVar, items);
  const active = items.length === 0 ? 0 : mi.sequential ? 1 : items.length;
  await setCounters(step, body, { total: items.length, completed: 0, active });
  if (!items.length) return finishBody(step, body, n);
  const indexes = mi.sequential ? [0] : items.map((_, i) => i);
  for (const i of indexes) await startInstanceOf(step, body, n, i, items[i] ?? null, dueAt);
}

async function startInstanceOf(
  step: Step,
  body: Token,
  n: UserTaskNode,
  index: number,
  element: Scalar,
  dueAt: Date | null,
): Promise<string> {
  const child = step.newToken(body.instanceId, body.id, n.id);
  child.loopIndex = index;
  await step.rest(child, 'waiting');
  if (n.multi?.elementVariable)
    await step.setVariable(body.instanceId, child.id, n.multi.elementVariable, element);
  await step.setVariable(body.instanceId, child.id, 'loopCounter', index);
  return createTask(step, child, n, { dueAt: dueAt ?? (await bodyDeadline(step, body)), element });
}

async function bodyDeadline(step: Step, body: Token): Promise<Date | null> {
  const task = await step.db
    .selectFrom('tasks')
    .select('due_at')
    .where('instance_id', '=', body.instanceId)
    .where('activity_id', '=', body.activityId)
    .where('due_at', 'is not', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return task?.due_at ? new Date(task.due_at) : null;
}

async function finishBody(step: Step, body: Token, n: UserTaskNode): Promise<void> {
  const rest = await step.childTokens(body.id);
  await cancelTokens(step, rest, 'cancelled');
  const recorded = await step.scopeVariable(body.instanceId, body.id, outcomesVar);
  const chosen = (Array.isArray(recorded) ? recorded : []).filter((o): o is string => typeof o === 'string');
  const rule = n.multi?.outcomeRule ?? 'veto';
  const outcome = n.outcomes.length
    ? aggregateOutcome(rule, n.outcomes, n.multi?.approvingOutcome ?? null, chosen)
    : null;
  if (outcome !== null) {
    // the decision after the countersign reads the aggregated outcome, not the last countersigner's
    await step.setVariable(body.instanceId, body.instanceId, 'outcome', outcome);
    await step.setVariable(body.instanceId, body.instanceId, `${n.id}_outcome`, outcome);
    const tally = [...new Set(chosen)].map((o) => `${o}×${chosen.filter((c) => c === o).length}`).join('，');
    await step.history({
      instanceId: body.instanceId,
      activityId: n.id,
      action: 'countersignOutcome',
      outcome,
      detail: `${ruleNames[rule]}：${tally}`,
      actor: null,
    });
  }
  await step.dropScopeVariables(body.instanceId, [body.id]);
  await completeActivity(step, body);
}

async function isDone(step: Step, body: Token, n: UserTaskNode, c: { total: number; completed: number }) {
  if (c.completed >= c.total) return true;
  const cond = n.multi?.completionCondition;
  return cond ? evaluateCondition(cond, await step.lookup(body)) : false;
}

/** One countersigner acted: count it; finish when all have, or the completion condition says so. */
export async function childCompleted(
  step: Step,
  child: Token,
  body: Token,
  n: UserTaskNode,
  outcome: string | null,
): Promise<void> {
  if (outcome !== null) {
    const before = await step.scopeVariable(body.instanceId, body.id, outcomesVar);
    await step.setVariable(body.instanceId, body.id, outcomesVar, [
      ...(Array.isArray(before) ? before : []),
      outcome,
    ]);
  }
  await step.dropScopeVariables(child.instanceId, [child.id]);
  await step.drop(child);
  const c = await counters(step, body);
  const completed = c.completed + 1;
  const sequential = n.multi?.sequential === true;
  const next = sequential && completed < c.total ? (child.loopIndex ?? 0) + 1 : null;
  await setCounters(step, body, {
    total: c.total,
    completed,
    active: next !== null ? 1 : Math.max(0, c.active - 1),
  });
  if (await isDone(step, body, n, { total: c.total, completed })) return finishBody(step, body, n);
  if (next !== null) await startInstanceOf(step, body, n, next, (c.collection[next] ?? null) as Scalar, null);
}

/** 加签: one more countersigner on a running multi-instance task. */
export async function addCountersigner(
  step: Step,
  body: Token,
  n: UserTaskNode,
  who: string,
): Promise<string | null> {
  const c = await counters(step, body);
  const collection = [...c.collection, who];
  await step.setVariable(body.instanceId, body.id, collectionVar, collection);
  const sequential = n.multi?.sequential === true;
  await setCounters(step, body, {
    total: c.total + 1,
    completed: c.completed,
    active: sequential ? c.active : c.active + 1,
  });
  if (sequential) return null;
  return startInstanceOf(step, body, n, collection.length - 1, who, null);
}

/** 减签: a countersigner who has not acted yet is taken off (an open task of a parallel one, or a later turn). */
export async function removeCountersigner(
  step: Step,
  body: Token,
  n: UserTaskNode,
  target: { taskExecutionId?: string; who?: string },
): Promise<void> {
  const c = await counters(step, body);
  const sequential = n.multi?.sequential === true;
  const children = await step.childTokens(body.id);
  let index: number | null = null;
  if (target.taskExecutionId) {
    const child = children.find((t) => t.id === target.taskExecutionId);
    if (!child) throw new AppError('countersigner_missing', '该会签人已办理或不存在', 409);
    if (c.active <= 1) throw new AppError('countersigner_last', '不能减去最后一位正在办理的会签人', 409);
    index = child.loopIndex;
    await cancelTokens(step, [child], 'cancelled');
    await setCounters(step, body, { total: c.total - 1, completed: c.completed, active: c.active - 1 });
  } else if (target.who !== undefined) {
    // a later turn of a sequential countersign: drop it from the collection before it starts
    const current = children[0]?.loopIndex ?? -1;
    const i = c.collection.findIndex(
      (x, j) => j > (sequential ? current : Number.MAX_SAFE_INTEGER) && x === target.who,
    );
    if (i < 0) throw new AppError('countersigner_missing', '该会签人已办理或不存在', 409);
    index = i;
    const collection = c.collection.filter((_, j) => j !== i);
    await step.setVariable(body.instanceId, body.id, collectionVar, collection);
    await setCounters(step, body, { total: c.total - 1, completed: c.completed, active: c.active });
  }
  if (index === null) throw new AppError('countersigner_missing', '请指明要减去的会签人', 400);
  const after = await counters(step, body);
  if (await isDone(step, body, n, after)) await finishBody(step, body, n);
}
