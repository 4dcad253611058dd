// Durable task completions per second on SQLite and PostgreSQL, each beside the raw rate of single-row durable
// commits on the same database in the same run (issue 3 item 10: goal at least half the raw rate), and beside
// the bpmn-engine package running the same flow in memory (no durability at all).
//   npx tsx bench/flows.ts [--quick] [--backend sqlite|postgres]

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from 'bpmn-engine';
import { BpmnModdle } from 'bpmn-moddle';
import { sql } from 'kysely';
import pg from 'pg';
import { userCreator } from '../src/accounts/userCreator.ts';
import { type Context, inTransaction, systemContext } from '../src/context.ts';
import { definitionImporter } from '../src/flows/definitions.ts';
import { instanceStarter } from '../src/flows/instanceStarter.ts';
import { taskCompleter } from '../src/flows/taskActions/complete.ts';
import { newId } from '../src/ids.ts';
import { openPostgresStore } from '../src/store/postgresStore.ts';
import { openSqliteStore } from '../src/store/sqliteStore.ts';
import type { Store } from '../src/store/store.ts';
import { type BenchRow, emit } from './machine.ts';

const quick = process.argv.includes('--quick');
const backendAt = process.argv.indexOf('--backend');
const backendArg = backendAt >= 0 ? process.argv[backendAt + 1] : undefined;
const pgUrl = process.env.GONGKAI_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const steps = 5;
const cases = quick ? 20 : 200;
const rawCommits = quick ? 200 : 2000;

const userTasks = Array.from({ length: steps }, (_, i) => `<bpmn:userTask id="t${i}" name="环节${i}"/>`).join(
  '',
);
const seq = ['s', ...Array.from({ length: steps }, (_, i) => `t${i}`), 'e'];
const flowXml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="https://gongkai.cn/flows">
  <bpmn:process id="flow-bench" name="bench" isExecutable="true">
    <bpmn:startEvent id="s"/>${userTasks}<bpmn:endEvent id="e"/>
    ${seq
      .slice(1)
      .map((t, i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="${seq[i]}" targetRef="${t}"/>`)
      .join('')}
  </bpmn:process>
</bpmn:definitions>`;

interface Opened {
  store: Store;
  close(): Promise<void>;
}

async function open(backend: string): Promise<Opened> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gongkai-bench-'));
    const store = openSqliteStore({ path: join(dir, 'bench.db') });
    await store.migrate();
    return {
      store,
      async close() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const store = openPostgresStore({ url: pgUrl, schema, poolSize: 4 });
  await store.migrate();
  return {
    store,
    async close() {
      await store.close();
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

/**
 * Both rates, measured in alternating slices (a tenth of each at a time) rather than one after the other: on a
 * machine shared with other work the disk's fsync latency drifts within seconds, and measuring the baseline
 * first and the completions a minute later swung the ratio by a factor of two between runs. Each slice
 * times only its own operations; the operations are unchanged.
 */
async function measureRates(store: Store): Promise<{ raw: number; durable: number }> {
  const slices = 10;
  await sql`create table bench_raw (id text primary key, v integer not null)`.execute(store.db);
  const ctx = await benchContext(store);
  await inTransaction(ctx, (c) => definitionImporter(c, flowXml));
  for (let i = 0; i < cases; i++) await inTransaction(ctx, (c) => instanceStarter(c, 'flow-bench'));
  const completionsPerSlice = Math.ceil((cases * steps) / slices);
  let rawMs = 0;
  let durableMs = 0;
  let committed = 0;
  let completed = 0;
  for (let s = 0; s < slices; s++) {
    rawMs += await timed(async () => {
      // single-row inserts, one durable commit each, through the same store and transaction path
      for (const end = Math.round((rawCommits * (s + 1)) / slices); committed < end; committed++) {
        const v = committed;
        await store.transaction((trx) =>
          sql`insert into bench_raw (id, v) values (${newId()}, ${v})`.execute(trx),
        );
      }
    });
    durableMs += await timed(async () => {
      for (const end = completionsPerSlice * (s + 1); completed < end; ) {
        const open = await store.db
          .selectFrom('tasks')
          .select('id')
          .where('status', '=', 'open')
          .limit(end - completed)
          .execute();
        if (!open.length) break;
        for (const task of open) {
          await taskCompleter(ctx, task.id, { outcome: null, opinion: null });
          completed++;
        }
      }
    });
  }
  const left = await store.db.selectFrom('tasks').select('id').where('status', '=', 'open').execute();
  if (left.length) throw new Error(`${left.length} tasks left open`);
  return {
    raw: committed / (rawMs / 1000),
    durable: completed / (durableMs / 1000),
  };
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function benchContext(store: Store): Promise<Context> {
  const base = systemContext(store);
  const user = await inTransaction(base, (c) =>
    userCreator(c, { username: 'bench', displayName: 'bench', role: 'staff', passwordHash: 'x' }),
  );
  return {
    ...base,
    actor: { userId: user.id, username: 'bench', displayName: 'bench', role: 'staff', personId: null },
  };
}

/** The same flow in bpmn-engine, in memory: each user task's wait is signalled at once. */
async function inMemoryRate(): Promise<number> {
  // parse once, as the durable engine compiles a definition once
  const parsed = await new BpmnModdle().fromXML(flowXml);
  const moddleContext = parsed as unknown as NonNullable<
    ConstructorParameters<typeof Engine>[0]
  >['moddleContext'];
  const runOne = async (name: string, onWait: () => void) => {
    const listener = new EventEmitter();
    listener.on('wait', (api: { signal(): void }) => {
      onWait();
      api.signal();
    });
    const engine = new Engine({ name, moddleContext });
    await new Promise<void>((resolve, reject) => {
      engine.once('end', () => resolve());
      engine.once('error', reject);
      engine.execute({ listener }).catch(reject);
    });
  };
  for (let i = 0; i < 3; i++) await runOne(`warm-${i}`, () => undefined);
  let completions = 0;
  const t = performance.now();
  for (let i = 0; i < cases; i++) await runOne(`bench-${i}`, () => completions++);
  return completions / ((performance.now() - t) / 1000);
}

async function reachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

const backends = backendArg ? [backendArg] : ['sqlite', ...((await reachable()) ? ['postgres'] : [])];
const memory = await inMemoryRate();
for (const backend of backends) {
  const db = await open(backend);
  try {
    const { raw, durable } = await measureRates(db.store);
    const rows: BenchRow[] = [
      {
        measure: 'durable task completions',
        value: durable,
        unit: '/s',
        baseline: 'single-row durable commits',
        baselineValue: raw,
        ratio: durable / raw,
        goal: '≥ 0.5',
        met: durable / raw >= 0.5,
      },
      {
        measure: 'durable task completions vs bpmn-engine in memory',
        value: durable,
        unit: '/s',
        baseline: 'bpmn-engine (memory)',
        baselineValue: memory,
        ratio: durable / memory,
      },
    ];
    console.log(
      `${backend}: ${durable.toFixed(0)} completions/s; raw commits ${raw.toFixed(0)}/s (ratio ${(durable / raw).toFixed(2)}); ` +
        `bpmn-engine in memory ${memory.toFixed(0)}/s (ratio ${(durable / memory).toFixed(3)})`,
    );
    emit({
      name: 'flows',
      backend,
      rows,
      notes: [
        `${cases} cases × ${steps} user tasks, completed one per transaction; ${rawCommits} raw commits; the two measured in 10 alternating slices`,
      ],
    });
  } finally {
    await db.close();
  }
}
