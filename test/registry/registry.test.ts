import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadDemo } from '../../src/demo/loadDemo.ts';
import { signIn, testApp } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

interface UnitOut {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  workItemCount: number;
  positions: {
    name: string;
    holders: { name: string }[];
    supervises: { name: string }[];
    workItems: { title: string; flowCodes: string[]; lead: { name: string } | null }[];
  }[];
}

for (const backend of backendNames) {
  describe(`registry with the demo district [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    before(async () => {
      ts = await freshStore(backend);
      const result = await loadDemo(ts.ctx, 'Demo-pass-2026');
      assert.equal(result.loaded, true);
      app = await testApp(ts);
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('lists the three seed units of 山亭区住建局 with all their work items', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/units?root=st-zjj' });
      assert.equal(res.statusCode, 200);
      const units = (res.json() as { items: UnitOut[] }).items;
      const names = units.map((u) => u.name);
      for (const n of ['山亭区住房和城乡建设局', '山亭区住房保障服务中心', '山亭区建筑业发展服务中心']) {
        assert.ok(names.includes(n), `${n} listed`);
      }
      const total = units.reduce((s, u) => s + u.workItemCount, 0);
      assert.ok(total >= 40 && total <= 50, `about 43 work items, got ${total}`);
      const head = units.flatMap((u) => u.positions).find((p) => p.name === '正职岗位');
      assert.equal(head?.holders[0]?.name, '孙鸿鹄');
    });

    test('filters work items by flow code, following the table-to-chart aliases', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/work-items?flowCode=01-1-1' });
      const items = (res.json() as { items: { title: string; flowCodes: string[] }[] }).items;
      assert.ok(items.length >= 1);
      assert.ok(items.every((w) => w.flowCodes.includes('01-1-1')));
      const danger = await app.inject({ method: 'GET', url: '/api/v1/work-items?flowCode=12-2&unit=st-zjj' });
      const dItems = (danger.json() as { items: { title: string }[] }).items;
      assert.ok(
        dItems.some((w) => w.title.includes('危房改造')),
        'the 危房改造 duty carries flow 12-2',
      );
    });

    test('every demo person can sign in with the demo password under the pinyin of their name', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'sunhonghu', password: 'Demo-pass-2026' },
      });
      assert.equal(res.statusCode, 200);
      assert.equal(
        (res.json() as { user: { displayName: string; role: string } }).user.displayName,
        '孙鸿鹄',
      );
      assert.equal((res.json() as { user: { role: string } }).user.role, 'leader');
    });

    test('writes need an administrator; bad input names the field and changes nothing', async () => {
      const anon = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        payload: { parentId: null, name: 'x', kind: 'bureau' },
      });
      assert.equal(anon.statusCode, 401);
      const staff = await signIn(app, ts, 'staff');
      const denied = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: staff.headers,
        payload: { parentId: null, name: 'x', kind: 'bureau' },
      });
      assert.equal(denied.statusCode, 403);
      const admin = await signIn(app, ts, 'sysadmin');
      const before = await ts.store.db
        .selectFrom('units')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const bad = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: admin.headers,
        payload: { parentId: 'st-zjj', name: '', kind: 'castle' },
      });
      assert.equal(bad.statusCode, 400);
      const body = bad.json() as { code: string; fields: { field: string }[] };
      assert.equal(body.code, 'validation_failed');
      assert.deepEqual(body.fields.map((f) => f.field).sort(), ['body.kind', 'body.name']);
      const afterCount = await ts.store.db
        .selectFrom('units')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n));
      const ok = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: admin.headers,
        payload: { parentId: 'st-zjj', name: '城市管理股', kind: 'section' },
      });
      assert.equal(ok.statusCode, 201);
      const noCsrf = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: { cookie: admin.cookie },
        payload: { parentId: 'st-zjj', name: '另一个股', kind: 'section' },
      });
      assert.equal(noCsrf.statusCode, 403);
    });

    test('a person holds a position from a date to a date, so history is kept', async () => {
      const admin = await signIn(app, ts, 'sysadmin');
      const p = await app.inject({
        method: 'POST',
        url: '/api/v1/people',
        headers: admin.headers,
        payload: { name: '测试人', unitId: 'st-zjj' },
      });
      const personId = (p.json() as { id: string }).id;
      const past = await app.inject({
        method: 'POST',
        url: '/api/v1/appointments',
        headers: admin.headers,
        payload: { personId, positionId: 'zjj-post-01', startsOn: '2019-01-01', endsOn: '2020-12-31' },
      });
      assert.equal(past.statusCode, 201);
      const units = (await app.inject({ method: 'GET', url: '/api/v1/units/st-zjj' })).json() as UnitOut & {
        descendants: UnitOut[];
      };
      const post = [units, ...units.descendants]
        .flatMap((u) => u.positions)
        .find((x) => x.name.includes('综合管理'));
      assert.ok(post);
      assert.ok(!post.holders.some((h) => h.name === '测试人'), 'a past holder is not a current holder');
      const rows = await ts.store.db
        .selectFrom('appointments')
        .selectAll()
        .where('person_id', '=', personId)
        .execute();
      assert.equal(rows.length, 1, 'the past appointment is kept');
    });

    test('the printable 定岗定责定流程表 shows every column and item', async () => {
      const res = await app.inject({ method: 'GET', url: '/org/st-zjj/table' });
      assert.equal(res.statusCode, 200);
      for (const col of [
        '序号',
        '岗位名称',
        '工作事项',
        '岗位职能描述',
        '岗位责任描述',
        '工作流程',
        '牵头负责人',
        '辅助人员',
        '备注',
      ]) {
        assert.ok(res.body.includes(`>${col}<`), col);
      }
      assert.ok(res.body.includes('公文分发'));
      assert.ok(res.body.includes('孙鸿鹄'));
    });

    test('health and OpenAPI', async () => {
      const h = await app.inject({ method: 'GET', url: '/api/v1/health' });
      assert.deepEqual(h.json(), { status: 'ok', database: backend });
      const o = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      const doc = o.json() as { paths: Record<string, unknown> };
      assert.ok(doc.paths['/api/v1/units']);
      assert.ok(doc.paths['/api/v1/work-items']);
    });
  });
}
