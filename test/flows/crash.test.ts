import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import '../../src/server/apiRoutes.ts'; // every module's automatic steps and hooks, as the server has
import { type Actor, inTransaction, systemContext } from '../../src/context.ts';
import { loadDemo } from '../../src/demo/loadDemo.ts';
import { instanceStarter } from '../../src/flows/instanceStarter.ts';
import { openPostgresStore } from '../../src/store/postgresStore.ts';
import { openSqliteStore } from '../../src/store/sqliteStore.ts';
import type { Store } from '../../src/store/store.ts';
import { backendNames } from '../support/backends.ts';
import { bpmn, flows, importXml, people, start } from './support.ts';

const pgUrl = process.env.GONGKAI_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const child = join(import.meta.dirname, 'crashChild.ts');
const seedChild = join(import.meta.dirname, 'crashSeedChild.ts');
// Enough work that the first child is still busy when its kill comes, however fast the machine is: 240
// completions take well over the longest kill delay (120 ms) even at thousands of commits per second.
const cases = 60;
const kills = 4;

const flow = bpmn(
  'flow-crash',
  `<bpmn:startEvent id="s"/><bpmn:userTask id="a" name="A"/><bpmn:parallelGateway id="fork"/>
   <bpmn:userTask id="b" name="B"/><bpmn:userTask id="c" name="C"/><bpmn:parallelGateway id="join"/>
   <bpmn:userTask id="d" name="D"/><bpmn:endEvent id="e"/>
   ${flows('s>a', 'a>fork', 'fork>b', 'fork>c', 'b>join', 'c>join', 'join>d', 'd>e')}`,
);

function runChild(
  args: string[],
  killAfterReadyMs: number | null,
  script = child,
): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const p: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    p.stderr?.on('data', (d) => {
      err += String(d);
    });
    p.stdout?.on('data', (d) => {
      if (killAfterReadyMs !== null && String(d).includes('ready'))
        setTimeout(() => p.kill('SIGKILL'), killAfterReadyMs);
    });
    p.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`child failed (${code}): ${err.slice(0, 2000)}`));
    });
  });
}

/** A store the test and its children open by name: a SQLite file, or a PostgreSQL schema. */
function crashStore(backend: string): { store: Store; args: string[]; cleanup: () => Promise<void> } {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gongkai-crash-'));
    const path = join(dir, 'crash.db');
    const store = openSqliteStore({ path });
    return {
      store,
      args: ['sqlite', path],
      cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const store = openPostgresStore({ url: pgUrl, schema, poolSize: 3 });
  return {
    store,
    args: ['postgres', schema, pgUrl],
    cleanup: async () => {
      await store.close();
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

for (const backend of backendNames) {
  describe(`kill -9 during task completions [${backend}]`, () => {
    const { store, args, cleanup } = crashStore(backend);
    after(() => cleanup());

    test('no step is lost or done twice when the process is killed at random moments', async () => {
      await store.migrate();
      const ts = { store, ctx: systemContext(store), dispose: async () => {} };
      const p = await people(ts, ['alice', 'bob']);
      await importXml(p.ctx('alice'), flow);
      const ids: string[] = [];
      for (let i = 0; i < cases; i++)
        ids.push((await start(p.ctx(i % 2 ? 'alice' : 'bob'), 'flow-crash')).id);
      let killed = 0;
      for (let i = 0; i < kills; i++) {
        if ((await runChild(args, 10 + Math.floor(Math.random() * 110))) === 'killed') killed++;
      }
      assert.equal(await runChild(args, null), 'finished');
      assert.ok(killed >= 1, 'at least one child was killed mid-run');

      const instances = await store.db
        .selectFrom('process_instances')
        .select(['id', 'status'])
        .where('id', 'in', ids)
        .execute();
      assert.ok(
        instances.every((x) => x.status === 'completed'),
        'every case reached its end',
      );
      const completions = await store.db
        .selectFrom('flow_history')
        .select(['instance_id', 'activity_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('action', '=', 'complete')
        .groupBy(['instance_id', 'activity_id'])
        .execute();
      assert.equal(completions.length, cases * 4, 'each of A, B, C, D completed in every case');
      assert.ok(
        completions.every((c) => Number(c.n) === 1),
        'and each exactly once',
      );
      const tasks = await store.db
        .selectFrom('tasks')
        .select(['status'])
        .where('instance_id', 'in', ids)
        .execute();
      assert.equal(tasks.length, cases * 4, 'no task created twice');
      assert.ok(tasks.every((t) => t.status === 'completed'));
      const tokens = await store.db
        .selectFrom('executions')
        .select('id')
        .where('instance_id', 'in', ids)
        .execute();
      assert.equal(tokens.length, 0, 'no token left behind');
    });
  });
}

/** Who starts each seed flow's cases: the person of the 山亭 registry whose work it is (as in seedFlows.test.ts). */
const seedStarters: Record<string, string> = {
  '00-1': 'wang-hui',
  '00-2': 'zhang-wenzhi',
  '01-1-1': 'cui-gen',
  '01-1-2': 'zhang-wenzhi',
  '01-2-1': 'gan-peng',
  '01-2-2': 'gan-peng',
  '01-3': 'ren-wei',
  '01-6': 'zhang-wenzhi',
  '02-1': 'liu-zhizhu',
  '3-1-1': 'zhang-wenzhi',
  '3-1-2': 'zhang-wenzhi',
  '3-1-3': 'zhang-wenzhi',
  '08-1': 'qi-jijun',
  '11': 'wei-yongshui',
  '12-2': 'wei-yongshui',
  '13': 'he-decheng',
  'zx-1': 'liu-guanghai',
};
const casesPerFlow = 2;

for (const backend of backendNames) {
  describe(`kill -9 while the 17 seed flows are worked [${backend}]`, () => {
    const { store, args, cleanup } = crashStore(backend);
    after(() => cleanup());

    test('every case ends; no task, automatic step or timer is lost or done twice', async () => {
      await store.migrate();
      const ctx = systemContext(store);
      assert.equal((await loadDemo(ctx, 'Demo-pass-2026')).loaded, true);
      const roots: string[] = [];
      for (const [code, who] of Object.entries(seedStarters)) {
        const u = await store.db
          .selectFrom('users')
          .select(['id', 'username', 'display_name', 'role', 'person_id'])
          .where('person_id', '=', `370406-${who}`)
          .executeTakeFirstOrThrow();
        const actor: Actor = {
          userId: u.id,
          username: u.username,
          displayName: u.display_name,
          role: u.role,
          personId: u.person_id,
        };
        for (let i = 0; i < casesPerFlow; i++) {
          const started = await inTransaction({ ...ctx, actor }, (c) =>
            instanceStarter(c, `flow-${code}`, { variables: {} }),
          );
          roots.push(started.id);
        }
      }
      let killed = 0;
      for (let i = 0; i < kills; i++) {
        const delay = 50 + Math.floor(Math.random() * 400);
        if ((await runChild(args, delay, seedChild)) === 'killed') killed++;
      }
      // the killed children were at work: they completed some of the tasks and left the rest
      const progress = await store.db
        .selectFrom('tasks')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('instance_id', 'in', (eb) =>
          eb.selectFrom('process_instances').select('id').where('root_instance_id', 'in', roots),
        )
        .groupBy('status')
        .execute();
      const count = (status: string) => Number(progress.find((r) => r.status === status)?.n ?? 0);
      assert.ok(count('completed') > 0 && count('open') > 0, JSON.stringify(progress));
      assert.equal(await runChild(args, null, seedChild), 'finished');
      assert.ok(killed >= 1, 'at least one child was killed mid-run');

      const cases = await store.db
        .selectFrom('process_instances')
        .select(['id', 'definition_key', 'status'])
        .where('root_instance_id', 'in', roots)
        .execute();
      const ids = cases.map((c) => c.id);
      assert.deepEqual(
        cases.filter((c) => c.status !== 'completed').map((c) => c.definition_key),
        [],
        'every case (and every case it called) reached an end',
      );
      assert.equal(new Set(cases.filter((c) => roots.includes(c.id)).map((c) => c.definition_key)).size, 17);
      for (const table of ['executions', 'timers'] as const) {
        const left = await store.db.selectFrom(table).select('id').where('instance_id', 'in', ids).execute();
        assert.equal(left.length, 0, `nothing left in ${table}`);
      }
      const tasks = await store.db
        .selectFrom('tasks')
        .select(['id', 'status'])
        .where('instance_id', 'in', ids)
        .execute();
      assert.deepEqual(
        tasks.filter((t) => t.status !== 'completed' && t.status !== 'cancelled'),
        [],
        'no task left open',
      );
      const history = await store.db
        .selectFrom('flow_history')
        .select(['instance_id', 'activity_id', 'task_id', 'action', 'detail'])
        .where('root_instance_id', 'in', roots)
        .execute();
      // each completed task has exactly one completion in the history, and every completion is of such a task
      const completions = new Map<string, number>();
      for (const h of history.filter((x) => x.action === 'complete'))
        completions.set(h.task_id ?? '', (completions.get(h.task_id ?? '') ?? 0) + 1);
      const completed = tasks.filter((t) => t.status === 'completed').map((t) => t.id);
      assert.deepEqual([...completions.keys()].sort(), [...completed].sort());
      assert.ok(
        [...completions.values()].every((n) => n === 1),
        'no task completed twice',
      );
      // a timer fires once: its history row names the instant it was due
      const fired = history.filter((x) => ['timerFired', 'timeout', 'timeoutNotice'].includes(x.action));
      const firedKeys = fired.map((x) => `${x.instance_id} ${x.activity_id} ${x.detail}`);
      assert.equal(new Set(firedKeys).size, firedKeys.length, 'no timer fired twice');
      assert.ok(fired.length > 0, 'the statutory periods ran out and moved their cases');
      // an automatic step is done once: each notice published by a case is one 'auto' publishNotice step
      const published = await store.db
        .selectFrom('records')
        .select('id')
        .where('source_process_instance_id', 'in', ids)
        .execute();
      const autoSteps = history.filter(
        (x) => x.action === 'auto' && (x.detail === 'publishNotice' || x.detail === 'createRecord'),
      );
      assert.equal(published.length, autoSteps.length, 'one record per automatic publishing step');
    });
  });
}
