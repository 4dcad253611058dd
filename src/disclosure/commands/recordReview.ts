import type { Context } from '../../context.ts';
import { AppError, type FieldError, invalid } from '../../errors.ts';
import { nowIso } from '../../ids.ts';
import type { Db } from '../../store/store.ts';
import { attachmentScanText } from '../attachments.ts';
import { officeKindOf } from '../attachmentText.ts';
import { findingNames, scanText } from '../privacy.ts';
import { openReviewCase, startReviewFlow } from '../reviewFlow.ts';
import type { PublishState, RecordRow } from '../tables.ts';
import { assertUnitScope } from '../unitScope.ts';
import { appendHistory } from '../util.ts';
import { requireRecord } from './recordCreator.ts';

// Publishing (issue 4 item 5): a record passes 审核 (review) and 保密审查 (confidentiality check, seed 附件4: 区保密局
// 负责做好政务公开的保密审查工作) before it is published. Modelled as explicit states with an append-only
// history: draft → inReview → inSecrecyCheck → approved → published (→ withdrawn); either check may return it
// to draft with a reason.

/**
 * Every personal-data finding in what would be published: title, summary, body and the text of attachments
 * (plain text, Word, Excel). A finding in a Word or Excel file names the file and asks for a masked version:
 * such a file cannot be masked here (recordMasker.ts).
 */
export async function privacyFindings(db: Db, row: RecordRow): Promise<FieldError[]> {
  const fields: FieldError[] = [];
  const scan = (
    field: string,
    text: string | null,
    reason = (found: string) => `发现${found}，请遮盖后再提交`,
  ) => {
    for (const f of scanText(text ?? ''))
      fields.push({ field, reason: reason(`${findingNames[f.kind]}（${f.masked}）`) });
  };
  scan('title', row.title);
  scan('summary', row.summary);
  scan('body', row.body);
  const attachments = await db
    .selectFrom('record_attachments')
    .select(['id', 'file_name', 'media_type', 'storage_path', 'text_content'])
    .where('record_id', '=', row.id)
    .orderBy('created_at')
    .execute();
  for (const a of attachments) {
    const field = `attachments.${a.file_name}`;
    const content = attachmentScanText(a);
    if ('unreadable' in content) {
      fields.push({ field, reason: `附件《${a.file_name}》无法读取，请重新上传：${content.unreadable}` });
    } else if (officeKindOf(a.media_type)) {
      scan(field, content.text, (found) => `附件《${a.file_name}》含个人信息：${found}，请上传遮盖后的文件`);
    } else scan(field, content.text);
  }
  return fields;
}

async function assertNoPersonalData(db: Db, row: RecordRow): Promise<void> {
  const fields = await privacyFindings(db, row);
  if (fields.length)
    throw new AppError('personal_data_found', '待公开内容含有未遮盖的个人信息，请先遮盖', 422, fields);
}

async function move(
  ctx: Context,
  row: RecordRow,
  from: readonly PublishState[],
  to: PublishState,
  action: string,
  note: string | null,
  extra: { published_at?: string | null } = {},
): Promise<void> {
  if (!from.includes(row.publish_state))
    throw new AppError('invalid_state', `当前状态（${stateNames[row.publish_state]}）不能执行此操作`, 409);
  // The WHERE on the old state makes two concurrent decisions on one record impossible: the second updates
  // nothing and is refused.
  const res = await ctx.db
    .updateTable('records')
    .set({ publish_state: to, updated_at: nowIso(ctx.now()), ...extra })
    .where('id', '=', row.id)
    .where('publish_state', '=', row.publish_state)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1)
    throw new AppError('invalid_state', '该信息的状态已被他人改变，请刷新', 409);
  await appendHistory(ctx, row.id, { action, from: row.publish_state, to, note });
}

/**
 * A state change decided by the review flow (reviewFlow.ts): the flow's task assignment already decided who
 * acts, so the unit scope is not asked again; the same guarded move and history as the explicit API.
 */
export async function moveRecord(
  ctx: Context,
  id: string,
  from: readonly PublishState[],
  to: PublishState,
  action: string,
  note: string | null,
): Promise<void> {
  await move(ctx, await requireRecord(ctx.db, id), from, to, action, note);
}

/** The explicit 审核 / 保密审查 decisions are for records not under a review case (submitted before it existed). */
async function assertNoReviewCase(ctx: Context, id: string): Promise<void> {
  const caseId = await openReviewCase(ctx, id);
  if (caseId)
    throw new AppError('in_review_flow', '该信息正在审核流程中，请在待办任务中办理', 409, [
      { field: 'processInstanceId', reason: caseId },
    ]);
}

export const stateNames: Record<PublishState, string> = {
  draft: '草稿',
  inReview: '待审核',
  inSecrecyCheck: '待保密审查',
  approved: '待发布',
  published: '已发布',
  withdrawn: '已撤回',
};

/** Who last submitted the record: the same person may not also pass its review (four eyes). */
async function lastSubmitter(db: Db, recordId: string): Promise<string | null> {
  const row = await db
    .selectFrom('record_history')
    .select('actor_user_id')
    .where('record_id', '=', recordId)
    .where('action', '=', 'submitted')
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  return row?.actor_user_id ?? null;
}

/**
 * The record, after checking the actor's unit scope on its disclosing unit (issue 7 item 2, unitScope.ts):
 * submit, review, publish and withdraw are changes to the disclosing unit's data; the disclosure office does
 * the 保密审查 and publishing for every unit.
 */
async function scopedRecord(ctx: Context, id: string): Promise<RecordRow> {
  const row = await requireRecord(ctx.db, id);
  await assertUnitScope(ctx, row.disclosing_unit_id);
  return row;
}

export async function recordSubmitter(ctx: Context, id: string): Promise<void> {
  const row = await scopedRecord(ctx, id);
  if (row.attribute === 'exempt')
    throw new AppError('exempt_not_publishable', '不予公开的信息不能提交发布', 409, [
      { field: 'attribute', reason: '公开属性为不予公开' },
    ]);
  // 条例 Art. 12: the catalogue shows index number, name, summary and date; a proactive record needs all four.
  if (row.attribute === 'proactive' && !row.summary?.trim())
    throw invalid([{ field: 'summary', reason: '主动公开的信息须有内容概述（条例第十二条）' }]);
  await assertNoPersonalData(ctx.db, row);
  await move(ctx, row, ['draft'], 'inReview', 'submitted', null);
  // With the review chart deployed, 审核 and 保密审查 are tasks of a case (reviewFlow.ts, issue 4 item 5).
  const caseId = await startReviewFlow(ctx, { ...row, publish_state: 'inReview' });
  if (caseId) await appendHistory(ctx, id, { action: 'reviewFlowStarted', note: `审核流程 ${caseId}` });
}

export async function reviewApprover(ctx: Context, id: string, note: string | null): Promise<void> {
  const row = await scopedRecord(ctx, id);
  await assertNoReviewCase(ctx, id);
  if (ctx.actor && (await lastSubmitter(ctx.db, id)) === ctx.actor.userId)
    throw new AppError('same_person', '提交人不能审核自己提交的信息', 403);
  await move(ctx, row, ['inReview'], 'inSecrecyCheck', 'reviewApproved', note);
}

export async function secrecyApprover(ctx: Context, id: string, note: string | null): Promise<void> {
  const row = await scopedRecord(ctx, id);
  await assertNoReviewCase(ctx, id);
  if (ctx.actor && (await lastSubmitter(ctx.db, id)) === ctx.actor.userId)
    throw new AppError('same_person', '提交人不能对自己提交的信息进行保密审查', 403);
  await move(ctx, row, ['inSecrecyCheck'], 'approved', 'secrecyApproved', note);
}

export async function reviewReturner(ctx: Context, id: string, reason: string): Promise<void> {
  if (!reason.trim()) throw invalid([{ field: 'reason', reason: '退回须写明理由' }]);
  const row = await scopedRecord(ctx, id);
  await assertNoReviewCase(ctx, id);
  const action = row.publish_state === 'inSecrecyCheck' ? 'secrecyReturned' : 'reviewReturned';
  await move(ctx, row, ['inReview', 'inSecrecyCheck'], 'draft', action, reason.trim());
}

export async function recordPublisher(ctx: Context, id: string): Promise<void> {
  const row = await scopedRecord(ctx, id);
  if (row.attribute === 'exempt')
    throw new AppError('exempt_not_publishable', '不予公开的信息不能发布', 409, [
      { field: 'attribute', reason: '公开属性为不予公开' },
    ]);
  // Scanned again at the last step: nothing unmasked reaches the portal even if content changed in between.
  await assertNoPersonalData(ctx.db, row);
  await move(ctx, row, ['approved'], 'published', 'published', null, { published_at: nowIso(ctx.now()) });
}

export async function recordWithdrawer(ctx: Context, id: string, reason: string): Promise<void> {
  if (!reason.trim()) throw invalid([{ field: 'reason', reason: '撤回须写明理由' }]);
  const row = await scopedRecord(ctx, id);
  await move(ctx, row, ['published', 'approved'], 'withdrawn', 'withdrawn', reason.trim());
}

/**
 * Publish a draft whose publication was already decided by someone entitled to decide it elsewhere in the
 * platform — the annual report, published by a leader after its consistency checks (条例 Art. 50: published
 * by 31 January). It skips the 审核 / 保密审查 states but none of their protections: the unit scope, the exempt
 * refusal and the personal-data scan all apply, and the history names the decision.
 */
export async function decidedRecordPublisher(ctx: Context, id: string, decision: string): Promise<void> {
  const row = await scopedRecord(ctx, id);
  if (row.attribute !== 'proactive')
    throw new AppError('not_proactive', '只有主动公开的信息可以直接发布', 409, [
      { field: 'attribute', reason: '公开属性不是主动公开' },
    ]);
  await assertNoPersonalData(ctx.db, row);
  await move(ctx, row, ['draft'], 'published', 'published', decision, { published_at: nowIso(ctx.now()) });
}
