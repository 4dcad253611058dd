import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Context, inTransaction } from '../../src/context.ts';
import { replyDeliverer, replyMaker } from '../../src/requests/commands/requestActions.ts';
import { requestCreator } from '../../src/requests/commands/requestCreator.ts';
import { appointIn, smallDistrict } from '../disclosure/fixtures.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

const at = (ymd: string) => new Date(`${ymd}T02:00:00Z`);

for (const backend of backendNames) {
  describe(`a delivered reply becomes a disclosure record [${backend}]`, () => {
    let ts: TestStore;
    let place: { areaId: string; subAreaId: string; dutyId: string };
    let personId: string | null = null;
    const ctxAt = (ymd: string): Context => ({
      ...ts.ctx,
      now: () => at(ymd),
      actor: { userId: 'u-test', username: 'tester', displayName: '测试员', role: 'staff', personId },
    });
    before(async () => {
      ts = await freshStore(backend);
      place = await smallDistrict(ts.ctx);
      personId = await appointIn(ts.ctx, 'oh-zsb');
    });
    after(() => ts.dispose());

    test('the record is 依申请公开, carries an index number, and holds the letter without personal data', async () => {
      const r = await inTransaction(ctxAt('2026-03-02'), (c) =>
        requestCreator(
          c,
          {
            unitId: 'oh-zsb',
            applicantKind: 'naturalPerson',
            name: '李四',
            idNumber: '330304199001011234',
            phone: '13912345678',
            description: '某项目征收补偿方案',
            deliveryForm: 'paper',
            deliveryMethod: 'post',
          },
          { channel: 'inPerson', submittedOn: '2026-03-02' },
        ),
      );
      await inTransaction(ctxAt('2026-03-10'), (c) =>
        replyMaker(c, r.id, {
          onDate: '2026-03-10',
          outcome: 'alreadyPublic',
          detail: '瓯海区人民政府门户网站“政务公开”栏目',
        }),
      );
      await inTransaction(ctxAt('2026-03-12'), (c) =>
        replyDeliverer(c, r.id, {
          onDate: '2026-03-12',
          method: '邮寄',
          record: { areaId: place.areaId, subAreaId: place.subAreaId, dutyId: place.dutyId },
        }),
      );
      const reply = await ts.store.db
        .selectFrom('info_request_replies')
        .select('record_id')
        .where('request_id', '=', r.id)
        .executeTakeFirstOrThrow();
      assert.ok(reply.record_id);
      const record = await ts.store.db
        .selectFrom('records')
        .select(['title', 'attribute', 'index_number', 'body', 'stage', 'formed_on'])
        .where('id', '=', reply.record_id)
        .executeTakeFirstOrThrow();
      assert.equal(record.attribute, 'onRequest');
      assert.equal(record.stage, 'result');
      assert.equal(record.formed_on, '2026-03-10');
      assert.match(record.title, new RegExp(r.trackingNumber));
      assert.match(record.index_number, /-Y$|\//, record.index_number);
      assert.match(record.body ?? '', /第三十六条第（一）项/);
      for (const secret of ['李四', '330304199001011234', '13912345678'])
        assert.ok(!(record.body ?? '').includes(secret));
    });
  });
}
