// npm run bench [-- --quick]: every benchmark in its own process, each figure beside its baseline from the same
// run, the results appended to docs/benchmarks.md with the date, the command and the machine.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type BenchResult, describeMachine } from './machine.ts';

const quick = process.argv.includes('--quick');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const pgUrl = process.env.GONGKAI_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function pgReachable(): Promise<boolean> {
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

/** The suite, in order. Each script accepts --quick and --backend. */
const suite: { name: string; file: string; backends: boolean }[] = [
  { name: 'generate', file: 'bench/generate.ts', backends: true },
  { name: 'flows', file: 'bench/flows.ts', backends: true },
  // portal pages vs nginx, and search p50/p95 vs a LIKE scan
  { name: 'portal', file: 'bench/portal.ts', backends: false },
  { name: 'footprint', file: 'bench/footprint.ts', backends: false },
];

const backends = ['sqlite', ...((await pgReachable()) ? ['postgres'] : [])];
const machine = describeMachine();
console.log(`machine: ${machine}\nbackends: ${backends.join(', ')}${quick ? '\nmode: quick' : ''}`);

const results: BenchResult[] = [];
const failures: string[] = [];
for (const b of suite) {
  if (only.length && !only.includes(b.name)) continue;
  if (!existsSync(b.file)) {
    failures.push(`${b.name}: ${b.file} not present`);
    continue;
  }
  for (const backend of b.backends ? backends : ['sqlite']) {
    console.log(`\n» ${b.name}${b.backends ? ` [${backend}]` : ''}`);
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', b.file, ...(quick ? ['--quick'] : []), '--backend', backend],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, GONGKAI_BENCH_PG: pgUrl },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    for (const line of r.stdout.split('\n')) {
      if (line.startsWith('BENCH_JSON ')) results.push(JSON.parse(line.slice(11)) as BenchResult);
      else if (line.trim()) console.log(`  ${line}`);
    }
    if (r.status !== 0) failures.push(`${b.name} [${backend}] exited ${r.status}`);
  }
}

const fmt = (n: number | undefined) =>
  n === undefined || Number.isNaN(n)
    ? ''
    : Math.abs(n) >= 100
      ? Math.round(n).toLocaleString('en')
      : n.toFixed(2);
const lines = [
  `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — \`npm run bench${quick ? ' -- --quick' : ''}\``,
  '',
  `Machine: ${machine}.`,
  '',
  '| benchmark | backend | measure | value | baseline (same run) | ratio | goal | met |',
  '|---|---|---|---|---|---|---|---|',
  ...results.flatMap((r) =>
    r.rows.map(
      (row) =>
        `| ${r.name} | ${r.backend ?? ''} | ${row.measure} | ${fmt(row.value)} ${row.unit} | ${row.baseline ? `${row.baseline}: ${fmt(row.baselineValue)}` : ''} | ${fmt(row.ratio)} | ${row.goal ?? ''} | ${row.met === undefined ? '' : row.met ? 'yes' : '**no**'} |`,
    ),
  ),
  '',
  ...results.flatMap((r) =>
    (r.notes ?? []).map((n) => `- ${r.name}${r.backend ? ` [${r.backend}]` : ''}: ${n}`),
  ),
  ...failures.map((f) => `- not measured: ${f}`),
  '',
];
console.log(`\n${lines.join('\n')}`);
const file = join('docs', 'benchmarks.md');
const head =
  '# Benchmarks\n\nEach run of `npm run bench` appends a section; newest last. Ratios compare a figure with its baseline measured in the same run on the same machine.\n\n';
const previous = existsSync(file) ? readFileSync(file, 'utf8') : head;
writeFileSync(file, `${previous.trimEnd()}\n\n${lines.join('\n')}`);
console.log(`written to ${file}`);
process.exit(failures.some((f) => f.includes('exited')) ? 1 : 0);
