// The shapes of the flow API's answers (src/flows/inbox.ts, src/flows/views.ts).

export type InboxView = 'open' | 'done' | 'started' | 'overdue';

export interface InboxItem {
  taskId: string | null;
  taskName: string | null;
  activityId: string | null;
  status: string;
  instanceId: string;
  instanceStatus: string;
  flowKey: string;
  flowCode: string | null;
  flowName: string;
  startedAt: string;
  createdAt: string | null;
  dueAt: string | null;
  completedAt: string | null;
  outcome: string | null;
  overdue: boolean;
  currentSteps: string[];
}

export interface UserRef {
  id: string;
  username: string;
  displayName: string;
}

export interface Definition {
  id: string;
  key: string;
  code: string | null;
  name: string;
  version: number;
  createdAt?: string;
}

export interface CurrentStep {
  taskId: string;
  activityId: string;
  name: string;
  kind: string;
  status: string;
  assignee: UserRef | null;
  candidates: (UserRef | null)[];
  dueAt: string | null;
  overdue: boolean;
  outcomes: string[];
}

export interface HistoryEntry {
  at: string;
  instanceId: string;
  activityId: string | null;
  taskId: string | null;
  action: string;
  actor: { id: string; name: string | null } | null;
  outcome: string | null;
  opinion: string | null;
  detail: string | null;
}

export interface Case {
  id: string;
  status: string;
  businessKey: string | null;
  definition: Definition;
  parentInstanceId: string | null;
  startedBy: UserRef | null;
  startedAt: string;
  endedAt: string | null;
  currentSteps: CurrentStep[];
  timers: { activityId: string; name: string; dueAt: string }[];
  calledCases: { id: string; key: string; status: string }[];
  variables: Record<string, unknown>;
  history: HistoryEntry[];
}

export type TaskAction =
  | 'claim'
  | 'complete'
  | 'return'
  | 'recall'
  | 'transfer'
  | 'delegate'
  | 'addCountersigner'
  | 'removeCountersigner'
  | 'urge'
  | 'supplement'
  | 'terminate';

export type FormValue = string | number | boolean | null;

/** A field the chart declares for a step (camunda:formField, src/flows/taskForms.ts), with its value now. */
export interface TaskFormField {
  id: string;
  label: string;
  type: 'string' | 'enum' | 'boolean' | 'long' | 'date';
  options: { value: string; label: string }[];
  required: boolean;
  /** Asked only while another field has this value, and required then. */
  requiredWhen: { field: string; value: string } | null;
  value: FormValue | FormValue[];
}

export interface Task {
  id: string;
  kind: string;
  name: string;
  status: string;
  activityId: string;
  instance: { id: string; status: string; key: string; code: string | null; name: string; version: number };
  createdAt: string;
  dueAt: string | null;
  overdue: boolean;
  assignee: UserRef | null;
  owner: UserRef | null;
  mayAct: (UserRef | null)[];
  outcomes: string[];
  /** The case variables this step asks for; sent back with 办理 as `variables`. */
  form: TaskFormField[];
  multiInstance: boolean;
  actions: TaskAction[];
  completedAt: string | null;
  completedBy: UserRef | null;
  outcome: string | null;
  opinion: string | null;
  notices: { kind: string; message: string; at: string }[];
}

export const actionNames: Record<string, string> = {
  claim: '签收',
  complete: '办理',
  return: '退回',
  recall: '撤回',
  transfer: '转办',
  delegate: '委托',
  addCountersigner: '加签',
  removeCountersigner: '减签',
  urge: '催办',
  supplement: '补正',
  supplemented: '提交补正',
  terminate: '终止',
  terminateEnd: '终止结束',
  resolve: '委托办结',
  start: '发起',
  auto: '自动处理',
  call: '调用子流程',
  timerSet: '设置计时',
  timerFired: '计时到期',
  unassigned: '无人可办',
  assignmentFallback: '改由他人办理',
  timeout: '超时',
  timeoutNotice: '超时提醒',
  endEvent: '到达结束',
  countersignOutcome: '会签结果',
  objectionReceived: '收到公示异议',
  objectionSettled: '异议核实',
};

export const taskStatusNames: Record<string, string> = {
  open: '待办',
  supplementing: '等待补正',
  completed: '已办结',
  cancelled: '已取消',
  returned: '已退回',
  recalled: '已撤回',
};

export const caseStatusNames: Record<string, string> = {
  running: '办理中',
  completed: '已办结',
  terminated: '已终止',
};

/** ISO time as people here read it: 2026-11-22 10:30. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
