import { randomInt } from 'node:crypto';
import { isYmd } from '../../calendar/calendar.ts';
import type { Context } from '../../context.ts';
import { type FieldError, invalid, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { nextCounterValue } from '../../store/counters.ts';
import { fingerprint } from '../fingerprint.ts';
import { personalColumns } from '../personalData.ts';
import { beijingDate } from '../settings.ts';
import type { ApplicantKind, Channel, OrganisationKind, RequestState } from '../tables.ts';

/** The application of 条例 Art. 29: who asks (with proof of identity and a contact), what, and in which form. */
export interface NewInfoRequest {
  unitId: string;
  applicantKind: ApplicantKind;
  organisationKind?: OrganisationKind | null;
  name: string;
  organisationCode?: string | null;
  legalRepresentative?: string | null;
  contactName?: string | null;
  idType?: string | null;
  idNumber?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  postalCode?: string | null;
  description: string;
  documentNumber?: string | null;
  purpose?: string | null;
  deliveryForm: string;
  deliveryMethod: string;
}

/** What staff add when they log a request that came on paper, by post, fax, e-mail or in person (Art. 31). */
export interface LoggedArrival {
  channel: Exclude<Channel, 'online'>;
  /** In person: the day it was handed in. */
  submittedOn?: string | null;
  /** Post: the day the agency signed for it. */
  signedOn?: string | null;
  /** Ordinary letter, fax, e-mail: the day the agency and the applicant confirmed it. */
  confirmedOn?: string | null;
  note?: string | null;
}

export interface CreatedRequest {
  id: string;
  trackingNumber: string;
  queryCode: string;
  receivedOn: string;
}

const codeAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** The query code the applicant uses with the tracking number on the public tracking page. */
export function newQueryCode(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += codeAlphabet[randomInt(codeAlphabet.length)];
  return s;
}

function checkApplication(input: NewInfoRequest): FieldError[] {
  const f: FieldError[] = [];
  if (!input.name.trim()) f.push({ field: 'name', reason: '请填写申请人姓名或名称（条例第二十九条）' });
  if (!input.description.trim())
    f.push({ field: 'description', reason: '请描述申请公开的政府信息（条例第二十九条第二款第（二）项）' });
  if (input.applicantKind === 'naturalPerson') {
    if (input.organisationKind) f.push({ field: 'organisationKind', reason: '自然人无需填写组织类型' });
    if (!input.idNumber?.trim()) f.push({ field: 'idNumber', reason: '请提供身份证明（证件号码）' });
  } else {
    if (!input.organisationKind) f.push({ field: 'organisationKind', reason: '请选择法人或其他组织的类型' });
    if (!input.organisationCode?.trim())
      f.push({ field: 'organisationCode', reason: '请提供统一社会信用代码等身份证明' });
  }
  if (!input.phone?.trim() && !input.email?.trim() && !input.address?.trim())
    f.push({ field: 'phone', reason: '请至少提供一种联系方式（电话、电子邮箱或通信地址）' });
  if (input.idNumber && input.idNumber.length > 40) f.push({ field: 'idNumber', reason: '证件号码过长' });
  return f;
}

/**
 * The receipt date of Art. 31: in person, the day handed in; by post, the day signed for; an ordinary letter,
 * a fax or an e-mail, the day both sides confirmed it.
 */
export function receiptDate(arrival: LoggedArrival): { receivedOn: string } | { error: FieldError } {
  const need = (field: keyof LoggedArrival, reason: string) => {
    const v = arrival[field];
    if (typeof v === 'string' && isYmd(v)) return { receivedOn: v };
    return { error: { field, reason } };
  };
  switch (arrival.channel) {
    case 'inPerson':
      return need(
        'submittedOn',
        '当面提交的，以提交之日为收到申请之日（条例第三十一条第（一）项），请填写提交日期',
      );
    case 'post':
      return need(
        'signedOn',
        '邮寄的，以本机关签收之日为收到申请之日（条例第三十一条第（二）项），请填写签收日期',
      );
    case 'ordinaryLetter':
      return need(
        'confirmedOn',
        '以平常信函等无需签收的方式邮寄的，以与申请人确认之日为收到申请之日（条例第三十一条第（二）项），请填写确认日期',
      );
    case 'fax':
    case 'email':
      return need(
        'confirmedOn',
        '通过传真或互联网提交的，以双方确认之日为收到申请之日（条例第三十一条第（三）项）',
      );
  }
}

/**
 * File a request: online (received the day the platform confirms it with a tracking number, Art. 31 (三)), or
 * logged by staff from paper, post, fax, e-mail or a visit with the receipt date of Art. 31.
 */
export async function requestCreator(
  ctx: Context,
  input: NewInfoRequest,
  arrival: LoggedArrival | null,
  idempotency?: { key: string; bodyHash: string },
): Promise<CreatedRequest> {
  const fields = checkApplication(input);
  const today = beijingDate(ctx.now());
  let receivedOn = today;
  if (arrival) {
    const r = receiptDate(arrival);
    if ('error' in r) fields.push(r.error);
    else if (r.receivedOn > today) fields.push({ field: 'receivedOn', reason: '收到日期不能晚于今天' });
    else receivedOn = r.receivedOn;
  }
  if (fields.length) throw invalid(fields);
  const unit = await ctx.db
    .selectFrom('units')
    .select('id')
    .where('id', '=', input.unitId)
    .executeTakeFirst();
  if (!unit) throw notFound('受理机关', input.unitId);

  const year = receivedOn.slice(0, 4);
  const serial = await nextCounterValue(ctx.db, `info-request:${year}`);
  const trackingNumber = `YSQ${year}${String(serial).padStart(6, '0')}`;
  const queryCode = newQueryCode();
  const id = newId(ctx.now().getTime());
  const now = nowIso(ctx.now());
  const state: RequestState = arrival ? 'registered' : 'received';
  const trim = (s: string | null | undefined) => s?.trim() || null;
  await ctx.db
    .insertInto('info_requests')
    .values({
      id,
      unit_id: input.unitId,
      tracking_number: trackingNumber,
      query_code: queryCode,
      channel: arrival?.channel ?? 'online',
      applicant_kind: input.applicantKind,
      organisation_kind: input.applicantKind === 'legalPerson' ? (input.organisationKind ?? 'other') : null,
      applicant_name: input.name.trim(),
      organisation_code: trim(input.organisationCode),
      legal_representative: trim(input.legalRepresentative),
      contact_name: trim(input.contactName),
      id_type: trim(input.idType),
      ...personalColumns({ idNumber: input.idNumber ?? null, phone: input.phone ?? null }),
      email: trim(input.email),
      address: trim(input.address),
      postal_code: trim(input.postalCode),
      description: input.description.trim(),
      document_number: trim(input.documentNumber),
      purpose: trim(input.purpose),
      delivery_form: input.deliveryForm,
      delivery_method: input.deliveryMethod,
      submitted_at: now,
      received_on: receivedOn,
      state,
      handling_unit_id: null,
      handler_user_id: null,
      outcome: null,
      concluded_on: null,
      fingerprint: fingerprint(input.description, trim(input.documentNumber)),
      idempotency_key: idempotency?.key ?? null,
      body_hash: idempotency?.bodyHash ?? null,
      created_by: ctx.actor?.userId ?? null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const event = {
    request_id: id,
    at: now,
    actor_id: ctx.actor?.userId ?? null,
    actor_name: ctx.actor?.displayName ?? null,
    ref_date: null,
    days: null,
    amount: null,
    outcome: null,
  };
  await ctx.db
    .insertInto('info_request_events')
    .values({
      ...event,
      id: newId(),
      seq: 1,
      kind: 'received',
      on_date: receivedOn,
      state_after: 'received',
      target: arrival?.channel ?? 'online',
      note: arrival?.note?.trim() || null,
    })
    .execute();
  if (arrival)
    await ctx.db
      .insertInto('info_request_events')
      .values({
        ...event,
        id: newId(),
        seq: 2,
        kind: 'registered',
        on_date: today,
        state_after: 'registered',
        target: null,
        note: null,
      })
      .execute();
  return { id, trackingNumber, queryCode, receivedOn };
}
