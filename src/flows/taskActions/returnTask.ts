import type { Context } from '../../context.ts';
import { AppError, invalid } from '../../errors.ts';
import { cancelTokens, moveTo } from '../engine.ts';
import { node } from '../model.ts';
import type { Step, Token } from '../step.ts';
import type { TaskRow } from '../tables.ts';
import { reloadResult, requireMayAct, requireOpen, type TaskResult, withTaskStep } from '../taskAccess.ts';
import { deleteTimersOf } from '../timers.ts';

export interface ReturnInput {
  /** `previous` (上一环节), `submitter` (发起人), or the id of any earlier step of the chart. */
  to: string;
  reason: string;
}

const cannot = (reason: string) =>
  new AppError('return_not_possible', `不能退回：${reason}`, 409, [{ field: 'to', reason }]);

/** The task a return goes back to: its step, and who did it (the step is handed back to them). */
async function returnTarget(
  step: Step,
  task: TaskRow,
  to: string,
): Promise<{ activityId: string; userId: string | null }> {
  const done = await step.db
    .selectFrom('tasks')
    .select(['activity_id', 'completed_by', 'completed_at'])
    .where('instance_id', '=', task.instance_id)
    .where('kind', '=', 'step')
    .where('status', '=', 'completed')
    .orderBy('completed_at')
    .orderBy('id')
    .execute();
  if (to === 'previous') {
    const prev = task.previous_task_id
      ? await step.db
          .selectFrom('tasks')
          .select(['activity_id', 'completed_by'])
          .where('id', '=', task.previous_task_id)
          .executeTakeFirst()
      : undefined;
    if (!prev) throw cannot('没有上一环节');
    return { activityId: prev.activity_id, userId: prev.completed_by };
  }
  if (to === 'submitter') {
    const instance = await step.instance(task.instance_id);
    const first = done.find((d) => d.completed_by === instance.started_by) ?? done[0];
    if (!first) throw cannot('发起人没有办理过的环节');
    return { activityId: first.activity_id, userId: first.completed_by };
  }
  const last = done.filter((d) => d.activity_id === to).pop();
  if (!last) throw cannot(`环节 ${to} 尚未办理过`);
  return { activityId: last.activity_id, userId: last.completed_by };
}

/**
 * 退回: send the case back, with a reason, to the previous step, to the submitter, or to any earlier step; the
 * step is handed again to whoever did it. A countersign (会签) is returned as a whole.
 */
export async function taskReturner(ctx: Context, taskId: string, input: ReturnInput): Promise<TaskResult> {
  const reason = input.reason.trim();
  if (!reason) throw invalid([{ field: 'reason', reason: '请填写退回理由' }]);
  return withTaskStep(ctx, taskId, async (step, task) => {
    requireOpen(task);
    if (task.kind !== 'step') throw cannot('补正任务不能退回');
    await requireMayAct(step, task);
    const model = await step.model(task.instance_id);
    const here = node(model, task.activity_id);
    const target = await returnTarget(step, task, input.to);
    const there = model.nodes.get(target.activityId);
    if (there?.kind !== 'userTask') throw cannot(`${target.activityId} 不是人工环节`);
    if (there.container !== here.container) throw cannot('目标环节不在同一层流程中');
    let token: Token = await step.requireToken(task.execution_id);
    await step.db
      .updateTable('tasks')
      .set({ status: 'returned', completed_at: step.at, completed_by: step.actorId, opinion: reason })
      .where('id', '=', task.id)
      .execute();
    if (here.kind === 'userTask' && here.multi && token.parentId) {
      const body = await step.requireToken(token.parentId);
      await cancelTokens(step, await step.childTokens(body.id), 'cancelled');
      await step.dropScopeVariables(body.instanceId, [body.id]);
      token = body;
    }
    await deleteTimersOf(step, [token.id]);
    await step.history({
      instanceId: task.instance_id,
      activityId: task.activity_id,
      taskId: task.id,
      action: 'return',
      opinion: reason,
      detail: target.activityId,
    });
    if (target.userId) step.returnAssignee.set(target.activityId, target.userId);
    step.causeTaskId = task.id;
    moveTo(step, token, target.activityId, null);
    return reloadResult(step.db, task.id);
  });
}
