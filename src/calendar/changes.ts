import type { Context } from '../context.ts';
import { newId } from '../ids.ts';

/** A module's reaction to a changed calendar, e.g. the flow engine moving its working-day timers. */
export type CalendarChangedHook = (ctx: Context) => Promise<void>;

const hooks = new Map<string, CalendarChangedHook>();

/**
 * Register a hook run inside the transaction that changed the calendar, so deadlines stored by other modules
 * move together with the change (条例 Art. 33: the deadline is recomputed when the calendar changes).
 * Registering the same name again replaces the hook; the returned function removes it.
 */
export function onCalendarChanged(name: string, hook: CalendarChangedHook): () => void {
  hooks.set(name, hook);
  return () => {
    if (hooks.get(name) === hook) hooks.delete(name);
  };
}

/** Called by the calendar's commands after a change, in their transaction: new revision, then every hook. */
export async function calendarChanged(ctx: Context): Promise<void> {
  await ctx.db
    .insertInto('calendar_meta')
    .values({ key: 'revision', value: newId(ctx.now().getTime()) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
    .execute();
  for (const hook of hooks.values()) await hook(ctx);
}
