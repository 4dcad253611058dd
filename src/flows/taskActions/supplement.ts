import type { Context } from '../../context.ts';
import { AppError, invalid } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { reloadResult, requireMayAct, requireOpen, type TaskResult, withTaskStep } from '../taskAccess.ts';

/**
 * 补正: the handler asks the submitter for missing material. The task waits (`supplementing`) while a
 * supplement task sits in the submitter's inbox; completing that one reopens this task for the same handler.
 */
export async function supplementRequester(
  ctx: Context,
  taskId: string,
  input: { reason: string },
): Promise<TaskResult> {
  const reason = input.reason.trim();
  if (!reason) throw invalid([{ field: 'reason', reason: '请写明需要补正的材料' }]);
  return withTaskStep(ctx, taskId, async (step, task) => {
    requireOpen(task);
    if (task.kind !== 'step') throw new AppError('supplement_not_possible', '补正任务不能再要求补正', 409);
    await requireMayAct(step, task);
    const instance = await step.instance(task.instance_id);
    if (!instance.started_by)
      throw new AppError('supplement_not_possible', '该办件没有发起人，无法要求补正', 409);
    const me = step.actorId;
    // the handler keeps the task: it comes back to them when the material arrives
    await step.db
      .updateTable('tasks')
      .set({ status: 'supplementing', assignee_id: task.assignee_id ?? me, touched: 1 })
      .where('id', '=', task.id)
      .execute();
    await step.db
      .insertInto('tasks')
      .values({
        id: newId(step.now.getTime()),
        instance_id: task.instance_id,
        execution_id: task.execution_id,
        activity_id: task.activity_id,
        kind: 'supplement',
        name: `补正：${task.name}`,
        status: 'open',
        assignee_id: instance.started_by,
        owner_id: null,
        previous_task_id: task.id,
        parent_task_id: task.id,
        touched: 0,
        created_at: step.at,
        due_at: null,
        completed_at: null,
        completed_by: null,
        outcome: null,
        opinion: reason,
      })
      .execute();
    await step.history({
      instanceId: task.instance_id,
      activityId: task.activity_id,
      taskId: task.id,
      action: 'supplement',
      opinion: reason,
    });
    return reloadResult(step.db, task.id);
  });
}
