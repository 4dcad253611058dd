import type { Context } from '../../context.ts';
import { AppError, forbidden, invalid } from '../../errors.ts';
import { groupMembers } from '../assignment.ts';
import { chinaDay } from '../durations.ts';
import type { Step } from '../step.ts';
import type { TaskRow } from '../tables.ts';
import { actorId, mayAct, reloadResult, requireOpen, type TaskResult, withTaskStep } from '../taskAccess.ts';

async function userByName(step: Step, username: string): Promise<{ id: string; display_name: string }> {
  const u = await step.db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('username', '=', username)
    .where('disabled', '=', 0)
    .executeTakeFirst();
  if (!u) throw invalid([{ field: 'to', reason: `用户不存在：${username}` }]);
  return u;
}

async function requireHandlerOrAdmin(step: Step, task: TaskRow): Promise<void> {
  // an administrator may hand on a task nobody can act on (its group resolved to no one)
  if (step.ctx.actor?.role === 'sysadmin') return;
  if (!(await mayAct(step.db, task, actorId(step.ctx)))) throw forbidden('您不是该待办的办理人');
}

/** 转办: hand the task to another person (`to` a username) or another group (`position:…`, `unit:…`). */
export function taskTransferrer(
  ctx: Context,
  taskId: string,
  input: { to: string; opinion?: string | null },
): Promise<TaskResult> {
  return withTaskStep(ctx, taskId, async (step, task) => {
    requireOpen(task);
    await requireHandlerOrAdmin(step, task);
    const to = input.to.trim();
    let detail: string;
    if (to.includes(':')) {
      const instance = await step.instance(task.instance_id);
      const unitVar = (await step.caseVariables(task.instance_id)).unitId;
      const members = await groupMembers(
        step.db,
        to,
        { userId: instance.started_by, unitId: typeof unitVar === 'string' && unitVar ? unitVar : null },
        chinaDay(step.now),
      );
      if (!members.length) throw invalid([{ field: 'to', reason: `该组今天无人在岗：${to}` }]);
      await step.db.deleteFrom('task_candidates').where('task_id', '=', task.id).execute();
      await step.db
        .insertInto('task_candidates')
        .values(members.map((user_id) => ({ task_id: task.id, user_id })))
        .execute();
      await step.db
        .updateTable('tasks')
        .set({ assignee_id: null, owner_id: null, touched: 1 })
        .where('id', '=', task.id)
        .execute();
      detail = to;
    } else {
      const user = await userByName(step, to);
      await step.db
        .updateTable('tasks')
        .set({ assignee_id: user.id, owner_id: null, touched: 1 })
        .where('id', '=', task.id)
        .execute();
      detail = `${to} ${user.display_name}`;
    }
    await step.history({
      instanceId: task.instance_id,
      activityId: task.activity_id,
      taskId: task.id,
      action: 'transfer',
      opinion: input.opinion?.trim() || null,
      detail,
    });
    return reloadResult(step.db, task.id);
  });
}

/** 委托: the handler asks someone to act for them; the delegate's completion returns the task to the handler. */
export function taskDelegator(
  ctx: Context,
  taskId: string,
  input: { to: string; opinion?: string | null },
): Promise<TaskResult> {
  return withTaskStep(ctx, taskId, async (step, task) => {
    requireOpen(task);
    const me = actorId(ctx);
    if (!(await mayAct(step.db, task, me))) throw forbidden('您不是该待办的办理人');
    if (task.owner_id) throw new AppError('task_delegated', '该待办已在委托中', 409);
    const user = await userByName(step, input.to.trim());
    if (user.id === me) throw invalid([{ field: 'to', reason: '不能委托给自己' }]);
    await step.db
      .updateTable('tasks')
      .set({ assignee_id: user.id, owner_id: me, touched: 1 })
      .where('id', '=', task.id)
      .execute();
    await step.history({
      instanceId: task.instance_id,
      activityId: task.activity_id,
      taskId: task.id,
      action: 'delegate',
      opinion: input.opinion?.trim() || null,
      detail: `${input.to.trim()} ${user.display_name}`,
    });
    return reloadResult(step.db, task.id);
  });
}
