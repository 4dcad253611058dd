import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../../src/context.ts';
import { unitCreator } from '../../src/registry/commands/unitCreator.ts';
import { buildApp } from '../../src/server/app.ts';
import { appointIn } from '../disclosure/fixtures.ts';
import { type Session, signIn } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

// Issue 6 items 4, 5 and 8: the public tracking page (nothing personal, not even the consulted third party),
// reconsideration and litigation seen and settled on the request, and the fee module off by default.

const applicant = {
  unitId: 'trk-unit',
  applicantKind: 'naturalPerson',
  name: '周某某',
  idType: '居民身份证',
  idNumber: '330304199001011234',
  phone: '13912345678',
  address: '某区某街道某路8号',
  description: '某地块土地征收补偿安置方案',
  deliveryForm: 'paper',
  deliveryMethod: 'post',
};

const at = (ymd: string) => new Date(`${ymd}T02:00:00Z`);

interface RequestOut {
  id: string;
  state: string;
  clock: { dueOn: string | null; status: string; explanation: string };
  appeals: {
    id: string;
    kindName: string;
    resultName: string;
    filedOn: string;
    concludedOn: string | null;
  }[];
}

for (const backend of backendNames) {
  describe(`tracking page, appeals and fees [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let now = at('2026-03-02');
    const sessions = new Map<string, { at: number; s: Session }>();
    const as = async (role: 'staff' | 'sysadmin') => {
      const hit = sessions.get(role);
      if (hit && hit.at === now.getTime()) return hit.s;
      const s = await signIn(app, ts, role);
      sessions.set(role, { at: now.getTime(), s });
      return s;
    };
    const act = async (id: string, action: string, payload: object) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/info-requests/${id}/${action}`,
        headers: (await as('staff')).headers,
        payload,
      });
    const view = async (id: string) =>
      (
        await app.inject({ url: `/api/v1/info-requests/${id}`, headers: (await as('staff')).headers })
      ).json() as RequestOut;
    let created: { trackingNumber: string; queryCode: string };
    let requestId = '';
    const page = (number: string, code: string) =>
      app.inject({
        url: `/xxgk/apply/track?number=${encodeURIComponent(number)}&code=${encodeURIComponent(code)}`,
      });

    before(async () => {
      ts = await freshStore(backend);
      await inTransaction(ts.ctx, async (c) => {
        await unitCreator(c, { id: 'trk-unit', parentId: null, name: '某区自然资源局', kind: 'bureau' });
        await unitCreator(c, { id: 'trk-sec', parentId: 'trk-unit', name: '耕地保护股', kind: 'section' });
        await unitCreator(c, { id: 'trk-other', parentId: null, name: '某区财政局', kind: 'bureau' });
      });
      app = await buildApp({ store: ts.store, now: () => now });
      await signIn(app, ts, 'staff');
      await appointIn(ts.ctx, 'trk-unit', 't-staff');
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('the tracking page: state, dates and the reply once delivered — no applicant, no third party', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/info-requests', payload: applicant });
      assert.equal(res.statusCode, 201, res.body);
      created = res.json() as { trackingNumber: string; queryCode: string };
      requestId = (
        await ts.store.db
          .selectFrom('info_requests')
          .select('id')
          .where('tracking_number', '=', created.trackingNumber)
          .executeTakeFirstOrThrow()
      ).id;

      const applyPage = await app.inject({ url: '/xxgk/apply' });
      assert.ok(applyPage.body.includes('href="/xxgk/apply/track"'), 'the 依申请公开 page links to it');
      const empty = await app.inject({ url: '/xxgk/apply/track' });
      assert.equal(empty.statusCode, 200);
      assert.ok(empty.body.includes('name="number"') && empty.body.includes('name="code"'));

      let p = await page(created.trackingNumber, created.queryCode.toLowerCase());
      assert.equal(p.statusCode, 200, 'the code is not case-sensitive');
      assert.ok(p.body.includes('已收到'));
      // 20 working days from 03-02: 03-03…06 (4), 03-09…13 (9), 03-16…20 (14), 03-23…27 (19), 03-30 (20)
      assert.ok(p.body.includes('2026-03-30'));
      assert.ok(p.body.includes('收到申请'));

      const wrong = await page(created.trackingNumber, 'AAAAAAAA');
      assert.equal(wrong.statusCode, 404);
      assert.ok(wrong.body.includes('申请编号或查询码不正确'));
      const unknown = await page('YSQ2026999999', created.queryCode);
      assert.equal(unknown.statusCode, 404, 'an unknown number answers as a wrong code does');
      assert.ok(unknown.body.includes('申请编号或查询码不正确'));

      // a natural person as third party (Art. 32): the office sees the name, the public page does not
      now = at('2026-03-04');
      assert.equal(
        (await act(requestId, 'register', {})).statusCode,
        200,
        'an online request is registered first',
      );
      assert.equal(
        (await act(requestId, 'consultation', { onDate: '2026-03-04', party: '吴某某' })).statusCode,
        200,
      );
      assert.match((await view(requestId)).clock.explanation, /征求吴某某意见/);
      p = await page(created.trackingNumber, created.queryCode);
      assert.ok(p.body.includes('征求第三方或其他机关意见'));
      const api = await app.inject({
        url: `/api/v1/public/info-requests/${created.trackingNumber}?code=${created.queryCode}`,
      });
      for (const body of [p.body, api.body]) assert.ok(!body.includes('吴某某'), 'no third party named');

      now = at('2026-03-09');
      await act(requestId, 'consultation-end', { onDate: '2026-03-09' });
      now = at('2026-03-10');
      const replied = await act(requestId, 'reply', { onDate: '2026-03-10', outcome: 'disclosed' });
      assert.equal(replied.statusCode, 200, replied.body);
      p = await page(created.trackingNumber, created.queryCode);
      assert.ok(p.body.includes('答复送达后，可在本页查看答复内容'), 'not shown before delivery');
      assert.ok(!p.body.includes('第三十六条第（二）项'));
      now = at('2026-03-11');
      await act(requestId, 'deliver', { onDate: '2026-03-11', method: '邮寄' });
      p = await page(created.trackingNumber, created.queryCode);
      assert.equal(p.statusCode, 200);
      assert.ok(p.body.includes('已送达'));
      assert.ok(p.body.includes('予以公开'));
      assert.ok(p.body.includes('第三十六条第（二）项'), 'the reply letter, with its legal wording');
      for (const secret of [applicant.name, applicant.idNumber, applicant.phone, applicant.address, '吴某某'])
        assert.ok(!p.body.includes(secret), secret);
    });

    test('a reconsideration is listed on the request and its result recorded (table 四)', async () => {
      now = at('2026-04-20');
      const filed = await app.inject({
        method: 'POST',
        url: `/api/v1/info-requests/${requestId}/appeals`,
        headers: (await as('staff')).headers,
        payload: { kind: 'reconsideration', filedOn: '2026-04-10' },
      });
      assert.equal(filed.statusCode, 201, filed.body);
      let v = await view(requestId);
      assert.deepEqual(
        v.appeals.map((a) => [a.kindName, a.filedOn, a.resultName, a.concludedOn]),
        [['行政复议', '2026-04-10', '尚未审结', null]],
      );
      const settled = await app.inject({
        method: 'PUT',
        url: `/api/v1/info-request-appeals/${v.appeals[0]?.id}`,
        headers: (await as('staff')).headers,
        payload: { result: 'corrected', concludedOn: '2026-06-05' },
      });
      assert.equal(settled.statusCode, 200, settled.body);
      v = await view(requestId);
      assert.deepEqual(
        v.appeals.map((a) => [a.resultName, a.concludedOn]),
        [['结果纠正', '2026-06-05']],
      );
    });

    test('fees (Art. 42) are off by default; turned on, a notice stops the clock until payment', async () => {
      now = at('2026-05-11');
      const settings = await app.inject({
        url: '/api/v1/info-requests/settings',
        headers: (await as('staff')).headers,
      });
      assert.equal((settings.json() as { feesEnabled: boolean }).feesEnabled, false);
      const logged = await app.inject({
        method: 'POST',
        url: '/api/v1/info-requests/logged',
        headers: (await as('staff')).headers,
        payload: { ...applicant, channel: 'inPerson', submittedOn: '2026-05-11' },
      });
      assert.equal(logged.statusCode, 201, logged.body);
      const { id, dueOn } = logged.json() as { id: string; dueOn: string };
      // 05-12…15 (4), 05-18…22 (9), 05-25…29 (14), 06-01…05 (19), 06-08 (20)
      assert.equal(dueOn, '2026-06-08');
      const notice = { onDate: '2026-05-11', basis: { method: 'perPage', pages: 150 } };
      const off = await act(id, 'fee-notice', notice);
      assert.equal(off.statusCode, 409);
      assert.equal((off.json() as { code: string }).code, 'fees_disabled');

      const on = await app.inject({
        method: 'PUT',
        url: '/api/v1/info-requests/settings',
        headers: (await as('sysadmin')).headers,
        payload: { feesEnabled: true },
      });
      assert.equal(on.statusCode, 200, on.body);
      const charged = await act(id, 'fee-notice', notice);
      assert.equal(charged.statusCode, 200, charged.body);
      const ev = (charged.json() as { events: { kind: string; amount: number | null }[] }).events.find(
        (e) => e.kind === 'feeNoticed',
      );
      // 国办函〔2020〕109号 按量: pages 31–100 at 10 元, 101–150 at 20 元 = 700 + 1000
      assert.equal(ev?.amount, 1700);
      assert.equal((charged.json() as RequestOut).clock.status, 'paused');
      now = at('2026-05-15');
      const paid = await act(id, 'fee-paid', { onDate: '2026-05-15' });
      assert.equal(paid.statusCode, 200, paid.body);
      const v = paid.json() as RequestOut;
      // 05-12…15 not counted (4 working days): 06-08 + 4 → 06-12
      assert.equal(v.clock.dueOn, '2026-06-12');
      assert.match(
        v.clock.explanation,
        /2026年5月11日至2026年5月15日等待缴纳信息处理费，4个工作日不计入答复期限/,
      );
    });

    test('the portal form files an Art. 29 application once, and names what is missing', async () => {
      now = at('2026-06-01');
      const formPage = await app.inject({ url: '/xxgk/apply/online' });
      assert.equal(formPage.statusCode, 200);
      for (const label of ['受理机关', '身份证件号码', '统一社会信用代码', '法律服务机构', '获取信息的方式'])
        assert.ok(formPage.body.includes(label), label);
      assert.ok(formPage.body.includes('<option value="trk-unit">某区自然资源局</option>'));
      const token = /name="token" value="([^"]+)"/.exec(formPage.body)?.[1] ?? '';
      const post = (fields: Record<string, string>) =>
        app.inject({
          method: 'POST',
          url: '/xxgk/apply/online',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams(fields).toString(),
        });
      const company = {
        token,
        unitId: 'trk-unit',
        applicantKind: 'legalPerson',
        organisationKind: 'research',
        name: '某研究院',
        organisationCode: '12330304MB0000000X',
        contactName: '联系人甲',
        email: 'office@example.cn',
        description: '2025年某区国土空间规划的环境影响评价报告',
        deliveryForm: 'electronic',
        deliveryMethod: 'email',
      };
      const missing = await post({ ...company, organisationKind: '', organisationCode: '', email: '' });
      assert.equal(missing.statusCode, 400);
      assert.ok(missing.body.includes('请选择法人或其他组织的类型'));
      assert.ok(missing.body.includes('请提供统一社会信用代码等身份证明'));
      assert.ok(missing.body.includes('请至少提供一种联系方式'));
      assert.ok(missing.body.includes('某研究院'), 'what was typed is kept');

      const first = await post(company);
      assert.equal(first.statusCode, 200, first.body);
      const number = /<strong>(YSQ2026\d{6})<\/strong>/.exec(first.body)?.[1];
      const code = /查询码<\/th><td><strong>([2-9A-Z]{8})<\/strong>/.exec(first.body)?.[1];
      assert.ok(number && code, 'a tracking number and a query code');
      // 06-02…05 (4), 06-08…12 (9), 06-15…18 (13), 06-19 端午 off, 06-22…26 (18), 06-29, 06-30 (20)
      assert.ok(first.body.includes('2026-06-30'));
      const again = await post(company);
      assert.ok(again.body.includes(number), 'the same form sent twice: the same request');
      const rows = await ts.store.db
        .selectFrom('info_requests')
        .select(['applicant_kind', 'organisation_kind', 'channel', 'received_on'])
        .where('tracking_number', '=', number)
        .execute();
      assert.deepEqual(rows, [
        {
          applicant_kind: 'legalPerson',
          organisation_kind: 'research',
          channel: 'online',
          received_on: '2026-06-01',
        },
      ]);
      assert.equal(
        (
          await ts.store.db
            .selectFrom('info_requests')
            .select('id')
            .where('applicant_name', '=', '某研究院')
            .execute()
        ).length,
        1,
      );
      const tracked = await page(number, code);
      assert.equal(tracked.statusCode, 200);
      assert.ok(!tracked.body.includes('某研究院'));
    });

    test('交办: assigned to a section, the request stays addressed to the bureau and the section may handle it', async () => {
      now = at('2026-06-02');
      const clerk = await signIn(app, ts, 'staff', 'sec-clerk');
      await appointIn(ts.ctx, 'trk-sec', 'sec-clerk');
      const logged = await app.inject({
        method: 'POST',
        url: '/api/v1/info-requests/logged',
        headers: (await as('staff')).headers,
        payload: { ...applicant, channel: 'inPerson', submittedOn: '2026-06-02' },
      });
      const { id } = logged.json() as { id: string };
      const asClerk = (url: string, method: 'GET' | 'POST' = 'GET', payload?: object) =>
        app.inject({
          method,
          url: `/api/v1/info-requests${url}`,
          headers: clerk.headers,
          ...(payload ? { payload } : {}),
        });
      assert.equal((await asClerk(`/${id}`)).statusCode, 403, 'not yet the section’s');
      const clerkId = (
        await ts.store.db
          .selectFrom('users')
          .select('id')
          .where('username', '=', 'sec-clerk')
          .executeTakeFirstOrThrow()
      ).id;
      const outside = await act(id, 'assign', { handlerUserId: clerkId, unitId: 'trk-other' });
      assert.equal(outside.statusCode, 403, 'only to a unit within one’s own scope');
      const assigned = await act(id, 'assign', { handlerUserId: clerkId, unitId: 'trk-sec' });
      assert.equal(assigned.statusCode, 200, assigned.body);
      const v = assigned.json() as {
        unit: { name: string };
        handlingUnit: { id: string; name: string } | null;
        events: { kind: string; target: string | null }[];
      };
      assert.equal(v.unit.name, '某区自然资源局', 'still addressed to the bureau (受理机关)');
      assert.deepEqual(v.handlingUnit, { id: 'trk-sec', name: '耕地保护股' });
      assert.equal(v.events.findLast((e) => e.kind === 'assigned')?.target, '耕地保护股：sec-clerk');
      const mine = await asClerk(`/${id}`);
      assert.equal(mine.statusCode, 200, mine.body);
      assert.equal(
        (mine.json() as { applicant: { idNumber: string } }).applicant.idNumber,
        applicant.idNumber,
      );
      const list = (await asClerk('')).json() as { items: { id: string }[] };
      assert.ok(
        list.items.some((i) => i.id === id),
        'in the section’s list',
      );
      assert.equal((await asClerk(`/${id}/note`, 'POST', { note: '已调取档案' })).statusCode, 200);
    });
  });
}
