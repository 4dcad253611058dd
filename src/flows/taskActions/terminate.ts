import type { Context } from '../../context.ts';
import { AppError, forbidden, invalid } from '../../errors.ts';
import { terminateInstanceTree } from '../engine.ts';
import { actorId, mayAct, reloadResult, type TaskResult, withTaskStep } from '../taskAccess.ts';

/** 终止: stop the whole case (and the cases it called). Its handlers may; so may an administrator. */
export async function caseTerminator(
  ctx: Context,
  taskId: string,
  input: { reason: string },
): Promise<TaskResult> {
  const reason = input.reason.trim();
  if (!reason) throw invalid([{ field: 'reason', reason: '请填写终止理由' }]);
  return withTaskStep(ctx, taskId, async (step, task) => {
    const me = actorId(ctx);
    // a side task (核实异议, 补正) gives its handler no say over the case itself
    const handler = task.kind === 'step' && task.status === 'open' && (await mayAct(step.db, task, me));
    if (ctx.actor?.role !== 'sysadmin' && !handler) {
      throw forbidden('只有该办件的当前办理人或管理员可以终止');
    }
    const root = await step.instance(step.rootId);
    if (root.status !== 'running') throw new AppError('case_ended', '该办件已结束', 409);
    await step.history({
      instanceId: task.instance_id,
      activityId: task.activity_id,
      taskId: task.id,
      action: 'terminate',
      opinion: reason,
    });
    await terminateInstanceTree(step, root.id);
    return reloadResult(step.db, task.id);
  });
}
