import { isYmd, loadCalendar } from '../../calendar/calendar.ts';
import type { Context } from '../../context.ts';
import { recordCreator } from '../../disclosure/commands/recordCreator.ts';
import type { Stage } from '../../disclosure/tables.ts';
import { assertUnitScope } from '../../disclosure/unitScope.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { computeClock } from '../clock.ts';
import { computeFee, type FeeBasis } from '../fees.ts';
import { letterText, replyLetter } from '../letters.ts';
import { transitions } from '../lifecycle.ts';
import { outcomeByCode } from '../outcomes.ts';
import { requestViews } from '../queries.ts';
import { assertRequestScope } from '../scope.ts';
import { beijingDate, loadSettings } from '../settings.ts';
import type { EventKind, InfoRequestRow, RequestEventRow } from '../tables.ts';

interface EventInput {
  onDate?: string | null;
  refDate?: string | null;
  days?: number | null;
  amount?: number | null;
  target?: string | null;
  outcome?: string | null;
  note?: string | null;
}

export interface Loaded {
  request: InfoRequestRow;
  events: RequestEventRow[];
}

async function lockRequest(ctx: Context, requestId: string): Promise<Loaded> {
  const request = await ctx.store.hooks
    .forUpdate(ctx.db.selectFrom('info_requests').selectAll().where('id', '=', requestId))
    .executeTakeFirst();
  if (!request) throw notFound('政府信息公开申请', requestId);
  // Unit scope (issue 7 item 2, src/disclosure/unitScope.ts): every handling action loads the request here, so
  // a unit acts only on requests addressed or assigned to it; the disclosure office (区府办) on all of them.
  await assertRequestScope(ctx, request);
  const events = await ctx.db
    .selectFrom('info_request_events')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('seq')
    .execute();
  return { request, events };
}

/**
 * Append one event and move the state, in the caller's transaction: the event log and the state column never
 * disagree. Checks the transition table, that the date is a real day not in the future, and that events
 * follow each other in time.
 */
async function appendEvent(
  ctx: Context,
  loaded: Loaded,
  kind: EventKind,
  input: EventInput,
  extra: Partial<
    Pick<InfoRequestRow, 'handler_user_id' | 'handling_unit_id' | 'outcome' | 'concluded_on'>
  > = {},
): Promise<RequestEventRow> {
  const t = transitions[kind];
  const { request, events } = loaded;
  if (!t.from.includes(request.state)) throw conflict('invalid_state', `申请当前状态下不能执行“${t.label}”`);
  const today = beijingDate(ctx.now());
  const onDate = input.onDate ?? today;
  if (!isYmd(onDate)) throw invalid([{ field: 'onDate', reason: '日期格式应为 YYYY-MM-DD' }]);
  if (onDate > today) throw invalid([{ field: 'onDate', reason: '日期不能晚于今天' }]);
  const last = events[events.length - 1];
  if (last && onDate < last.on_date)
    throw invalid([{ field: 'onDate', reason: `日期不能早于上一步骤的日期（${last.on_date}）` }]);
  const state = t.to === 'same' ? request.state : t.to;
  const row: RequestEventRow = {
    id: newId(ctx.now().getTime()),
    request_id: request.id,
    seq: (last?.seq ?? 0) + 1,
    kind,
    on_date: onDate,
    at: nowIso(ctx.now()),
    actor_id: ctx.actor?.userId ?? null,
    actor_name: ctx.actor?.displayName ?? null,
    state_after: state,
    ref_date: input.refDate ?? null,
    days: input.days ?? null,
    amount: input.amount ?? null,
    target: input.target ?? null,
    outcome: input.outcome ?? null,
    note: input.note?.trim() || null,
  };
  await ctx.db.insertInto('info_request_events').values(row).execute();
  await ctx.db
    .updateTable('info_requests')
    .set({ state, updated_at: row.at, ...extra })
    .where('id', '=', request.id)
    .execute();
  loaded.events.push(row);
  loaded.request = { ...request, state, ...extra };
  return row;
}

export async function requestRegistrar(ctx: Context, requestId: string, input: { note?: string | null }) {
  const loaded = await lockRequest(ctx, requestId);
  await appendEvent(ctx, loaded, 'registered', { note: input.note ?? null });
}

/**
 * 交办: to the responsible unit (承办单位) and the handler (the one person who sees the applicant's personal data
 * unmasked). The request stays addressed to the body that received it, which signs the reply and reports it
 * (Art. 49–50); the handling unit's staff may act on it. One can assign only to a unit within one's own scope.
 */
export async function requestAssigner(
  ctx: Context,
  requestId: string,
  input: { handlerUserId: string; unitId?: string | null; note?: string | null },
) {
  const loaded = await lockRequest(ctx, requestId);
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'display_name', 'disabled'])
    .where('id', '=', input.handlerUserId)
    .executeTakeFirst();
  if (!user || user.disabled) throw notFound('承办人', input.handlerUserId);
  let unitName: string | null = null;
  if (input.unitId) {
    const unit = await ctx.db
      .selectFrom('units')
      .select(['id', 'name'])
      .where('id', '=', input.unitId)
      .executeTakeFirst();
    if (!unit) throw notFound('承办单位', input.unitId);
    await assertUnitScope(ctx, unit.id);
    unitName = unit.name;
  }
  await appendEvent(
    ctx,
    loaded,
    'assigned',
    { target: unitName ? `${unitName}：${user.display_name}` : user.display_name, note: input.note ?? null },
    {
      handler_user_id: user.id,
      ...(input.unitId ? { handling_unit_id: input.unitId } : {}),
    },
  );
}

/**
 * 补正 (Art. 30): one notice, within 7 working days of receipt, naming what is missing and a reasonable
 * deadline. The reply period stops and will run afresh from the receipt of the supplement.
 */
export async function supplementRequester(
  ctx: Context,
  requestId: string,
  input: { onDate?: string | null; deadline?: string | null; missing: string },
) {
  const loaded = await lockRequest(ctx, requestId);
  if (loaded.events.some((e) => e.kind === 'supplementRequested'))
    throw conflict('supplement_once', '补正应当一次性告知，本申请已发出过补正通知（条例第三十条）');
  if (!input.missing.trim())
    throw invalid([{ field: 'missing', reason: '请写明需要补正的事项（条例第三十条）' }]);
  const cal = await loadCalendar(ctx.db);
  const settings = await loadSettings(ctx.db);
  const onDate = input.onDate ?? beijingDate(ctx.now());
  const limit = cal.addWorkingDays(loaded.request.received_on, settings.clock.supplementNoticeDays);
  if (isYmd(onDate) && onDate > limit)
    throw new AppError(
      'supplement_too_late',
      `补正通知应在收到申请之日起${settings.clock.supplementNoticeDays}个工作日内（${limit}前）发出（条例第三十条）`,
      409,
      [{ field: 'onDate', reason: `应不晚于 ${limit}` }],
    );
  const deadline =
    input.deadline ?? (isYmd(onDate) ? cal.addWorkingDays(onDate, settings.defaultSupplementDays) : null);
  if (deadline && (!isYmd(deadline) || deadline <= onDate))
    throw invalid([{ field: 'deadline', reason: '补正期限应晚于通知日期' }]);
  await appendEvent(ctx, loaded, 'supplementRequested', { onDate, refDate: deadline, note: input.missing });
}

export async function supplementReceiver(
  ctx: Context,
  requestId: string,
  input: { onDate?: string | null; note?: string | null },
) {
  const loaded = await lockRequest(ctx, requestId);
  await appendEvent(ctx, loaded, 'supplementReceived', input);
}

export async function consultationStarter(
  ctx: Context,
  requestId: string,
  input: { onDate?: string | null; party: string; note?: string | null },
) {
  const loaded = await lockRequest(ctx, requestId);
  if (!input.party.trim()) throw invalid([{ field: 'party', reason: '请填写被征求意见的第三方或机关' }]);
  const cal = await loadCalendar(ctx.db);
  const settings = await loadSettings(ctx.db);
  const onDate = input.onDate ?? beijingDate(ctx.now());
  const answerBy = isYmd(onDate) ? cal.addWorkingDays(onDate, settings.clock.consultationDays) : null;
  await appendEvent(ctx, loaded, 'consultationStarted', {
    onDate,
    target: input.party.trim(),
    refDate: answerBy,
    note: input.note ?? null,
  });
}

export async function consultationEnder(
  ctx: Context,
  requestId: string,
  input: { onDate?: string | null; note?: string | null },
) {
  const loaded = await lockRequest(ctx, requestId);
  await appendEvent(ctx, loaded, 'consultationEnded', input);
}

/**
 * Art. 33 ¶2: an extension needs the consent of the head of the disclosure office (a leader account here),
 * must be told to the applicant, comes before the period ends, and adds at most 20 working days in all.
 */
export async function extensionGranter(
  ctx: Context,
  requestId: string,
  input: { onDate?: string | null; days: number; reason: string; applicantToldBy: string },
) {
  if (ctx.actor?.role !== 'leader')
    throw forbidden('延长答复期限须经政府信息公开工作机构负责人同意（条例第三十三条第二款）');
  const loaded = await lockRequest(ctx, requestId);
  const cal = await loadCalendar(ctx.db);
  const settings = await loadSettings(ctx.db);
  const used = loaded.events.filter((e) => e.kind === 'extended').reduce((s, e) => s + (e.days ?? 0), 0);
  if (!Number.isInteger(input.days) || input.days < 1 || used + input.days > settings.clock.maxExtensionDays)
    throw invalid([
      {
        field: 'days',
        reason: `延长期限最长不超过${settings.clock.maxExtensionDays}个工作日${used ? `（已延长${used}个工作日）` : ''}`,
      },
    ]);
  if (!input.reason.trim()) throw invalid([{ field: 'reason', reason: '请写明延期理由' }]);
  if (!input.applicantToldBy.trim())
    throw invalid([{ field: 'applicantToldBy', reason: '延期应告知申请人，请写明告知方式' }]);
  const onDate = input.onDate ?? beijingDate(ctx.now());
  const clock = computeClock(loaded.events, cal, onDate, settings.clock);
  if (clock.dueOn && onDate > clock.dueOn)
    throw conflict('extension_too_late', `答复期限已于${clock.dueOn}届满，不能再延期`);
  await appendEvent(ctx, loaded, 'extended', {
    onDate,
    days: input.days,
    target: ctx.actor.displayName,
    note: `${input.reason.trim()}（告知申请人：${input.applicantToldBy.trim()}）`,
  });
}

export interface ReplyInput {
  onDate?: string | null;
  outcome: string;
  detail?: string | null;
  otherAgency?: string | null;
  letterNumber?: string | null;
  reviewBody?: string | null;
  court?: string | null;
}

/** 答复 (Art. 36, 37): one outcome of the annual report's categories; the request counts as concluded that day. */
export async function replyMaker(ctx: Context, requestId: string, input: ReplyInput) {
  const outcome = outcomeByCode.get(input.outcome);
  if (!outcome || input.outcome === 'other.noSupplement' || input.outcome === 'other.feeUnpaid')
    throw invalid([{ field: 'outcome', reason: '答复类型不正确' }]);
  if (outcome.group === 'partial' && !input.detail?.trim())
    throw invalid([{ field: 'detail', reason: '部分公开的，应说明不予公开部分的理由（条例第三十七条）' }]);
  if (outcome.group === 'exempt' && !input.detail?.trim())
    throw invalid([
      { field: 'detail', reason: '不予公开的，应告知申请人并说明理由（条例第三十六条第（三）项）' },
    ]);
  const loaded = await lockRequest(ctx, requestId);
  const ev = await appendEvent(
    ctx,
    loaded,
    'replied',
    { onDate: input.onDate ?? null, outcome: outcome.code, note: input.detail ?? null },
    { outcome: outcome.code },
  );
  await ctx.db
    .updateTable('info_requests')
    .set({ concluded_on: ev.on_date })
    .where('id', '=', requestId)
    .execute();
  await ctx.db
    .insertInto('info_request_replies')
    .values({
      request_id: requestId,
      outcome: outcome.code,
      letter_number: input.letterNumber?.trim() || null,
      detail: input.detail?.trim() || null,
      other_agency: input.otherAgency?.trim() || null,
      review_body: input.reviewBody?.trim() || null,
      court: input.court?.trim() || null,
      replied_on: ev.on_date,
      delivered_on: null,
      delivery_method: null,
      record_id: null,
    })
    .execute();
}

/** Where a delivered reply is filed as a government-information record (issue 6 item 3). */
export interface ReplyRecordPlacement {
  areaId: string;
  subAreaId?: string | null;
  dutyId?: string | null;
  stage?: Stage;
}

/**
 * 送达. With `record`, the delivered reply also becomes a disclosure record (attribute 依申请公开, origin 制作,
 * a draft that goes through the disclosure module's own review), its body the letter with personal data masked.
 */
export async function replyDeliverer(
  ctx: Context,
  requestId: string,
  input: {
    onDate?: string | null;
    method: string;
    note?: string | null;
    record?: ReplyRecordPlacement | null;
  },
) {
  const loaded = await lockRequest(ctx, requestId);
  const ev = await appendEvent(ctx, loaded, 'delivered', {
    onDate: input.onDate ?? null,
    target: input.method,
    note: input.note ?? null,
  });
  let recordId: string | null = null;
  if (input.record) {
    const [view] = await requestViews(ctx.db, { ids: [requestId] }, ctx.now());
    const letter = view ? replyLetter(view, true) : null;
    const outcome = outcomeByCode.get(loaded.request.outcome ?? '');
    const created = await recordCreator(ctx, {
      title: `关于${loaded.request.tracking_number}号政府信息公开申请的答复`,
      summary: outcome ? `答复类型：${outcome.label}` : null,
      origin: 'produced',
      kind: 'other',
      formedOn: view?.reply?.replied_on ?? ev.on_date,
      documentNumber: view?.reply?.letter_number ?? null,
      attribute: 'onRequest',
      disclosingUnitId: loaded.request.unit_id,
      areaId: input.record.areaId,
      subAreaId: input.record.subAreaId ?? null,
      dutyId: input.record.dutyId ?? null,
      stage: input.record.stage ?? 'result',
      body: letter ? letterText(letter) : null,
    });
    recordId = created.id;
  }
  await ctx.db
    .updateTable('info_request_replies')
    .set({ delivered_on: ev.on_date, delivery_method: input.method, record_id: recordId })
    .where('request_id', '=', requestId)
    .execute();
}

export async function requestCloser(ctx: Context, requestId: string, input: { note?: string | null }) {
  const loaded = await lockRequest(ctx, requestId);
  await appendEvent(ctx, loaded, 'closed', { note: input.note ?? null });
}

/** The applicant withdraws: closed, and counted under （六）3 其他 of table 三. */
export async function requestWithdrawer(
  ctx: Context,
  requestId: string,
  input: { onDate?: string | null; note?: string | null },
) {
  const loaded = await lockRequest(ctx, requestId);
  const ev = await appendEvent(
    ctx,
    loaded,
    'withdrawn',
    { onDate: input.onDate ?? null, outcome: 'other.other', note: input.note ?? '申请人撤回申请' },
    { outcome: 'other.other' },
  );
  await ctx.db
    .updateTable('info_requests')
    .set({ concluded_on: ev.on_date })
    .where('id', '=', requestId)
    .execute();
}

export async function requestNoter(ctx: Context, requestId: string, input: { note: string }) {
  if (!input.note.trim()) throw invalid([{ field: 'note', reason: '备注不能为空' }]);
  const loaded = await lockRequest(ctx, requestId);
  await appendEvent(ctx, loaded, 'noted', { note: input.note });
}

/** Art. 42: a fee notice (only with the fee module on); the clock stops until payment. */
export async function feeNoticer(
  ctx: Context,
  requestId: string,
  input: { onDate?: string | null; basis: FeeBasis; payBy?: string | null },
) {
  const settings = await loadSettings(ctx.db);
  if (!settings.feesEnabled) throw conflict('fees_disabled', '未启用信息处理费模块');
  const loaded = await lockRequest(ctx, requestId);
  const fee = computeFee(input.basis);
  if (fee.amount <= 0) throw conflict('no_fee', '按收费标准本申请不收费');
  const cal = await loadCalendar(ctx.db);
  const onDate = input.onDate ?? beijingDate(ctx.now());
  // 国办函〔2020〕109号: the applicant pays within 20 working days of receiving the notice.
  const payBy = input.payBy ?? (isYmd(onDate) ? cal.addWorkingDays(onDate, 20) : null);
  await appendEvent(ctx, loaded, 'feeNoticed', {
    onDate,
    amount: fee.amount,
    refDate: payBy,
    note: fee.explanation,
  });
}

export async function feePayer(ctx: Context, requestId: string, input: { onDate?: string | null }) {
  const loaded = await lockRequest(ctx, requestId);
  const notice = loaded.events.findLast((e) => e.kind === 'feeNoticed');
  const paid = loaded.events.findLast((e) => e.kind === 'feePaid');
  if (!notice || (paid && paid.seq > notice.seq)) throw conflict('no_fee_due', '没有待缴纳的信息处理费');
  await appendEvent(ctx, loaded, 'feePaid', { onDate: input.onDate ?? null, amount: notice.amount });
}

/**
 * The sweeper: requests whose supplement deadline (Art. 30) or fee pay-by date (国办函〔2020〕109号) has
 * passed are closed, as the law treats them as abandoned; a consultation whose 15 working days (Art. 32, 34)
 * have passed without an answer ends, so the request is handled again and its clock runs. Run by a timer;
 * safe to run twice.
 */
export async function requestSweeper(
  ctx: Context,
): Promise<{ abandoned: string[]; feeUnpaid: string[]; consultationLapsed: string[] }> {
  const today = beijingDate(ctx.now());
  const abandoned: string[] = [];
  const feeUnpaid: string[] = [];
  const consultationLapsed: string[] = [];
  const waiting = await ctx.db
    .selectFrom('info_requests')
    .select('id')
    .where('state', 'in', ['awaitingSupplement', 'registered', 'assigned', 'consulting'])
    .execute();
  for (const { id } of waiting) {
    const loaded = await lockRequest(ctx, id);
    const { request, events } = loaded;
    if (request.state === 'consulting') {
      const started = events.findLast((e) => e.kind === 'consultationStarted');
      if (started?.ref_date && started.ref_date < today) {
        // Dated on the answer day (or the last event, if later): the clock caps the pause there anyway.
        const last = events[events.length - 1]?.on_date ?? started.ref_date;
        await appendEvent(ctx, loaded, 'consultationEnded', {
          onDate: last.localeCompare(started.ref_date) > 0 ? last : started.ref_date,
          note: `${started.target ?? '被征求意见方'}未在${started.ref_date}前提出意见：第三方逾期未提出意见的，由本机关依照条例的规定决定是否公开（条例第三十二条）；其他机关逾期未提出意见的，视为同意公开（条例第三十四条）`,
        });
        consultationLapsed.push(request.tracking_number);
      }
      continue;
    }
    if (request.state === 'awaitingSupplement') {
      const notice = events.findLast((e) => e.kind === 'supplementRequested');
      if (notice?.ref_date && notice.ref_date < today) {
        const ev = await appendEvent(
          ctx,
          loaded,
          'abandoned',
          {
            onDate: today,
            outcome: 'other.noSupplement',
            note: `补正期限${notice.ref_date}届满，申请人未补正`,
          },
          { outcome: 'other.noSupplement' },
        );
        await ctx.db
          .updateTable('info_requests')
          .set({ concluded_on: ev.on_date })
          .where('id', '=', id)
          .execute();
        abandoned.push(request.tracking_number);
      }
      continue;
    }
    const notice = events.findLast((e) => e.kind === 'feeNoticed');
    const paid = events.findLast((e) => e.kind === 'feePaid');
    if (notice?.ref_date && (!paid || paid.seq < notice.seq) && notice.ref_date < today) {
      const ev = await appendEvent(
        ctx,
        loaded,
        'feeUnpaid',
        { onDate: today, outcome: 'other.feeUnpaid', note: `缴费期限${notice.ref_date}届满，申请人未缴费` },
        { outcome: 'other.feeUnpaid' },
      );
      await ctx.db
        .updateTable('info_requests')
        .set({ concluded_on: ev.on_date })
        .where('id', '=', id)
        .execute();
      feeUnpaid.push(request.tracking_number);
    }
  }
  return { abandoned, feeUnpaid, consultationLapsed };
}
