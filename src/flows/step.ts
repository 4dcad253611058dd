import type { Insertable } from 'kysely';
import type { Context } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { precompiled } from '../store/precompiled.ts';
import type { Db } from '../store/store.ts';
import { loadDefinition, modelOf } from './definitions.ts';
import type { Lookup, Value } from './expressions.ts';
import type { ProcessModel } from './model.ts';
import type {
  DefinitionRow,
  ExecutionRow,
  ExecutionState,
  FlowTables,
  InstanceRow,
  TaskRow,
} from './tables.ts';
import { decodeValue, encodeValue, type VariableValue, variableType } from './variableValues.ts';

/** A token: an execution row, plus whether it is in the table yet (tokens in transit are written only at rest). */
export interface Token {
  id: string;
  instanceId: string;
  parentId: string | null;
  activityId: string;
  /** `moving`: in transit inside this step, not a state any row holds. */
  state: ExecutionState | 'moving';
  arrivedVia: string | null;
  loopIndex: number | null;
  createdAt: string;
  persisted: boolean;
}

export interface HistoryEntry {
  instanceId: string;
  action: string;
  activityId?: string | null;
  taskId?: string | null;
  outcome?: string | null;
  opinion?: string | null;
  detail?: string | null;
  /** Defaults to the step's actor; automatic steps (timers, service tasks) pass null. */
  actor?: { id: string; name: string } | null;
}

const storedDefinitions = new Map<string, DefinitionRow>();

const fromRow = (r: ExecutionRow): Token => ({
  id: r.id,
  instanceId: r.instance_id,
  parentId: r.parent_id,
  activityId: r.activity_id,
  state: r.state,
  arrivedVia: r.arrived_via,
  loopIndex: r.loop_index,
  createdAt: r.created_at,
  persisted: true,
});

/**
 * One step of a case tree: everything that happens between two wait states, inside one transaction
 * (issue 3 item 3). It begins by bumping the root case's `step` counter, an UPDATE that takes the row lock on
 * PostgreSQL and the write lock on SQLite, so two steps of one case never interleave (a parallel join sees
 * every token that arrived before it), and a step killed half-way leaves nothing behind.
 */
export class Step {
  readonly now: Date;
  readonly at: string;
  /** The task whose completion drives this step: new tasks name it as the one that sent them (撤回). */
  causeTaskId: string | null = null;
  /** 退回: the activity a token is sent back to is handed to whoever did it last. */
  readonly returnAssignee = new Map<string, string>();
  readonly queue: Token[] = [];
  /** An inclusive join may have become ready: run() checks before the step ends. */
  inclusivePending = false;
  private seq = 0;
  /** History rows of this step, written in one statement when the step ends (flushHistory). */
  private readonly pendingHistory: Insertable<FlowTables['flow_history']>[] = [];
  private readonly instances = new Map<string, InstanceRow>();
  private readonly definitions = new Map<string, DefinitionRow>();
  private readonly tokens = new Map<string, Token>();
  private readonly vars = new Map<string, Map<string, Map<string, VariableValue>>>();

  private constructor(
    readonly ctx: Context,
    readonly rootId: string,
    readonly number: number,
  ) {
    this.now = ctx.now();
    this.at = nowIso(this.now);
  }

  /** Lock the case tree the instance belongs to. `ctx.db` must be a transaction. */
  static async begin(ctx: Context, instanceId: string): Promise<Step> {
    const row = await ctx.db
      .updateTable('process_instances')
      .set((eb) => ({ step: eb('step', '+', 1) }))
      .where('id', '=', (eb) =>
        eb.selectFrom('process_instances as p').select('p.root_instance_id').where('p.id', '=', instanceId),
      )
      .returning(['id', 'step'])
      .executeTakeFirst();
    if (!row) throw notFound('办件', instanceId);
    return new Step(ctx, row.id, Number(row.step));
  }

  /**
   * Lock the case tree a task belongs to, and read the task, its case and its token, in two statements
   * (a task action's hot path: a round trip saved is a large part of a completion on PostgreSQL). The read
   * comes after the lock, so it sees every step committed before ours.
   */
  static async beginForTask(ctx: Context, taskId: string): Promise<{ step: Step; task: TaskRow }> {
    const locked = (await lockTaskCase(ctx.db, taskId)).rows[0];
    if (!locked) throw notFound('待办', taskId);
    const step = new Step(ctx, locked.id, Number(locked.step));
    const row = (await readTaskCase(ctx.db, taskId)).rows[0];
    if (!row) throw notFound('待办', taskId);
    const task: TaskRow = {
      id: row.id,
      instance_id: row.instance_id,
      execution_id: row.execution_id,
      activity_id: row.activity_id,
      kind: row.kind,
      name: row.name,
      status: row.status,
      assignee_id: row.assignee_id,
      owner_id: row.owner_id,
      previous_task_id: row.previous_task_id,
      parent_task_id: row.parent_task_id,
      touched: row.touched,
      created_at: row.created_at,
      due_at: row.due_at,
      completed_at: row.completed_at,
      completed_by: row.completed_by,
      outcome: row.outcome,
      opinion: row.opinion,
    };
    step.remember({
      id: row.instance_id,
      definition_id: row.i_definition_id,
      definition_key: row.i_definition_key,
      root_instance_id: row.i_root_instance_id,
      parent_instance_id: row.i_parent_instance_id,
      parent_execution_id: row.i_parent_execution_id,
      business_key: row.i_business_key,
      status: row.i_status,
      started_by: row.i_started_by,
      started_at: row.i_started_at,
      ended_at: row.i_ended_at,
      step: row.i_step,
    });
    if (row.e_id && row.e_activity_id && row.e_state && row.e_created_at) {
      step.cacheRow({
        id: row.e_id,
        instance_id: row.instance_id,
        parent_id: row.e_parent_id,
        activity_id: row.e_activity_id,
        state: row.e_state,
        arrived_via: row.e_arrived_via,
        loop_index: row.e_loop_index,
        created_at: row.e_created_at,
      });
    }
    return { step, task };
  }

  /** The first step of a new root case, whose row the caller has just inserted with step = 1. */
  static forNewRoot(ctx: Context, rootId: string): Step {
    return new Step(ctx, rootId, 1);
  }

  get db() {
    return this.ctx.db;
  }

  get actorId(): string | null {
    return this.ctx.actor?.userId ?? null;
  }

  remember(instance: InstanceRow): void {
    this.instances.set(instance.id, instance);
  }

  async instance(id: string): Promise<InstanceRow> {
    let row = this.instances.get(id);
    if (!row) {
      row = await this.db.selectFrom('process_instances').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound('办件', id);
      this.instances.set(id, row);
    }
    return row;
  }

  async definition(instanceId: string): Promise<DefinitionRow> {
    const inst = await this.instance(instanceId);
    let def = this.definitions.get(inst.definition_id) ?? storedDefinitions.get(inst.definition_id);
    if (!def) {
      def = await loadDefinition(this.db, inst.definition_id);
      // definitions never change once stored: one read per process, not one per step
      if (storedDefinitions.size > 500) storedDefinitions.clear();
      storedDefinitions.set(def.id, def);
    }
    this.definitions.set(def.id, def);
    return def;
  }

  async model(instanceId: string): Promise<ProcessModel> {
    return modelOf(await this.definition(instanceId));
  }

  touchedInstanceIds(): string[] {
    return [...this.instances.keys()];
  }

  /**
   * Append to the case history. Rows are kept until the step ends and then written in one statement
   * (flushHistory, called by run()): nothing reads the history inside a step, and a step that fails writes none.
   */
  async history(e: HistoryEntry): Promise<void> {
    const actor =
      e.actor === undefined
        ? this.ctx.actor
          ? { id: this.ctx.actor.userId, name: this.ctx.actor.displayName }
          : null
        : e.actor;
    this.pendingHistory.push({
      id: newId(this.now.getTime()),
      instance_id: e.instanceId,
      root_instance_id: this.rootId,
      step: this.number,
      seq: this.seq++,
      activity_id: e.activityId ?? null,
      task_id: e.taskId ?? null,
      actor_id: actor?.id ?? null,
      actor_name: actor?.name ?? null,
      action: e.action,
      outcome: e.outcome ?? null,
      opinion: e.opinion ?? null,
      detail: e.detail ?? null,
      at: this.at,
    });
  }

  /** Write the step's history rows (14 parameters a row: 500 rows stay far inside both databases' limits). */
  async flushHistory(): Promise<void> {
    // a step that moves one task on writes one row: the common case skips the query builder
    const [only] = this.pendingHistory;
    if (this.pendingHistory.length === 1 && only) {
      this.pendingHistory.length = 0;
      await insertHistoryRow(this.db, only);
      return;
    }
    while (this.pendingHistory.length) {
      const rows = this.pendingHistory.splice(0, 500);
      await this.db.insertInto('flow_history').values(rows).execute();
    }
  }

  // ---- tokens

  newToken(instanceId: string, parentId: string | null, activityId: string): Token {
    const t: Token = {
      id: newId(this.now.getTime()),
      instanceId,
      parentId,
      activityId,
      state: 'moving',
      arrivedVia: null,
      loopIndex: null,
      createdAt: this.at,
      persisted: false,
    };
    this.tokens.set(t.id, t);
    return t;
  }

  async token(id: string): Promise<Token | null> {
    const cached = this.tokens.get(id);
    if (cached) return cached;
    const row = await this.db.selectFrom('executions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const t = fromRow(row);
    this.tokens.set(t.id, t);
    return t;
  }

  async requireToken(id: string): Promise<Token> {
    const t = await this.token(id);
    if (!t) throw new AppError('execution_missing', '流程令牌不存在，办件状态已变化，请刷新', 409);
    return t;
  }

  /** Tokens standing in one scope (a case level, a sub-process or a multi-instance body), in transit ones too. */
  async tokensInScope(instanceId: string, parentId: string | null): Promise<Token[]> {
    let q = this.db.selectFrom('executions').selectAll().where('instance_id', '=', instanceId);
    q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId);
    const rows = await q.execute();
    const out = new Map<string, Token>();
    for (const r of rows) out.set(r.id, this.tokens.get(r.id) ?? this.cacheRow(r));
    for (const t of this.queue) if (t.instanceId === instanceId && t.parentId === parentId) out.set(t.id, t);
    return [...out.values()];
  }

  async childTokens(parentId: string): Promise<Token[]> {
    const rows = await this.db
      .selectFrom('executions')
      .selectAll()
      .where('parent_id', '=', parentId)
      .execute();
    return rows.map((r) => this.tokens.get(r.id) ?? this.cacheRow(r));
  }

  cacheRow(r: ExecutionRow): Token {
    const t = fromRow(r);
    this.tokens.set(t.id, t);
    return t;
  }

  /** Write a token that comes to rest. */
  async rest(t: Token, state: ExecutionState): Promise<void> {
    t.state = state;
    if (!t.persisted) {
      await insertToken(
        this.db,
        t.id,
        t.instanceId,
        t.parentId,
        t.activityId,
        state,
        t.arrivedVia,
        t.loopIndex,
        t.createdAt,
      );
      t.persisted = true;
    } else {
      await moveToken(this.db, t.id, t.activityId, state, t.arrivedVia, t.loopIndex);
    }
  }

  async drop(t: Token): Promise<void> {
    if (t.persisted) await this.db.deleteFrom('executions').where('id', '=', t.id).execute();
    t.persisted = false;
    this.tokens.delete(t.id);
    const i = this.queue.indexOf(t);
    if (i >= 0) this.queue.splice(i, 1);
  }

  // ---- variables (one row per name per scope; the case's own scope is its instance id)

  private async instanceVars(instanceId: string): Promise<Map<string, Map<string, VariableValue>>> {
    let scopes = this.vars.get(instanceId);
    if (!scopes) {
      scopes = new Map();
      const rows = await this.db
        .selectFrom('variables')
        .select(['scope_id', 'name', 'type', 'value'])
        .where('instance_id', '=', instanceId)
        .execute();
      for (const r of rows) {
        let scope = scopes.get(r.scope_id);
        if (!scope) {
          scope = new Map();
          scopes.set(r.scope_id, scope);
        }
        scope.set(r.name, decodeValue(r.type, r.value));
      }
      this.vars.set(instanceId, scopes);
    }
    return scopes;
  }

  /** Variables a token sees: its own scope, then each enclosing token's, then the case's. */
  async lookup(t: { instanceId: string; id: string | null; parentId: string | null }): Promise<Lookup> {
    const scopes = await this.instanceVars(t.instanceId);
    const chain: string[] = [];
    if (t.id) chain.push(t.id);
    let parent = t.parentId;
    while (parent) {
      chain.push(parent);
      parent = (await this.token(parent))?.parentId ?? null;
    }
    chain.push(t.instanceId);
    return (name: string): Value | undefined => {
      for (const s of chain) {
        const v = scopes.get(s)?.get(name);
        if (v !== undefined) return v;
      }
      return undefined;
    };
  }

  async caseVariables(instanceId: string): Promise<Record<string, VariableValue>> {
    const scope = (await this.instanceVars(instanceId)).get(instanceId);
    return Object.fromEntries(scope ?? []);
  }

  async setVariable(instanceId: string, scopeId: string, name: string, value: VariableValue): Promise<void> {
    const scopes = await this.instanceVars(instanceId);
    let scope = scopes.get(scopeId);
    if (!scope) {
      scope = new Map();
      scopes.set(scopeId, scope);
    }
    const type = variableType(value);
    const text = encodeValue(value);
    await this.db
      .insertInto('variables')
      .values({ scope_id: scopeId, instance_id: instanceId, name, type, value: text })
      .onConflict((oc) => oc.columns(['scope_id', 'name']).doUpdateSet({ type, value: text }))
      .execute();
    scope.set(name, value);
  }

  async scopeVariable(instanceId: string, scopeId: string, name: string): Promise<VariableValue | undefined> {
    return (await this.instanceVars(instanceId)).get(scopeId)?.get(name);
  }

  async dropScopeVariables(instanceId: string, scopeIds: string[]): Promise<void> {
    if (!scopeIds.length) return;
    const scopes = await this.instanceVars(instanceId);
    if (!scopeIds.some((s) => scopes.has(s))) return;
    await this.db.deleteFrom('variables').where('scope_id', 'in', scopeIds).execute();
    for (const s of scopeIds) scopes.delete(s);
  }
}

// ---- the statements of a task action's hot path, compiled once (src/store/precompiled.ts)

/** Bump the step counter of the root case of a task's case: the lock Step.beginForTask takes. */
const lockTaskCase = precompiled<{ id: string; step: number }, [taskId: string]>((db, slot) =>
  db
    .updateTable('process_instances')
    .set((eb) => ({ step: eb('step', '+', 1) }))
    .where('id', '=', (eb) =>
      eb
        .selectFrom('tasks as t')
        .innerJoin('process_instances as p', 'p.id', 't.instance_id')
        .select('p.root_instance_id')
        .where('t.id', '=', slot(0)),
    )
    .returning(['id', 'step']),
);

const readTaskCaseQuery = (db: Db, taskId: string) =>
  db
    .selectFrom('tasks as t')
    .innerJoin('process_instances as i', 'i.id', 't.instance_id')
    .leftJoin('executions as e', 'e.id', 't.execution_id')
    .selectAll('t')
    .select([
      'i.definition_id as i_definition_id',
      'i.definition_key as i_definition_key',
      'i.root_instance_id as i_root_instance_id',
      'i.parent_instance_id as i_parent_instance_id',
      'i.parent_execution_id as i_parent_execution_id',
      'i.business_key as i_business_key',
      'i.status as i_status',
      'i.started_by as i_started_by',
      'i.started_at as i_started_at',
      'i.ended_at as i_ended_at',
      'i.step as i_step',
      'e.id as e_id',
      'e.parent_id as e_parent_id',
      'e.activity_id as e_activity_id',
      'e.state as e_state',
      'e.arrived_via as e_arrived_via',
      'e.loop_index as e_loop_index',
      'e.created_at as e_created_at',
    ])
    .where('t.id', '=', taskId);

/** A task with its case and its token, read in one statement after the lock. */
const readTaskCase = precompiled<
  Awaited<ReturnType<ReturnType<typeof readTaskCaseQuery>['executeTakeFirstOrThrow']>>,
  [taskId: string]
>((db, slot) => readTaskCaseQuery(db, slot(0)));

const insertToken = precompiled<
  unknown,
  [
    id: string,
    instanceId: string,
    parentId: string | null,
    activityId: string,
    state: ExecutionState,
    arrivedVia: string | null,
    loopIndex: number | null,
    createdAt: string,
  ]
>((db, slot) =>
  db.insertInto('executions').values({
    id: slot(0),
    instance_id: slot(1),
    parent_id: slot(2),
    activity_id: slot(3),
    state: slot(4),
    arrived_via: slot(5),
    loop_index: slot(6),
    created_at: slot(7),
  }),
);

const moveToken = precompiled<
  unknown,
  [id: string, activityId: string, state: ExecutionState, arrivedVia: string | null, loopIndex: number | null]
>((db, slot) =>
  db
    .updateTable('executions')
    .set({ activity_id: slot(1), state: slot(2), arrived_via: slot(3), loop_index: slot(4) })
    .where('id', '=', slot(0)),
);

const historyColumns = [
  'id',
  'instance_id',
  'root_instance_id',
  'step',
  'seq',
  'activity_id',
  'task_id',
  'actor_id',
  'actor_name',
  'action',
  'outcome',
  'opinion',
  'detail',
  'at',
] as const satisfies readonly (keyof Insertable<FlowTables['flow_history']>)[];

const insertHistory = precompiled<unknown, unknown[]>((db, slot) =>
  db
    .insertInto('flow_history')
    .values(
      Object.fromEntries(historyColumns.map((c, i) => [c, slot(i)])) as Insertable<
        FlowTables['flow_history']
      >,
    ),
);

const insertHistoryRow = (db: Db, row: Insertable<FlowTables['flow_history']>) =>
  insertHistory(db, ...historyColumns.map((c) => row[c] ?? null));
