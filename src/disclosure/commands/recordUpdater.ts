import type { Context } from '../../context.ts';
import { AppError, invalid } from '../../errors.ts';
import { nowIso } from '../../ids.ts';
import { attributeNames } from '../tables.ts';
import { assertUnitScope } from '../unitScope.ts';
import { appendHistory, cleanList, replaceRecordChannels } from '../util.ts';
import {
  checkRecordReferences,
  publishByFor,
  type RecordFields,
  recordFieldProblems,
  requireRecord,
} from './recordCreator.ts';

/** States in which a record's content may change; a published record is withdrawn first, then edited. */
export const editableStates = ['draft', 'withdrawn'] as const;

/**
 * Replace a record's fields. The index number never changes (rules.md §4), also when the attribute changes:
 * see docs/adr/0003-index-number-on-attribute-change.md. Area, sub-area, stage, duty and disclosing body
 * are part of the number, so they are fixed once it is issued.
 */
export async function recordUpdater(
  ctx: Context,
  id: string,
  input: Omit<RecordFields, 'areaId' | 'subAreaId' | 'stage' | 'dutyId' | 'disclosingUnitId'>,
): Promise<void> {
  const row = await requireRecord(ctx.db, id);
  await assertUnitScope(ctx, row.disclosing_unit_id);
  if (!(editableStates as readonly string[]).includes(row.publish_state))
    throw new AppError('record_not_editable', '该信息正在审核或已发布，不能修改；已发布的信息请先撤回', 409);
  const full: RecordFields = {
    ...input,
    areaId: row.area_id,
    subAreaId: row.sub_area_id,
    stage: row.stage,
    dutyId: row.duty_id,
    disclosingUnitId: row.disclosing_unit_id,
  };
  const problems = recordFieldProblems(full);
  if (problems.length) throw invalid(problems);
  await checkRecordReferences(ctx.db, full);
  await ctx.db
    .updateTable('records')
    .set({
      title: input.title.trim(),
      summary: input.summary ?? null,
      origin: input.origin,
      kind: input.kind ?? row.kind,
      formed_on: input.formedOn,
      document_number: input.documentNumber ?? null,
      attribute: input.attribute,
      exemption_basis: input.exemptionBasis ?? null,
      negative_list_entry_id: input.negativeListEntryId ?? null,
      item_id: input.itemId ?? null,
      valid_from: input.validFrom ?? null,
      valid_until: input.validUntil ?? null,
      body: input.body ?? null,
      notice_level: input.noticeLevel ?? null,
      notice_starts_on: input.noticeStartsOn ?? null,
      notice_ends_on: input.noticeEndsOn ?? null,
      publish_by: await publishByFor(ctx.db, input.attribute, input.formedOn),
      publish_state: 'draft',
      updated_at: nowIso(ctx.now()),
    })
    .where('id', '=', id)
    .execute();
  if (input.channels) await replaceRecordChannels(ctx.db, id, cleanList(input.channels));
  await appendHistory(ctx, id, { action: 'edited', from: row.publish_state, to: 'draft' });
  if (input.attribute !== row.attribute)
    await appendHistory(ctx, id, {
      action: 'attributeChanged',
      note: `公开属性由“${attributeNames[row.attribute]}”改为“${attributeNames[input.attribute]}”；索引号 ${row.index_number} 不变`,
    });
}
