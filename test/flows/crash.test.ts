import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { systemContext } from '../../src/context.ts';
import { openPostgresStore } from '../../src/store/postgresStore.ts';
import { openSqliteStore } from '../../src/store/sqliteStore.ts';
import type { Store } from '../../src/store/store.ts';
import { backendNames } from '../support/backends.ts';
import { bpmn, flows, importXml, people, start } from './support.ts';

const pgUrl = process.env.GONGKAI_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const child = join(import.meta.dirname, 'crashChild.ts');
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

function runChild(args: string[], killAfterReadyMs: number | null): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const p: ChildProcess = spawn(process.execPath, ['--import', 'tsx', child, ...args], {
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

for (const backend of backendNames) {
  describe(`kill -9 during task completions [${backend}]`, () => {
    let store: Store;
    let args: string[];
    let cleanup: () => Promise<void>;
    if (backend === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'gongkai-crash-'));
      const path = join(dir, 'crash.db');
      store = openSqliteStore({ path });
      args = ['sqlite', path];
      cleanup = async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      };
    } else {
      const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
      store = openPostgresStore({ url: pgUrl, schema, poolSize: 3 });
      args = ['postgres', schema, pgUrl];
      cleanup = async () => {
        await store.close();
        const c = new pg.Client({ connectionString: pgUrl });
        await c.connect();
        await c.query(`drop schema if exists ${schema} cascade`);
        await c.end();
      };
    }
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
