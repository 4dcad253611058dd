import { type Context, inTransaction } from '../context.ts';
import { completeActivity, interruptActivity, moveTo, run } from './engine.ts';
import { node } from './model.ts';
import { Step } from './step.ts';

/**
 * Fire one claimed timer as one step. Under the case lock the timer row is read again (FOR UPDATE) and must
 * still be claimed by this scheduler: if another took it over after our lease ran out, or a task completion
 * removed it, nothing happens. The row is deleted in the same transaction as the step it triggers, so a timer
 * fires exactly once even with several schedulers and crashes (issue 3 item 3).
 */
export function fireTimer(ctx: Context, timerId: string, owner: string): Promise<boolean> {
  return inTransaction(ctx, async (c) => {
    const peek = await c.db
      .selectFrom('timers')
      .select('instance_id')
      .where('id', '=', timerId)
      .executeTakeFirst();
    if (!peek) return false;
    const step = await Step.begin(c, peek.instance_id);
    const timer = await c.store.hooks
      .forUpdate(c.db.selectFrom('timers').selectAll().where('id', '=', timerId))
      .executeTakeFirst();
    if (!timer || timer.claimed_by !== owner) return false;
    await c.db.deleteFrom('timers').where('id', '=', timerId).execute();
    const token = await step.token(timer.execution_id);
    if (!token) return true;
    const n = node(await step.model(timer.instance_id), timer.activity_id);
    const where = { instanceId: timer.instance_id, activityId: n.id, actor: null, detail: timer.due_at };
    if (n.kind === 'timerCatch') {
      await step.history({ ...where, action: 'timerFired' });
      await completeActivity(step, token);
    } else if (n.kind === 'boundaryTimer') {
      await step.history({ ...where, action: n.cancelActivity ? 'timeout' : 'timeoutNotice' });
      if (n.cancelActivity) {
        await interruptActivity(step, token);
        moveTo(step, token, n.id, null);
      } else {
        moveTo(step, step.newToken(token.instanceId, token.parentId, n.id), n.id, null);
      }
    }
    await run(step);
    return true;
  });
}
