import pino from 'pino';
import { ensureAdmin } from '../accounts/bootstrap.ts';
import { type Config, loadConfig } from '../config.ts';
import { systemContext } from '../context.ts';
import { loadDemo } from '../demo/loadDemo.ts';
import { startTimerScheduler } from '../flows/timerScheduler.ts';
import { openStore } from '../store/openStore.ts';
import type { Store } from '../store/store.ts';
import { buildApp } from './app.ts';
import { startPeriodicJobs } from './periodicJobs.ts';

/** Open the store, migrate, create the first admin, load the demo district if empty. */
export async function prepareStore(config: Config, log: pino.Logger): Promise<Store> {
  const store = openStore(config.databaseUrl);
  await store.migrate();
  const ctx = systemContext(store);
  const admin = await ensureAdmin(ctx, config.adminPassword);
  if (admin.generated) {
    // printed once, to the terminal only; it is not kept anywhere in clear
    process.stdout.write(
      `\n  管理员账号 admin 的初始密码（仅显示一次，首次登录后须修改）：${admin.generated}\n\n`,
    );
  }
  if (config.loadDemo) {
    const demo = await loadDemo(ctx, config.demoPassword);
    for (const line of demo.summary) log.info(line);
    if (demo.generatedDemoPassword) {
      process.stdout.write(
        `  演示账号（用户名为姓名拼音，如 sunhonghu）的共同密码（仅显示一次）：${demo.generatedDemoPassword}\n\n`,
      );
    }
  }
  return store;
}

export async function serve(config: Config = loadConfig()): Promise<void> {
  const log = pino({ level: config.logLevel });
  const started = performance.now();
  const store = await prepareStore(config, log);
  const app = await buildApp({
    store,
    logger: { level: config.logLevel },
    portalCacheSeconds: config.portalCacheSeconds,
    securityContact: config.securityContact,
  });
  const address = await app.listen({ port: config.port, host: config.host });
  const timers = startTimerScheduler(store, {
    leaseMs: config.timerLeaseSeconds * 1000,
    onError: (err, timerId) => log.error({ err, timerId }, 'timer failed'),
  });
  const periodic = startPeriodicJobs(store, log);
  log.info(
    `Gongkai listening on ${address} (${store.description}), ready in ${Math.round(performance.now() - started)} ms`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: finishing requests in flight, then closing`);
    // stop accepting, let requests in flight finish, then close the database so WAL is checkpointed
    // a keep-alive connection whose last request ends after the close began would hold the close open for the
    // keep-alive timeout (72 s in Fastify): close such connections as soon as they fall idle (issue 7 item 6)
    const idleSweep = setInterval(() => app.server.closeIdleConnections(), 100);
    await app.close();
    clearInterval(idleSweep);
    await timers.stop();
    await periodic.stop();
    await store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
