// Footprint: cold start to first answer and resident memory.
//   npx tsx bench/footprint.ts [--quick]
// Starts, interleaved round by round so that the machine's load falls on each alike, on one existing database:
// - the server as `npm start` runs it: `node --enable-source-maps dist/server/cli.mjs serve` (ADR 0004);
// - the same bundle without --enable-source-maps (what the source maps cost);
// - the server through tsx, `tsx src/cli.ts serve` (how `npm start` ran before ADR 0004);
// - the baseline: a bare Node HTTP server started the same way.
// Then what a start spends its time on: module load (the CLI run without a command loads every module, prints
// its usage and exits), each package's own import, and the steps after the load (bench/startPhases.ts, bundled).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildServer, serverBundle } from '../scripts/build-server.mjs';
import { freePort } from '../test/security/serverProcess.ts';
import { type BenchRow, describeMachine, emit, percentile } from './machine.ts';

const quick = process.argv.includes('--quick');
const rounds = quick ? 3 : 9;
const work = mkdtempSync(join(tmpdir(), 'gk-foot-'));
const dbPath = process.env.GONGKAI_BENCH_DB ?? join(work, 'bench.db');
const serverEnv = {
  ...process.env,
  HOST: '127.0.0.1',
  DATABASE_URL: dbPath,
  LOG_LEVEL: 'warn',
  GONGKAI_ADMIN_PASSWORD: 'Bench-pass-2026',
  GONGKAI_DEMO_PASSWORD: 'Bench-pass-2026',
  GONGKAI_DATA_KEY: randomBytes(32).toString('hex'),
  GONGKAI_UPLOAD_DIR: join(work, 'uploads'),
};
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const bare = "require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT,'127.0.0.1')";

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * CPU time (user + system) spent so far by the live processes of a process group: under a loaded machine the
 * wall time to the first answer swings with the other work, the CPU a start needs much less.
 */
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const fields = statFields(pid);
    if (fields && Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks / ticksPerSecond) * 1000;
}

/** CPU time of the children this process has waited for (all that ran to their end so far). */
function childrenCpuMs(): number {
  const fields = statFields('self');
  return fields ? ((Number(fields[13]) + Number(fields[14])) / ticksPerSecond) * 1000 : Number.NaN;
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces), from `state` on. */
function statFields(pid: string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // ended meanwhile
  }
}

/**
 * `argv` (node when it starts with an option or a file) in its own process group, so that the children of tsx
 * and npm go too when it is killed; what it writes to stderr is kept for the error if it fails.
 */
function spawnGroup(argv: string[], env: NodeJS.ProcessEnv) {
  const [program, ...args] = argv[0] === 'npm' ? argv : [process.execPath, ...argv];
  const child = spawn(program as string, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<void>((done) => child.once('close', () => done()));
  const kill = async () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited;
  };
  const failure = (what: string) => new Error(`${argv.join(' ')} ${what}\n${err}`);
  return { child, exited, kill, output: () => out, failure };
}

/**
 * Milliseconds from spawn to the first 200 at `url` and the CPU time spent by then; with `pages`, the resident
 * memory after that many pages.
 */
async function firstAnswer(
  args: string[],
  url: string,
  pages = 0,
): Promise<{ ms: number; cpuMs: number; rss: number }> {
  const port = await freePort();
  const started = performance.now();
  const { child, kill, failure } = spawnGroup(args, { ...serverEnv, PORT: String(port) });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}${url}`);
        if (res.ok) {
          await res.arrayBuffer();
          break;
        }
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null) throw failure(`exited with ${child.exitCode}`);
      if (performance.now() - started > 60_000) throw failure('did not answer in 60 s');
      await new Promise((r) => setTimeout(r, 5));
    }
    const ms = performance.now() - started;
    const cpuMs = child.pid ? groupCpuMs(child.pid) : Number.NaN;
    for (let i = 0; i < pages; i++) await (await fetch(`http://127.0.0.1:${port}/org/st-zjj`)).arrayBuffer();
    return { ms, cpuMs, rss: pages && child.pid ? rssMiB(child.pid) : Number.NaN };
  } finally {
    await kill();
  }
}

/** Milliseconds from spawn to exit, the CPU time it took, and what it printed. */
async function runToEnd(args: string[]): Promise<{ ms: number; cpuMs: number; out: string }> {
  const started = performance.now();
  const cpuBefore = childrenCpuMs();
  const { child, exited, output, failure } = spawnGroup(args, {
    ...serverEnv,
    PORT: String(await freePort()),
  });
  await exited;
  if (child.exitCode !== 0) throw failure(`exited with ${child.exitCode}`);
  return { ms: performance.now() - started, cpuMs: childrenCpuMs() - cpuBefore, out: output() };
}

// What prestart does, then the up-to-date check it makes at every later start.
await buildServer({ quiet: true });
const probeBundle = resolve('data', 'bench', 'start-phases', 'probe.mjs');
await buildServer({
  force: true,
  quiet: true,
  entry: resolve('bench', 'startPhases.ts'),
  outfile: probeBundle,
});
const packages = [...readFileSync(serverBundle, 'utf8').matchAll(/^import .* from "([^".][^"]*)";$/gm)]
  .map((m) => m[1] as string)
  .filter((p, i, all) => !p.startsWith('node:') && all.indexOf(p) === i);
const importEach = `for (const p of process.argv.slice(1)) { const t = performance.now(); await import(p);
  process.stdout.write(JSON.stringify([p, performance.now() - t]) + '\\n'); }`;

const starts: Record<string, string[]> = {
  bundle: ['--enable-source-maps', serverBundle, 'serve'],
  bundleNoMaps: [serverBundle, 'serve'],
  tsx: [tsxCli, 'src/cli.ts', 'serve'],
  // npm's own start and its shell, with the start script only: the prestart checks are measured apart, and
  // would build the workbench here if it were out of date
  npm: ['npm', 'start', '--ignore-scripts', '--silent'],
};
const loads: Record<string, string[]> = {
  node: ['-e', '0'],
  bundle: ['--enable-source-maps', serverBundle],
  tsx: [tsxCli, 'src/cli.ts'],
};
const samples = new Map<string, number[]>();
const sample = (name: string, value: number) => samples.set(name, [...(samples.get(name) ?? []), value]);
const median = (name: string) =>
  percentile(
    [...(samples.get(name) ?? [])].sort((a, b) => a - b),
    50,
  );

const loadBefore = loadavg()[0] ?? Number.NaN;
// the first start migrates and loads the demo district; every measured start is a later one
await firstAnswer(starts.bundle as string[], '/api/v1/health');
let rss = 0;
for (let round = 0; round < rounds; round++) {
  for (const [name, args] of Object.entries(starts)) {
    const r = await firstAnswer(args, '/api/v1/health', name === 'bundle' ? 50 : 0);
    sample(`start ${name}`, r.ms);
    sample(`cpu ${name}`, r.cpuMs);
    if (name === 'bundle') rss = Math.max(rss, r.rss);
  }
  const b = await firstAnswer(['-e', bare], '/');
  sample('start bare', b.ms);
  sample('cpu bare', b.cpuMs);
  for (const [name, args] of Object.entries(loads)) {
    const r = await runToEnd(args);
    sample(`load ${name}`, r.ms);
    sample(`load cpu ${name}`, r.cpuMs);
  }
  sample('prestart check', (await runToEnd([resolve('scripts', 'build-server.mjs')])).ms);
  const phases = JSON.parse((await runToEnd(['--enable-source-maps', probeBundle])).out) as {
    phases: [string, number][];
  };
  for (const [name, ms] of phases.phases) sample(`phase ${name}`, ms);
  const imports = await runToEnd(['--input-type=module', '-e', importEach, ...packages]);
  for (const line of imports.out.trim().split('\n')) {
    const [name, ms] = JSON.parse(line) as [string, number];
    sample(`import ${name}`, ms);
  }
}

// Resident memory with the 1M-record district of bench/generate.ts (issue 8: ≤ 300 MB at 1M records), when it
// has been generated: the bundle serves it as `npm start` would, and answers a mix of the portal's pages,
// searches and feeds first.
const districtDb = process.env.GONGKAI_BENCH_DISTRICT_DB ?? resolve('data', 'bench', 'district-1000000.db');
let districtRss: { rss: number; pages: number; ms: number } | null = null;
if (!quick && existsSync(districtDb)) {
  const port = await freePort();
  const keyFile = resolve(dirname(districtDb), 'gongkai-data.key');
  const { child, kill, failure } = spawnGroup(['--enable-source-maps', serverBundle, 'serve'], {
    ...serverEnv,
    DATABASE_URL: districtDb,
    PORT: String(port),
    ...(existsSync(keyFile) ? { GONGKAI_DATA_KEY: '', GONGKAI_DATA_KEY_FILE: keyFile } : {}),
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    const started = performance.now();
    for (;;) {
      const ok = await fetch(`${base}/api/v1/health`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) break;
      if (child.exitCode !== null) throw failure(`exited with ${child.exitCode}`);
      if (performance.now() - started > 120_000) throw failure('did not answer in 120 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    const text = async (url: string) => (await fetch(base + url)).text();
    const catalogue = await text('/xxgk/catalogue');
    const records = [...catalogue.matchAll(/href="(\/records\/[^"]+)"/g)].map((m) => m[1] as string);
    const areas = [...(await text('/areas')).matchAll(/href="(\/areas\/[^"/]+)"/g)].map(
      (m) => m[1] as string,
    );
    const mix = [
      '/',
      '/notices',
      '/feeds/all.atom',
      '/xxgk/catalogue?page=50',
      '/search?q=%E4%BD%8F%E6%88%BF',
      '/search?q=%E5%8D%B1%E6%88%BF%E6%94%B9%E9%80%A0',
      '/search?q=%E8%A1%A5%E8%B4%B4&stage=result',
      ...areas.slice(0, 9),
      ...records.slice(0, 20),
    ];
    const t = performance.now();
    let pages = 0;
    for (let i = 0; pages < 50; i++, pages++) await text(mix[i % mix.length] as string);
    districtRss = { rss: child.pid ? rssMiB(child.pid) : Number.NaN, pages, ms: performance.now() - t };
  } finally {
    await kill();
  }
}
const loadAfter = loadavg()[0] ?? Number.NaN;
rmSync(work, { recursive: true, force: true });
rmSync(dirname(probeBundle), { recursive: true, force: true });

const bundleStart = median('start bundle');
const tsxStart = median('start tsx');
const bareStart = median('start bare');
const nodeLoad = median('load node');
const rows: BenchRow[] = [
  {
    measure: 'cold start to first answer, npm start (bundle, source maps on; median)',
    value: bundleStart,
    unit: 'ms',
    baseline: 'bare node http server',
    baselineValue: bareStart,
    ratio: bundleStart / bareStart,
    goal: '≤ 1500 ms',
    met: bundleStart <= 1500,
  },
  {
    measure: 'cold start to first answer through tsx (npm start before ADR 0004; median)',
    value: tsxStart,
    unit: 'ms',
    baseline: 'bare node http server',
    baselineValue: bareStart,
    ratio: tsxStart / bareStart,
  },
  {
    measure: 'bundle start / tsx start',
    value: bundleStart,
    unit: 'ms',
    baseline: 'tsx start',
    baselineValue: tsxStart,
    ratio: bundleStart / tsxStart,
  },
  {
    measure: 'npm start without its prestart checks (npm and its shell around the bundle; median)',
    value: median('start npm'),
    unit: 'ms',
    baseline: 'bundle started directly',
    baselineValue: bundleStart,
    ratio: median('start npm') / bundleStart,
  },
  {
    measure: 'bundle start without --enable-source-maps (median)',
    value: median('start bundleNoMaps'),
    unit: 'ms',
    baseline: 'with source maps',
    baselineValue: bundleStart,
    ratio: median('start bundleNoMaps') / bundleStart,
  },
  {
    measure: 'CPU time to first answer, bundle (median)',
    value: median('cpu bundle'),
    unit: 'ms',
    baseline: 'through tsx (all its processes)',
    baselineValue: median('cpu tsx'),
    ratio: median('cpu bundle') / median('cpu tsx'),
  },
  {
    measure: 'CPU time to first answer, bundle without --enable-source-maps (median)',
    value: median('cpu bundleNoMaps'),
    unit: 'ms',
    baseline: 'with source maps',
    baselineValue: median('cpu bundle'),
    ratio: median('cpu bundleNoMaps') / median('cpu bundle'),
  },
  {
    measure: 'module load, bundle (CLI without a command, minus node -e 0; median)',
    value: median('load bundle') - nodeLoad,
    unit: 'ms',
    baseline: 'through tsx',
    baselineValue: median('load tsx') - nodeLoad,
    ratio: (median('load bundle') - nodeLoad) / (median('load tsx') - nodeLoad),
  },
  {
    measure: 'CPU time of the module load, bundle (minus node -e 0; median)',
    value: median('load cpu bundle') - median('load cpu node'),
    unit: 'ms',
    baseline: 'through tsx',
    baselineValue: median('load cpu tsx') - median('load cpu node'),
    ratio:
      (median('load cpu bundle') - median('load cpu node')) /
      (median('load cpu tsx') - median('load cpu node')),
  },
  { measure: 'node start and exit (node -e 0; median)', value: nodeLoad, unit: 'ms' },
  ...[...samples.keys()]
    .filter((k) => k.startsWith('phase '))
    .map((k) => ({ measure: `after the load: ${k.slice(6)}`, value: median(k), unit: 'ms' })),
  {
    measure: 'packages imported alone, one after another (sum of medians)',
    value: packages.reduce((sum, p) => sum + median(`import ${p}`), 0),
    unit: 'ms',
  },
  { measure: "prestart's check of an up-to-date bundle", value: median('prestart check'), unit: 'ms' },
  { measure: 'resident memory after 50 pages (demo district)', value: rss, unit: 'MiB' },
  ...(districtRss
    ? [
        {
          measure: `resident memory with 1M records, after ${districtRss.pages} pages, searches and feeds`,
          value: districtRss.rss,
          unit: 'MiB',
          goal: '≤ 300 MiB',
          met: districtRss.rss <= 300,
        },
      ]
    : [
        {
          measure: 'resident memory after 50 pages',
          value: rss,
          unit: 'MiB',
          goal: '≤ 300 MiB',
          met: rss <= 300,
        },
      ]),
];
const heaviest = packages
  .map((p) => [p, median(`import ${p}`)] as const)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 8);
emit({
  name: 'footprint',
  rows,
  notes: [
    `${rounds} starts of each kind, interleaved; medians; database ${process.env.GONGKAI_BENCH_DB ?? 'the demo district in a fresh SQLite file'}`,
    `load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`,
    ...(districtRss
      ? [`1M-record district ${districtDb}: ${districtRss.pages} pages in ${Math.round(districtRss.ms)} ms`]
      : []),
    `heaviest package imports (median ms): ${heaviest.map(([p, ms]) => `${p} ${Math.round(ms)}`).join(', ')}`,
    `machine ${describeMachine()}`,
  ],
});
