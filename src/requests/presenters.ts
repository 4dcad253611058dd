import { type Clock, clockStatusNames } from './clock.ts';
import { publicEventKinds, transitions } from './lifecycle.ts';
import { outcomeByCode } from './outcomes.ts';
import { maskPersonal, type PersonalData } from './personalData.ts';
import type { RequestView } from './queries.ts';
import {
  type AppealRow,
  appealKindNames,
  appealResultNames,
  channelNames,
  type EventKind,
  organisationKindNames,
  stateNames,
} from './tables.ts';

// Presenters pick each field by name. The public one has its own list: no name, no contact, no description.

const presentClock = (c: Clock) => ({
  receivedOn: c.receivedOn,
  startOn: c.startOn,
  dueOn: c.dueOn,
  latestDueOn: c.latestDueOn,
  status: c.status,
  statusName: clockStatusNames[c.status],
  workingDaysLeft: c.workingDaysLeft,
  dueSoon: c.status === 'dueSoon',
  overdue: c.status === 'overdue',
  supplementNoticeBy: c.supplementNoticeBy,
  supplement: c.supplement,
  pauses: c.pauses,
  extensionDays: c.extensionDays,
  totalDays: c.totalDays,
  repliedOn: c.repliedOn,
  explanation: c.explanation,
  calendarWarnings: c.calendarWarnings,
});

const outcomeRef = (code: string | null) => {
  const o = code ? outcomeByCode.get(code) : undefined;
  return o ? { code: o.code, label: o.label, law: o.law } : null;
};

export function presentRequestSummary(v: RequestView) {
  const r = v.row;
  return {
    id: r.id,
    trackingNumber: r.tracking_number,
    unit: { id: r.unit_id, name: v.unitName },
    handlingUnit: r.handling_unit_id ? { id: r.handling_unit_id, name: v.handlingUnitName } : null,
    applicantKind: r.applicant_kind,
    organisationKind: r.organisation_kind,
    organisationKindName: r.organisation_kind ? organisationKindNames[r.organisation_kind] : null,
    applicantName: r.applicant_name,
    description: r.description,
    channel: r.channel,
    channelName: channelNames[r.channel],
    receivedOn: r.received_on,
    state: r.state,
    stateName: stateNames[r.state],
    handlerUserId: r.handler_user_id,
    outcome: outcomeRef(r.outcome),
    clock: presentClock(v.clock),
  };
}

/** The handling routes under /info-requests/:id/ and the event each appends (lifecycle.ts). */
const actionEvents = {
  register: 'registered',
  assign: 'assigned',
  'supplement-request': 'supplementRequested',
  'supplement-received': 'supplementReceived',
  consultation: 'consultationStarted',
  'consultation-end': 'consultationEnded',
  extend: 'extended',
  reply: 'replied',
  deliver: 'delivered',
  close: 'closed',
  withdraw: 'withdrawn',
  note: 'noted',
  'fee-paid': 'feePaid',
} as const satisfies Record<string, EventKind>;

/**
 * The handling actions the request's state allows by the transition table (lifecycle.ts), so the workbench
 * offers only those. The commands check again, with what a state alone cannot tell: the 补正 notice's 7 working
 * days (Art. 30), the extension's approver and its 20 working days (Art. 33 ¶2). 补正 is told once (Art. 30);
 * a fee is paid only against an unpaid notice. The fee notice is left out: it depends on the fee module.
 */
function allowedActions(v: RequestView): string[] {
  const noticed = v.events.findLast((e) => e.kind === 'feeNoticed');
  const paid = v.events.findLast((e) => e.kind === 'feePaid');
  return Object.entries(actionEvents)
    .filter(([, kind]) => transitions[kind].from.includes(v.row.state))
    .filter(
      ([action]) =>
        action !== 'supplement-request' || !v.events.some((e) => e.kind === 'supplementRequested'),
    )
    .filter(([action]) => action !== 'fee-paid' || (!!noticed && (!paid || paid.seq < noticed.seq)))
    .map(([action]) => action);
}

/**
 * The staff view. Personal data is shown in full only to the request's handler (rules.md §7; 个人信息保护法
 * Art. 51 access control); everyone else sees it masked.
 */
export function presentRequest(
  v: RequestView,
  personal: PersonalData,
  unmasked: boolean,
  appeals: readonly AppealRow[] = [],
) {
  const r = v.row;
  const p = unmasked ? personal : maskPersonal(personal);
  return {
    ...presentRequestSummary(v),
    queryCode: r.query_code,
    applicant: {
      kind: r.applicant_kind,
      organisationKind: r.organisation_kind,
      name: r.applicant_name,
      organisationCode: r.organisation_code,
      legalRepresentative: r.legal_representative,
      contactName: r.contact_name,
      idType: r.id_type,
      idNumber: p.idNumber,
      phone: p.phone,
      email: r.email,
      address: r.address,
      postalCode: r.postal_code,
      personalDataMasked: !unmasked,
    },
    documentNumber: r.document_number,
    purpose: r.purpose,
    deliveryForm: r.delivery_form,
    deliveryMethod: r.delivery_method,
    submittedAt: r.submitted_at,
    concludedOn: r.concluded_on,
    allowedActions: allowedActions(v),
    events: v.events.map((e) => ({
      seq: e.seq,
      kind: e.kind,
      label: transitions[e.kind].label,
      law: transitions[e.kind].law,
      onDate: e.on_date,
      at: e.at,
      actorName: e.actor_name,
      stateAfter: e.state_after,
      refDate: e.ref_date,
      days: e.days,
      amount: e.amount,
      target: e.target,
      outcome: e.outcome,
      note: e.note,
    })),
    reply: v.reply
      ? {
          outcome: outcomeRef(v.reply.outcome),
          letterNumber: v.reply.letter_number,
          detail: v.reply.detail,
          otherAgency: v.reply.other_agency,
          repliedOn: v.reply.replied_on,
          deliveredOn: v.reply.delivered_on,
          deliveryMethod: v.reply.delivery_method,
          recordId: v.reply.record_id,
        }
      : null,
    // 行政复议 / 行政诉讼 over this request (table 四), each with the id its result is recorded under
    appeals: appeals.map((a) => ({
      id: a.id,
      kind: a.kind,
      kindName: appealKindNames[a.kind],
      filedOn: a.filed_on,
      result: a.result,
      resultName: appealResultNames[a.result],
      concludedOn: a.concluded_on,
      note: a.note,
    })),
  };
}

/** The public tracking page: state, dates, the reply once delivered — nothing personal. */
export function presentPublicRequest(v: RequestView, replyText: string | null) {
  const r = v.row;
  const delivered = !!v.reply?.delivered_on;
  return {
    trackingNumber: r.tracking_number,
    unitName: v.unitName,
    receivedOn: r.received_on,
    state: r.state,
    stateName: stateNames[r.state],
    dueOn: v.clock.dueOn,
    clockStatus: v.clock.status,
    clockStatusName: clockStatusNames[v.clock.status],
    explanation: v.clock.publicExplanation,
    steps: v.events
      .filter((e) => publicEventKinds.has(e.kind))
      .map((e) => ({
        label: transitions[e.kind].label,
        onDate: e.on_date,
        refDate: e.kind === 'supplementRequested' || e.kind === 'feeNoticed' ? e.ref_date : null,
        days: e.kind === 'extended' ? e.days : null,
      })),
    reply:
      delivered && v.reply
        ? {
            outcome: outcomeRef(v.reply.outcome),
            repliedOn: v.reply.replied_on,
            deliveredOn: v.reply.delivered_on,
            text: replyText,
          }
        : null,
  };
}
