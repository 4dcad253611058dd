import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../../src/context.ts';
import { negativeEntryCreator } from '../../src/disclosure/commands/negativeEntryCreator.ts';
import { idCheckCharacter, luhnValid } from '../../src/disclosure/privacy.ts';
import { type Session, signIn, testApp } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import { appointIn, smallDistrict } from './fixtures.ts';

const first17 = '33030419850317123';
const idNumber = first17 + idCheckCharacter(first17);

for (const backend of backendNames) {
  describe(`publishing records [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let ids: Awaited<ReturnType<typeof smallDistrict>>;
    let staff: Session;
    let leader: Session;
    before(async () => {
      ts = await freshStore(backend);
      ids = await smallDistrict(ts.ctx);
      app = await testApp(ts);
      staff = await signIn(app, ts, 'staff');
      leader = await signIn(app, ts, 'leader');
      // both work at the disclosing unit 区征收办 (unit scope, src/disclosure/unitScope.ts)
      await appointIn(ts.ctx, 'oh-zsb', 't-staff');
      await appointIn(ts.ctx, 'oh-zsb', 't-leader');
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    const post = (s: Session, url: string, payload?: object) =>
      app.inject({ method: 'POST', url, headers: s.headers, ...(payload ? { payload } : {}) });

    test('a record holding a valid ID number cannot be published until masked; then it passes 审核 and 保密审查', async () => {
      const created = await post(staff, '/api/v1/records', {
        title: '关于瓯海大道拓宽工程房屋征收范围内房屋调查登记的通知',
        summary: '公布瓯海大道拓宽工程房屋征收范围内房屋调查登记的时间、地点和要求。',
        origin: 'produced',
        formedOn: '2024-03-01',
        attribute: 'proactive',
        body: `被征收人王某某（身份证号 ${idNumber}，联系电话 13812341234）请于规定时间内配合调查登记。`,
        disclosingUnitId: 'oh-zsb',
        areaId: ids.areaId,
        subAreaId: ids.subAreaId,
        stage: 'management',
        dutyId: ids.dutyId,
        channels: ['政府网站', '公示栏'],
      });
      assert.equal(created.statusCode, 201, created.body);
      const { id, indexNumber } = created.json() as { id: string; indexNumber: string };
      assert.equal(indexNumber, '330304-CQAZ01-C-001-0001-G');

      const blocked = await post(staff, `/api/v1/records/${id}/submit`);
      assert.equal(blocked.statusCode, 422);
      const err = blocked.json() as { code: string; fields: { field: string; reason: string }[] };
      assert.equal(err.code, 'personal_data_found');
      assert.deepEqual(
        err.fields.map((f) => f.field),
        ['body', 'body'],
      );
      assert.ok(
        err.fields.some((f) => f.reason.includes('33*************')),
        'names the ID number, masked',
      );
      assert.ok(!blocked.body.includes(idNumber), 'the refusal does not echo the full ID number');

      const masked = await post(staff, `/api/v1/records/${id}/mask`);
      assert.deepEqual(masked.json(), { masked: 2 });
      const detail = (
        await app.inject({ method: 'GET', url: `/api/v1/records/${id}`, headers: staff.headers })
      ).json() as {
        body: string;
        privacyFindings: unknown[];
      };
      assert.ok(detail.body.includes(`${idNumber.slice(0, 2)}*************${idNumber.slice(-3)}`));
      assert.ok(detail.body.includes('138****1234'));
      assert.deepEqual(detail.privacyFindings, []);

      assert.equal((await post(staff, `/api/v1/records/${id}/submit`)).statusCode, 200);
      // not yet public
      assert.equal(
        (await app.inject({ method: 'GET', url: `/api/v1/public/records/${id}` })).statusCode,
        404,
      );
      // the submitter cannot review their own record
      const self = await signIn(app, ts, 'leader', 'leader-submitter');
      assert.equal(
        (await post(staff, `/api/v1/records/${id}/review`, { decision: 'approve' })).statusCode,
        403,
      );
      void self;
      assert.equal(
        (await post(leader, `/api/v1/records/${id}/review`, { decision: 'approve' })).statusCode,
        200,
      );
      assert.equal(
        (await post(leader, `/api/v1/records/${id}/publish`)).statusCode,
        409,
        '保密审查 not done yet',
      );
      assert.equal(
        (await post(leader, `/api/v1/records/${id}/secrecy-check`, { decision: 'approve' })).statusCode,
        200,
      );
      assert.equal((await post(leader, `/api/v1/records/${id}/publish`)).statusCode, 200);

      const pub = await app.inject({ method: 'GET', url: `/api/v1/public/records/${id}` });
      assert.equal(pub.statusCode, 200);
      const p = pub.json() as { indexNumber: string; title: string; body: string; channels: string[] };
      assert.equal(p.indexNumber, '330304-CQAZ01-C-001-0001-G');
      assert.ok(!p.body.includes(idNumber));
      assert.deepEqual(p.channels, ['政府网站', '公示栏']);
      assert.ok(!('publishBy' in p) && !('createdBy' in p), 'no internal fields on the public API');

      const history = (
        await app.inject({ method: 'GET', url: `/api/v1/records/${id}/history`, headers: staff.headers })
      ).json() as { items: { action: string }[] };
      assert.deepEqual(
        history.items.map((h) => h.action),
        ['created', 'masked', 'submitted', 'reviewApproved', 'secrecyApproved', 'published'],
      );
    });

    test('personal data in the title or a text attachment blocks publication too; masking fixes the file served', async () => {
      const card = [...'0123456789'].map((d) => `621700001000123456${d}`).find((c) => luhnValid(c)) as string;
      const created = await post(staff, '/api/v1/records', {
        title: '瓯海大道拓宽工程房屋征收补偿款发放情况（咨询电话13912345678）',
        summary: '公布瓯海大道拓宽工程房屋征收补偿款的发放户数和金额。',
        origin: 'produced',
        formedOn: '2024-05-06',
        attribute: 'proactive',
        body: '补偿款已全部发放到户，发放明细见附件。',
        disclosingUnitId: 'oh-zsb',
        areaId: ids.areaId,
        stage: 'result',
      });
      assert.equal(created.statusCode, 201, created.body);
      const { id } = created.json() as { id: string };
      const list = `序号\t户主\t身份证号\t银行卡号\t金额\n1\t王某某\t${idNumber}\t${card}\t356000\n`;
      const attached = await post(staff, `/api/v1/records/${id}/attachments`, {
        fileName: '补偿款发放明细.txt',
        contentBase64: Buffer.from(list, 'utf8').toString('base64'),
      });
      assert.equal(attached.statusCode, 201, attached.body);
      const attachmentId = (attached.json() as { id: string }).id;

      const blocked = await post(staff, `/api/v1/records/${id}/submit`);
      assert.equal(blocked.statusCode, 422, blocked.body);
      const fields = (blocked.json() as { fields: { field: string; reason: string }[] }).fields;
      assert.deepEqual(
        fields.map((f) => f.field),
        ['title', 'attachments.补偿款发放明细.txt', 'attachments.补偿款发放明细.txt'],
      );
      assert.ok(fields[0]?.reason.includes('139****5678'));
      assert.ok(!blocked.body.includes(idNumber) && !blocked.body.includes(card));

      assert.deepEqual((await post(staff, `/api/v1/records/${id}/mask`)).json(), { masked: 3 });
      assert.equal((await post(staff, `/api/v1/records/${id}/submit`)).statusCode, 200);
      assert.equal(
        (await post(leader, `/api/v1/records/${id}/review`, { decision: 'approve' })).statusCode,
        200,
      );
      assert.equal(
        (await post(leader, `/api/v1/records/${id}/secrecy-check`, { decision: 'approve' })).statusCode,
        200,
      );
      assert.equal((await post(leader, `/api/v1/records/${id}/publish`)).statusCode, 200);
      const pub = (await app.inject({ method: 'GET', url: `/api/v1/public/records/${id}` })).json() as {
        title: string;
      };
      assert.equal(pub.title, '瓯海大道拓宽工程房屋征收补偿款发放情况（咨询电话139****5678）');
      const file = await app.inject({
        method: 'GET',
        url: `/api/v1/public/records/${id}/attachments/${attachmentId}`,
      });
      assert.equal(file.statusCode, 200);
      assert.ok(
        !file.body.includes(idNumber) && !file.body.includes(card),
        'the served file is the masked one',
      );
      assert.ok(file.body.includes(`${card.slice(0, 4)}`) && file.body.includes(card.slice(-4)));
    });

    test('a reviewer may return a record with a reason; it goes back to draft', async () => {
      const created = await post(staff, '/api/v1/records', {
        title: '瓯海区2024年度房屋征收计划',
        summary: '2024年度拟实施的房屋征收项目。',
        origin: 'produced',
        formedOn: '2024-01-15',
        attribute: 'proactive',
        disclosingUnitId: 'oh-zsb',
        areaId: ids.areaId,
        stage: 'decision',
      });
      const { id } = created.json() as { id: string };
      await post(staff, `/api/v1/records/${id}/submit`);
      const noReason = await post(leader, `/api/v1/records/${id}/review`, { decision: 'return' });
      assert.equal(noReason.statusCode, 400);
      const back = await post(leader, `/api/v1/records/${id}/review`, {
        decision: 'return',
        note: '请补充征收项目清单',
      });
      assert.equal(back.statusCode, 200);
      const r = (
        await app.inject({ method: 'GET', url: `/api/v1/records/${id}`, headers: staff.headers })
      ).json() as {
        publishState: string;
        publishBy: string;
      };
      assert.equal(r.publishState, 'draft');
      // 条例 Art. 26: 2024-01-15 + 20 working days on China's calendar — Sunday 2024-02-04 is a 调休 make-up
      // working day before the Spring Festival, so the 20th working day is Friday 2024-02-09.
      assert.equal(r.publishBy, '2024-02-09');
    });

    test('nothing marked 不予公开 is reachable publicly, and it needs a basis', async () => {
      const noBasis = await post(staff, '/api/v1/records', {
        title: 'XX项目国有土地上房屋征收与补偿启动阶段材料审查报告',
        origin: 'produced',
        formedOn: '2024-02-01',
        attribute: 'exempt',
        disclosingUnitId: 'oh-zsb',
        areaId: ids.areaId,
        stage: 'management',
      });
      assert.equal(noBasis.statusCode, 400);
      assert.ok(
        (noBasis.json() as { fields: { field: string }[] }).fields.some(
          (f) => f.field === 'body.exemptionBasis' || f.field === 'exemptionBasis',
        ),
      );
      const entry = await inTransaction(ts.ctx, (c) =>
        negativeEntryCreator(c, {
          areaId: ids.areaId,
          matter: '房屋征收启动阶段的内部审查材料',
          basis: '《政府信息公开条例》第十六条第一款（内部事务信息）',
        }),
      );
      const ok = await post(staff, '/api/v1/records', {
        title: 'XX项目国有土地上房屋征收与补偿启动阶段材料审查报告',
        origin: 'produced',
        formedOn: '2024-02-01',
        attribute: 'exempt',
        negativeListEntryId: entry.id,
        disclosingUnitId: 'oh-zsb',
        areaId: ids.areaId,
        subAreaId: ids.subAreaId,
        stage: 'management',
        dutyId: ids.dutyId,
      });
      assert.equal(ok.statusCode, 201, ok.body);
      const { id, indexNumber } = ok.json() as { id: string; indexNumber: string };
      assert.match(indexNumber, /^330304-CQAZ01-C-001-\d{4}-B$/);
      assert.equal((await post(staff, `/api/v1/records/${id}/submit`)).statusCode, 409);
      assert.equal((await post(leader, `/api/v1/records/${id}/publish`)).statusCode, 409);
      // Even forced into 'published' by a bug, an exempt record stays out of every public query.
      await ts.store.db
        .updateTable('records')
        .set({ publish_state: 'published', published_at: new Date().toISOString() })
        .where('id', '=', id)
        .execute();
      for (const url of [`/api/v1/public/records/${id}`]) {
        assert.equal((await app.inject({ method: 'GET', url })).statusCode, 404);
      }
      for (const url of [
        '/api/v1/public/records?limit=200',
        '/api/v1/public/on-request?limit=200',
        '/api/v1/public/notices?limit=200',
      ]) {
        const body = (await app.inject({ method: 'GET', url })).body;
        assert.ok(
          !body.includes(id) && !body.includes('启动阶段材料审查报告'),
          `${url} does not show the exempt record`,
        );
      }
    });
  });
}
