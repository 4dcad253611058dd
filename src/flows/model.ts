/**
 * A definition compiled from its BPMN file into the graph the engine walks. Definitions are immutable once
 * imported, so a model is compiled once per definition id and cached (definitions.ts).
 */

export interface MultiInstance {
  sequential: boolean;
  /** `${…}` giving the list of assignment groups or usernames (docs/bpmn-conventions.md, Multi-instance). */
  collection: string | null;
  cardinality: string | null;
  elementVariable: string | null;
  completionCondition: string | null;
  /**
   * How the countersigners' outcomes make the task's `outcome` (docs/bpmn-conventions.md, Multi-instance):
   * `veto` (会签一票否决, the default), `majority` or `last`.
   */
  outcomeRule: OutcomeRule;
  /** The outcome that approves; any other is a veto. `gongkai:approvingOutcome`, else the first offered. */
  approvingOutcome: string | null;
}

export const outcomeRules = ['veto', 'majority', 'last'] as const;
export type OutcomeRule = (typeof outcomeRules)[number];

export interface Assignment {
  assignee: string | null;
  candidateUsers: string | null;
  candidateGroups: string | null;
}

interface NodeBase {
  id: string;
  name: string;
  /** The process or sub-process whose flow elements this node is one of. */
  container: string;
  incoming: string[];
  outgoing: string[];
  /** Boundary timer events attached to this activity. */
  boundaries: string[];
}

export type FlowNode =
  | (NodeBase & { kind: 'startEvent' })
  | (NodeBase & { kind: 'endEvent'; terminate: boolean })
  | (NodeBase & {
      kind: 'userTask';
      assignment: Assignment;
      multi: MultiInstance | null;
      /** The labels of the decision that follows (docs/bpmn-conventions.md, Outcomes). */
      outcomes: string[];
    })
  | (NodeBase & { kind: 'serviceTask'; action: string; properties: Record<string, string> })
  | (NodeBase & { kind: 'exclusiveGateway' | 'inclusiveGateway'; defaultFlow: string | null })
  | (NodeBase & { kind: 'parallelGateway' })
  | (NodeBase & { kind: 'subProcess'; startId: string })
  | (NodeBase & { kind: 'callActivity'; calledElement: string })
  | (NodeBase & { kind: 'timerCatch'; timer: TimerSpec })
  | (NodeBase & { kind: 'boundaryTimer'; timer: TimerSpec; attachedTo: string; cancelActivity: boolean });

export type NodeKind = FlowNode['kind'];

export interface TimerSpec {
  /** ISO-8601 duration (`P7D`, `PT2H`) or an expression giving a number of days (`${noticeDays}`). */
  duration: string;
  workingDays: boolean;
}

export interface SequenceFlow {
  id: string;
  name: string;
  source: string;
  target: string;
  condition: string | null;
}

export interface ProcessModel {
  key: string;
  code: string | null;
  name: string;
  startId: string;
  /**
   * `default:<name>` process properties: the value a new case gets when it is started without that variable, in
   * the order declared; a `${…}` value is an expression over the variables so far (instanceStarter.applyDefaults).
   */
  defaults: Record<string, string | number | boolean>;
  nodes: Map<string, FlowNode>;
  flows: Map<string, SequenceFlow>;
}

export function node(model: ProcessModel, id: string): FlowNode {
  const n = model.nodes.get(id);
  if (!n) throw new Error(`activity ${id} is not in ${model.key}`);
  return n;
}

export function flow(model: ProcessModel, id: string): SequenceFlow {
  const f = model.flows.get(id);
  if (!f) throw new Error(`sequence flow ${id} is not in ${model.key}`);
  return f;
}

const reachCache = new WeakMap<ProcessModel, Map<string, Set<string>>>();

/**
 * Nodes a token standing at `from` can still reach inside its container, following sequence flows and the
 * boundary events of activities. The inclusive join waits exactly for tokens that can still reach it.
 */
export function reachable(model: ProcessModel, from: string): Set<string> {
  let perModel = reachCache.get(model);
  if (!perModel) {
    perModel = new Map();
    reachCache.set(model, perModel);
  }
  const cached = perModel.get(from);
  if (cached) return cached;
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop() as string;
    const n = model.nodes.get(id);
    if (!n) continue;
    const next = [...n.outgoing.map((f) => flow(model, f).target), ...n.boundaries];
    for (const t of next) {
      if (!seen.has(t)) {
        seen.add(t);
        stack.push(t);
      }
    }
  }
  perModel.set(from, seen);
  return seen;
}
