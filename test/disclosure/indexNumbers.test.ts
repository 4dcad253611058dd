import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inTransaction } from '../../src/context.ts';
import { areaCreator } from '../../src/disclosure/commands/areaCreator.ts';
import { recordCreator } from '../../src/disclosure/commands/recordCreator.ts';
import { AppError } from '../../src/errors.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import { smallDistrict } from './fixtures.ts';

for (const backend of backendNames) {
  describe(`index numbers [${backend}]`, () => {
    let ts: TestStore;
    let ids: Awaited<ReturnType<typeof smallDistrict>>;
    before(async () => {
      ts = await freshStore(backend);
      ids = await smallDistrict(ts.ctx);
    });
    after(() => ts.dispose());

    test('the seed example: 拆迁安置, 330304, sub-area 01, 决策, duty 001, first serial, 依申请', async () => {
      const r = await inTransaction(ts.ctx, (c) =>
        recordCreator(c, {
          title: '2017年度国有土地上房屋征收项目工作计划',
          origin: 'produced',
          formedOn: '2017-09-01',
          attribute: 'onRequest',
          disclosingUnitId: 'oh-zsb',
          areaId: ids.areaId,
          subAreaId: ids.subAreaId,
          stage: 'decision',
          dutyId: ids.dutyId,
        }),
      );
      assert.equal(r.indexNumber, '330304-CQAZ01-A-001-0001-Y');
    });

    test('area abbreviations: pinyin initials by default, a collision refused, an explicit one accepted', async () => {
      // 城市绿化 and 城市亮化 both give CSLH
      const a = await inTransaction(ts.ctx, (c) => areaCreator(c, { name: '城市绿化' }));
      assert.equal(a.abbreviation, 'CSLH');
      await assert.rejects(
        inTransaction(ts.ctx, (c) => areaCreator(c, { name: '城市亮化' })),
        (e: unknown) =>
          e instanceof AppError && e.code === 'abbreviation_taken' && e.message.includes('城市绿化'),
      );
      const b = await inTransaction(ts.ctx, (c) =>
        areaCreator(c, { name: '城市亮化', abbreviation: 'CSLIANGH' }),
      );
      assert.equal(b.abbreviation, 'CSLIANGH');
    });

    test('1,000 records created concurrently get 1,000 distinct, gapless serials', async () => {
      const n = 1000;
      const results = await Promise.allSettled(
        Array.from({ length: n }, (_, i) =>
          inTransaction(ts.ctx, (c) =>
            recordCreator(c, {
              title: `并发测试信息 ${i}`,
              origin: 'produced',
              formedOn: '2024-03-01',
              attribute: i % 3 === 0 ? 'proactive' : 'onRequest',
              summary: '测试',
              disclosingUnitId: 'oh-zsb',
              areaId: ids.areaId,
              subAreaId: ids.subAreaId,
              stage: 'execution',
              dutyId: ids.dutyId,
            }),
          ),
        ),
      );
      const failed = results.filter((r) => r.status === 'rejected');
      assert.equal(
        failed.length,
        0,
        `all created (${failed.length} failed: ${String((failed[0] as PromiseRejectedResult | undefined)?.reason)})`,
      );
      const rows = await ts.store.db
        .selectFrom('records')
        .select(['index_number', 'index_serial'])
        .where('stage', '=', 'execution')
        .execute();
      assert.equal(rows.length, n);
      assert.equal(new Set(rows.map((r) => r.index_number)).size, n, 'distinct numbers');
      const serials = rows.map((r) => r.index_serial).sort((a, b) => a - b);
      assert.deepEqual(
        serials,
        Array.from({ length: n }, (_, i) => i + 1),
        'serials 1..1000 without gaps',
      );
      assert.ok(
        rows.some(
          (r) =>
            r.index_number === '330304-CQAZ01-B-001-1000-Y' ||
            r.index_number === '330304-CQAZ01-B-001-1000-G',
        ),
      );
    });
  });
}
