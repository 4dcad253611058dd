import { type Context, inTransaction } from '../context.ts';
import { AppError, forbidden, notFound, unauthenticated } from '../errors.ts';
import type { Db } from '../store/store.ts';
import { run } from './engine.ts';
import { Step } from './step.ts';
import type { TaskRow } from './tables.ts';

export async function loadTask(db: Db, id: string): Promise<TaskRow> {
  const task = await db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!task) throw notFound('待办', id);
  return task;
}

/** Only the assignee may act on an assigned task; on an unassigned one, any of its candidates (issue 3 item 4). */
export async function mayAct(db: Db, task: TaskRow, userId: string): Promise<boolean> {
  if (task.assignee_id) return task.assignee_id === userId;
  const row = await db
    .selectFrom('task_candidates')
    .select('user_id')
    .where('task_id', '=', task.id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

export function actorId(ctx: Context): string {
  if (!ctx.actor) throw unauthenticated();
  return ctx.actor.userId;
}

export async function requireMayAct(step: Step, task: TaskRow): Promise<void> {
  if (!(await mayAct(step.db, task, actorId(step.ctx)))) throw forbidden('您不是该待办的办理人');
}

export function requireOpen(task: TaskRow): void {
  if (task.status === 'supplementing')
    throw new AppError('task_supplementing', '该待办正在等待补正材料', 409);
  if (task.status !== 'open') throw new AppError('task_closed', '该待办已办结、退回或撤回', 409);
}

export interface TaskResult {
  id: string;
  instanceId: string;
  activityId: string;
  status: TaskRow['status'];
  assigneeId: string | null;
  outcome: string | null;
  opinion: string | null;
  completedAt: string | null;
  completedBy: string | null;
}

export const taskResult = (t: TaskRow): TaskResult => ({
  id: t.id,
  instanceId: t.instance_id,
  activityId: t.activity_id,
  status: t.status,
  assigneeId: t.assignee_id,
  outcome: t.outcome,
  opinion: t.opinion,
  completedAt: t.completed_at,
  completedBy: t.completed_by,
});

/**
 * One task action as one step: a transaction that locks the task's case tree, re-reads the task under that
 * lock (so two handlers racing on one task are serialised and the second sees the first's result), acts,
 * and runs the engine to the next wait states. A crash anywhere inside rolls all of it back.
 */
export function withTaskStep<T>(
  ctx: Context,
  taskId: string,
  fn: (step: Step, task: TaskRow) => Promise<T>,
): Promise<T> {
  return inTransaction(ctx, async (c) => {
    const { step, task } = await Step.beginForTask(c, taskId);
    const result = await fn(step, task);
    await run(step);
    return result;
  });
}

export const reloadResult = async (db: Db, taskId: string): Promise<TaskResult> =>
  taskResult(await loadTask(db, taskId));
