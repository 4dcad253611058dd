import type { Context } from '../../context.ts';
import { AppError, forbidden } from '../../errors.ts';
import { cancelTokens, moveTo } from '../engine.ts';
import { node } from '../model.ts';
import type { Token } from '../step.ts';
import { actorId, reloadResult, type TaskResult, withTaskStep } from '../taskAccess.ts';
import { deleteTimersOf } from '../timers.ts';

const cannot = (reason: string) => new AppError('recall_not_possible', `不能撤回：${reason}`, 409);

/**
 * 撤回: the sender takes back a task they completed, as long as nobody at the next step has acted on what it
 * produced (no claim, no opinion, no transfer). The case returns to the sender's step, assigned to them.
 * `taskId` is the sender's own completed task (from their 已办 list).
 */
export function taskRecaller(
  ctx: Context,
  taskId: string,
  input: { reason?: string | null },
): Promise<TaskResult> {
  return withTaskStep(ctx, taskId, async (step, sent) => {
    const me = actorId(ctx);
    if (sent.status !== 'completed' || sent.kind !== 'step') throw cannot('该待办未办结');
    if (sent.completed_by !== me) throw forbidden('只有发送人可以撤回');
    const next = await step.db
      .selectFrom('tasks')
      .selectAll()
      .where('previous_task_id', '=', sent.id)
      .execute();
    if (!next.length) throw cannot('没有可撤回的下一环节（流程已结束或已自动流转）');
    if (next.some((t) => t.status !== 'open' || t.touched)) throw cannot('下一环节已有人办理');
    const model = await step.model(sent.instance_id);
    const container = node(model, sent.activity_id).container;
    const tokens = new Map<string, Token>();
    for (const t of next) {
      let token = await step.requireToken(t.execution_id);
      const n = node(model, t.activity_id);
      if (n.kind === 'userTask' && n.multi && token.parentId) token = await step.requireToken(token.parentId);
      if (token.instanceId !== sent.instance_id || node(model, token.activityId).container !== container) {
        throw cannot('下一环节不在同一层流程中');
      }
      tokens.set(token.id, token);
    }
    await step.db
      .updateTable('tasks')
      .set({ status: 'recalled', completed_at: step.at })
      .where('previous_task_id', '=', sent.id)
      .where('status', '=', 'open')
      .execute();
    const [keep, ...others] = [...tokens.values()];
    if (!keep) throw cannot('没有可撤回的下一环节');
    await cancelTokens(step, others, 'recalled');
    if (keep.state === 'multi') {
      await cancelTokens(step, await step.childTokens(keep.id), 'recalled');
      await step.dropScopeVariables(keep.instanceId, [keep.id]);
    }
    await deleteTimersOf(step, [keep.id]);
    await step.history({
      instanceId: sent.instance_id,
      activityId: sent.activity_id,
      taskId: sent.id,
      action: 'recall',
      opinion: input.reason?.trim() || null,
    });
    step.returnAssignee.set(sent.activity_id, me);
    step.causeTaskId = sent.previous_task_id;
    moveTo(step, keep, sent.activity_id, null);
    return reloadResult(step.db, sent.id);
  });
}
