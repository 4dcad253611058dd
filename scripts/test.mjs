#!/usr/bin/env node
// The whole test suite: type check, lint, then every *.test.ts under src/ and test/ with Node's test runner,
// on SQLite and on PostgreSQL. Prints which backends ran. Where no PostgreSQL server answers, the run fails
// under CI (or GONGKAI_REQUIRE_PG=1) and is reported loudly otherwise.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const args = process.argv.slice(2);
const quick = args.includes('--no-check');
const only = args.filter((a) => !a.startsWith('--'));
const pgUrl = process.env.GONGKAI_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const requirePg = process.env.CI === 'true' || process.env.GONGKAI_REQUIRE_PG === '1';

function run(cmd, cmdArgs, env = process.env) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env });
  return r.status ?? 1;
}

/** The runner's own summary counts (`ℹ pass N`…), read line by line as they stream past. */
const counts = new Map();
let partial = '';

function readSummaryLines(text) {
  const lines = (partial + text).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) {
    // the summary sits before the list of failing tests, which can be long: never look for it in a tail
    const m = /^ℹ (pass|fail|cancelled) (\d+)$/.exec(line);
    if (m) counts.set(m[1], Number(m[2]));
  }
}

/** Run the test runner, passing its output through and reading its summary. */
function runTests(cmd, cmdArgs, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: ['inherit', 'pipe', 'inherit'], env });
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      readSummaryLines(chunk.toString());
    });
    child.on('close', (code) => {
      readSummaryLines('\n');
      resolve(code ?? 1);
    });
  });
}

async function pgReachable() {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

if (!quick) {
  console.log('» type check (tsc)');
  if (run('npx', ['tsc', '--noEmit']) !== 0) process.exit(1);
  console.log('» lint and format check (biome)');
  if (run('npx', ['biome', 'check', '.']) !== 0) process.exit(1);
}

const reach = await pgReachable();
const backends = ['sqlite'];
if (reach === true) backends.push('postgres');
else if (requirePg) {
  console.error(`\n✖ PostgreSQL is required here but not reachable at ${pgUrl}: ${reach}\n`);
  process.exit(1);
} else {
  console.warn(
    `\n⚠ PostgreSQL not reachable at ${pgUrl} (${reach}): the integration tests run on SQLite ONLY.\n`,
  );
}
console.log(`» backends: ${backends.join(', ')}`);

const files = only.length ? only : [...findTests('src'), ...findTests('test')].sort();
const status = await runTests(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    // a test that hangs fails after 10 minutes instead of holding CI until its own limit, and a file whose
    // tests are done exits even if a handle (a socket, a browser) is still open
    '--test-timeout=600000',
    '--test-force-exit',
    '--test-reporter=spec',
    ...files,
  ],
  { ...process.env, GONGKAI_TEST_BACKENDS: backends.join(','), GONGKAI_TEST_PG: pgUrl, NODE_ENV: 'test' },
);
console.log(`» backends that ran: ${backends.join(', ')}`);
// the closing line CI reads, from the runner's own summary
const count = (name) => counts.get(name) ?? 0;
// a runner that died before its summary has passed nothing that can be counted: say so rather than "0 failed"
if (status !== 0 && !counts.has('fail')) counts.set('fail', 1);
console.log(`${count('pass')} passed, ${count('fail') + count('cancelled')} failed`);
process.exit(status);
