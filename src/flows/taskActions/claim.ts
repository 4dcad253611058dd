import type { Context } from '../../context.ts';
import { AppError, forbidden } from '../../errors.ts';
import { actorId, reloadResult, requireOpen, type TaskResult, withTaskStep } from '../taskAccess.ts';

/** 签收: a candidate takes an unassigned task; the others no longer see it as theirs. */
export function taskClaimer(ctx: Context, taskId: string): Promise<TaskResult> {
  return withTaskStep(ctx, taskId, async (step, task) => {
    const me = actorId(ctx);
    if (task.assignee_id === me) return reloadResult(step.db, task.id);
    requireOpen(task);
    if (task.assignee_id) throw new AppError('task_claimed', '该待办已被他人签收', 409);
    const candidate = await step.db
      .selectFrom('task_candidates')
      .select('user_id')
      .where('task_id', '=', task.id)
      .where('user_id', '=', me)
      .executeTakeFirst();
    if (!candidate) throw forbidden('您不是该待办的候选办理人');
    await step.db
      .updateTable('tasks')
      .set({ assignee_id: me, touched: 1 })
      .where('id', '=', task.id)
      .execute();
    await step.history({
      instanceId: task.instance_id,
      activityId: task.activity_id,
      taskId: task.id,
      action: 'claim',
    });
    return reloadResult(step.db, task.id);
  });
}
