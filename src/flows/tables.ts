import type { Selectable } from 'kysely';

/** A case's state: running, ended through its end events, or stopped by a person (终止). */
export const instanceStatuses = ['running', 'completed', 'terminated'] as const;
export type InstanceStatus = (typeof instanceStatuses)[number];

/**
 * What a token is doing where it stands: `waiting` at a user task, timer or call activity; `joining` at a
 * gateway that waits for other tokens; `scope` on a sub-process whose inner tokens run; `multi` on a
 * multi-instance task whose per-instance tokens hold the tasks.
 */
export const executionStates = ['waiting', 'joining', 'scope', 'multi'] as const;
export type ExecutionState = (typeof executionStates)[number];

/**
 * `open`: someone may act; `supplementing`: waits for a 补正 task; `completed`; `cancelled` (the token moved on
 * without it: a boundary timer, a completion condition, a termination); `returned` (退回) and `recalled` (撤回).
 */
export const taskStatuses = [
  'open',
  'supplementing',
  'completed',
  'cancelled',
  'returned',
  'recalled',
] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/**
 * A `step` task stands on a user task of the chart; a `supplement` task asks the submitter for 补正 material;
 * an `objection` task asks the publishing unit to look into an objection (异议) raised against the case's
 * public notice. The last two are side tasks: completing them never moves the case on.
 */
export const taskKinds = ['step', 'supplement', 'objection'] as const;
export type TaskKind = (typeof taskKinds)[number];

export const variableTypes = ['string', 'number', 'boolean', 'null', 'list'] as const;
export type VariableType = (typeof variableTypes)[number];

export interface FlowTables {
  process_definitions: {
    id: string;
    key: string;
    code: string | null;
    name: string;
    version: number;
    xml: string;
    created_at: string;
    created_by: string | null;
  };
  process_instances: {
    id: string;
    definition_id: string;
    definition_key: string;
    /** The outermost case of a call-activity tree; every step locks this row first. */
    root_instance_id: string;
    parent_instance_id: string | null;
    /** The call-activity token of the parent case that waits for this one. */
    parent_execution_id: string | null;
    business_key: string | null;
    status: InstanceStatus;
    started_by: string | null;
    started_at: string;
    ended_at: string | null;
    /** Bumped by each step of the root case: the row lock that serialises steps, and the history order. */
    step: number;
  };
  executions: {
    id: string;
    instance_id: string;
    /** The sub-process or multi-instance token this one runs inside; null at the process level. */
    parent_id: string | null;
    activity_id: string;
    state: ExecutionState;
    /** Join bookkeeping: the sequence flow by which the token reached a joining gateway. */
    arrived_via: string | null;
    /** Multi-instance: which element of the collection this token's task serves. */
    loop_index: number | null;
    created_at: string;
  };
  tasks: {
    id: string;
    instance_id: string;
    execution_id: string;
    activity_id: string;
    kind: TaskKind;
    name: string;
    status: TaskStatus;
    assignee_id: string | null;
    /** Delegation (委托): who delegated and gets the task back after the delegate resolves it. */
    owner_id: string | null;
    /** The task whose completion created this one: its completer is the sender who may recall (撤回). */
    previous_task_id: string | null;
    /** A supplement task's step task. */
    parent_task_id: string | null;
    /** Any action on the task by its handler (claim, opinion, transfer…) ends the sender's right to recall. */
    touched: number;
    created_at: string;
    due_at: string | null;
    completed_at: string | null;
    completed_by: string | null;
    outcome: string | null;
    opinion: string | null;
  };
  task_candidates: { task_id: string; user_id: string };
  timers: {
    id: string;
    instance_id: string;
    /** The token the timer belongs to: the one at the catch event, or the one at the activity a boundary sits on. */
    execution_id: string;
    /** The timer event (intermediate catch or boundary). */
    activity_id: string;
    due_at: string;
    /** Working-day timers keep their count so that a calendar change can recompute the due date. */
    working_days: number | null;
    from_day: string | null;
    claimed_by: string | null;
    claimed_until: string | null;
    attempts: number;
    last_error: string | null;
    created_at: string;
  };
  variables: {
    /** The instance id (case variables) or an execution id (local to a multi-instance or sub-process). */
    scope_id: string;
    instance_id: string;
    name: string;
    type: VariableType;
    /** JSON text of the value (a scalar, or a list of scalars). */
    value: string;
  };
  flow_history: {
    id: string;
    instance_id: string;
    root_instance_id: string;
    step: number;
    seq: number;
    activity_id: string | null;
    task_id: string | null;
    actor_id: string | null;
    actor_name: string | null;
    action: string;
    outcome: string | null;
    opinion: string | null;
    detail: string | null;
    at: string;
  };
  flow_notifications: {
    id: string;
    user_id: string;
    task_id: string;
    instance_id: string;
    kind: string;
    message: string;
    created_at: string;
    read_at: string | null;
  };
}

export type DefinitionRow = Selectable<FlowTables['process_definitions']>;
export type InstanceRow = Selectable<FlowTables['process_instances']>;
export type ExecutionRow = Selectable<FlowTables['executions']>;
export type TaskRow = Selectable<FlowTables['tasks']>;
export type TimerRow = Selectable<FlowTables['timers']>;
export type HistoryRow = Selectable<FlowTables['flow_history']>;
