#!/usr/bin/env node
// Builds the staff workbench (src/workbench, React + Ant Design) into dist/workbench with Vite.
// `node scripts/build-workbench.mjs` builds only when the output is missing or older than its sources, so that
// `npm start` (prestart) and the browser test can call it every time; `--force` always builds.
// The build goes to a temporary folder that is renamed into place, so a server reading dist/workbench while
// another build runs never sees half a build.
import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const workbenchSource = join(root, 'src', 'workbench');
export const workbenchOutput = join(root, 'dist', 'workbench');
const stampName = '.build-stamp';

function newestMtime(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** True when dist/workbench is missing or older than src/workbench or the installed packages. */
export function workbenchIsStale() {
  const stamp = join(workbenchOutput, stampName);
  if (!existsSync(stamp) || !existsSync(join(workbenchOutput, 'index.html'))) return true;
  const built = statSync(stamp).mtimeMs;
  const inputs = [workbenchSource, join(root, 'package-lock.json')].filter((p) => existsSync(p));
  return inputs.some((p) => newestMtime(p) > built);
}

export async function buildWorkbench({ force = false, quiet = false } = {}) {
  if (!force && !workbenchIsStale()) {
    if (!quiet) console.log('» workbench is up to date (dist/workbench)');
    return { built: false, ms: 0 };
  }
  const started = Date.now();
  // The test runner sets NODE_ENV=test, which would give React's and Ant Design's development builds
  process.env.NODE_ENV = 'production';
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  const tmp = `${workbenchOutput}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  await build({
    root: workbenchSource,
    base: '/workbench/',
    configFile: false,
    mode: 'production',
    logLevel: quiet ? 'warn' : 'info',
    plugins: [react()],
    build: {
      outDir: tmp,
      emptyOutDir: true,
      target: 'es2022',
      // antd and bpmn-js are large by nature; the diagram viewer is loaded on demand.
      chunkSizeWarningLimit: 2000,
      rollupOptions: {
        output: {
          manualChunks: (id) =>
            id.includes('node_modules/') && /[\\/](antd|@ant-design|rc-)/.test(id) ? 'antd' : undefined,
        },
      },
    },
  });
  writeFileSync(join(tmp, stampName), new Date().toISOString());
  rmSync(workbenchOutput, { recursive: true, force: true });
  renameSync(tmp, workbenchOutput);
  const ms = Date.now() - started;
  if (!quiet) console.log(`» workbench built into dist/workbench in ${(ms / 1000).toFixed(1)} s`);
  return { built: true, ms };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildWorkbench({ force: process.argv.includes('--force') });
}
