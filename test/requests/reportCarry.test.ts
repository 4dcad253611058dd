import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type Context, inTransaction } from '../../src/context.ts';
import { areaCreator } from '../../src/disclosure/commands/areaCreator.ts';
import { recordCreator } from '../../src/disclosure/commands/recordCreator.ts';
import { decidedRecordPublisher } from '../../src/disclosure/commands/recordReview.ts';
import { unitCreator } from '../../src/registry/commands/unitCreator.ts';
import { replyMaker } from '../../src/requests/commands/requestActions.ts';
import { requestCreator } from '../../src/requests/commands/requestCreator.ts';
import { buildApp } from '../../src/server/app.ts';
import { appointIn, disclosureOffice } from '../disclosure/fixtures.ts';
import { type Session, signIn } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

// Issue 6 item 6: carry-over to the following year (a published report's 二 is this year's 四), and table 二's
// row 行政规范性文件 counted from the published normative documents, a figure staff enter standing over it.

const at = (ymd: string) => new Date(`${ymd}T02:00:00Z`);

interface ReportOut {
  table2: { key: string; values: Record<string, number | null>; sources: Record<string, string | null> }[];
  table3: { key: string; cells: Record<string, number> }[];
  checks: { name: string; passed: boolean; detail: string }[];
  nextPublished: boolean;
}

for (const backend of backendNames) {
  describe(`annual report: carry-over to the next year, table 二 from the records [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let leader: Session;
    let personId: string | null = null;
    let areaId = '';
    const now = at('2027-01-15');
    const ctxAt = (ymd: string): Context => ({
      ...ts.ctx,
      now: () => at(ymd),
      actor: { userId: 'u-test', username: 'tester', displayName: '测试员', role: 'staff', personId },
    });
    const apply = (on: string, name: string) =>
      inTransaction(ctxAt(on), (c) =>
        requestCreator(
          c,
          {
            unitId: 'bureau-a',
            applicantKind: 'naturalPerson',
            name,
            idNumber: '330304199001011234',
            phone: '13912345678',
            description: `${name}申请的政府信息`,
            deliveryForm: 'paper',
            deliveryMethod: 'post',
          },
          { channel: 'post', signedOn: on },
        ),
      );
    const policy = async (
      title: string,
      formedOn: string,
      extra: { validUntil?: string } = {},
      publish = true,
    ) => {
      await inTransaction(ctxAt('2027-01-10'), async (c) => {
        const r = await recordCreator(c, {
          title,
          origin: 'produced',
          kind: 'policy',
          formedOn,
          attribute: 'proactive',
          disclosingUnitId: 'bureau-a',
          areaId,
          stage: 'decision',
          ...extra,
        });
        if (publish) await decidedRecordPublisher(c, r.id, '经审核发布');
      });
    };
    const report = async (year: number, unit?: string) => {
      const res = await app.inject({
        url: `/api/v1/reports/annual/${year}${unit ? `?unit=${unit}` : ''}`,
        headers: leader.headers,
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as ReportOut;
    };

    before(async () => {
      ts = await freshStore(backend);
      await inTransaction(ts.ctx, async (c) => {
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
        areaId = (
          await areaCreator(c, { name: '保障性住房', leadUnitIds: ['bureau-a'], regionCode: '330304' })
        ).id;
      });
      personId = await appointIn(ts.ctx, await disclosureOffice(ts.ctx, 'gov'));
      app = await buildApp({ store: ts.store, now: () => now });
      leader = await signIn(app, ts, 'leader');
      await appointIn(ts.ctx, 'gov-office', 't-leader');
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('行政规范性文件: issued, repealed and in force in 2026, counted from the published records', async () => {
      await policy('关于公共租赁住房保障的实施意见', '2025-05-01');
      await policy('公共租赁住房租金管理办法', '2026-03-01');
      await policy('住房保障申请审核暂行规定', '2024-01-01', { validUntil: '2026-06-30' });
      await policy('尚未发布的规范性文件草稿', '2026-07-01', {}, false);
      await inTransaction(ctxAt('2027-01-10'), async (c) => {
        const r = await recordCreator(c, {
          title: '一份普通的工作通知',
          origin: 'produced',
          kind: 'document',
          formedOn: '2026-04-01',
          attribute: 'proactive',
          disclosingUnitId: 'bureau-a',
          areaId,
          stage: 'execution',
        });
        await decidedRecordPublisher(c, r.id, '经审核发布');
      });
      for (const unit of [undefined, 'bureau-a']) {
        const row = (await report(2026, unit)).table2.find((r) => r.key === 'normativeDocuments');
        assert.deepEqual(row?.values, { issued: 1, repealed: 1, inForce: 2 }, unit ?? 'whole government');
        assert.deepEqual(row?.sources, { issued: 'records', repealed: 'records', inForce: 'records' });
      }
      // 2025: the 2024 rule and the 2025 opinion are in force; the 2026 one not yet formed
      const y2025 = (await report(2025)).table2.find((r) => r.key === 'normativeDocuments');
      assert.deepEqual(y2025?.values, { issued: 1, repealed: 0, inForce: 2 });

      const put = await app.inject({
        method: 'PUT',
        url: '/api/v1/reports/annual/2026/figures',
        headers: leader.headers,
        payload: { figures: [{ row: 'normativeDocuments', column: 'issued', value: 5 }] },
      });
      assert.equal(put.statusCode, 200, put.body);
      const row = (await report(2026)).table2.find((r) => r.key === 'normativeDocuments');
      assert.deepEqual(row?.values, { issued: 5, repealed: 1, inForce: 2 });
      assert.equal(row?.sources.issued, 'entered', 'what staff entered stands');
      assert.equal(row?.sources.repealed, 'records');
    });

    test("2025's 四 is checked against the published 2026 report's 二; a late-logged 2025 request breaks it", async () => {
      await apply('2025-12-29', '甲');
      const r2 = await apply('2026-03-02', '乙');
      await inTransaction(ctxAt('2026-03-10'), (c) =>
        replyMaker(c, r2.id, { onDate: '2026-03-10', outcome: 'disclosed' }),
      );
      let r2025 = await report(2025);
      assert.equal(r2025.nextPublished, false);
      assert.ok(!r2025.checks.some((c) => c.name.startsWith('四、结转下年度')));

      const pub = await app.inject({
        method: 'POST',
        url: '/api/v1/reports/annual/2026/publish',
        headers: leader.headers,
      });
      assert.equal(pub.statusCode, 200, pub.body);
      r2025 = await report(2025);
      assert.equal(r2025.nextPublished, true);
      const carry = r2025.checks.find((c) => c.name.startsWith('四、结转下年度'));
      assert.equal(carry?.passed, true, carry?.detail);
      assert.equal(r2025.table3.find((r) => r.key === 'carriedOut')?.cells.total, 1);

      // a letter signed for on 2025-12-30, logged only now: 2025 carries 2 over, the published 2026 report took 1
      await apply('2025-12-30', '丙');
      r2025 = await report(2025);
      const broken = r2025.checks.find((c) => c.name.startsWith('四、结转下年度'));
      assert.equal(broken?.passed, false);
      assert.equal(broken?.detail, '自然人：下年度报告1，本年2；总计：下年度报告1，本年2');
      const refused = await app.inject({
        method: 'POST',
        url: '/api/v1/reports/annual/2025/publish',
        headers: leader.headers,
      });
      assert.equal(refused.statusCode, 409);
      assert.match((refused.json() as { message: string }).message, /四、结转下年度继续办理/);
    });
  });
}
