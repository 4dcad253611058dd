import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../../src/context.ts';
import { recordCreator } from '../../src/disclosure/commands/recordCreator.ts';
import { unitCreator } from '../../src/registry/commands/unitCreator.ts';
import { requestCreator } from '../../src/requests/commands/requestCreator.ts';
import { type Session, signIn, testApp } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import { appointIn, disclosureOffice, smallDistrict } from './fixtures.ts';

// Unit scope (issue 7 item 2; src/disclosure/unitScope.ts): a township clerk works on its township's records and
// requests only; the disclosure office (区府办) sees and handles every unit's requests.

for (const backend of backendNames) {
  describe(`unit scope of records and requests [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let ids: Awaited<ReturnType<typeof smallDistrict>>;
    let clerk: Session;
    let office: Session;
    const record = (unit: string) => ({
      title: `${unit} 2026年重点工作安排`,
      summary: '公布本年度重点工作安排。',
      origin: 'produced',
      formedOn: '2026-03-02',
      attribute: 'proactive',
      disclosingUnitId: unit,
      areaId: ids.areaId,
      subAreaId: ids.subAreaId,
      stage: 'decision',
      dutyId: ids.dutyId,
    });
    const request = (unitId: string, description: string) =>
      inTransaction(ts.ctx, (c) =>
        requestCreator(
          c,
          {
            unitId,
            applicantKind: 'naturalPerson',
            name: '李四',
            idNumber: '330304199001011234',
            phone: '13912345678',
            description,
            deliveryForm: 'paper',
            deliveryMethod: 'post',
          },
          { channel: 'inPerson', submittedOn: new Date().toISOString().slice(0, 10) },
        ),
      );
    const call = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: s.headers, ...(payload ? { payload } : {}) });

    before(async () => {
      ts = await freshStore(backend);
      ids = await smallDistrict(ts.ctx);
      await inTransaction(ts.ctx, (c) =>
        unitCreator(c, { id: 'oh-town', parentId: 'oh-gov', name: '瓯海区娄桥街道', kind: 'township' }),
      );
      await disclosureOffice(ts.ctx, 'oh-gov');
      app = await testApp(ts);
      clerk = await signIn(app, ts, 'staff', 'town-clerk');
      office = await signIn(app, ts, 'staff', 'office-clerk');
      await appointIn(ts.ctx, 'oh-town', 'town-clerk');
      await appointIn(ts.ctx, 'gov-office', 'office-clerk');
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test("a township clerk creates and edits its township's records, and gets 403 on a bureau's", async () => {
      const own = await call(clerk, 'POST', '/records', record('oh-town'));
      assert.equal(own.statusCode, 201, own.body);
      const { id } = own.json() as { id: string };
      const {
        disclosingUnitId: _u,
        areaId: _a,
        subAreaId: _s,
        stage: _t,
        dutyId: _d,
        ...fields
      } = record('oh-town');
      const edited = await call(clerk, 'PUT', `/records/${id}`, {
        ...fields,
        title: '娄桥街道2026年重点工作安排',
      });
      assert.equal(edited.statusCode, 200, edited.body);
      assert.equal((await call(clerk, 'POST', `/records/${id}/submit`)).statusCode, 200);

      const refused = await call(clerk, 'POST', '/records', record('oh-zsb'));
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().code, 'forbidden_unit');
      const bureau = await inTransaction(ts.ctx, (c) =>
        recordCreator(c, record('oh-zsb') as Parameters<typeof recordCreator>[1]),
      );
      for (const [method, url, payload] of [
        ['PUT', `/records/${bureau.id}`, { ...fields, title: '改掉别人的标题' }],
        ['POST', `/records/${bureau.id}/submit`, undefined],
        ['POST', `/records/${bureau.id}/mask`, undefined],
      ] as const) {
        const res = await call(clerk, method, url, payload);
        assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
        assert.equal(res.json().code, 'forbidden_unit');
      }
      const after = await call(office, 'GET', `/records/${bureau.id}`);
      assert.equal((after.json() as { title: string }).title, `oh-zsb 2026年重点工作安排`, 'unchanged');
    });

    test("requests: the clerk lists and handles its township's only; the office lists and handles all", async () => {
      const town = await request('oh-town', '娄桥街道旧村改造补偿标准');
      const bureau = await request('oh-zsb', '某项目征收补偿方案');
      const listed = (s: Session) =>
        call(s, 'GET', '/info-requests').then((r) =>
          (r.json() as { items: { id: string }[] }).items.map((i) => i.id).sort(),
        );
      assert.deepEqual(await listed(clerk), [town.id]);
      assert.deepEqual(await listed(office), [town.id, bureau.id].sort());
      assert.deepEqual(
        ((await call(clerk, 'GET', '/info-requests?unit=oh-zsb')).json() as { items: unknown[] }).items,
        [],
        'unit= does not widen the scope',
      );

      const foreign = await call(clerk, 'POST', `/info-requests/${bureau.id}/note`, {
        note: '已电话联系申请人',
      });
      assert.equal(foreign.statusCode, 403, foreign.body);
      assert.equal(foreign.json().code, 'forbidden_unit');
      assert.equal((await call(clerk, 'GET', `/info-requests/${bureau.id}`)).statusCode, 403);
      assert.equal(
        (await call(clerk, 'POST', `/info-requests/${town.id}/note`, { note: '已电话联系申请人' }))
          .statusCode,
        200,
      );
      assert.equal(
        (await call(office, 'POST', `/info-requests/${bureau.id}/note`, { note: '已电话联系申请人' }))
          .statusCode,
        200,
      );
    });
  });
}
