import type { EventKind, RequestState } from './tables.ts';

/**
 * The handling of a request as data: for each event, the states it may happen in, the state it leads to
 * ('same': the state does not change), and the rule of law it applies. The commands check against this table;
 * the clock (clock.ts) reads the same events.
 */
export interface Transition {
  from: readonly RequestState[];
  to: RequestState | 'same';
  label: string;
  law: string;
}

const open: readonly RequestState[] = [
  'received',
  'registered',
  'assigned',
  'awaitingSupplement',
  'consulting',
];
const handling: readonly RequestState[] = ['registered', 'assigned'];

export const transitions: Record<EventKind, Transition> = {
  received: { from: [], to: 'received', label: '收到申请', law: '条例第二十九条、第三十一条' },
  registered: { from: ['received'], to: 'registered', label: '登记', law: '条例第三十一条' },
  assigned: {
    from: ['received', 'registered', 'assigned'],
    to: 'assigned',
    label: '交办承办',
    law: '条例第四条',
  },
  supplementRequested: {
    from: ['received', 'registered', 'assigned'],
    to: 'awaitingSupplement',
    label: '告知补正',
    law: '条例第三十条：收到申请之日起7个工作日内一次性告知补正，答复期限自收到补正的申请之日起计算',
  },
  supplementReceived: {
    from: ['awaitingSupplement'],
    to: 'assigned',
    label: '收到补正材料',
    law: '条例第三十条',
  },
  abandoned: {
    from: ['awaitingSupplement'],
    to: 'closed',
    label: '逾期未补正，视为放弃申请',
    law: '条例第三十条',
  },
  consultationStarted: {
    from: handling,
    to: 'consulting',
    label: '征求第三方或其他机关意见',
    law: '条例第三十二条、第三十四条：第三方或其他机关自收到征求意见书之日起15个工作日内提出意见',
  },
  consultationEnded: {
    from: ['consulting'],
    to: 'assigned',
    label: '收到意见（或逾期未提出意见）',
    law: '条例第三十二条、第三十三条第三款',
  },
  extended: {
    from: ['registered', 'assigned', 'consulting'],
    to: 'same',
    label: '延长答复期限',
    law: '条例第三十三条第二款：经政府信息公开工作机构负责人同意并告知申请人，延长不超过20个工作日',
  },
  feeNoticed: {
    from: handling,
    to: 'same',
    label: '发出收费通知',
    law: '条例第四十二条；国办函〔2020〕109号',
  },
  feePaid: { from: handling, to: 'same', label: '缴纳信息处理费', law: '国办函〔2020〕109号' },
  feeUnpaid: {
    from: handling,
    to: 'closed',
    label: '逾期未缴费，不再处理',
    law: '条例第四十二条；国办函〔2020〕109号',
  },
  withdrawn: { from: open, to: 'closed', label: '申请人撤回申请', law: '' },
  replied: {
    from: handling,
    to: 'replied',
    label: '作出答复',
    law: '条例第三十三条、第三十六条、第三十七条',
  },
  delivered: { from: ['replied'], to: 'delivered', label: '送达答复', law: '条例第三十六条、第四十条' },
  closed: { from: ['delivered'], to: 'closed', label: '办结', law: '' },
  noted: {
    from: [...open, 'replied', 'delivered', 'closed'],
    to: 'same',
    label: '备注',
    law: '',
  },
};

/** Events the public tracking page shows (no notes, no names). */
export const publicEventKinds: ReadonlySet<EventKind> = new Set([
  'received',
  'registered',
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
]);
