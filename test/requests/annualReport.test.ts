import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { addCalendarDays } from '../../src/calendar/calendar.ts';
import { type Context, inTransaction } from '../../src/context.ts';
import { unitCreator } from '../../src/registry/commands/unitCreator.ts';
import { appealRecorder } from '../../src/requests/commands/appealRecorder.ts';
import {
  consultationEnder,
  consultationStarter,
  extensionGranter,
  replyDeliverer,
  replyMaker,
  requestCloser,
  requestSweeper,
  requestWithdrawer,
  supplementReceiver,
  supplementRequester,
} from '../../src/requests/commands/requestActions.ts';
import { requestCreator } from '../../src/requests/commands/requestCreator.ts';
import { outcomeByCode, outcomes } from '../../src/requests/outcomes.ts';
import type { EventKind } from '../../src/requests/tables.ts';
import { buildApp } from '../../src/server/app.ts';
import { appointIn, disclosureOffice } from '../disclosure/fixtures.ts';
import { type Session, signIn } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

type Col = 'naturalPerson' | 'business' | 'research' | 'publicWelfare' | 'legalService' | 'other';
const cols: Col[] = ['naturalPerson', 'business', 'research', 'publicWelfare', 'legalService', 'other'];

/** What the test did to each request, kept independently of the platform, to check the report cell by cell. */
interface Done {
  tracking: string;
  unit: string;
  col: Col;
  receivedOn: string;
  concludedOn: string | null;
  rowKeys: string[];
}

interface Row {
  key: string;
  cells: Record<Col | 'total', number>;
  sources?: Record<Col | 'total', string[]>;
}
interface ReportOut {
  table3: Row[];
  table4: Record<string, Record<string, number>>;
  checks: { name: string; passed: boolean; detail: string }[];
  allChecksPassed: boolean;
  previousPublished: boolean;
}

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

const at = (ymd: string) => new Date(`${ymd}T02:00:00Z`);

for (const backend of backendNames) {
  describe(`annual report from a year of requests [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let now = at('2027-01-20');
    const done: Done[] = [];
    // the office staff who handle every unit's requests (区府办, src/disclosure/unitScope.ts)
    let personId: string | null = null;
    const ctxAt = (ymd: string): Context => ({
      ...ts.ctx,
      now: () => at(ymd),
      actor: { userId: 'u-test', username: 'tester', displayName: '测试员', role: 'staff', personId },
    });
    let leader: Session;
    const leaderActor = () => ({
      userId: 'u-head',
      username: 'head',
      displayName: '公开办负责人',
      role: 'leader' as const,
    });

    before(async () => {
      ts = await freshStore(backend);
      await inTransaction(ts.ctx, async (c) => {
        // a region code: a published report becomes a disclosure record with an index number (reportRecord.ts)
        await unitCreator(c, {
          id: 'gov',
          parentId: null,
          name: '某区人民政府',
          kind: 'government',
          regionCode: '330304',
        });
        await unitCreator(c, {
          id: 'bureau-a',
          parentId: 'gov',
          name: '某区住房和城乡建设局',
          kind: 'bureau',
        });
        await unitCreator(c, { id: 'bureau-b', parentId: 'gov', name: '某区自然资源局', kind: 'bureau' });
      });
      personId = await appointIn(ts.ctx, await disclosureOffice(ts.ctx, 'gov'));
      app = await buildApp({ store: ts.store, now: () => now });

      const rand = rng(20260101);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
      const replyOutcomes = outcomes.filter(
        (o) => !['other.noSupplement', 'other.feeUnpaid'].includes(o.code),
      );
      // 60 requests received from 2025-11 to 2026-12, on working days and weekends alike
      for (let i = 0; i < 60; i++) {
        const receivedOn = addCalendarDays('2025-11-03', Math.floor(rand() * 420));
        const col = pick(cols);
        const unit = pick(['bureau-a', 'bureau-b']);
        const created = await inTransaction(ctxAt(receivedOn), (c) =>
          requestCreator(
            c,
            {
              unitId: unit,
              applicantKind: col === 'naturalPerson' ? 'naturalPerson' : 'legalPerson',
              organisationKind: col === 'naturalPerson' ? null : col,
              name: col === 'naturalPerson' ? `申请人${i}` : `某组织${i}`,
              idNumber: col === 'naturalPerson' ? '330304199001011234' : null,
              organisationCode: col === 'naturalPerson' ? null : `91330304MA${String(i).padStart(8, '0')}`,
              phone: '13812345678',
              description: `第${i}号申请的政府信息`,
              deliveryForm: 'paper',
              deliveryMethod: 'post',
            },
            { channel: 'inPerson', submittedOn: receivedOn },
          ),
        );
        const d: Done = {
          tracking: created.trackingNumber,
          unit,
          col,
          receivedOn,
          concludedOn: null,
          rowKeys: [],
        };
        done.push(d);
        const fate = rand();
        const id = created.id;
        if (fate < 0.1) {
          // still open at the end of the data: carried over
          continue;
        }
        if (fate < 0.18) {
          // 补正 never answered: the sweeper closes it, （六）1
          const deadline = addCalendarDays(receivedOn, 10);
          await inTransaction(ctxAt(receivedOn), (c) =>
            supplementRequester(c, id, { onDate: receivedOn, deadline, missing: '缺少所需信息的名称' }),
          );
          const sweepOn = addCalendarDays(deadline, 1);
          await inTransaction(ctxAt(sweepOn), (c) => requestSweeper(c));
          d.concludedOn = sweepOn;
          d.rowKeys = ['other', 'other.1'];
          continue;
        }
        if (fate < 0.23) {
          const on = addCalendarDays(receivedOn, 3);
          await inTransaction(ctxAt(on), (c) => requestWithdrawer(c, id, { onDate: on }));
          d.concludedOn = on;
          d.rowKeys = ['other', 'other.3'];
          continue;
        }
        let replyOn = addCalendarDays(receivedOn, 5 + Math.floor(rand() * 30));
        // more of the handling, chosen by number so the random sequence above stays as it was
        if (i % 6 === 2) {
          // 补正 answered in time: the request is handled and counted under its reply
          const on = addCalendarDays(receivedOn, 1);
          const back = addCalendarDays(receivedOn, 2);
          await inTransaction(ctxAt(on), (c) =>
            supplementRequester(c, id, {
              onDate: on,
              deadline: addCalendarDays(on, 10),
              missing: '缺少文号',
            }),
          );
          await inTransaction(ctxAt(back), (c) => supplementReceiver(c, id, { onDate: back }));
        }
        if (i % 6 === 5) {
          // extended by the office head (Art. 33 ¶2)
          const on = addCalendarDays(receivedOn, 1);
          await inTransaction({ ...ctxAt(on), actor: { ...leaderActor(), personId } }, (c) =>
            extensionGranter(c, id, {
              onDate: on,
              days: 10,
              reason: '需要调取档案',
              applicantToldBy: '电话告知',
            }),
          );
        }
        if (rand() < 0.2) {
          const from = addCalendarDays(receivedOn, 2);
          const to = addCalendarDays(from, 10);
          await inTransaction(ctxAt(from), (c) =>
            consultationStarter(c, id, { onDate: from, party: '第三方企业' }),
          );
          await inTransaction(ctxAt(to), (c) => consultationEnder(c, id, { onDate: to }));
          replyOn = addCalendarDays(to, 3);
        }
        const outcome = pick(replyOutcomes);
        await inTransaction(ctxAt(replyOn), (c) =>
          replyMaker(c, id, { onDate: replyOn, outcome: outcome.code, detail: '理由见附件' }),
        );
        if (i % 6 === 4) {
          // delivered and closed later: still concluded on the day of the reply
          const later = addCalendarDays(replyOn, 3);
          await inTransaction(ctxAt(later), async (c) => {
            await replyDeliverer(c, id, { onDate: later, method: '邮寄' });
            await requestCloser(c, id, {});
          });
        }
        d.concludedOn = replyOn;
        const o = outcomeByCode.get(outcome.code);
        d.rowKeys = o?.row ? [o.group, `${o.group}.${o.row}`] : [o?.group ?? ''];
      }
      // reconsideration and litigation (table 四)
      const t = (n: number) => done[n]?.tracking ?? '';
      const idOf = async (tracking: string) =>
        (
          await ts.store.db
            .selectFrom('info_requests')
            .select('id')
            .where('tracking_number', '=', tracking)
            .executeTakeFirstOrThrow()
        ).id;
      const appeal = async (
        n: number,
        kind: 'reconsideration' | 'litigationDirect' | 'litigationAfterReconsideration',
        filedOn: string,
        result: 'upheld' | 'corrected' | 'other' | 'pending',
        concludedOn: string | null,
      ) => {
        const received = done[n]?.receivedOn ?? '2025-11-03';
        const filed = filedOn < received ? received : filedOn;
        const requestId = await idOf(t(n));
        await inTransaction(ctxAt('2027-01-10'), (c) =>
          appealRecorder(c, requestId, { kind, filedOn: filed, result, concludedOn }),
        );
      };
      await appeal(1, 'reconsideration', '2026-03-01', 'upheld', '2026-05-01');
      await appeal(2, 'reconsideration', '2026-06-01', 'corrected', '2026-08-01');
      await appeal(3, 'reconsideration', '2026-11-20', 'upheld', '2027-01-05'); // still open on 12-31
      await appeal(4, 'litigationDirect', '2026-04-01', 'other', '2026-09-01');
      await appeal(5, 'litigationAfterReconsideration', '2026-09-15', 'pending', null);
      now = at('2027-01-20');
      leader = await signIn(app, ts, 'leader');
      await appointIn(ts.ctx, 'gov-office', 't-leader');
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    const report = async (year: number, unit?: string) => {
      const res = await app.inject({
        url: `/api/v1/reports/annual/${year}?sources=1${unit ? `&unit=${unit}` : ''}`,
        headers: leader.headers,
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as ReportOut;
    };

    /** The expected table 三 of a year, from the test's own record of what it did. */
    function expected(year: number, unit?: string) {
      const start = `${year}-01-01`;
      const end = `${year}-12-31`;
      const cells = new Map<string, Map<Col, string[]>>();
      const put = (key: string, d: Done) => {
        const row = cells.get(key) ?? new Map<Col, string[]>();
        row.set(d.col, [...(row.get(d.col) ?? []), d.tracking]);
        cells.set(key, row);
      };
      for (const d of done) {
        if (unit && d.unit !== unit) continue;
        if (d.receivedOn > end) continue;
        if (d.concludedOn && d.concludedOn < start) continue;
        put(d.receivedOn >= start ? 'new' : 'carriedIn', d);
        if (d.concludedOn && d.concludedOn <= end) {
          for (const k of d.rowKeys) put(k, d);
          put('total', d);
        } else put('carriedOut', d);
      }
      return cells;
    }

    test('table 三 matches the requests one by one, and every check passes', async () => {
      const r = await report(2026);
      const want = expected(2026);
      for (const row of r.table3) {
        if (row.key === 'results') continue;
        for (const c of cols) {
          const w = [...(want.get(row.key)?.get(c) ?? [])].sort();
          assert.deepEqual([...(row.sources?.[c] ?? [])].sort(), w, `${row.key} / ${c}`);
          assert.equal(row.cells[c], w.length, `${row.key} / ${c}`);
        }
      }
      for (const c of r.checks) assert.ok(c.passed, `${c.name}: ${c.detail}`);
      assert.equal(r.allChecksPassed, true);
      const total = r.table3.find((x) => x.key === 'total')?.cells.total ?? 0;
      const newCount = r.table3.find((x) => x.key === 'new')?.cells.total ?? 0;
      assert.ok(newCount > 30 && total > 30, `a real year: ${newCount} new, ${total} concluded`);
      assert.ok((r.table3.find((x) => x.key === 'carriedIn')?.cells.total ?? 0) > 0, 'some came from 2025');
      assert.ok((r.table3.find((x) => x.key === 'carriedOut')?.cells.total ?? 0) > 0, 'some go on to 2027');
      // the year is varied: every kind of handling happened to some of its requests
      const kinds = new Set(
        (await ts.store.db.selectFrom('info_request_events').select('kind').distinct().execute()).map(
          (e) => e.kind,
        ),
      );
      const wanted: EventKind[] = [
        'supplementReceived',
        'abandoned',
        'withdrawn',
        'consultationEnded',
        'extended',
        'replied',
        'delivered',
        'closed',
      ];
      for (const k of wanted) assert.ok(kinds.has(k), k);
    });

    test('a unit report covers its own requests; the units add up to the whole', async () => {
      const whole = await report(2026);
      const a = await report(2026, 'bureau-a');
      const b = await report(2026, 'bureau-b');
      const wantA = expected(2026, 'bureau-a');
      assert.equal(
        a.table3.find((x) => x.key === 'new')?.cells.total,
        cols.reduce((s, c) => s + (wantA.get('new')?.get(c)?.length ?? 0), 0),
      );
      for (const row of whole.table3) {
        const ra = a.table3.find((x) => x.key === row.key)?.cells.total ?? 0;
        const rb = b.table3.find((x) => x.key === row.key)?.cells.total ?? 0;
        assert.equal(ra + rb, row.cells.total, row.key);
      }
    });

    test('table 四 counts reviews and lawsuits filed in the year by their result at year end', async () => {
      const r = await report(2026);
      assert.deepEqual(r.table4.reconsideration, { upheld: 1, corrected: 1, other: 0, pending: 1, total: 3 });
      assert.deepEqual(r.table4.litigationDirect, {
        upheld: 0,
        corrected: 0,
        other: 1,
        pending: 0,
        total: 1,
      });
      assert.deepEqual(r.table4.litigationAfterReconsideration, {
        upheld: 0,
        corrected: 0,
        other: 0,
        pending: 1,
        total: 1,
      });
    });

    test("carry-over: 2026's 二 equals published 2025's 四, and a late-logged 2025 request breaks the check", async () => {
      const r2025 = await report(2025);
      assert.equal(r2025.allChecksPassed, true);
      const pub = await app.inject({
        method: 'POST',
        url: '/api/v1/reports/annual/2025/publish',
        headers: leader.headers,
      });
      assert.equal(pub.statusCode, 200, pub.body);
      let r2026 = await report(2026);
      assert.equal(r2026.previousPublished, true);
      const carry = r2026.checks.find((c) => c.name.startsWith('二、上年结转'));
      assert.equal(carry?.passed, true, carry?.detail);
      assert.equal(
        r2026.table3.find((x) => x.key === 'carriedIn')?.cells.total,
        r2025.table3.find((x) => x.key === 'carriedOut')?.cells.total,
      );
      // a paper request received on 2025-12-30 but logged only after the 2025 report was published
      await inTransaction(ctxAt('2027-01-20'), (c) =>
        requestCreator(
          c,
          {
            unitId: 'bureau-a',
            applicantKind: 'naturalPerson',
            name: '迟登记',
            idNumber: '330304199001011234',
            phone: '13812345678',
            description: '迟到的申请',
            deliveryForm: 'paper',
            deliveryMethod: 'post',
          },
          { channel: 'post', signedOn: '2025-12-30' },
        ),
      );
      r2026 = await report(2026);
      const broken = r2026.checks.find((c) => c.name.startsWith('二、上年结转'));
      assert.equal(broken?.passed, false);
      assert.match(broken?.detail ?? '', /自然人：上年度报告\d+，本年\d+/);
      const refused = await app.inject({
        method: 'POST',
        url: '/api/v1/reports/annual/2026/publish',
        headers: leader.headers,
      });
      assert.equal(refused.statusCode, 409);
      assert.equal((refused.json() as { code: string }).code, 'report_checks_failed');
    });

    test('sections 一, 五, 六 are edited; the report exports as .docx and .xlsx with the same figures', async () => {
      const put = await app.inject({
        method: 'PUT',
        url: '/api/v1/reports/annual/2026/sections/1',
        headers: leader.headers,
        payload: { text: '2026年，本区坚持以公开为常态、不公开为例外。' },
      });
      assert.equal(put.statusCode, 200, put.body);
      const figures = await app.inject({
        method: 'PUT',
        url: '/api/v1/reports/annual/2026/figures',
        headers: leader.headers,
        payload: { figures: [{ row: 'licensing', column: 'decisions', value: 1234 }] },
      });
      assert.equal(figures.statusCode, 200, figures.body);
      const badFigure = await app.inject({
        method: 'PUT',
        url: '/api/v1/reports/annual/2026/figures',
        headers: leader.headers,
        payload: { figures: [{ row: 'licensing', column: 'issued', value: 1 }] },
      });
      assert.equal(badFigure.statusCode, 400);
      const json = (
        await app.inject({ url: '/api/v1/reports/annual/2026', headers: leader.headers })
      ).json() as {
        sections: Record<string, string>;
        table2: { key: string; values: Record<string, number | null> }[];
        table3: Row[];
      };
      assert.match(json.sections['1'] ?? '', /不公开为例外/);
      assert.equal(json.table2.find((r) => r.key === 'licensing')?.values.decisions, 1234);
      const docx = await app.inject({
        url: '/api/v1/reports/annual/2026/export?format=docx',
        headers: leader.headers,
      });
      assert.equal(docx.statusCode, 200);
      assert.equal(docx.rawPayload.subarray(0, 2).toString(), 'PK');
      const xlsx = await app.inject({
        url: '/api/v1/reports/annual/2026/export?format=xlsx',
        headers: leader.headers,
      });
      assert.equal(xlsx.statusCode, 200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.getWorksheet('三 依申请公开');
      assert.ok(sheet);
      let totalRow: (string | number)[] = [];
      sheet.eachRow((row) => {
        const values = (row.values as (string | number)[]).slice(1);
        if (String(values[0]).includes('（七）总计')) totalRow = values;
      });
      assert.equal(totalRow[7], json.table3.find((r) => r.key === 'total')?.cells.total);
    });
  });
}
