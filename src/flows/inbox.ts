import { sql } from 'kysely';
import { nowIso } from '../ids.ts';
import type { Db } from '../store/store.ts';

export const inboxViews = ['open', 'done', 'started', 'overdue'] as const;
export type InboxView = (typeof inboxViews)[number];

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
  /** For the started view: the steps the case stands at now. */
  currentSteps: string[];
}

const limit = 500;

/**
 * 待办 / 已办 / 我发起的 / 超期. Overdue is computed from the due date and the clock, never stored, so it is
 * right the moment a deadline passes and when a calendar change moves a due date.
 */
export async function inbox(db: Db, userId: string, view: InboxView, now: Date): Promise<InboxItem[]> {
  const at = nowIso(now);
  if (view === 'started') return startedBy(db, userId, at);
  let q = db
    .selectFrom('tasks')
    .innerJoin('process_instances as i', 'i.id', 'tasks.instance_id')
    .innerJoin('process_definitions as d', 'd.id', 'i.definition_id')
    .select([
      'tasks.id',
      'tasks.name',
      'tasks.activity_id',
      'tasks.status',
      'tasks.created_at',
      'tasks.due_at',
      'tasks.completed_at',
      'tasks.outcome',
      'i.id as instance_id',
      'i.status as instance_status',
      'i.started_at',
      'd.key',
      'd.code',
      'd.name as flow_name',
    ])
    .limit(limit);
  if (view === 'done') {
    q = q
      .where('tasks.completed_by', '=', userId)
      .where('tasks.status', 'in', ['completed', 'returned'])
      .orderBy('tasks.completed_at', 'desc');
  } else {
    q = q
      .where('tasks.status', '=', 'open')
      .where((eb) =>
        eb.or([
          eb('tasks.assignee_id', '=', userId),
          eb.and([
            eb('tasks.assignee_id', 'is', null),
            eb.exists(
              eb
                .selectFrom('task_candidates as c')
                .select(sql`1`.as('one'))
                .whereRef('c.task_id', '=', 'tasks.id')
                .where('c.user_id', '=', userId),
            ),
          ]),
        ]),
      )
      .orderBy('tasks.created_at', 'desc');
    if (view === 'overdue') q = q.where('tasks.due_at', '<', at);
  }
  const rows = await q.execute();
  return rows.map((r) => ({
    taskId: r.id,
    taskName: r.name,
    activityId: r.activity_id,
    status: r.status,
    instanceId: r.instance_id,
    instanceStatus: r.instance_status,
    flowKey: r.key,
    flowCode: r.code,
    flowName: r.flow_name,
    startedAt: r.started_at,
    createdAt: r.created_at,
    dueAt: r.due_at,
    completedAt: r.completed_at,
    outcome: r.outcome,
    overdue: r.status === 'open' && r.due_at !== null && r.due_at < at,
    currentSteps: [],
  }));
}

async function startedBy(db: Db, userId: string, at: string): Promise<InboxItem[]> {
  const rows = await db
    .selectFrom('process_instances as i')
    .innerJoin('process_definitions as d', 'd.id', 'i.definition_id')
    .select(['i.id', 'i.status', 'i.started_at', 'i.ended_at', 'd.key', 'd.code', 'd.name'])
    .where('i.started_by', '=', userId)
    .where('i.parent_instance_id', 'is', null)
    .orderBy('i.started_at', 'desc')
    .limit(limit)
    .execute();
  const ids = rows.map((r) => r.id);
  const open = ids.length
    ? await db
        .selectFrom('tasks')
        .select(['instance_id', 'name', 'due_at'])
        .where('instance_id', 'in', ids)
        .where('status', 'in', ['open', 'supplementing'])
        .execute()
    : [];
  return rows.map((r) => {
    const mine = open.filter((t) => t.instance_id === r.id);
    return {
      taskId: null,
      taskName: null,
      activityId: null,
      status: r.status,
      instanceId: r.id,
      instanceStatus: r.status,
      flowKey: r.key,
      flowCode: r.code,
      flowName: r.name,
      startedAt: r.started_at,
      createdAt: r.started_at,
      dueAt: null,
      completedAt: r.ended_at,
      outcome: null,
      overdue: mine.some((t) => t.due_at !== null && t.due_at < at),
      currentSteps: mine.map((t) => t.name),
    };
  });
}
