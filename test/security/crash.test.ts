import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { verifyAuditChain } from '../../src/security/audit.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import {
  caseWorker,
  checkFlowState,
  deployTimedFlow,
  type FlowFigures,
  newFlowLedger,
  retryCompletions,
  waitForTimers,
} from './flowLoad.ts';
import { type ServerProcess, serverBundle, startServer } from './serverProcess.ts';
import { databaseUrlOf } from './support.ts';

/**
 * Crash safety (issue 7 item 6; 等保 2.0 数据完整性): the real server under a write load is killed with SIGKILL
 * at random moments and restarted, 20 times in all. The load writes units, files information requests, starts
 * flow cases and completes their tasks while the server's scheduler fires the cases' one-second timers
 * (flowLoad.ts). After every restart each acknowledged write is there, no information request exists twice (a
 * client retries unanswered ones with the same Idempotency-Key), no flow step is done twice or lost (an
 * unanswered completion is retried, and completing is idempotent), and the audit chain still verifies. After
 * the last restart every timer fires, exactly once, within the claim lease: none is stuck. Then a SIGTERM ends
 * the server gracefully.
 */
// 20 kills per run of this file, shared among the backends that run (each restart costs a server start);
// GONGKAI_CRASH_KILLS sets the number per backend instead
const kills = Number(process.env.GONGKAI_CRASH_KILLS ?? Math.ceil(20 / Math.max(1, backendNames.length)));
const adminPassword = 'Crash-Test-Boss-2026';
// a timer claimed by a killed server is fired by the next one after this lease (README: GONGKAI_TIMER_LEASE_SECONDS)
const timerLeaseSeconds = 3;

interface Session {
  cookie: string;
  csrf: string;
}

async function login(base: string): Promise<Session> {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: adminPassword }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

const application = (unitId: string, n: string) => ({
  unitId,
  applicantKind: 'naturalPerson',
  name: `申请人${n}`,
  idNumber: '330304199001011234',
  phone: '13800001111',
  description: `申请公开某项政府信息 ${n}`,
  deliveryForm: 'electronic',
  deliveryMethod: 'online',
});

after(async () => {
  rmSync(dirname(await serverBundle()), { recursive: true, force: true });
});

for (const backend of backendNames) {
  describe(`crash safety: ${kills} SIGKILLs under load, then SIGTERM [${backend}]`, () => {
    let ts: TestStore;
    let env: NodeJS.ProcessEnv;
    let server: ServerProcess | undefined;
    before(async () => {
      ts = await freshStore(backend);
      env = {
        DATABASE_URL: databaseUrlOf(ts),
        GONGKAI_DEMO: '0',
        GONGKAI_ADMIN_PASSWORD: adminPassword,
        GONGKAI_DATA_KEY: randomBytes(32).toString('hex'),
        GONGKAI_RATE_PUBLIC_FORMS: '1000000',
        GONGKAI_RATE_LOGIN: '1000000',
        GONGKAI_TIMER_LEASE_SECONDS: String(timerLeaseSeconds),
        LOG_LEVEL: 'warn',
      };
      await serverBundle();
    });
    after(async () => {
      if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
      await ts.dispose();
    });

    test('every acknowledged write survives each kill; no request or flow step is done twice; no timer is stuck; the audit chain holds', async () => {
      const ackedUnits = new Map<string, string>(); // id → name
      /** Idempotency key → body, for every application sent (answered or not). */
      const sentRequests = new Map<string, ReturnType<typeof application>>();
      const ackedRequests = new Map<string, string>(); // key → tracking number
      const flows = newFlowLedger();
      let figures: FlowFigures | undefined;
      let session: Session | undefined;
      let homeUnit: string | undefined;
      let serial = 0;

      for (let round = 0; round <= kills; round++) {
        server = await startServer(env);
        const { base } = server;
        session ??= await login(base);
        const headers = {
          'content-type': 'application/json',
          cookie: session.cookie,
          'x-csrf-token': session.csrf,
        };

        // after each restart: every acknowledged write is there
        const units = await ts.store.db.selectFrom('units').select(['id', 'name']).execute();
        const present = new Map(units.map((u) => [u.id, u.name]));
        for (const [id, name] of ackedUnits)
          assert.equal(present.get(id), name, `unit ${name} acknowledged before kill ${round}`);
        // retry every application that was not answered, with its key: the stored answer or a first run
        for (const [key, body] of sentRequests) {
          if (ackedRequests.has(key)) continue;
          const res = await fetch(`${base}/api/v1/info-requests`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify(body),
          });
          assert.equal(res.status, 201, await res.clone().text());
          ackedRequests.set(key, ((await res.json()) as { trackingNumber: string }).trackingNumber);
        }
        const requests = await ts.store.db
          .selectFrom('info_requests')
          .select(['tracking_number', 'applicant_name'])
          .execute();
        assert.equal(requests.length, sentRequests.size, 'each application exactly once, none twice');
        const tracking = new Set(requests.map((r) => r.tracking_number));
        for (const t of ackedRequests.values()) assert.ok(tracking.has(t));
        // every completion that was not answered is sent again; then the cases, tasks and timers are checked
        if (homeUnit) await retryCompletions({ base, headers }, flows);
        figures = await checkFlowState(ts.store.db, flows, `after kill ${round}`);
        if (round === kills) {
          // no more load: every timer falls due within a second, or within the lease when a kill left it claimed
          const stuck = await waitForTimers(ts.store.db, (timerLeaseSeconds + 15) * 1000);
          assert.deepEqual(stuck, [], 'every timer fired after the last restart');
          figures = await checkFlowState(ts.store.db, flows, 'once every timer fired');
        }
        const chain = await verifyAuditChain(ts.store.db);
        assert.deepEqual(chain.problems, [], `audit chain after kill ${round}`);
        if (round === kills) break;

        if (!homeUnit) {
          const res = await fetch(`${base}/api/v1/units`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ parentId: null, name: '受理机关', kind: 'bureau' }),
          });
          assert.equal(res.status, 201, await res.clone().text());
          homeUnit = ((await res.json()) as { id: string }).id;
          ackedUnits.set(homeUnit, '受理机关');
          await deployTimedFlow({ base, headers });
        }
        const unitId = homeUnit;

        // the load: two writers of units, one applicant, one case worker; killed at a random moment (up to two
        // seconds, so that the scheduler, which first looks one second after the start, is often at work)
        let stop = false;
        const unitWriter = async () => {
          while (!stop) {
            const name = `单位${++serial}`;
            try {
              const res = await fetch(`${base}/api/v1/units`, {
                method: 'POST',
                headers,
                body: JSON.stringify({ parentId: unitId, name, kind: 'section' }),
              });
              if (res.status === 201) ackedUnits.set(((await res.json()) as { id: string }).id, name);
            } catch {
              return; // the connection died with the server
            }
          }
        };
        const applicant = async () => {
          while (!stop) {
            const key = randomBytes(12).toString('hex');
            const body = application(unitId, String(++serial));
            sentRequests.set(key, body);
            try {
              const res = await fetch(`${base}/api/v1/info-requests`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', 'idempotency-key': key },
                body: JSON.stringify(body),
              });
              if (res.status === 201)
                ackedRequests.set(key, ((await res.json()) as { trackingNumber: string }).trackingNumber);
              else assert.fail(`application refused: ${res.status} ${await res.text()}`);
            } catch (e) {
              if (e instanceof assert.AssertionError) throw e;
              return;
            }
          }
        };
        const load = Promise.all([
          unitWriter(),
          unitWriter(),
          applicant(),
          caseWorker({ base, headers }, flows, () => stop),
        ]);
        await new Promise((r) => setTimeout(r, randomInt(150, 2000)));
        server.child.kill('SIGKILL');
        await server.exited;
        stop = true;
        await load;
      }
      const load = `${ackedUnits.size} units, ${ackedRequests.size} requests, ${JSON.stringify(figures)}`;
      process.stdout.write(`# crash load [${backend}]: ${load}\n`);
      assert.ok(ackedUnits.size > kills, `a real load: ${load}`);
      assert.ok(
        figures && figures.completions > kills / 2 && figures.timersFired > 0 && figures.remindersFired > 0,
        `a real flow load, its timers fired: ${load}`,
      );
    });

    test('SIGTERM: requests in flight are answered, the process exits 0 and the database is closed cleanly', async () => {
      if (!server || server.child.exitCode !== null) server = await startServer(env);
      const { base } = server;
      const session = await login(base);
      const headers = {
        'content-type': 'application/json',
        cookie: session.cookie,
        'x-csrf-token': session.csrf,
      };
      const answers: number[] = [];
      const inFlight = Array.from({ length: 6 }, (_, i) =>
        fetch(`${base}/api/v1/units`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ parentId: null, name: `关停前${i}`, kind: 'bureau' }),
        }).then(
          (r) => answers.push(r.status),
          () => answers.push(0),
        ),
      );
      // wait for the first answer, so the others are in the server's hands when the signal comes
      await Promise.race(inFlight);
      server.child.kill('SIGTERM');
      const exit = await server.exited;
      await Promise.all(inFlight);
      assert.deepEqual(exit, { code: 0, signal: null }, server.output());
      assert.ok(answers.filter((s) => s === 201).length >= 1);
      // 201: done; 503: arrived after the close began and was refused cleanly; 0: never accepted
      for (const s of answers)
        assert.ok([201, 503, 0].includes(s), `answered, refused while closing, or never accepted: ${s}`);
      const acked = await ts.store.db
        .selectFrom('units')
        .select('name')
        .where('name', 'like', '关停前%')
        .execute();
      assert.equal(acked.length, answers.filter((s) => s === 201).length, 'every answered write is stored');
    });
  });
}
