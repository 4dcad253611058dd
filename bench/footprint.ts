// Footprint: cold start to first answer and resident memory, beside a bare Node HTTP server started the same way.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMachine, emit, percentile } from './machine.ts';

const quick = process.argv.includes('--quick');
const runs = quick ? 3 : 7;
const dbPath = process.env.GONGKAI_BENCH_DB ?? join(mkdtempSync(join(tmpdir(), 'gk-foot-')), 'bench.db');

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function firstAnswer(args: string[], port: number, url: string): Promise<{ ms: number; rss: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: dbPath,
      LOG_LEVEL: 'warn',
      GONGKAI_ADMIN_PASSWORD: 'Bench-pass-2026',
      GONGKAI_DEMO_PASSWORD: 'Bench-pass-2026',
    },
    stdio: 'ignore',
  });
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
      if (performance.now() - started > 60_000) throw new Error(`no answer from ${args.join(' ')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const ms = performance.now() - started;
    for (let i = 0; i < 50; i++)
      await (await fetch(`http://127.0.0.1:${port}/org/st-zjj`)).arrayBuffer().catch(() => null);
    return { ms, rss: child.pid ? rssMiB(child.pid) : Number.NaN };
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
}

const bare = "require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT,'127.0.0.1')";
// first start migrates and loads the demo; measured starts are the later ones, on an existing database
await firstAnswer(['--import', 'tsx', 'src/cli.ts', 'serve'], 4311, '/api/v1/health');
const app: number[] = [];
const base: number[] = [];
let rss = 0;
for (let i = 0; i < runs; i++) {
  const a = await firstAnswer(['--import', 'tsx', 'src/cli.ts', 'serve'], 4312, '/api/v1/health');
  app.push(a.ms);
  rss = Math.max(rss, a.rss);
  base.push((await firstAnswer(['-e', bare], 4313, '/')).ms);
}
app.sort((a, b) => a - b);
base.sort((a, b) => a - b);
const appMedian = percentile(app, 50);
const baseMedian = percentile(base, 50);
emit({
  name: 'footprint',
  rows: [
    {
      measure: 'cold start to first answer (median)',
      value: appMedian,
      unit: 'ms',
      baseline: 'bare node http server',
      baselineValue: baseMedian,
      ratio: appMedian / baseMedian,
      goal: '≤ 1500 ms',
      met: appMedian <= 1500,
    },
    {
      measure: 'resident memory after 50 pages',
      value: rss,
      unit: 'MiB',
      goal: '≤ 300 MiB',
      met: rss <= 300,
    },
  ],
  notes: [`database ${dbPath}`, `machine ${describeMachine()}`],
});
