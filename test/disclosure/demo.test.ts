import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadDemo } from '../../src/demo/loadDemo.ts';
import { signIn, testApp } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

interface AreaOut {
  id: string;
  name: string;
  abbreviation: string;
  leadUnits: { id: string; name: string }[];
  subAreas: { number: string; name: string }[];
}
interface ItemOut {
  stage: string;
  matter1: string;
  matter2: string | null;
  responsibleUnits: { id: string }[];
  responsibleNote: string | null;
}

for (const backend of backendNames) {
  describe(`the demo district's disclosure data [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    before(async () => {
      ts = await freshStore(backend);
      const result = await loadDemo(ts.ctx, 'Demo-pass-2026');
      assert.equal(result.loaded, true);
      assert.ok(
        result.summary.some((s) => s.startsWith('disclosure: 9 pilot areas')),
        result.summary.join('\n'),
      );
      app = await testApp(ts);
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('the 9 pilot areas and their 五公开 task lists are browsable through the API', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/areas?source=pilot' });
      const areas = (res.json() as { items: AreaOut[] }).items;
      assert.deepEqual(
        areas.map((a) => a.name),
        [
          '征地补偿',
          '拆迁安置',
          '保障性住房',
          '农村危房改造',
          '扶贫救灾',
          '市政服务',
          '公共资源交易',
          '义务教育',
          '为民办实事项目',
        ],
      );
      const cqaz = areas.find((a) => a.name === '拆迁安置')!;
      assert.equal(cqaz.abbreviation, 'CQAZ');
      assert.deepEqual(
        cqaz.leadUnits.map((u) => u.id),
        ['oh-zsb'],
      );
      assert.deepEqual(
        cqaz.subAreas.map((s) => `${s.number} ${s.name}`),
        ['01 拆迁项目管理', '02 拆迁安置程序', '03 拆迁房源管理', '04 拆迁房屋分户评估管理', '05 补偿安置'],
      );
      let total = 0;
      for (const a of areas) {
        const items = (
          (await app.inject({ method: 'GET', url: `/api/v1/disclosure-items?area=${a.id}` })).json() as {
            items: ItemOut[];
          }
        ).items;
        assert.ok(items.length > 0, `${a.name} has a task list`);
        total += items.length;
      }
      assert.equal(total, 263, 'every row of 附件5');
      const decisions = (
        (
          await app.inject({ method: 'GET', url: `/api/v1/disclosure-items?area=${cqaz.id}&stage=decision` })
        ).json() as {
          items: ItemOut[];
        }
      ).items;
      assert.equal(decisions[0]?.matter1, '国有土地上的房屋拆迁安置');
      assert.equal(decisions[0]?.matter2, '制定年度项目工作计划、审查是否符合确需征收房屋的情形');
      assert.deepEqual(
        decisions[0]?.responsibleUnits.map((u) => u.id),
        ['oh-zsb'],
      );
      const zdbc = areas.find((a) => a.name === '征地补偿')!;
      const exec = (
        (
          await app.inject({ method: 'GET', url: `/api/v1/disclosure-items?area=${zdbc.id}&stage=execution` })
        ).json() as {
          items: ItemOut[];
        }
      ).items;
      const agreement = exec.find((i) => i.matter1 === '征地补偿安置协议书');
      assert.equal(
        agreement?.responsibleNote,
        '征地事务机构、各镇街、村委会',
        'unresolved units keep the printed text',
      );
    });

    test("the worked example's index numbers come out as the seed prints them", async () => {
      const staff = await signIn(app, ts, 'staff');
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/records?limit=500',
        headers: staff.headers,
      });
      const numbers = (res.json() as { items: { indexNumber: string; title: string }[] }).items.map(
        (r) => r.indexNumber,
      );
      for (const tail of ['0100-Y', '0101-Y', '0102-Y', '0120-B', '0121-G', '0122-Y'])
        assert.ok(numbers.includes(`330304-CQAZ01-C-001-${tail}`), `…${tail.slice(1)}`);
      // The seed's own example: 拆迁安置, 330304, sub-area 01, 决策, duty 001, serial 0001, 依申请.
      const preview = await app.inject({
        method: 'POST',
        url: '/api/v1/index-numbers/preview',
        headers: staff.headers,
        payload: {
          disclosingUnitId: 'oh-zsb',
          areaId: (
            await ts.store.db
              .selectFrom('areas')
              .select('id')
              .where('abbreviation', '=', 'CQAZ')
              .executeTakeFirstOrThrow()
          ).id,
          subAreaId: (
            await ts.store.db
              .selectFrom('sub_areas')
              .select('id')
              .where('name', '=', '拆迁项目管理')
              .executeTakeFirstOrThrow()
          ).id,
          dutyId: (
            await ts.store.db
              .selectFrom('disclosure_duties')
              .select('id')
              .where('number', '=', '001')
              .executeTakeFirstOrThrow()
          ).id,
          stage: 'decision',
          attribute: 'onRequest',
          formedOn: '2017-09-01',
        },
      });
      assert.equal(preview.statusCode, 200, preview.body);
      // One demo record already sits in 01/决策/001 (the 2024 plan), so the next serial is 0002.
      assert.equal((preview.json() as { indexNumber: string }).indexNumber, '330304-CQAZ01-A-001-0002-Y');
    });

    test('the portal has notices in every state and the on-request catalogue shows metadata only', async () => {
      for (const state of ['upcoming', 'open', 'closed']) {
        const res = await app.inject({ method: 'GET', url: `/api/v1/public/notices?state=${state}` });
        const items = (res.json() as { items: { notice: { state: string } }[] }).items;
        assert.ok(items.length > 0, `a ${state} notice`);
        assert.ok(items.every((n) => n.notice.state === state));
      }
      const levels = (
        (await app.inject({ method: 'GET', url: '/api/v1/public/notices?limit=200' })).json() as {
          items: { notice: { level: string } }[];
        }
      ).items.map((n) => n.notice.level);
      for (const l of ['village', 'town', 'district']) assert.ok(levels.includes(l), `a ${l} notice`);
      const onRequest = (
        await app.inject({ method: 'GET', url: '/api/v1/public/on-request?limit=200' })
      ).json() as {
        items: Record<string, unknown>[];
      };
      assert.ok(onRequest.items.length >= 5);
      for (const e of onRequest.items) {
        assert.ok(!('body' in e) && !('summary' in e) && !('attachments' in e));
      }
      const all = (await app.inject({ method: 'GET', url: '/api/v1/public/records?limit=200' })).body;
      assert.ok(
        !all.includes('评标委员会成员名单') && !all.includes('启动阶段材料审查报告'),
        'no exempt record',
      );
      assert.ok(!/\d{17}[\dX]/.test(all) && !/1[3-9]\d{9}/.test(all), 'no unmasked ID or mobile number');
    });

    test('the compliance view shows items without records, late records and counts by attribute', async () => {
      const staff = await signIn(app, ts, 'staff');
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/disclosure/compliance',
        headers: staff.headers,
      });
      const areas = (
        res.json() as {
          areas: {
            area: { name: string };
            totals: {
              items: number;
              itemsWithoutRecord: number;
              late: number;
              byAttribute: Record<string, number>;
            };
          }[];
        }
      ).areas;
      assert.equal(areas.length, 9);
      const ywjy = areas.find((a) => a.area.name === '义务教育')!;
      assert.ok(ywjy.totals.late >= 1, 'the teacher recruitment notice is late');
      const cqaz = areas.find((a) => a.area.name === '拆迁安置')!;
      assert.ok((cqaz.totals.byAttribute.exempt ?? 0) >= 1 && (cqaz.totals.byAttribute.onRequest ?? 0) >= 4);
      assert.ok(cqaz.totals.itemsWithoutRecord < cqaz.totals.items);
    });
  });
}
