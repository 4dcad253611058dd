#!/usr/bin/env node
// Bundles the server (src/cli.ts) into dist/server/cli.mjs with esbuild (installed with tsx), so that `npm start`
// runs plain JavaScript rather than transpiling every TypeScript module at each start (ADR 0004).
// `node scripts/build-server.mjs` builds only when the bundle is missing or older than a file under src/ (or the
// installed packages, or this script), so that `npm start` (prestart) can call it every time; `--force` always
// builds. The bundle and its source map are written beside their final names and renamed into place, so a
// server starting while another build runs never reads half a bundle.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const thisScript = fileURLToPath(import.meta.url);
const root = resolve(dirname(thisScript), '..');
export const serverEntry = join(root, 'src', 'cli.ts');
export const serverBundle = join(root, 'dist', 'server', 'cli.mjs');

/**
 * The latest modification under `path`. Folders count too: a deleted or renamed file changes its folder, which is
 * also why a file gone between the listing and its stat (an editor's swap file) is passed over.
 */
function latestChange(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let latest = s.mtimeMs;
  for (const name of readdirSync(path, { recursive: true })) {
    const entry = statSync(join(path, name), { throwIfNoEntry: false });
    if (entry) latest = Math.max(latest, entry.mtimeMs);
  }
  return latest;
}

/** True when the bundle (or its source map) is missing or older than src/, package-lock.json or this script. */
export function serverBundleIsStale(outfile = serverBundle) {
  if (!existsSync(outfile) || !existsSync(`${outfile}.map`)) return true;
  const built = statSync(outfile).mtimeMs;
  return [join(root, 'src'), join(root, 'package-lock.json'), thisScript]
    .filter((p) => existsSync(p))
    .some((p) => latestChange(p) > built);
}

const metaProperty = /\bimport\.meta\.(dirname|filename|url)\b/g;

/**
 * Modules find their data beside themselves (`import.meta.dirname/../../demo`, `./gk-review.bpmn`). In one bundle
 * every module would share the bundle's location, so each module's `import.meta.dirname|filename|url` is
 * rewritten to its own source file, reached from wherever the bundle sits at run time (the repository can move).
 */
function sourceLocations(outdir) {
  return {
    name: 'source-locations',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (a) => {
        if (a.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const rel = relative(outdir, a.path).split(sep).map(encodeURIComponent).join('/');
        const url = `new URL(${JSON.stringify(rel)}, import.meta.url)`;
        const replacement = {
          url: `${url}.href`,
          filename: `__gkSourcePath(${url})`,
          dirname: `__gkSourceDir(__gkSourcePath(${url}))`,
        };
        const contents = readFileSync(a.path, 'utf8').replace(metaProperty, (_, p) => replacement[p]);
        return { contents, loader: 'ts' };
      });
    },
  };
}

/** Packages stay in node_modules (native addons, lazy requires, their own data files); JSON they hold is inlined. */
const packagesExternal = {
  name: 'packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (a) =>
      a.path.endsWith('.json') ? undefined : { path: a.path, external: true },
    );
  },
};

/**
 * Bundle `entry` into `outfile` (with `outfile.map`). `outfile` must lie inside the repository, so that the
 * packages left external resolve from its node_modules.
 */
export async function buildServer({
  force = false,
  quiet = false,
  entry = serverEntry,
  outfile = serverBundle,
} = {}) {
  if (!force && !serverBundleIsStale(outfile)) {
    if (!quiet) console.log(`» server bundle is up to date (${relative(root, outfile)})`);
    return { built: false, ms: 0, outfile };
  }
  // the bundle is stamped with the moment its sources were read, so an edit made during the build makes it stale
  const started = new Date();
  const { build } = await import('esbuild');
  const outdir = dirname(outfile);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    write: false,
    sourcemap: 'linked',
    // stack traces name the .ts lines (node --enable-source-maps); the sources themselves stay in src/
    sourcesContent: false,
    keepNames: true,
    banner: {
      js: "import { dirname as __gkSourceDir } from 'node:path'; import { fileURLToPath as __gkSourcePath } from 'node:url';",
    },
    logLevel: quiet ? 'error' : 'warning',
    plugins: [packagesExternal, sourceLocations(outdir)],
  });
  mkdirSync(outdir, { recursive: true });
  const files = result.outputFiles.sort((a, b) => Number(a.path === outfile) - Number(b.path === outfile));
  for (const file of files) {
    const tmp = `${file.path}.tmp-${process.pid}`;
    writeFileSync(tmp, file.contents);
    utimesSync(tmp, started, started);
    renameSync(tmp, file.path);
  }
  const ms = Date.now() - started.getTime();
  if (!quiet) console.log(`» server bundled into ${relative(root, outfile)} in ${(ms / 1000).toFixed(1)} s`);
  return { built: true, ms, outfile };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildServer({ force: process.argv.includes('--force') });
}
