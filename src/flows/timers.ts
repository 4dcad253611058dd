import { loadCalendar } from '../calendar/calendar.ts';
import { onCalendarChanged } from '../calendar/changes.ts';
import { AppError } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { dueDate, endOfChinaDay, parseIsoDuration } from './durations.ts';
import { evaluateExpression, isTemplate } from './expressions.ts';
import type { TimerSpec } from './model.ts';
import type { Step, Token } from './step.ts';

/** Compute a timer's due date for a token and store the timer row. Returns the due instant. */
export async function createTimer(
  step: Step,
  token: Token,
  activityId: string,
  spec: TimerSpec,
): Promise<Date> {
  let duration: ReturnType<typeof parseIsoDuration> | number;
  if (isTemplate(spec.duration)) {
    const v = evaluateExpression(spec.duration, await step.lookup(token));
    const parsed = typeof v === 'string' ? parseIsoDuration(v) : null;
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) duration = v;
    else if (parsed) duration = parsed;
    else {
      throw new AppError('duration_invalid', `定时事件 ${activityId} 的时长无效：${String(v)}`, 400, [
        { field: activityId, reason: '时长应为天数或 ISO-8601 时长' },
      ]);
    }
  } else {
    duration = parseIsoDuration(spec.duration);
    if (!duration) throw new AppError('duration_invalid', `定时事件 ${activityId} 的时长无效`, 400);
  }
  const calendar = spec.workingDays ? await loadCalendar(step.db) : null;
  const due = dueDate(step.now, duration, spec.workingDays, calendar);
  await step.db
    .insertInto('timers')
    .values({
      id: newId(step.now.getTime()),
      instance_id: token.instanceId,
      execution_id: token.id,
      activity_id: activityId,
      due_at: nowIso(due.dueAt),
      working_days: due.workingDays,
      from_day: due.fromDay,
      claimed_by: null,
      claimed_until: null,
      attempts: 0,
      last_error: null,
      created_at: step.at,
    })
    .execute();
  return due.dueAt;
}

export async function deleteTimersOf(step: Step, executionIds: string[]): Promise<void> {
  if (executionIds.length)
    await step.db.deleteFrom('timers').where('execution_id', 'in', executionIds).execute();
}

// A change of the official calendar (a new year's holidays announced) moves every open working-day period,
// in the same transaction as the change (issue 3 item 6: open deadlines recomputed).
onCalendarChanged('flows.timers', async (ctx) => {
  const timers = await ctx.db
    .selectFrom('timers')
    .select(['id', 'execution_id', 'due_at', 'working_days', 'from_day'])
    .where('working_days', 'is not', null)
    .execute();
  if (!timers.length) return;
  const calendar = await loadCalendar(ctx.db);
  for (const t of timers) {
    if (t.working_days === null || t.from_day === null) continue;
    const dueAt = nowIso(endOfChinaDay(calendar.addWorkingDays(t.from_day, t.working_days)));
    if (dueAt === t.due_at) continue;
    await ctx.db.updateTable('timers').set({ due_at: dueAt }).where('id', '=', t.id).execute();
    // the task of the timer's token, or, for a countersign (会签), the tasks of the tokens inside its body
    await ctx.db
      .updateTable('tasks')
      .set({ due_at: dueAt })
      .where((eb) =>
        eb.or([
          eb('execution_id', '=', t.execution_id),
          eb(
            'execution_id',
            'in',
            eb.selectFrom('executions').select('id').where('parent_id', '=', t.execution_id),
          ),
        ]),
      )
      .where('due_at', '=', t.due_at)
      .execute();
  }
});
