import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../src/store/store.ts';

/**
 * The flow part of the crash test's load (issue 7 item 6: "no step is done twice, no timer is stuck"): cases
 * of fixtures/timed-case.bpmn started and their tasks completed over the API while the server's own timer
 * scheduler fires the one-second timers, and the checks of what the database holds after each kill.
 */

export const timedFlowKey = 'crash-timed';
const timedFlowXml = readFileSync(join(import.meta.dirname, 'fixtures', 'timed-case.bpmn'), 'utf8');

export interface Api {
  base: string;
  headers: Record<string, string>;
}

/** What the load sent and what the server acknowledged, kept across kills. */
export interface FlowLedger {
  /** Case id → business key, for every start answered 201. */
  cases: Map<string, string>;
  /** Task id → opinion, for every completion sent (answered or not). */
  sentCompletions: Map<string, string>;
  /** Task ids whose completion was answered 200. */
  ackedCompletions: Set<string>;
}

export const newFlowLedger = (): FlowLedger => ({
  cases: new Map(),
  sentCompletions: new Map(),
  ackedCompletions: new Set(),
});

export async function deployTimedFlow(api: Api): Promise<void> {
  const res = await fetch(`${api.base}/api/v1/process-definitions`, {
    method: 'POST',
    headers: api.headers,
    body: JSON.stringify({ xml: timedFlowXml }),
  });
  assert.equal(res.status, 201, await res.clone().text());
}

async function complete(api: Api, taskId: string, opinion: string): Promise<Response> {
  return fetch(`${api.base}/api/v1/tasks/${taskId}/complete`, {
    method: 'POST',
    headers: api.headers,
    body: JSON.stringify({ opinion }),
  });
}

/**
 * One worker of the load: start a case, then complete up to two of the open tasks, until stopped or the server
 * dies under it. A refusal (any answer but success) fails the test: nothing here is a user's mistake.
 */
export async function caseWorker(api: Api, ledger: FlowLedger, stopped: () => boolean): Promise<void> {
  let n = 0;
  while (!stopped()) {
    try {
      const businessKey = `crash-${process.pid}-${Date.now()}-${++n}`;
      const started = await fetch(`${api.base}/api/v1/process-definitions/${timedFlowKey}/instances`, {
        method: 'POST',
        headers: api.headers,
        body: JSON.stringify({ businessKey }),
      });
      assert.equal(started.status, 201, await started.clone().text());
      ledger.cases.set(((await started.json()) as { id: string }).id, businessKey);

      const inbox = await fetch(`${api.base}/api/v1/tasks?view=open`, { headers: api.headers });
      assert.equal(inbox.status, 200, await inbox.clone().text());
      const open = ((await inbox.json()) as { items: { taskId: string | null; flowKey: string }[] }).items
        .filter((i) => i.flowKey === timedFlowKey && i.taskId && !ledger.sentCompletions.has(i.taskId))
        .map((i) => i.taskId as string);
      for (let k = 0; k < 2 && open.length && !stopped(); k++) {
        const [taskId] = open.splice(randomInt(open.length), 1) as [string];
        const opinion = `已办理 ${taskId}`;
        ledger.sentCompletions.set(taskId, opinion);
        const res = await complete(api, taskId, opinion);
        assert.equal(res.status, 200, await res.clone().text());
        ledger.ackedCompletions.add(taskId);
      }
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      return; // the connection died with the server
    }
  }
}

/**
 * After a restart, send again every completion that was not answered. Completing is idempotent: a completion
 * that was committed before the kill answers as the first did and writes nothing; one that was not runs now.
 */
export async function retryCompletions(api: Api, ledger: FlowLedger): Promise<void> {
  for (const [taskId, opinion] of ledger.sentCompletions) {
    if (ledger.ackedCompletions.has(taskId)) continue;
    const res = await complete(api, taskId, opinion);
    assert.equal(res.status, 200, `retried completion of ${taskId}: ${await res.clone().text()}`);
    ledger.ackedCompletions.add(taskId);
  }
}

interface FlowState {
  instances: { id: string; business_key: string | null; status: string }[];
  tasks: {
    id: string;
    instance_id: string;
    activity_id: string;
    status: string;
    completed_by: string | null;
  }[];
  timers: {
    instance_id: string;
    activity_id: string;
    due_at: string;
    attempts: number;
    last_error: string | null;
  }[];
  history: {
    instance_id: string;
    activity_id: string | null;
    task_id: string | null;
    action: string;
    opinion: string | null;
  }[];
}

async function readFlowState(db: Db): Promise<FlowState> {
  // one snapshot (REPEATABLE READ on PostgreSQL; a SQLite read transaction is one by itself), so that a timer's
  // deletion and the step it triggered are seen together while the server's scheduler goes on firing
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const instances = await trx
        .selectFrom('process_instances')
        .select(['id', 'business_key', 'status'])
        .where('definition_key', '=', timedFlowKey)
        .execute();
      const ids = trx.selectFrom('process_instances').select('id').where('definition_key', '=', timedFlowKey);
      return {
        instances,
        tasks: await trx
          .selectFrom('tasks')
          .select(['id', 'instance_id', 'activity_id', 'status', 'completed_by'])
          .where('instance_id', 'in', ids)
          .execute(),
        timers: await trx
          .selectFrom('timers')
          .select(['instance_id', 'activity_id', 'due_at', 'attempts', 'last_error'])
          .where('instance_id', 'in', ids)
          .execute(),
        history: await trx
          .selectFrom('flow_history')
          .select(['instance_id', 'activity_id', 'task_id', 'action', 'opinion'])
          .where('instance_id', 'in', ids)
          .execute(),
      };
    });
}

const countBy = <T>(rows: T[], key: (r: T) => string): Map<string, number> => {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + 1);
  return out;
};

export interface FlowFigures {
  cases: number;
  completions: number;
  timersFired: number;
  remindersFired: number;
  timersPending: number;
}

/**
 * What must hold after every kill, read from the database. A step is one transaction (timerFiring.ts,
 * taskActions), so a case is always wholly before or wholly after each of its steps:
 * - every acknowledged case and completion is there, the completion with its opinion, written once;
 * - no case was started twice for one business key and no task made twice for one step of a case (the flow
 *   has no loop, so each user task stands at most once in a case);
 * - each timer either waits (its row) or has fired (its history row), never both, never twice, and the step
 *   after it happened exactly when it fired: the review task exists if and only if the wait timer fired;
 * - no timer failed (a failure would leave `last_error` and, repeated, a timer nobody fires any more).
 */
export async function checkFlowState(db: Db, ledger: FlowLedger, when: string): Promise<FlowFigures> {
  const s = await readFlowState(db);
  const present = new Map(s.instances.map((i) => [i.id, i]));
  for (const [id, key] of ledger.cases)
    assert.equal(present.get(id)?.business_key, key, `case ${key} acknowledged ${when}`);
  for (const [key, n] of countBy(s.instances, (i) => String(i.business_key)))
    assert.equal(n, 1, `case ${key} started once ${when}`);

  for (const [step, n] of countBy(s.tasks, (t) => `${t.instance_id} ${t.activity_id}`))
    assert.equal(n, 1, `one task for the step ${step} ${when}`);
  const completions = countBy(
    s.history.filter((h) => h.action === 'complete'),
    (h) => String(h.task_id),
  );
  const tasks = new Map(s.tasks.map((t) => [t.id, t]));
  for (const taskId of ledger.ackedCompletions) {
    assert.equal(tasks.get(taskId)?.status, 'completed', `completion of ${taskId} acknowledged ${when}`);
    assert.equal(completions.get(taskId), 1, `completion of ${taskId} written once ${when}`);
    const row = s.history.find((h) => h.action === 'complete' && h.task_id === taskId);
    assert.equal(row?.opinion, ledger.sentCompletions.get(taskId));
  }
  for (const [taskId, n] of completions) assert.equal(n, 1, `task ${taskId} completed once ${when}`);

  const fired = countBy(
    s.history.filter((h) => h.action === 'timerFired' || h.action === 'timeoutNotice'),
    (h) => `${h.instance_id} ${h.activity_id}`,
  );
  const waiting = countBy(s.timers, (t) => `${t.instance_id} ${t.activity_id}`);
  const taskAt = new Map(s.tasks.map((t) => [`${t.instance_id} ${t.activity_id}`, t]));
  for (const { id } of s.instances) {
    const f = (activity: string) => fired.get(`${id} ${activity}`) ?? 0;
    const w = (activity: string) => waiting.get(`${id} ${activity}`) ?? 0;
    const register = taskAt.get(`${id} register`);
    const review = taskAt.get(`${id} review`);
    assert.ok(register, `case ${id} has its first task ${when}`);
    assert.ok(f('wait') <= 1 && f('remind') <= 1, `case ${id}: no timer fired twice ${when}`);
    assert.equal(
      f('wait') + w('wait'),
      register.status === 'completed' ? 1 : 0,
      `case ${id}: the wait timer exists once the task before it is done, and fires once ${when}`,
    );
    assert.equal(Boolean(review), f('wait') === 1, `case ${id}: review follows the timer exactly ${when}`);
    if (review?.status === 'open')
      assert.equal(f('remind') + w('remind'), 1, `case ${id}: the reminder waits or fired, once ${when}`);
    else assert.equal(w('remind'), 0, `case ${id}: no reminder left behind a done review ${when}`);
    const expected = review?.status === 'completed' ? 'completed' : 'running';
    assert.equal(present.get(id)?.status, expected, `case ${id} status ${when}`);
  }
  for (const t of s.timers)
    assert.equal(t.last_error, null, `timer ${t.activity_id} of ${t.instance_id} failed ${when}`);

  return {
    cases: s.instances.length,
    completions: completions.size,
    timersFired: [...fired].filter(([k]) => k.endsWith(' wait')).length,
    remindersFired: [...fired].filter(([k]) => k.endsWith(' remind')).length,
    timersPending: s.timers.length,
  };
}

/**
 * Wait until every timer of the load has fired: with no more load, each is due a second after its step and the
 * server's scheduler fires it, or — when a kill left it claimed — fires it once the claim's lease has run out.
 * Returns the timers still there when `withinMs` ran out (none, when nothing is stuck).
 */
export async function waitForTimers(
  db: Db,
  withinMs: number,
): Promise<{ activity_id: string; due_at: string }[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const left = await db
      .selectFrom('timers')
      .innerJoin('process_instances', 'process_instances.id', 'timers.instance_id')
      .select(['timers.activity_id', 'timers.due_at'])
      .where('process_instances.definition_key', '=', timedFlowKey)
      .execute();
    if (!left.length || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 200));
  }
}
