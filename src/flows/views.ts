import { type LoadedCalendar, loadCalendar } from '../calendar/calendar.ts';
import type { Actor } from '../context.ts';
import { forbidden, notFound } from '../errors.ts';
import { nowIso } from '../ids.ts';
import type { Db } from '../store/store.ts';
import { explainDeadline, type TimerFacts } from './deadlines.ts';
import { loadDefinition, modelOf } from './definitions.ts';
import { sideTaskOutcomes } from './sideTasks.ts';
import type { HistoryRow, TaskRow } from './tables.ts';
import { mayAct } from './taskAccess.ts';
import { taskForm } from './taskForms.ts';
import { decodeValue } from './variableValues.ts';

// Read models for the API: a case with its current steps, variables and history; a task with who may act on it,
// the outcomes it offers and the actions open to the reader.

const overseers = new Set(['sysadmin', 'auditor']);

type TimerRow = TimerFacts & { activity_id: string };

/** A case's timers, with what explains them. */
const caseTimers = (db: Db, instanceId: string): Promise<TimerRow[]> =>
  db
    .selectFrom('timers')
    .select(['activity_id', 'due_at', 'created_at', 'working_days', 'from_day'])
    .where('instance_id', '=', instanceId)
    .orderBy('due_at')
    .execute();

/** A task's due date is its earliest interrupting boundary timer: that timer explains it. */
function explainDue(
  cal: LoadedCalendar,
  model: Awaited<ReturnType<typeof modelOf>>,
  timers: TimerRow[],
  t: Pick<TaskRow, 'activity_id' | 'due_at'>,
): string | null {
  if (!t.due_at) return null;
  const n = model.nodes.get(t.activity_id);
  const timer = timers.find((x) => x.due_at === t.due_at && n?.boundaries.includes(x.activity_id));
  return timer ? explainDeadline(cal, timer) : null;
}

async function userNames(
  db: Db,
  ids: (string | null)[],
): Promise<Map<string, { username: string; displayName: string }>> {
  const unique = [...new Set(ids.filter((i): i is string => !!i))];
  if (!unique.length) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name'])
    .where('id', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.id, { username: r.username, displayName: r.display_name }]));
}

/** Who may read a case: its starter, anyone who acted or may act in it, auditors and administrators. */
export async function requireCaseReader(db: Db, instanceId: string, actor: Actor): Promise<void> {
  if (overseers.has(actor.role)) return;
  const inst = await db
    .selectFrom('process_instances')
    .select(['root_instance_id', 'started_by'])
    .where('id', '=', instanceId)
    .executeTakeFirst();
  if (!inst) throw notFound('办件', instanceId);
  if (inst.started_by === actor.userId) return;
  const acted = await db
    .selectFrom('flow_history')
    .select('id')
    .where('root_instance_id', '=', inst.root_instance_id)
    .where('actor_id', '=', actor.userId)
    .limit(1)
    .executeTakeFirst();
  if (acted) return;
  const tree = db
    .selectFrom('process_instances')
    .select('id')
    .where('root_instance_id', '=', inst.root_instance_id);
  const handler = await db
    .selectFrom('tasks')
    .leftJoin('task_candidates as c', 'c.task_id', 'tasks.id')
    .select('tasks.id')
    .where('tasks.instance_id', 'in', tree)
    .where((eb) => eb.or([eb('tasks.assignee_id', '=', actor.userId), eb('c.user_id', '=', actor.userId)]))
    .limit(1)
    .executeTakeFirst();
  if (!handler) throw forbidden('您无权查看该办件');
}

export async function presentHistory(db: Db, rows: HistoryRow[]) {
  return rows.map((h) => ({
    at: h.at,
    instanceId: h.instance_id,
    activityId: h.activity_id,
    taskId: h.task_id,
    action: h.action,
    actor: h.actor_id ? { id: h.actor_id, name: h.actor_name } : null,
    outcome: h.outcome,
    opinion: h.opinion,
    detail: h.detail,
  }));
}

export async function instanceView(db: Db, instanceId: string, now: Date) {
  const inst = await db
    .selectFrom('process_instances')
    .selectAll()
    .where('id', '=', instanceId)
    .executeTakeFirst();
  if (!inst) throw notFound('办件', instanceId);
  const def = await loadDefinition(db, inst.definition_id);
  const model = await modelOf(def);
  const tasks = await db
    .selectFrom('tasks')
    .selectAll()
    .where('instance_id', '=', instanceId)
    .where('status', 'in', ['open', 'supplementing'])
    .orderBy('created_at')
    .execute();
  const candidates = tasks.length
    ? await db
        .selectFrom('task_candidates')
        .selectAll()
        .where(
          'task_id',
          'in',
          tasks.map((t) => t.id),
        )
        .execute()
    : [];
  const names = await userNames(db, [
    inst.started_by,
    ...tasks.map((t) => t.assignee_id),
    ...candidates.map((c) => c.user_id),
  ]);
  const timers = await caseTimers(db, instanceId);
  const cal = await loadCalendar(db);
  const variables = await db
    .selectFrom('variables')
    .select(['name', 'type', 'value'])
    .where('scope_id', '=', instanceId)
    .orderBy('name')
    .execute();
  const history = await db
    .selectFrom('flow_history')
    .selectAll()
    .where('root_instance_id', '=', inst.root_instance_id)
    .orderBy('step')
    .orderBy('seq')
    .execute();
  const children = await db
    .selectFrom('process_instances')
    .select(['id', 'definition_key', 'status'])
    .where('parent_instance_id', '=', instanceId)
    .execute();
  const at = nowIso(now);
  const person = (id: string | null) =>
    id ? { id, ...(names.get(id) ?? { username: '?', displayName: '?' }) } : null;
  // how the case ended (退件, 取消资格 …): the end event its `end` history row names
  const endRow = history.findLast((h) => h.instance_id === inst.id && h.action === 'end' && h.activity_id);
  const endActivity = endRow?.activity_id
    ? { id: endRow.activity_id, name: model.nodes.get(endRow.activity_id)?.name ?? endRow.detail ?? '' }
    : null;
  return {
    id: inst.id,
    status: inst.status,
    businessKey: inst.business_key,
    definition: { id: def.id, key: def.key, code: def.code, name: def.name, version: def.version },
    parentInstanceId: inst.parent_instance_id,
    startedBy: person(inst.started_by),
    startedAt: inst.started_at,
    endedAt: inst.ended_at,
    endActivity,
    currentSteps: tasks.map((t) => ({
      taskId: t.id,
      activityId: t.activity_id,
      name: t.name,
      kind: t.kind,
      status: t.status,
      assignee: person(t.assignee_id),
      candidates: candidates.filter((c) => c.task_id === t.id).map((c) => person(c.user_id)),
      dueAt: t.due_at,
      dueExplanation: explainDue(cal, model, timers, t),
      overdue: t.due_at !== null && t.due_at < at,
      outcomes: outcomesOf(model, t),
    })),
    timers: timers.map((t) => ({
      activityId: t.activity_id,
      name: model.nodes.get(t.activity_id)?.name ?? '',
      dueAt: t.due_at,
      explanation: explainDeadline(cal, t),
    })),
    calledCases: children.map((c) => ({ id: c.id, key: c.definition_key, status: c.status })),
    variables: Object.fromEntries(variables.map((v) => [v.name, decodeValue(v.type, v.value)])),
    history: await presentHistory(db, history),
  };
}

function outcomesOf(model: Awaited<ReturnType<typeof modelOf>>, t: TaskRow): string[] {
  const n = model.nodes.get(t.activity_id);
  if (t.kind !== 'step') return [...sideTaskOutcomes(t.kind)];
  return n?.kind === 'userTask' ? n.outcomes : [];
}

/** Every action a handler can ask for (POST /tasks/:id/:action). */
export const taskActionNames = [
  'claim',
  'complete',
  'return',
  'recall',
  'transfer',
  'delegate',
  'addCountersigner',
  'removeCountersigner',
  'urge',
  'supplement',
  'terminate',
] as const;

export async function taskView(db: Db, taskId: string, actor: Actor, now: Date) {
  const task = await db.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
  if (!task) throw notFound('待办', taskId);
  const canAct = task.status === 'open' && (await mayAct(db, task, actor.userId));
  if (!canAct) await requireCaseReader(db, task.instance_id, actor);
  const inst = await db
    .selectFrom('process_instances')
    .selectAll()
    .where('id', '=', task.instance_id)
    .executeTakeFirstOrThrow();
  const def = await loadDefinition(db, inst.definition_id);
  const model = await modelOf(def);
  const candidateIds = task.assignee_id
    ? [task.assignee_id]
    : (await db.selectFrom('task_candidates').select('user_id').where('task_id', '=', task.id).execute()).map(
        (r) => r.user_id,
      );
  const names = await userNames(db, [...candidateIds, task.owner_id, task.completed_by]);
  const person = (id: string | null) =>
    id ? { id, ...(names.get(id) ?? { username: '?', displayName: '?' }) } : null;
  const n = model.nodes.get(task.activity_id);
  const multi = n?.kind === 'userTask' && n.multi !== null;
  const sender = task.previous_task_id
    ? await db
        .selectFrom('tasks')
        .select(['completed_by', 'status'])
        .where('id', '=', task.previous_task_id)
        .executeTakeFirst()
    : undefined;
  const actions: string[] = [];
  if (canAct) {
    if (!task.assignee_id) actions.push('claim');
    actions.push('complete', 'transfer', 'delegate');
    // a side task's handler (核实异议, 补正) is not the case's handler: stopping the case is not theirs to do
    if (task.kind === 'step') actions.push('terminate', 'return', 'supplement');
    if (multi) actions.push('addCountersigner', 'removeCountersigner');
  } else if (task.status === 'open') {
    if (inst.started_by === actor.userId || sender?.completed_by === actor.userId || actor.role === 'leader')
      actions.push('urge');
    if (actor.role === 'sysadmin') actions.push('transfer', 'terminate');
  }
  if (task.status === 'completed' && task.completed_by === actor.userId && task.kind === 'step')
    actions.push('recall');
  const notices = await db
    .selectFrom('flow_notifications')
    .select(['kind', 'message', 'created_at'])
    .where('task_id', '=', task.id)
    .where('user_id', '=', actor.userId)
    .orderBy('created_at')
    .execute();
  const at = nowIso(now);
  return {
    id: task.id,
    kind: task.kind,
    name: task.name,
    status: task.status,
    activityId: task.activity_id,
    instance: {
      id: inst.id,
      status: inst.status,
      key: def.key,
      code: def.code,
      name: def.name,
      version: def.version,
    },
    createdAt: task.created_at,
    dueAt: task.due_at,
    dueExplanation:
      task.status === 'open' || task.status === 'supplementing'
        ? explainDue(await loadCalendar(db), model, await caseTimers(db, task.instance_id), task)
        : null,
    overdue: task.status === 'open' && task.due_at !== null && task.due_at < at,
    assignee: person(task.assignee_id),
    owner: person(task.owner_id),
    mayAct: candidateIds.map((id) => person(id)),
    outcomes: outcomesOf(model, task),
    // the fields the chart declares for this step (camunda:formData), sent back as variables on completion
    form: task.kind === 'step' ? await taskForm(db, def, task.instance_id, task.activity_id) : [],
    multiInstance: multi,
    actions,
    completedAt: task.completed_at,
    completedBy: person(task.completed_by),
    outcome: task.outcome,
    opinion: task.opinion,
    notices: notices.map((x) => ({ kind: x.kind, message: x.message, at: x.created_at })),
  };
}
