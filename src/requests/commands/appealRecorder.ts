import type { Context } from '../../context.ts';
import { invalid, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { assertRequestScope } from '../scope.ts';
import type { AppealKind, AppealResult } from '../tables.ts';

/** 行政复议 or 行政诉讼 over a request (条例 Art. 51; annual report table 四). */
export async function appealRecorder(
  ctx: Context,
  requestId: string,
  input: {
    kind: AppealKind;
    filedOn: string;
    result: AppealResult;
    concludedOn?: string | null;
    note?: string | null;
  },
): Promise<{ id: string }> {
  const request = await ctx.db
    .selectFrom('info_requests')
    .select(['id', 'received_on', 'unit_id', 'handling_unit_id'])
    .where('id', '=', requestId)
    .executeTakeFirst();
  if (!request) throw notFound('政府信息公开申请', requestId);
  // Unit scope (issue 7 item 2, src/disclosure/unitScope.ts): the request's unit or the disclosure office.
  await assertRequestScope(ctx, request);
  if (input.filedOn < request.received_on)
    throw invalid([{ field: 'filedOn', reason: '复议或起诉日期不能早于收到申请的日期' }]);
  checkResult(input.result, input.concludedOn ?? null, input.filedOn);
  const id = newId(ctx.now().getTime());
  await ctx.db
    .insertInto('info_request_appeals')
    .values({
      id,
      request_id: requestId,
      kind: input.kind,
      filed_on: input.filedOn,
      result: input.result,
      concluded_on: input.result === 'pending' ? null : (input.concludedOn ?? null),
      note: input.note?.trim() || null,
      created_at: nowIso(ctx.now()),
    })
    .execute();
  return { id };
}

function checkResult(result: AppealResult, concludedOn: string | null, filedOn: string) {
  if (result !== 'pending' && !concludedOn)
    throw invalid([{ field: 'concludedOn', reason: '已审结的请填写审结日期' }]);
  if (concludedOn && concludedOn < filedOn)
    throw invalid([{ field: 'concludedOn', reason: '审结日期不能早于申请日期' }]);
}

export async function appealUpdater(
  ctx: Context,
  appealId: string,
  input: { result: AppealResult; concludedOn?: string | null; note?: string | null },
): Promise<{ id: string }> {
  const appeal = await ctx.db
    .selectFrom('info_request_appeals')
    .innerJoin('info_requests', 'info_requests.id', 'info_request_appeals.request_id')
    .select([
      'info_request_appeals.id',
      'info_request_appeals.filed_on',
      'info_request_appeals.note',
      'info_requests.unit_id',
      'info_requests.handling_unit_id',
    ])
    .where('info_request_appeals.id', '=', appealId)
    .executeTakeFirst();
  if (!appeal) throw notFound('复议诉讼记录', appealId);
  await assertRequestScope(ctx, appeal);
  checkResult(input.result, input.concludedOn ?? null, appeal.filed_on);
  await ctx.db
    .updateTable('info_request_appeals')
    .set({
      result: input.result,
      concluded_on: input.result === 'pending' ? null : (input.concludedOn ?? null),
      note: input.note?.trim() || appeal.note,
    })
    .where('id', '=', appealId)
    .execute();
  return { id: appealId };
}
