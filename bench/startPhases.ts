// Where a start spends its time after the modules are loaded: the steps of prepareStore and serve
// (src/server/start.ts) one by one, on an existing database, then the first answer. bench/footprint.ts bundles
// this file the way `npm start` bundles the server and runs it in a fresh process; it prints one JSON line.
import { ensureAdmin } from '../src/accounts/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { systemContext } from '../src/context.ts';
import { loadDemo } from '../src/demo/loadDemo.ts';
import { buildApp } from '../src/server/app.ts';
import { openStore } from '../src/store/openStore.ts';

const loaded = performance.now();
const config = loadConfig();
const phases: [string, number][] = [];
let last = loaded;
const mark = (name: string) => {
  const now = performance.now();
  phases.push([name, now - last]);
  last = now;
};

const store = openStore(config.databaseUrl);
await store.migrate();
mark('open store and migrate (nothing to apply)');
const ctx = systemContext(store);
await ensureAdmin(ctx, config.adminPassword);
await loadDemo(ctx, config.demoPassword);
mark('first admin and demo check');
const app = await buildApp({
  store,
  logger: { level: 'warn' },
  portalCacheSeconds: config.portalCacheSeconds,
});
mark('build the Fastify app (routes, portal, static files)');
const address = await app.listen({ port: config.port, host: config.host });
mark('listen');
await (await fetch(`${address}/api/v1/health`)).arrayBuffer();
mark('first answer (/api/v1/health)');
await app.close();
await store.close();
process.stdout.write(`${JSON.stringify({ loaded, phases })}\n`);
