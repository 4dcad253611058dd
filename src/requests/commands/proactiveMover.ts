import type { Context } from '../../context.ts';
import { disclosureWorkArea } from '../../disclosure/commands/disclosureWorkArea.ts';
import { recordCreator } from '../../disclosure/commands/recordCreator.ts';
import type { Stage } from '../../disclosure/tables.ts';
import { conflict, invalid } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { repeatedRequests } from '../repeated.ts';
import { beijingDate } from '../settings.ts';

/**
 * Art. 44: information requested by many applicants is moved into proactive disclosure. The decision is kept
 * here with the requests behind it, and the disclosure record is created as a draft 主动公开 record of the
 * requests' unit (recordCreator: index number, unit scope), which then goes through 审核 and 保密审查 like any
 * other; `record_id` links the two.
 *
 * The area the requests concern, in this order: the one the caller names; the area of the records their
 * delivered replies became (the most frequent); an area the requests' unit leads; else the district's
 * 政府信息公开 area (disclosureWorkArea.ts). The stage follows the reply records, else 执行.
 */
export async function proactiveMover(
  ctx: Context,
  input: { fingerprint: string; title: string; areaId?: string | null },
): Promise<{ id: string; requests: number; recordId: string; indexNumber: string }> {
  const { groups } = await repeatedRequests(ctx.db, null);
  const group = groups.find((g) => g.fingerprint === input.fingerprint);
  if (!group) throw invalid([{ field: 'fingerprint', reason: '没有找到这组重复申请' }]);
  if (group.movedOn) throw conflict('already_moved', `该信息已于${group.movedOn}转为主动公开`);
  const ids = await ctx.db
    .selectFrom('info_requests')
    .select('id')
    .where(
      'tracking_number',
      'in',
      group.requests.map((r) => r.trackingNumber),
    )
    .execute();
  const place = await areaOf(
    ctx,
    ids.map((r) => r.id),
    group.unitId,
    input.areaId ?? null,
  );
  const record = await recordCreator(ctx, {
    title: input.title.trim(),
    summary: `依申请公开转主动公开（《政府信息公开条例》第四十四条）：${group.applicants}名申请人申请公开“${group.description}”。`,
    origin: 'produced',
    kind: 'document',
    formedOn: beijingDate(ctx.now()),
    attribute: 'proactive',
    disclosingUnitId: group.unitId,
    areaId: place.areaId,
    stage: place.stage,
  });
  const id = newId(ctx.now().getTime());
  await ctx.db
    .insertInto('info_request_proactive')
    .values({
      id,
      fingerprint: group.fingerprint,
      title: input.title.trim(),
      unit_id: group.unitId,
      request_ids: ids.map((r) => r.id).join(','),
      record_id: record.id,
      created_at: nowIso(ctx.now()),
      created_by: ctx.actor?.userId ?? null,
    })
    .execute();
  return { id, requests: ids.length, recordId: record.id, indexNumber: record.indexNumber };
}

async function areaOf(
  ctx: Context,
  requestIds: string[],
  unitId: string,
  named: string | null,
): Promise<{ areaId: string; stage: Stage }> {
  const replied = requestIds.length
    ? await ctx.db
        .selectFrom('info_request_replies')
        .innerJoin('records', 'records.id', 'info_request_replies.record_id')
        .select(['records.area_id', 'records.stage'])
        .where('info_request_replies.request_id', 'in', requestIds)
        .execute()
    : [];
  const stage = mostFrequent(replied.map((r) => r.stage)) ?? 'execution';
  if (named) {
    const area = await ctx.db.selectFrom('areas').select('id').where('id', '=', named).executeTakeFirst();
    if (!area) throw invalid([{ field: 'areaId', reason: '公开领域不存在' }]);
    return { areaId: area.id, stage };
  }
  const fromReplies = mostFrequent(replied.map((r) => r.area_id));
  if (fromReplies) return { areaId: fromReplies, stage };
  const led = await ctx.db
    .selectFrom('area_lead_units')
    .select('area_id')
    .where('unit_id', '=', unitId)
    .orderBy('sort_order')
    .orderBy('area_id')
    .executeTakeFirst();
  return { areaId: led?.area_id ?? (await disclosureWorkArea(ctx)), stage };
}

function mostFrequent<T extends string>(xs: T[]): T | null {
  const counts = new Map<T, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best: T | null = null;
  for (const [x, n] of counts) if (best === null || n > counts.get(best)!) best = x;
  return best;
}
