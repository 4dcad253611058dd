import { newId, nowIso } from '../ids.ts';
import { precompiled } from '../store/precompiled.ts';
import { resolveAssignment } from './assignment.ts';
import type { Value } from './expressions.ts';
import type { FlowNode } from './model.ts';
import type { Step, Token } from './step.ts';

type UserTaskNode = Extract<FlowNode, { kind: 'userTask' }>;

/**
 * Hand a user task out: who may act is resolved now, from today's appointments, and stored with the task
 * (task_candidates), so the inbox is a plain query and a later change of post does not move it.
 */
export async function createTask(
  step: Step,
  t: Token,
  n: UserTaskNode,
  opts: { dueAt: Date | null; element?: Value },
): Promise<string> {
  const instance = await step.instance(t.instanceId);
  const back = step.returnAssignee.get(n.id);
  const { assignee, candidateUsers, candidateGroups } = n.assignment;
  // variables are read only when they can matter: an expression, or a relation (the case's `unitId`)
  const needsVariables =
    [assignee, candidateUsers, candidateGroups].some((a) => a?.includes('${')) ||
    !!candidateGroups?.includes('relation:') ||
    (typeof opts.element === 'string' && opts.element.includes('relation:'));
  const lookup = needsVariables && !back ? await step.lookup(t) : () => undefined;
  const unitVar = lookup('unitId');
  const resolved = back
    ? { assigneeId: back, candidateIds: [], unresolved: [], fallbacks: [] }
    : await resolveAssignment(
        step.db,
        n.assignment,
        lookup,
        { userId: instance.started_by, unitId: typeof unitVar === 'string' && unitVar ? unitVar : null },
        step.now,
        opts.element,
      );
  const id = newId(step.now.getTime());
  await insertStepTask(
    step.db,
    id,
    t.instanceId,
    t.id,
    n.id,
    n.name || n.id,
    resolved.assigneeId,
    step.causeTaskId,
    step.at,
    opts.dueAt ? nowIso(opts.dueAt) : null,
  );
  const candidates = resolved.candidateIds.filter((c) => c !== resolved.assigneeId);
  if (candidates.length) {
    await step.db
      .insertInto('task_candidates')
      .values(candidates.map((user_id) => ({ task_id: id, user_id })))
      .execute();
  }
  for (const why of resolved.fallbacks) {
    await step.history({
      instanceId: t.instanceId,
      activityId: n.id,
      taskId: id,
      action: 'assignmentFallback',
      detail: why,
      actor: null,
    });
  }
  if (resolved.unresolved.length || (!resolved.assigneeId && !candidates.length)) {
    await step.history({
      instanceId: t.instanceId,
      activityId: n.id,
      taskId: id,
      action: 'unassigned',
      detail: `无人可办：${resolved.unresolved.join('，') || '未找到办理人'}`,
      actor: null,
    });
  }
  return id;
}

/** Every task a flow step hands out is inserted by this one statement, compiled once (src/store/precompiled.ts). */
const insertStepTask = precompiled<
  unknown,
  [
    id: string,
    instanceId: string,
    executionId: string,
    activityId: string,
    name: string,
    assigneeId: string | null,
    previousTaskId: string | null,
    createdAt: string,
    dueAt: string | null,
  ]
>((db, slot) =>
  db.insertInto('tasks').values({
    id: slot(0),
    instance_id: slot(1),
    execution_id: slot(2),
    activity_id: slot(3),
    kind: 'step',
    name: slot(4),
    status: 'open',
    assignee_id: slot(5),
    owner_id: null,
    previous_task_id: slot(6),
    parent_task_id: null,
    touched: 0,
    created_at: slot(7),
    due_at: slot(8),
    completed_at: null,
    completed_by: null,
    outcome: null,
    opinion: null,
  }),
);
