import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type Context, inTransaction } from '../../src/context.ts';
import { areaCreator } from '../../src/disclosure/commands/areaCreator.ts';
import { unitCreator } from '../../src/registry/commands/unitCreator.ts';
import { requestCreator } from '../../src/requests/commands/requestCreator.ts';
import { buildApp } from '../../src/server/app.ts';
import { appointIn, disclosureOffice } from '../disclosure/fixtures.ts';
import { type Session, signIn } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

// Issue 6 items 6 and 7: a published annual report becomes a proactive disclosure record that the portal's
// 年度报告 page lists; Art. 44's action creates a draft proactive record in the area the requests concern.

const at = (ymd: string) => new Date(`${ymd}T02:00:00Z`);

interface RecordOut {
  id: string;
  title: string;
  kind: string;
  attribute: string;
  stage: string;
  indexNumber: string;
  publishState: string;
  body: string | null;
  area: { name: string } | null;
}

for (const backend of backendNames) {
  describe(`the annual report and Art. 44 become disclosure records [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let now = at('2026-03-02');
    let leader: Session;
    let staff: Session;
    let personId: string | null = null;
    const ctxAt = (ymd: string): Context => ({
      ...ts.ctx,
      now: () => at(ymd),
      actor: { userId: 'u-test', username: 'tester', displayName: '测试员', role: 'staff', personId },
    });
    const applyAs = (name: string, description: string, on: string) =>
      inTransaction(ctxAt(on), (c) =>
        requestCreator(
          c,
          {
            unitId: 'bureau-a',
            applicantKind: 'naturalPerson',
            name,
            idNumber: '330304199001011234',
            phone: '13912345678',
            description,
            deliveryForm: 'electronic',
            deliveryMethod: 'email',
            email: 'a@example.cn',
          },
          { channel: 'inPerson', submittedOn: on },
        ),
      );

    before(async () => {
      ts = await freshStore(backend);
      await inTransaction(ts.ctx, async (c) => {
        await unitCreator(c, {
          id: 'gov',
          parentId: null,
          name: '瓯海区人民政府',
          kind: 'government',
          regionCode: '330304',
        });
        await unitCreator(c, {
          id: 'bureau-a',
          parentId: 'gov',
          name: '瓯海区住房和城乡建设局',
          kind: 'bureau',
        });
        await areaCreator(c, {
          id: 'area-bzf',
          name: '保障性住房',
          leadUnitIds: ['bureau-a'],
          regionCode: '330304',
        });
      });
      personId = await appointIn(ts.ctx, await disclosureOffice(ts.ctx, 'gov'));
      app = await buildApp({ store: ts.store, now: () => now });
      leader = await signIn(app, ts, 'leader');
      staff = await signIn(app, ts, 'staff');
      await appointIn(ts.ctx, 'gov-office', 't-leader');
      await appointIn(ts.ctx, 'bureau-a', 't-staff');
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('a published report is a proactive record listed on the portal; publishing again keeps its number', async () => {
      await applyAs('张三', '2025年公共租赁住房分配名单', '2025-06-02');
      now = at('2026-01-20');
      const publish = () =>
        app.inject({ method: 'POST', url: '/api/v1/reports/annual/2025/publish', headers: leader.headers });
      const first = await publish();
      assert.equal(first.statusCode, 200, first.body);
      const { recordId, indexNumber } = first.json() as { recordId: string; indexNumber: string };

      assert.equal(
        (await app.inject({ url: `/api/v1/public/records/${recordId}` })).statusCode,
        200,
        'public',
      );
      const rec = (
        await app.inject({ url: `/api/v1/records/${recordId}`, headers: leader.headers })
      ).json() as RecordOut;
      assert.equal(rec.publishState, 'published');
      assert.equal(rec.title, '瓯海区人民政府2025年政府信息公开工作年度报告');
      assert.equal(rec.attribute, 'proactive');
      assert.equal(rec.kind, 'other');
      assert.equal(rec.stage, 'result');
      assert.equal(rec.area?.name, '政府信息公开');
      assert.match(rec.indexNumber, /^330304-ZFXXGK00-E-000-0001-G$/);
      assert.ok(rec.body?.includes('三、收到和处理政府信息公开申请情况'));

      const page = await app.inject({ url: '/xxgk/reports' });
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes('瓯海区人民政府2025年政府信息公开工作年度报告'), 'listed on 年度报告');

      const again = await publish();
      assert.equal(again.statusCode, 200, again.body);
      assert.deepEqual(
        [again.json().recordId, again.json().indexNumber],
        [recordId, indexNumber],
        'the same record, the same index number',
      );
      const history = (
        await app.inject({ url: `/api/v1/records/${recordId}/history`, headers: leader.headers })
      ).json() as { items: { action: string }[] };
      assert.deepEqual(
        history.items.map((h) => h.action).filter((a) => a === 'published' || a === 'withdrawn'),
        ['published', 'withdrawn', 'published'],
      );
    });

    test("Art. 44: moving repeated requests into proactive disclosure creates a draft in the requests' area", async () => {
      now = at('2026-03-02');
      for (const name of ['李四', '王五', '赵六'])
        await applyAs(name, '某小区公共租赁住房轮候名单', '2026-02-24');
      const repeated = (
        await app.inject({ url: '/api/v1/info-requests/repeated', headers: staff.headers })
      ).json() as { groups: { fingerprint: string; description: string; proactiveCandidate: boolean }[] };
      const group = repeated.groups.find((g) => g.description.includes('轮候名单'));
      assert.ok(group?.proactiveCandidate, 'three applicants: a candidate');

      const moved = await app.inject({
        method: 'POST',
        url: '/api/v1/info-requests/repeated/proactive',
        headers: staff.headers,
        payload: { fingerprint: group.fingerprint, title: '某小区公共租赁住房轮候名单' },
      });
      assert.equal(moved.statusCode, 201, moved.body);
      const { recordId } = moved.json() as { recordId: string };
      const rec = (
        await app.inject({ url: `/api/v1/records/${recordId}`, headers: staff.headers })
      ).json() as RecordOut;
      assert.equal(rec.publishState, 'draft');
      assert.equal(rec.attribute, 'proactive');
      assert.equal(rec.area?.name, '保障性住房', 'the area its unit leads');
      const link = await ts.store.db
        .selectFrom('info_request_proactive')
        .select('record_id')
        .where('fingerprint', '=', group.fingerprint)
        .executeTakeFirstOrThrow();
      assert.equal(link.record_id, recordId);
      assert.equal(
        (await app.inject({ url: `/api/v1/public/records/${recordId}` })).statusCode,
        404,
        'a draft is not public',
      );
    });
  });
}
