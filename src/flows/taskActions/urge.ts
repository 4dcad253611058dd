import type { Context } from '../../context.ts';
import { forbidden } from '../../errors.ts';
import { newId } from '../../ids.ts';
import {
  actorId,
  loadTask,
  reloadResult,
  requireOpen,
  type TaskResult,
  withTaskStep,
} from '../taskAccess.ts';

/**
 * 催办: the case's starter, the task's sender, or a leader asks the handlers to hurry. Recorded in the history
 * and sent to everyone who may act on the task (flow_notifications, shown with the task).
 */
export function taskUrger(
  ctx: Context,
  taskId: string,
  input: { message?: string | null },
): Promise<TaskResult> {
  return withTaskStep(ctx, taskId, async (step, task) => {
    requireOpen(task);
    const me = actorId(ctx);
    const instance = await step.instance(task.instance_id);
    const sender = task.previous_task_id
      ? (await loadTask(step.db, task.previous_task_id)).completed_by
      : null;
    const role = ctx.actor?.role;
    if (instance.started_by !== me && sender !== me && role !== 'leader' && role !== 'sysadmin') {
      throw forbidden('只有发起人、发送人或领导可以催办');
    }
    const message = input.message?.trim() || `请尽快办理：${task.name}`;
    const handlers = task.assignee_id
      ? [task.assignee_id]
      : (
          await step.db
            .selectFrom('task_candidates')
            .select('user_id')
            .where('task_id', '=', task.id)
            .execute()
        ).map((r) => r.user_id);
    if (handlers.length) {
      await step.db
        .insertInto('flow_notifications')
        .values(
          handlers.map((user_id) => ({
            id: newId(step.now.getTime()),
            user_id,
            task_id: task.id,
            instance_id: task.instance_id,
            kind: 'urge',
            message,
            created_at: step.at,
            read_at: null,
          })),
        )
        .execute();
    }
    await step.history({
      instanceId: task.instance_id,
      activityId: task.activity_id,
      taskId: task.id,
      action: 'urge',
      opinion: message,
      detail: `${handlers.length}`,
    });
    return reloadResult(step.db, task.id);
  });
}
