// The shapes of the 依申请公开 answers as src/requests/presenters.ts writes them, and the Chinese names the
// workbench shows for the codes the API takes (src/requests/tables.ts, outcomes.ts).

export interface Clock {
  receivedOn: string;
  startOn: string | null;
  dueOn: string | null;
  /** While a consultation runs: the latest the reply can be due if the consulted party uses all its time. */
  latestDueOn: string | null;
  status: string;
  statusName: string;
  workingDaysLeft: number | null;
  dueSoon: boolean;
  overdue: boolean;
  supplementNoticeBy: string;
  extensionDays: number;
  /** Why the due date is what it is (receipt, 补正, consultation, extension), parts joined by '；'. */
  explanation: string;
  /** Years the range runs into that the working-day calendar does not cover yet. */
  calendarWarnings: number[];
}

export interface RequestSummary {
  id: string;
  trackingNumber: string;
  unit: { id: string; name: string | null };
  handlingUnit: { id: string; name: string | null } | null;
  applicantKind: string;
  organisationKindName: string | null;
  applicantName: string;
  description: string;
  channel: string;
  channelName: string;
  receivedOn: string;
  state: string;
  stateName: string;
  handlerUserId: string | null;
  outcome: { code: string; label: string; law: string } | null;
  clock: Clock;
}

export interface RequestEvent {
  seq: number;
  kind: string;
  label: string;
  law: string;
  onDate: string | null;
  at: string;
  actorName: string | null;
  refDate: string | null;
  days: number | null;
  amount: number | null;
  target: string | null;
  note: string | null;
}

export interface Appeal {
  id: string;
  kind: string;
  kindName: string;
  filedOn: string;
  result: string;
  resultName: string;
  concludedOn: string | null;
  note: string | null;
}

export interface RequestDetail extends RequestSummary {
  queryCode: string;
  applicant: {
    kind: string;
    name: string;
    organisationCode: string | null;
    legalRepresentative: string | null;
    contactName: string | null;
    idType: string | null;
    idNumber: string | null;
    phone: string | null;
    email: string | null;
    address: string | null;
    postalCode: string | null;
    /** Full personal data is shown to the request's handler only (rules.md §7). */
    personalDataMasked: boolean;
  };
  documentNumber: string | null;
  purpose: string | null;
  deliveryForm: string;
  deliveryMethod: string;
  /** The handling routes the state allows (presenters.ts allowedActions). */
  allowedActions: string[];
  events: RequestEvent[];
  reply: {
    outcome: { code: string; label: string; law: string } | null;
    letterNumber: string | null;
    detail: string | null;
    otherAgency: string | null;
    repliedOn: string;
    deliveredOn: string | null;
    deliveryMethod: string | null;
    recordId: string | null;
  } | null;
  appeals: Appeal[];
}

/** One reply outcome, a row of the annual report's table 三 (GET /info-requests/outcomes). */
export interface Outcome {
  code: string;
  group: string;
  row: string | null;
  label: string;
  law: string;
}

/** Table 三's blocks, numbered as in the report. */
export const outcomeGroupNames: Record<string, string> = {
  disclosed: '（一）予以公开',
  partial: '（二）部分公开',
  exempt: '（三）不予公开',
  unavailable: '（四）无法提供',
  notProcessed: '（五）不予处理',
  other: '（六）其他处理',
};

/** Outcomes the sweeper sets, never a reply (replyMaker refuses them). */
export const automaticOutcomes = new Set(['other.noSupplement', 'other.feeUnpaid']);

export const organisationKindOptions = [
  { value: 'business', label: '商业企业' },
  { value: 'research', label: '科研机构' },
  { value: 'publicWelfare', label: '社会公益组织' },
  { value: 'legalService', label: '法律服务机构' },
  { value: 'other', label: '其他' },
];

export const deliveryFormNames: Record<string, string> = { paper: '纸质', electronic: '电子数据' };
export const deliveryMethodNames: Record<string, string> = {
  post: '邮寄',
  pickup: '当面领取',
  email: '电子邮件',
  online: '网上获取',
  fax: '传真',
};

export const appealKindOptions = [
  { value: 'reconsideration', label: '行政复议' },
  { value: 'litigationDirect', label: '行政诉讼（未经复议直接起诉）' },
  { value: 'litigationAfterReconsideration', label: '行政诉讼（复议后起诉）' },
];
export const appealResultOptions = [
  { value: 'pending', label: '尚未审结' },
  { value: 'upheld', label: '结果维持' },
  { value: 'corrected', label: '结果纠正' },
  { value: 'other', label: '其他结果' },
];

export const stageOptions = [
  { value: 'decision', label: '决策' },
  { value: 'execution', label: '执行' },
  { value: 'management', label: '管理' },
  { value: 'service', label: '服务' },
  { value: 'result', label: '结果' },
];

/** The bodies that receive requests (Art. 4, 10), as the online form lists them. */
export const receivingUnitKinds = new Set(['government', 'office', 'bureau', 'township']);

export const requestPath = (id: string, rest = '') => `/info-requests/${encodeURIComponent(id)}${rest}`;
