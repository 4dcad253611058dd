import type { Context } from '../../context.ts';
import { AppError, invalid } from '../../errors.ts';
import { tokenDone } from '../engine.ts';
import { checkVariables } from '../instanceStarter.ts';
import { node } from '../model.ts';
import { countInCase, objectionFindings, sideTaskOutcomes, sideTaskSettlers } from '../sideTasks.ts';
import type { Step } from '../step.ts';
import type { TaskRow } from '../tables.ts';
import {
  actorId,
  reloadResult,
  requireMayAct,
  requireOpen,
  type TaskResult,
  taskResult,
  withTaskStep,
} from '../taskAccess.ts';

export interface CompleteInput {
  outcome?: string | null;
  opinion?: string | null;
  variables?: Record<string, unknown>;
}

/**
 * 办理: complete a task with an outcome and an opinion (意见). Idempotent: completing a task again — a double
 * click, a retried request after a lost answer — returns the first completion's result and writes nothing.
 */
export async function taskCompleter(ctx: Context, taskId: string, input: CompleteInput): Promise<TaskResult> {
  const variables = checkVariables(input.variables ?? {});
  return withTaskStep(ctx, taskId, async (step, task) => {
    const me = actorId(ctx);
    if (task.status === 'completed' && task.completed_by === me) return reloadResult(step.db, task.id);
    requireOpen(task);
    await requireMayAct(step, task);
    const opinion = input.opinion?.trim() || null;
    const where = { instanceId: task.instance_id, activityId: task.activity_id, taskId: task.id };

    // 委托: the delegate's completion hands the task back to its owner, who completes it for real
    if (task.owner_id && task.owner_id !== me) {
      await step.db
        .updateTable('tasks')
        .set({ assignee_id: task.owner_id, owner_id: null })
        .where('id', '=', task.id)
        .execute();
      await step.history({ ...where, action: 'resolve', outcome: input.outcome ?? null, opinion });
      return reloadResult(step.db, task.id);
    }

    if (task.kind === 'objection')
      return settleObjection(step, task, me, input.outcome?.trim() || null, opinion);

    const model = await step.model(task.instance_id);
    const n = node(model, task.activity_id);
    const outcome = input.outcome?.trim() || null;
    if (task.kind === 'step' && n.kind === 'userTask' && n.outcomes.length) {
      if (!outcome || !n.outcomes.includes(outcome)) {
        throw invalid([{ field: 'outcome', reason: `请选择办理结果：${n.outcomes.join(' / ')}` }]);
      }
    }
    await markCompleted(step, task.id, me, outcome, opinion);
    for (const [name, value] of Object.entries(variables))
      await step.setVariable(task.instance_id, task.instance_id, name, value);

    if (task.kind === 'supplement') {
      // 补正 received: the step that asked for it is open again, for the same handler
      if (task.parent_task_id) {
        await step.db
          .updateTable('tasks')
          .set({ status: 'open' })
          .where('id', '=', task.parent_task_id)
          .where('status', '=', 'supplementing')
          .execute();
      }
      await step.history({ ...where, action: 'supplemented', opinion });
      return reloadResult(step.db, task.id);
    }

    if (outcome !== null) {
      await step.setVariable(task.instance_id, task.instance_id, 'outcome', outcome);
      await step.setVariable(task.instance_id, task.instance_id, `${task.activity_id}_outcome`, outcome);
    }
    await step.history({ ...where, action: 'complete', outcome, opinion });
    step.causeTaskId = task.id;
    await tokenDone(step, await step.requireToken(task.execution_id), outcome);
    return taskResult(completedRow(step, task, me, outcome, opinion));
  });
}

async function markCompleted(
  step: Step,
  taskId: string,
  me: string,
  outcome: string | null,
  opinion: string | null,
): Promise<void> {
  const done = await step.db
    .updateTable('tasks')
    .set({ status: 'completed', completed_at: step.at, completed_by: me, outcome, opinion, touched: 1 })
    .where('id', '=', taskId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) throw new AppError('task_closed', '该待办已办结', 409);
}

const completedRow = (
  step: Step,
  task: TaskRow,
  me: string,
  outcome: string | null,
  opinion: string | null,
): TaskRow => ({
  ...task,
  status: 'completed',
  completed_at: step.at,
  completed_by: me,
  outcome,
  opinion,
  touched: 1,
});

/**
 * 核实异议: the unit closes an objection task with its finding and what it found. The case does not move: the
 * chart's own step weighs the objections when the 公示期 ends, and can read `objectionsUpheld`.
 */
async function settleObjection(
  step: Step,
  task: TaskRow,
  me: string,
  finding: string | null,
  opinion: string | null,
): Promise<TaskResult> {
  const findings = sideTaskOutcomes(task.kind);
  if (!finding || !findings.includes(finding)) {
    throw invalid([{ field: 'outcome', reason: `请选择核实结论：${findings.join(' / ')}` }]);
  }
  if (!opinion) throw invalid([{ field: 'opinion', reason: '请写明核实情况' }]);
  await markCompleted(step, task.id, me, finding, opinion);
  await step.history({
    instanceId: task.instance_id,
    activityId: task.activity_id,
    taskId: task.id,
    action: 'objectionSettled',
    outcome: finding,
    opinion,
  });
  if (finding === objectionFindings[0]) await countInCase(step, task.instance_id, 'objectionsUpheld');
  const settled = completedRow(step, task, me, finding, opinion);
  for (const settle of sideTaskSettlers(task.kind)) await settle(step.ctx, settled);
  return taskResult(settled);
}
