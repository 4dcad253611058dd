import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/**
 * The real server as a child process, for the crash and shutdown tests. The CLI is bundled once with esbuild
 * (a dependency of tsx) so that each of the many restarts takes a second rather than a full TypeScript load.
 * The bundle sits two folders below the repository root, where the modules' `import.meta.dirname/../..`
 * paths (demo/, public/) still resolve.
 */
let bundled: Promise<string> | undefined;

export function serverBundle(): Promise<string> {
  bundled ??= (async () => {
    const { build } = await import('esbuild');
    const dir = resolve('data', `crash-bundle-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, 'cli.mjs');
    await build({
      entryPoints: ['src/cli.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'warning',
      plugins: [
        {
          // packages stay in node_modules (native addons, lazy requires); JSON they import is inlined
          name: 'packages-external',
          setup(b) {
            b.onResolve({ filter: /^[^./]/ }, (a) =>
              a.path.endsWith('.json') ? undefined : { path: a.path, external: true },
            );
          },
        },
      ],
    });
    return outfile;
  })();
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
  const child = spawn(process.execPath, [bundle, 'serve'], {
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
