import type { Context } from '../../context.ts';
import { AppError, forbidden, invalid } from '../../errors.ts';
import { checkGroup } from '../assignment.ts';
import { node } from '../model.ts';
import { addCountersigner, removeCountersigner } from '../multiInstance.ts';
import type { Step, Token } from '../step.ts';
import type { TaskRow } from '../tables.ts';
import {
  actorId,
  loadTask,
  mayAct,
  reloadResult,
  requireOpen,
  type TaskResult,
  withTaskStep,
} from '../taskAccess.ts';

async function countersignOf(step: Step, task: TaskRow) {
  const model = await step.model(task.instance_id);
  const n = node(model, task.activity_id);
  const token = await step.requireToken(task.execution_id);
  const body: Token | null = token.parentId ? await step.token(token.parentId) : null;
  if (n.kind !== 'userTask' || !n.multi || !body || body.state !== 'multi') {
    throw new AppError('not_countersign', '该待办不是会签环节', 409);
  }
  return { n, body, token };
}

/** Who may change the countersigners: one of them, or whoever sent the countersign. */
async function requireCountersignRight(step: Step, task: TaskRow): Promise<void> {
  const me = actorId(step.ctx);
  if (await mayAct(step.db, task, me)) return;
  if (task.previous_task_id) {
    const sent = await loadTask(step.db, task.previous_task_id);
    if (sent.completed_by === me) return;
  }
  throw forbidden('只有会签人或发送人可以加签、减签');
}

function checkWho(who: string): string {
  const w = who.trim();
  if (!w) throw invalid([{ field: 'who', reason: '请填写会签人' }]);
  const problem = w.includes(':') ? checkGroup(w) : null;
  if (problem) throw invalid([{ field: 'who', reason: problem }]);
  return w;
}

/** 加签: add a countersigner (a username, or a group as in candidateGroups) to a running countersign. */
export async function countersignerAdder(
  ctx: Context,
  taskId: string,
  input: { who: string },
): Promise<TaskResult> {
  const who = checkWho(input.who);
  return withTaskStep(ctx, taskId, async (step, task) => {
    requireOpen(task);
    await requireCountersignRight(step, task);
    const { n, body } = await countersignOf(step, task);
    step.causeTaskId = task.previous_task_id;
    await addCountersigner(step, body, n, who);
    await step.history({
      instanceId: task.instance_id,
      activityId: task.activity_id,
      taskId: task.id,
      action: 'addCountersigner',
      detail: who,
    });
    return reloadResult(step.db, task.id);
  });
}

/** 减签: take off a countersigner who has not acted: their open task (`taskId`), or a later turn (`who`). */
export async function countersignerRemover(
  ctx: Context,
  taskId: string,
  input: { taskId?: string | null; who?: string | null },
): Promise<TaskResult> {
  return withTaskStep(ctx, taskId, async (step, task) => {
    requireOpen(task);
    await requireCountersignRight(step, task);
    const { n, body } = await countersignOf(step, task);
    let detail: string;
    if (input.taskId) {
      const target = await loadTask(step.db, input.taskId);
      requireOpen(target);
      const targetToken = await step.requireToken(target.execution_id);
      if (targetToken.parentId !== body.id)
        throw invalid([{ field: 'taskId', reason: '不是同一会签中的待办' }]);
      await removeCountersigner(step, body, n, { taskExecutionId: targetToken.id });
      detail = target.id;
    } else if (input.who) {
      await removeCountersigner(step, body, n, { who: input.who.trim() });
      detail = input.who.trim();
    } else throw invalid([{ field: 'taskId', reason: '请指明要减去的会签人' }]);
    await step.history({
      instanceId: task.instance_id,
      activityId: task.activity_id,
      taskId: task.id,
      action: 'removeCountersigner',
      detail,
    });
    return reloadResult(step.db, task.id);
  });
}
