import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../../src/context.ts';
import { itemCreator } from '../../src/disclosure/commands/itemCreator.ts';
import '../../src/disclosure/flowActions.ts';
import { idCheckCharacter } from '../../src/disclosure/privacy.ts';
import { getAction } from '../../src/flows/actions.ts';
import type { InstanceRow } from '../../src/flows/tables.ts';
import { testApp } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import { smallDistrict } from './fixtures.ts';

const instance = (id: string): InstanceRow => ({
  id,
  definition_id: 'def-12-2',
  definition_key: '12-2',
  root_instance_id: id,
  parent_instance_id: null,
  parent_execution_id: null,
  business_key: null,
  status: 'running',
  started_by: null,
  started_at: '2026-04-08T01:00:00.000Z',
  ended_at: null,
  step: 3,
});

for (const backend of backendNames) {
  describe(`records fed by the flows [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let ids: Awaited<ReturnType<typeof smallDistrict>>;
    before(async () => {
      ts = await freshStore(backend);
      ids = await smallDistrict(ts.ctx);
      app = await testApp(ts);
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test("12-2's 村级公示 step publishes a masked notice that the portal shows for its period", async () => {
      const first17 = '33030419620512301';
      const id = first17 + idCheckCharacter(first17);
      const at = new Date('2026-04-08T01:00:00Z');
      const ctx = { ...ts.ctx, now: () => at };
      const result = await inTransaction(ctx, (c) =>
        getAction('publishNotice')(c, {
          instance: instance('inst-1'),
          activity: { id: 'villageNotice', name: '村级公示' },
          properties: {
            level: '村级',
            title: '${village}2026年农村危房改造对象村级公示',
            area: '拆迁安置',
            unit: 'oh-zjj',
            body: '经村民主评议，${applicant}（身份证号 ${idNumber}）拟列为危房改造对象。',
          },
          variables: { village: '纸山村', applicant: '李某某', idNumber: id, noticeDays: 7 },
        }),
      );
      const recordId = result?.variables?.noticeRecordId as string;
      assert.ok(recordId);
      const notices = await app.inject({ method: 'GET', url: '/api/v1/public/notices' });
      assert.equal(notices.statusCode, 200);
      const n = (
        notices.json() as {
          items: {
            id: string;
            title: string;
            indexNumber: string;
            notice: { startsOn: string; endsOn: string; level: string };
          }[];
        }
      ).items.find((x) => x.id === recordId);
      assert.ok(n, 'the notice is public');
      assert.equal(n.title, '纸山村2026年农村危房改造对象村级公示');
      assert.match(n.indexNumber, /^330304-CQAZ00-B-000-\d{4}-G$/);
      assert.deepEqual(
        [n.notice.startsOn, n.notice.endsOn, n.notice.level],
        ['2026-04-08', '2026-04-14', 'village'],
      );
      const detail = (
        await app.inject({ method: 'GET', url: `/api/v1/public/records/${recordId}` })
      ).json() as { body: string };
      assert.ok(!detail.body.includes(id), 'the ID number is masked before publication');
      assert.ok(detail.body.includes(`33*************${id.slice(-3)}`));
    });

    test('01-1-2: an outgoing document carries its attribute as a variable and becomes a record in draft', async () => {
      const item = await inTransaction(ts.ctx, (c) =>
        itemCreator(c, { areaId: ids.areaId, stage: 'decision', matter1: '年度征收计划' }),
      );
      void item;
      for (const [attribute, letter] of [
        ['主动公开', 'G'],
        ['依申请公开', 'Y'],
      ] as const) {
        const out = await inTransaction(ts.ctx, (c) =>
          getAction('createRecord')(c, {
            instance: instance(`inst-doc-${letter}`),
            activity: { id: 'signOff', name: '签发' },
            properties: {
              title: '${docTitle}',
              attribute: '${disclosureAttribute}',
              area: 'CQAZ',
              subArea: '01',
              stage: '决策',
              duty: '001',
              unit: 'oh-zsb',
              documentNumber: '${docNumber}',
            },
            variables: {
              docTitle: `关于印发2026年度房屋征收计划的通知（${attribute}）`,
              disclosureAttribute: attribute,
              docNumber: '温瓯征〔2026〕1号',
            },
          }),
        );
        assert.match(
          String(out?.variables?.indexNumber),
          new RegExp(`^330304-CQAZ01-A-001-\\d{4}-${letter}$`),
        );
        const row = await ts.store.db
          .selectFrom('records')
          .selectAll()
          .where('id', '=', String(out?.variables?.recordId))
          .executeTakeFirstOrThrow();
        assert.equal(row.publish_state, 'draft');
        assert.equal(row.document_number, '温瓯征〔2026〕1号');
        assert.equal(row.source_step, '签发');
      }
    });

    test('a step that rolls back leaves neither record nor serial behind', async () => {
      const before = await ts.store.db.selectFrom('records').select('id').execute();
      await assert.rejects(
        inTransaction(ts.ctx, async (c) => {
          await getAction('createRecord')(c, {
            instance: instance('inst-fail'),
            activity: { id: 'x', name: 'x' },
            properties: { title: '回滚测试', area: 'CQAZ', unit: 'oh-zsb', stage: '结果' },
            variables: {},
          });
          throw new Error('the step fails after the action');
        }),
      );
      assert.equal((await ts.store.db.selectFrom('records').select('id').execute()).length, before.length);
      const counter = await ts.store.db
        .selectFrom('counters')
        .select('value')
        .where('scope', '=', 'idx:seed:330304-CQAZ00-E-000')
        .executeTakeFirst();
      assert.equal(counter?.value ?? 0, 0);
    });
  });
}
