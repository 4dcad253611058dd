import type { Context } from '../context.ts';
import { objectionTaskCreator, onSideTaskSettled } from '../flows/sideTasks.ts';
import { newId, nowIso } from '../ids.ts';
import { maskText } from '../security/masks.ts';
import { encryptPersonal } from '../security/personalData.ts';

export interface ObjectionInput {
  recordId: string;
  content: string;
  name: string;
  contact: string;
}

export interface ReceivedObjection {
  /** What the objector is told to quote: the last 8 characters of the id, in capitals. */
  ref: string;
  /** The task it raised in the notice's case, or null when the notice has no running case. */
  taskId: string | null;
}

export const objectionRef = (id: string): string => id.slice(-8).toUpperCase();

/**
 * 异议 against a public notice (issue 5 item 2): stored with the objector's name and contact encrypted, and
 * handed to the unit that published the notice as a task in the case that published it, in one transaction
 * (`ctx.db` must be one), so an acknowledged objection always has its task. A notice posted by hand has no case:
 * its objections wait in the record's objection list for the unit (GET /api/v1/records/:id/objections).
 */
export async function objectionReceiver(ctx: Context, input: ObjectionInput): Promise<ReceivedObjection> {
  const record = await ctx.db
    .selectFrom('records')
    .select(['source_process_instance_id', 'disclosing_unit_id', 'notice_ends_on'])
    .where('id', '=', input.recordId)
    .executeTakeFirstOrThrow();
  const id = newId(ctx.now().getTime());
  const ref = objectionRef(id);
  // The finding is wanted by the end of the 公示期, when the case's own step weighs the objections.
  const dueAt = record.notice_ends_on
    ? new Date(`${record.notice_ends_on}T23:59:59.999+08:00`).toISOString()
    : null;
  const taskId = record.source_process_instance_id
    ? await objectionTaskCreator(ctx, {
        instanceId: record.source_process_instance_id,
        unitId: record.disclosing_unit_id,
        // case readers are more than its handler: ID numbers and phones the objector wrote are masked here
        detail: `异议 ${ref}：${maskText(input.content)}`,
        dueAt,
      })
    : null;
  await ctx.db
    .insertInto('notice_objections')
    .values({
      id,
      record_id: input.recordId,
      process_instance_id: record.source_process_instance_id,
      unit_id: record.disclosing_unit_id,
      content: input.content,
      name_enc: input.name ? encryptPersonal(input.name) : null,
      contact_enc: input.contact ? encryptPersonal(input.contact) : null,
      state: 'received',
      created_at: nowIso(ctx.now()),
      task_id: taskId,
      finding: null,
      settled_at: null,
      settled_by: null,
    })
    .execute();
  return { ref, taskId };
}

// The objection is settled by completing its task (taskActions/complete.ts): its finding is kept with it.
onSideTaskSettled('objection', async (ctx, task) => {
  await ctx.db
    .updateTable('notice_objections')
    .set({
      state: 'settled',
      finding: task.outcome,
      settled_at: task.completed_at,
      settled_by: task.completed_by,
    })
    .where('task_id', '=', task.id)
    .execute();
});
