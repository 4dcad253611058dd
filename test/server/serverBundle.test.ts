import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { buildServer, serverBundleIsStale } from '../../scripts/build-server.mjs';
import { demoDir } from '../../src/demo/loadDemo.ts';
import { reviewFlowXml } from '../../src/disclosure/reviewFlow.ts';
import { demoFlowsDir } from '../../src/flows/demoFlows.ts';
import { publicDir } from '../../src/portal/static.ts';
import { workbenchDir } from '../../src/server/workbench.ts';
import { serverBundle, startServer } from '../security/serverProcess.ts';
import { databaseUrlOf } from '../security/support.ts';
import { backendNames, freshStore } from '../support/backends.ts';

// `npm start` runs the server from a bundle built by scripts/build-server.mjs (ADR 0004). These tests build it
// with that same function (into a folder of this process under data/, as the crash tests do) and run it.

after(async () => {
  rmSync(dirname(await serverBundle()), { recursive: true, force: true });
});

const lineOf = (file: string, start: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.startsWith(start)) + 1;

describe('the prebuilt server bundle (npm start)', () => {
  test('is rebuilt when a source is newer than the bundle, and only then', async () => {
    const bundle = await serverBundle();
    assert.ok(existsSync(`${bundle}.map`), 'the source map is written beside the bundle');
    assert.equal(serverBundleIsStale(bundle), false);
    assert.equal((await buildServer({ quiet: true, outfile: bundle })).built, false);
    // a bundle older than src/ (as after a pull or an edit) is stale
    const before = new Date('2020-01-01T00:00:00Z');
    utimesSync(bundle, before, before);
    assert.equal(serverBundleIsStale(bundle), true);
    assert.equal((await buildServer({ quiet: true, outfile: bundle })).built, true);
    assert.equal(serverBundleIsStale(bundle), false);
  });

  test('bundled modules find their files beside their sources; stack traces name the .ts lines', async () => {
    const { outfile } = await buildServer({
      force: true,
      quiet: true,
      entry: resolve('test', 'server', 'bundledLocations.ts'),
      outfile: join(dirname(await serverBundle()), 'locations.mjs'),
    });
    const run = spawnSync(process.execPath, ['--enable-source-maps', outfile], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const seen = JSON.parse(run.stdout) as Record<string, string>;
    assert.deepEqual(
      {
        demoDir: seen.demoDir,
        demoFlowsDir: seen.demoFlowsDir,
        publicDir: seen.publicDir,
        workbenchDir: seen.workbenchDir,
      },
      { demoDir, demoFlowsDir, publicDir, workbenchDir },
    );
    // src/disclosure/gk-review.bpmn is read from beside its module, one folder deep rather than two
    assert.equal(seen.reviewFlowXml, reviewFlowXml());
    const errorsLine = lineOf('src/errors.ts', 'export const notFound');
    assert.ok(errorsLine > 0);
    assert.match(seen.stack ?? '', new RegExp(`src/errors\\.ts:${errorsLine}:`));
    assert.match(seen.stack ?? '', /test\/server\/bundledLocations\.ts:\d+:/);
  });

  for (const backend of backendNames) {
    // The demo files are read alike on either database; loading the district is the slow part of a first start,
    // so it is loaded once, on SQLite, and PostgreSQL starts empty.
    const demo = backend === 'sqlite';
    test(`the bundled server answers /api/v1/health and serves the portal from public/${demo ? ' and demo/' : ''} [${backend}]`, async () => {
      const ts = await freshStore(backend);
      const server = await startServer({
        DATABASE_URL: databaseUrlOf(ts),
        GONGKAI_DEMO: demo ? '1' : '0',
        GONGKAI_ADMIN_PASSWORD: 'Bundle-test-2026',
        GONGKAI_DEMO_PASSWORD: 'Bundle-test-2026',
        GONGKAI_DATA_KEY: 'a'.repeat(64),
        LOG_LEVEL: 'warn',
      });
      try {
        const health = await fetch(`${server.base}/api/v1/health`);
        assert.equal(health.status, 200);
        assert.deepEqual(await health.json(), { status: 'ok', database: backend });
        const home = await fetch(`${server.base}/`);
        assert.equal(home.status, 200);
        assert.match(await home.text(), /<link rel="stylesheet" href="\/static\/portal\.css">/);
        const css = await fetch(`${server.base}/static/portal.css`);
        assert.equal(css.status, 200);
        assert.equal(await css.text(), readFileSync(join(publicDir, 'portal.css'), 'utf8'));
        if (demo) {
          // demo/registry/shanting.yaml, loaded at the first start
          const org = await fetch(`${server.base}/org/st-zjj`);
          assert.equal(org.status, 200);
          assert.match(await org.text(), /山亭区住房和城乡建设局/);
          // demo/disclosure/records.yaml, read by the disclosure module's demo loader
          const documents = await fetch(`${server.base}/xxgk/documents`);
          assert.equal(documents.status, 200);
          assert.match(await documents.text(), /温瓯政发〔2024〕15号/);
        }
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
        await ts.dispose();
      }
    });
  }
});
