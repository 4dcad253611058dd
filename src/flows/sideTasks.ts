import type { Context } from '../context.ts';
import { newId } from '../ids.ts';
import { resolveAssignment } from './assignment.ts';
import { Step } from './step.ts';
import type { TaskKind, TaskRow } from './tables.ts';

/**
 * Side tasks are handed out inside a running case without a token moving: 补正 (see taskActions/supplement.ts)
 * and the objection task below. Completing one records a finding and never moves the case on; the step of the
 * chart that weighs the objections (e.g. 处理村级公示异议 of flow 12-2, after the 公示期) sees them in the case.
 */

/** The findings an objection task closes with (the wording of the 12-2 gateways: 异议成立 / 异议不成立). */
export const objectionFindings = ['异议成立', '异议不成立'] as const;

/** The outcomes a side task of this kind must close with; a step task's come from its chart. */
export function sideTaskOutcomes(kind: TaskKind): readonly string[] {
  return kind === 'objection' ? objectionFindings : [];
}

/** A side task that has just been completed, with the finding and the opinion it was closed with. */
export type SideTaskSettler = (ctx: Context, task: TaskRow) => Promise<void>;

const settlers = new Map<TaskKind, SideTaskSettler[]>();

/**
 * The module that raised a side task hears of its completion in the same transaction (the portal marks the
 * objection settled): what it writes commits with the completion or not at all. Returns a remover for tests.
 */
export function onSideTaskSettled(kind: TaskKind, settler: SideTaskSettler): () => void {
  settlers.set(kind, [...(settlers.get(kind) ?? []), settler]);
  return () =>
    settlers.set(
      kind,
      (settlers.get(kind) ?? []).filter((s) => s !== settler),
    );
}

export function sideTaskSettlers(kind: TaskKind): SideTaskSettler[] {
  return settlers.get(kind) ?? [];
}

/** Add one to a case-level counter variable (objectionCount, objectionsUpheld) that gateways may read. */
export async function countInCase(step: Step, instanceId: string, name: string): Promise<void> {
  const n = await step.scopeVariable(instanceId, instanceId, name);
  await step.setVariable(instanceId, instanceId, name, (typeof n === 'number' ? n : 0) + 1);
}

export interface ObjectionTaskInput {
  /** The case that published the notice (records.source_process_instance_id). */
  instanceId: string;
  /** The unit that published the notice: its staff of today are the candidates. */
  unitId: string | null;
  /** What the history says of the objection: its reference and content, never the objector's name or contact. */
  detail: string;
  /** The end of the notice period: the finding should be in before the case weighs the objections. */
  dueAt: string | null;
}

/**
 * 异议 → a task for the publishing unit in the case that published the notice, in the caller's transaction
 * (`ctx.db` must be one), so the objection and its task commit together. The case tree is locked like any step.
 * Returns null when the case has ended: nothing can run in it any more, and the objection stays with the record.
 * The case variable `objectionCount` counts the objections received, so a chart's gateway can route on it.
 */
export async function objectionTaskCreator(ctx: Context, input: ObjectionTaskInput): Promise<string | null> {
  const step = await Step.begin(ctx, input.instanceId);
  const instance = await step.instance(input.instanceId);
  if (instance.status !== 'running') return null;
  // The task stands where the case rests now (usually the 公示期 timer), so the case view shows it in place.
  const resting = await step.db
    .selectFrom('executions')
    .select(['id', 'activity_id'])
    .where('instance_id', '=', input.instanceId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!resting) return null;
  const resolved = input.unitId
    ? await resolveAssignment(
        step.db,
        { assignee: null, candidateUsers: null, candidateGroups: `unit:${input.unitId}` },
        () => undefined,
        { userId: instance.started_by },
        step.now,
      )
    : null;
  const candidates = resolved?.candidateIds ?? [];
  // Nobody at the unit today (a village committee without accounts): the person who started the case, who
  // also handles the chart's own objection step (relation:starter in 12-2), is the one to ask.
  const assignee = candidates.length === 1 ? candidates[0]! : candidates.length ? null : instance.started_by;
  const id = newId(step.now.getTime());
  await step.db
    .insertInto('tasks')
    .values({
      id,
      instance_id: input.instanceId,
      execution_id: resting.id,
      activity_id: resting.activity_id,
      kind: 'objection',
      name: '核实公示异议',
      status: 'open',
      assignee_id: assignee,
      owner_id: null,
      previous_task_id: null,
      parent_task_id: null,
      touched: 0,
      created_at: step.at,
      due_at: input.dueAt,
      completed_at: null,
      completed_by: null,
      outcome: null,
      opinion: null,
    })
    .execute();
  if (candidates.length > 1) {
    await step.db
      .insertInto('task_candidates')
      .values(candidates.map((user_id) => ({ task_id: id, user_id })))
      .execute();
  }
  const where = { instanceId: input.instanceId, activityId: resting.activity_id, taskId: id, actor: null };
  await step.history({ ...where, action: 'objectionReceived', detail: input.detail });
  if (!candidates.length) {
    await step.history({
      ...where,
      action: 'assignmentFallback',
      detail: assignee ? '发布单位今天无人在岗，异议交办件发起人核实' : '发布单位今天无人在岗',
    });
  }
  await countInCase(step, input.instanceId, 'objectionCount');
  await step.flushHistory();
  return id;
}
