import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { buildServer } from '../../scripts/build-server.mjs';

/**
 * The real server as a child process, for the crash and shutdown tests. The CLI is bundled once, as `npm start`
 * bundles it (scripts/build-server.mjs), so that each of the many restarts takes a second rather than a full
 * TypeScript load. The bundle goes to a folder of this process under data/ (the tests remove it), not to
 * dist/server, so that a test run never replaces the bundle a developer's server starts from.
 */
let bundled: Promise<string> | undefined;

export function serverBundle(): Promise<string> {
  bundled ??= buildServer({
    force: true,
    quiet: true,
    outfile: resolve('data', `server-bundle-${process.pid}`, 'cli.mjs'),
  }).then((b) => b.outfile);
  return bundled;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => done(port));
    });
    srv.on('error', fail);
  });
}

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServer(env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<ServerProcess> {
  const bundle = await serverBundle();
  const port = await freePort();
  // as `npm start` runs it: a stack trace in the output names the .ts lines
  const child = spawn(process.execPath, ['--enable-source-maps', bundle, 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void exited.then(() => {
    dead = true;
  });
  for (;;) {
    if (dead) throw new Error(`server exited during start:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready in time:\n${out}`);
    }
    try {
      const res = await fetch(`${base}/api/v1/ready`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, base, output: () => out, exited };
}
