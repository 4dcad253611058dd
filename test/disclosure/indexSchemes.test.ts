import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type Session, signIn, testApp } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import { appointIn, smallDistrict } from './fixtures.ts';

/**
 * rules.md §4 and docs/adr/0003: the scheme is a per-region setting (the seed's, or the national
 * 机构代码/YYYY-NNNNN); a number is issued once and never changes — not when the region changes its scheme, not
 * when the record changes its attribute. Sub-areas are numbered with two digits.
 */
for (const backend of backendNames) {
  describe(`index-number schemes and immutable numbers [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let ids: Awaited<ReturnType<typeof smallDistrict>>;
    let admin: Session;
    let staff: Session;
    before(async () => {
      ts = await freshStore(backend);
      ids = await smallDistrict(ts.ctx);
      app = await testApp(ts);
      admin = await signIn(app, ts, 'sysadmin');
      staff = await signIn(app, ts, 'staff');
      await appointIn(ts.ctx, 'oh-zsb', 't-staff');
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    const call = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: s.headers, ...(payload ? { payload } : {}) });
    const record = (over: object = {}) => ({
      title: '瓯海区2024年度国有土地上房屋征收项目工作计划',
      origin: 'produced',
      formedOn: '2024-01-18',
      attribute: 'onRequest',
      disclosingUnitId: 'oh-zsb',
      areaId: ids.areaId,
      subAreaId: ids.subAreaId,
      stage: 'decision',
      dutyId: ids.dutyId,
      ...over,
    });
    const create = async (over: object = {}) => {
      const res = await call(staff, 'POST', '/records', record(over));
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; indexNumber: string };
    };
    const get = async (id: string) =>
      (await call(staff, 'GET', `/records/${id}`)).json() as {
        indexNumber: string;
        attribute: string;
        attributeName: string;
        publishBy: string | null;
      };

    test('a changed attribute keeps the number; the history says so (ADR 0003)', async () => {
      const { id, indexNumber } = await create();
      assert.equal(indexNumber, '330304-CQAZ01-A-001-0001-Y');
      assert.equal((await get(id)).publishBy, null, 'on request: no publish-by date');
      // many ask for it (条例第四十四条): moved into proactive disclosure
      const edited = await call(staff, 'PUT', `/records/${id}`, {
        ...record({
          attribute: 'proactive',
          summary: '2024年度拟实施的国有土地上房屋征收项目及其征收范围。',
        }),
      });
      assert.equal(edited.statusCode, 200, edited.body);
      const after = await get(id);
      assert.equal(after.indexNumber, '330304-CQAZ01-A-001-0001-Y', 'the number does not change');
      assert.deepEqual([after.attribute, after.attributeName], ['proactive', '主动公开']);
      // 20 working days after 2024-01-18 (条例第二十六条), over the Spring Festival: 02-04 and 02-18 (Sundays) are
      // make-up working days, 02-10…02-17 are off
      assert.equal(after.publishBy, '2024-02-20');
      const history = (
        (await call(staff, 'GET', `/records/${id}/history`)).json() as {
          items: { action: string; note: string | null }[];
        }
      ).items;
      const change = history.find((h) => h.action === 'attributeChanged');
      assert.ok(change, history.map((h) => h.action).join());
      assert.match(change.note ?? '', /依申请公开.*主动公开.*330304-CQAZ01-A-001-0001-Y 不变/);
      // the serial stays the scope's: the next record of the scope follows it, whatever its attribute
      assert.equal((await create({ attribute: 'proactive' })).indexNumber, '330304-CQAZ01-A-001-0002-G');
    });

    test('a region set to the national scheme numbers 机构代码/YYYY-NNNNN from then on; issued numbers stay', async () => {
      const before = await create({ stage: 'result', title: '2024年征收补偿结果公告' });
      assert.equal(before.indexNumber, '330304-CQAZ01-E-001-0001-Y');
      const set = await call(admin, 'PUT', '/index-schemes/330304', {
        scheme: 'national',
        orgCode: '11330304MB1234567X',
      });
      assert.equal(set.statusCode, 200, set.body);
      const schemes = (await call(staff, 'GET', '/index-schemes')).json() as {
        items: { regionCode: string; scheme: string }[];
      };
      assert.deepEqual(schemes.items, [
        { regionCode: '330304', scheme: 'national', orgCode: '11330304MB1234567X' },
      ]);

      const preview = await call(staff, 'POST', '/index-numbers/preview', record({ formedOn: '2024-06-01' }));
      assert.equal(preview.statusCode, 200, preview.body);
      assert.deepEqual(preview.json(), {
        indexNumber: '11330304MB1234567X/2024-00001',
        parts: { scheme: 'national', orgCode: '11330304MB1234567X', year: 2024, serial: 1 },
      });
      assert.equal((await create({ formedOn: '2024-06-01' })).indexNumber, '11330304MB1234567X/2024-00001');
      assert.equal((await create({ formedOn: '2024-11-30' })).indexNumber, '11330304MB1234567X/2024-00002');
      assert.equal(
        (await create({ formedOn: '2025-01-06' })).indexNumber,
        '11330304MB1234567X/2025-00001',
        'a new year starts its own sequence',
      );
      // a unit with its own code numbers under it
      const code = await call(admin, 'PUT', '/index-schemes/unit-codes/oh-zsb', {
        orgCode: '113303040012345678',
      });
      assert.equal(code.statusCode, 200, code.body);
      assert.equal((await create({ formedOn: '2024-07-01' })).indexNumber, '113303040012345678/2024-00001');
      assert.equal(
        (
          await call(admin, 'PUT', '/index-schemes/unit-codes/no-such-unit', {
            orgCode: '113303040012345678',
          })
        ).statusCode,
        404,
      );
      assert.equal(
        (await call(admin, 'PUT', '/index-schemes/unit-codes/oh-zsb', { orgCode: '11330304-123' }))
          .statusCode,
        400,
      );
      // what was issued under the seed's scheme is unchanged
      assert.equal((await get(before.id)).indexNumber, '330304-CQAZ01-E-001-0001-Y');
      // and back: the seed's scope continues where it stopped
      await call(admin, 'PUT', '/index-schemes/330304', { scheme: 'seed' });
      assert.equal((await create({ stage: 'result' })).indexNumber, '330304-CQAZ01-E-001-0002-Y');
    });

    test('an area whose initials do not make an abbreviation must be given one', async () => {
      const auto = await call(admin, 'POST', '/areas', { name: '国有土地上房屋征收与补偿' });
      assert.equal(auto.statusCode, 400, auto.body);
      assert.match(auto.body, /GYTDSFWZSYBC.*请指定领域缩写/);
      const given = await call(admin, 'POST', '/areas', {
        name: '国有土地上房屋征收与补偿',
        abbreviation: 'gyfwzsbc',
      });
      assert.equal(given.statusCode, 201, given.body);
      assert.equal((given.json() as { abbreviation: string }).abbreviation, 'GYFWZSBC');
      const clash = await call(admin, 'POST', '/areas', { name: '城乡安置', abbreviation: 'CQAZ' });
      assert.equal(clash.statusCode, 409);
      assert.match(clash.body, /拆迁安置/);
    });

    test('sub-areas are numbered 01–99, once per area', async () => {
      const add = (number: string) =>
        call(admin, 'POST', `/areas/${ids.areaId}/sub-areas`, { number, name: `子领域${number}` });
      for (const bad of ['1', '001', 'A1', '00']) assert.equal((await add(bad)).statusCode, 400, bad);
      assert.equal((await add('02')).statusCode, 201);
      assert.equal((await add('02')).statusCode, 409);
    });
  });
}
