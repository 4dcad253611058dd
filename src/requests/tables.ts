import type { Selectable } from 'kysely';

/** 申请人类型: the columns of the annual report's table 三 (国办公开办函〔2021〕30号). */
export const applicantKinds = ['naturalPerson', 'legalPerson'] as const;
export type ApplicantKind = (typeof applicantKinds)[number];

/** 法人或其他组织 of table 三: 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他. */
export const organisationKinds = ['business', 'research', 'publicWelfare', 'legalService', 'other'] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

export const organisationKindNames: Record<OrganisationKind, string> = {
  business: '商业企业',
  research: '科研机构',
  publicWelfare: '社会公益组织',
  legalService: '法律服务机构',
  other: '其他',
};

/**
 * How a request arrived; each has its own receipt-date rule (条例 Art. 31): in person → the day submitted;
 * post → the day the agency signs for it (an ordinary letter: the day confirmed with the applicant); online,
 * fax, e-mail → the day both sides confirm.
 */
export const channels = ['online', 'inPerson', 'post', 'ordinaryLetter', 'fax', 'email'] as const;
export type Channel = (typeof channels)[number];

export const channelNames: Record<Channel, string> = {
  online: '网上申请',
  inPerson: '当面提交',
  post: '邮寄（挂号信、快递）',
  ordinaryLetter: '平常信函',
  fax: '传真',
  email: '电子邮件',
};

/** 获取信息的方式 (Art. 29 (三)): the form and the way of receiving it. */
export const deliveryForms = ['paper', 'electronic'] as const;
export const deliveryMethods = ['post', 'pickup', 'email', 'online', 'fax'] as const;

/** Handling states (the state column mirrors the last state-changing event, written in the same transaction). */
export const requestStates = [
  'received',
  'registered',
  'assigned',
  'awaitingSupplement',
  'consulting',
  'replied',
  'delivered',
  'closed',
] as const;
export type RequestState = (typeof requestStates)[number];

export const stateNames: Record<RequestState, string> = {
  received: '已收到',
  registered: '已登记',
  assigned: '办理中',
  awaitingSupplement: '待补正',
  consulting: '征求意见中',
  replied: '已答复',
  delivered: '已送达',
  closed: '已办结',
};

export const eventKinds = [
  'received',
  'registered',
  'assigned',
  'supplementRequested',
  'supplementReceived',
  'abandoned',
  'consultationStarted',
  'consultationEnded',
  'extended',
  'feeNoticed',
  'feePaid',
  'feeUnpaid',
  'withdrawn',
  'replied',
  'delivered',
  'closed',
  'noted',
] as const;
export type EventKind = (typeof eventKinds)[number];

export interface RequestTables {
  info_requests: {
    id: string;
    unit_id: string;
    tracking_number: string;
    query_code: string;
    channel: Channel;
    applicant_kind: ApplicantKind;
    organisation_kind: OrganisationKind | null;
    applicant_name: string;
    /** 统一社会信用代码 / 法定代表人 of a legal person; the contact person for either. */
    organisation_code: string | null;
    legal_representative: string | null;
    contact_name: string | null;
    id_type: string | null;
    /** Personal data: read and written only through src/requests/personalData.ts. */
    applicant_id_number: string | null;
    /** Personal data: read and written only through src/requests/personalData.ts. */
    applicant_phone: string | null;
    email: string | null;
    address: string | null;
    postal_code: string | null;
    description: string;
    document_number: string | null;
    purpose: string | null;
    delivery_form: string;
    delivery_method: string;
    /** When the applicant submitted (or staff logged it), and the receipt date the clock runs from (Art. 31). */
    submitted_at: string;
    received_on: string;
    state: RequestState;
    /** 承办单位: the unit the request was assigned to (交办); it stays addressed to unit_id (受理机关). */
    handling_unit_id: string | null;
    handler_user_id: string | null;
    /** Set when replied: an outcome code of outcomes.ts (table 三's rows). */
    outcome: string | null;
    /** The day the request was concluded for the annual report (reply or closure). */
    concluded_on: string | null;
    fingerprint: string;
    idempotency_key: string | null;
    body_hash: string | null;
    created_by: string | null;
    created_at: string;
    updated_at: string;
  };
  /** Append-only: each change of a request is one row here, written in the same transaction as the change. */
  info_request_events: {
    id: string;
    request_id: string;
    seq: number;
    kind: EventKind;
    /** The date the event takes legal effect (YYYY-MM-DD, Beijing time). */
    on_date: string;
    at: string;
    actor_id: string | null;
    actor_name: string | null;
    state_after: RequestState;
    /** A date the event sets: the supplement deadline, the consultation's answer date, the fee's pay-by date. */
    ref_date: string | null;
    days: number | null;
    amount: number | null;
    target: string | null;
    outcome: string | null;
    note: string | null;
  };
  info_request_replies: {
    request_id: string;
    outcome: string;
    letter_number: string | null;
    /** What the agency says beyond the template: where it is published, the reason, the right agency … */
    detail: string | null;
    other_agency: string | null;
    review_body: string | null;
    court: string | null;
    replied_on: string;
    delivered_on: string | null;
    delivery_method: string | null;
    /** The disclosure record the delivered reply became, when the disclosure module is present. */
    record_id: string | null;
  };
  /** 行政复议 / 行政诉讼 on a request (annual report table 四). */
  info_request_appeals: {
    id: string;
    request_id: string;
    kind: AppealKind;
    filed_on: string;
    result: AppealResult;
    concluded_on: string | null;
    note: string | null;
    created_at: string;
  };
  annual_report_texts: {
    year: number;
    scope: string;
    section: string;
    text: string;
    updated_at: string;
    updated_by: string | null;
  };
  /** Table 二 figures (proactive disclosure counts), entered by staff. */
  annual_report_figures: {
    year: number;
    scope: string;
    row_key: string;
    column_key: string;
    value: number;
  };
  /** A published report's table 三/四 cells, so next year's carry-over is checked against what was published. */
  annual_report_cells: {
    year: number;
    scope: string;
    table_key: string;
    row_key: string;
    column_key: string;
    value: number;
    published_at: string;
  };
  info_request_settings: { key: string; value: string };
  /** Art. 44: information many applicants asked for, moved into proactive disclosure by one action. */
  info_request_proactive: {
    id: string;
    fingerprint: string;
    title: string;
    unit_id: string;
    request_ids: string;
    record_id: string | null;
    created_at: string;
    created_by: string | null;
  };
}

export const appealKinds = ['reconsideration', 'litigationDirect', 'litigationAfterReconsideration'] as const;
export type AppealKind = (typeof appealKinds)[number];
export const appealResults = ['upheld', 'corrected', 'other', 'pending'] as const;
export type AppealResult = (typeof appealResults)[number];

/** The wording of table 四 (国办公开办函〔2021〕30号). */
export const appealKindNames: Record<AppealKind, string> = {
  reconsideration: '行政复议',
  litigationDirect: '行政诉讼（未经复议直接起诉）',
  litigationAfterReconsideration: '行政诉讼（复议后起诉）',
};
export const appealResultNames: Record<AppealResult | 'total', string> = {
  upheld: '结果维持',
  corrected: '结果纠正',
  other: '其他结果',
  pending: '尚未审结',
  total: '总计',
};

export type InfoRequestRow = Selectable<RequestTables['info_requests']>;
export type RequestEventRow = Selectable<RequestTables['info_request_events']>;
export type ReplyRow = Selectable<RequestTables['info_request_replies']>;
export type AppealRow = Selectable<RequestTables['info_request_appeals']>;
