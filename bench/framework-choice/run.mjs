import { spawn } from 'node:child_process';
import autocannon from 'autocannon';

const wait = (ms) => new Promise((r) => setTimeout(r, ms));
async function measure(file, port, path) {
  const p = spawn(process.execPath, [file], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  await wait(800);
  await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: 64, duration: 2 }); // warm-up
  const r = await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: 64, duration: 8 });
  p.kill();
  await wait(300);
  return { rps: r.requests.average, p99: r.latency.p99 };
}
for (const round of [1, 2])
  for (const path of ['/api/v1/units/st-zjj', '/records/abc'])
    for (const fw of ['fastify', 'hono']) {
      const r = await measure(`${fw}.mjs`, 4100 + round, path);
      console.log(round, fw, path, r);
    }
