import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../../src/context.ts';
import { unitCreator } from '../../src/registry/commands/unitCreator.ts';
import { buildApp } from '../../src/server/app.ts';
import { appointIn } from '../disclosure/fixtures.ts';
import { type Session, signIn } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

interface Clock {
  dueOn: string | null;
  status: string;
  explanation: string;
  workingDaysLeft: number | null;
  dueSoon: boolean;
  overdue: boolean;
}
interface RequestOut {
  id: string;
  trackingNumber: string;
  state: string;
  clock: Clock;
  applicant: { name: string; idNumber: string | null; phone: string | null; personalDataMasked: boolean };
  outcome: { code: string } | null;
  events: { kind: string; onDate: string }[];
}

const person = {
  unitId: 'req-unit',
  applicantKind: 'naturalPerson',
  name: '王小明',
  idType: '居民身份证',
  idNumber: '330304199001011234',
  phone: '13812345678',
  address: '温州市瓯海区娄桥街道某路1号',
  description: '2025年娄桥街道旧城改造项目的征收补偿方案',
  deliveryForm: 'paper',
  deliveryMethod: 'post',
};

/** Beijing 10:00 on the day. */
const at = (ymd: string) => new Date(`${ymd}T02:00:00Z`);

for (const backend of backendNames) {
  describe(`information requests [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let now = at('2026-02-10');
    // one login per account and clock position: sessions lapse when the test clock jumps days ahead
    const sessions = new Map<string, { at: number; session: Session }>();
    const appointed = new Set<string>();
    const as = async (role: 'staff' | 'leader', username?: string) => {
      const key = username ?? role;
      const hit = sessions.get(key);
      if (hit && hit.at === now.getTime()) return hit.session;
      const session = await signIn(app, ts, role, username);
      // every account here works at the unit the requests are addressed to (src/disclosure/unitScope.ts)
      if (!appointed.has(key)) {
        await appointIn(ts.ctx, 'req-unit', username ?? `t-${role}`);
        appointed.add(key);
      }
      sessions.set(key, { at: now.getTime(), session });
      return session;
    };
    const get = async (id: string, role: 'staff' | 'leader' = 'staff', username?: string) => {
      const s = await as(role, username);
      const res = await app.inject({ url: `/api/v1/info-requests/${id}`, headers: s.headers });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as RequestOut;
    };
    const act = async (id: string, action: string, payload: object, role: 'staff' | 'leader' = 'staff') => {
      const s = await as(role);
      return app.inject({
        method: 'POST',
        url: `/api/v1/info-requests/${id}/${action}`,
        headers: s.headers,
        payload,
      });
    };
    const logged = async (payload: object) => {
      const s = await as('staff');
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/info-requests/logged',
        headers: s.headers,
        payload: { ...person, ...payload },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; trackingNumber: string; queryCode: string; dueOn: string | null };
    };

    before(async () => {
      ts = await freshStore(backend);
      await inTransaction(ts.ctx, (c) =>
        unitCreator(c, { id: 'req-unit', parentId: null, name: '瓯海区住房和城乡建设局', kind: 'bureau' }),
      );
      app = await buildApp({ store: ts.store, now: () => now });
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('an online application over Spring Festival is due on 2026-03-16, and says why', async () => {
      now = at('2026-02-10');
      const res = await app.inject({ method: 'POST', url: '/api/v1/info-requests', payload: person });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json() as {
        trackingNumber: string;
        queryCode: string;
        receivedOn: string;
        dueOn: string;
        explanation: string;
      };
      assert.match(body.trackingNumber, /^YSQ2026\d{6}$/);
      assert.match(body.queryCode, /^[2-9A-Z]{8}$/);
      assert.equal(body.receivedOn, '2026-02-10');
      assert.equal(body.dueOn, '2026-03-16');
      assert.match(body.explanation, /2026年2月10日收到申请/);
      assert.match(body.explanation, /春节放假（2月15日至2月23日）不计/);
      assert.match(body.explanation, /2月14日、2月28日调休上班计入/);
      assert.match(body.explanation, /应于2026年3月16日前答复/);
    });

    test('the Art. 29 fields are required, each named', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/info-requests',
        payload: { ...person, applicantKind: 'legalPerson', idNumber: null, phone: null, address: null },
      });
      assert.equal(res.statusCode, 400);
      const fields = (res.json() as { fields: { field: string }[] }).fields.map((f) => f.field).sort();
      assert.deepEqual(fields, ['organisationCode', 'organisationKind', 'phone']);
    });

    test('Idempotency-Key: same key and body → the same request; same key, other body → 409', async () => {
      now = at('2026-02-11');
      const headers = { 'idempotency-key': `k-${backend}-1` };
      const first = await app.inject({
        method: 'POST',
        url: '/api/v1/info-requests',
        headers,
        payload: person,
      });
      // the same body with its keys in another order is the same body
      const reordered = Object.fromEntries(Object.entries(person).reverse());
      const second = await app.inject({
        method: 'POST',
        url: '/api/v1/info-requests',
        headers,
        payload: reordered,
      });
      assert.equal(first.statusCode, 201);
      assert.equal(second.statusCode, 201);
      const a = first.json() as { trackingNumber: string; queryCode: string };
      const b = second.json() as { trackingNumber: string; queryCode: string };
      assert.equal(b.trackingNumber, a.trackingNumber);
      assert.equal(b.queryCode, a.queryCode);
      const rows = await ts.store.db
        .selectFrom('info_requests')
        .select('id')
        .where('idempotency_key', '=', `k-${backend}-1`)
        .execute();
      assert.equal(rows.length, 1);
      const other = await app.inject({
        method: 'POST',
        url: '/api/v1/info-requests',
        headers,
        payload: { ...person, description: '另一项信息' },
      });
      assert.equal(other.statusCode, 409);
      assert.equal((other.json() as { code: string }).code, 'idempotency_key_reused');
    });

    test('handed in on the make-up Saturday of Spring Festival: 20 working days after it', async () => {
      now = at('2026-02-14');
      const walkIn = await logged({ channel: 'inPerson', submittedOn: '2026-02-14' });
      assert.equal(walkIn.dueOn, '2026-03-20');
    });

    test('a request that waited for a supplement and a third party, then was extended, shows the right due date and why', async () => {
      now = at('2026-03-02');
      const r = await logged({ channel: 'inPerson', submittedOn: '2026-03-02' });
      now = at('2026-03-04');
      const supp = await act(r.id, 'supplement-request', {
        onDate: '2026-03-04',
        deadline: '2026-03-18',
        missing: '请写明所需信息的项目名称或文号',
      });
      assert.equal(supp.statusCode, 200, supp.body);
      let v = supp.json() as RequestOut;
      assert.equal(v.state, 'awaitingSupplement');
      assert.equal(v.clock.status, 'awaitingSupplement');
      assert.equal(v.clock.dueOn, null);
      assert.match(v.clock.explanation, /申请人应于2026年3月18日前补正/);
      const twice = await act(r.id, 'supplement-received', { onDate: '2026-03-03' });
      assert.equal(twice.statusCode, 400, 'a supplement cannot arrive before the notice');
      now = at('2026-03-09');
      v = (await act(r.id, 'supplement-received', { onDate: '2026-03-09' })).json() as RequestOut;
      assert.equal(
        v.clock.dueOn,
        '2026-04-07',
        'a fresh 20 working days from the supplement (Qingming 04-06 off)',
      );
      now = at('2026-03-12');
      v = (
        await act(r.id, 'consultation', { onDate: '2026-03-12', party: '某置业有限公司' })
      ).json() as RequestOut;
      assert.equal(v.state, 'consulting');
      assert.equal(v.clock.status, 'paused');
      assert.match(v.clock.explanation, /应于2026年4月2日前答复，条例第三十二条/);
      now = at('2026-03-20');
      v = (await act(r.id, 'consultation-end', { onDate: '2026-03-20' })).json() as RequestOut;
      assert.equal(v.clock.dueOn, '2026-04-15', '6 working days of consultation not counted');
      now = at('2026-03-30');
      const byStaff = await act(r.id, 'extend', {
        days: 15,
        reason: '需要调取档案',
        applicantToldBy: '电话告知',
      });
      assert.equal(byStaff.statusCode, 403, 'an extension needs the office head');
      const tooLong = await act(
        r.id,
        'extend',
        { days: 21, reason: '需要调取档案', applicantToldBy: '电话告知' },
        'leader',
      );
      assert.equal(tooLong.statusCode, 400);
      const ext = await act(
        r.id,
        'extend',
        { days: 15, reason: '需要调取档案', applicantToldBy: '电话告知' },
        'leader',
      );
      assert.equal(ext.statusCode, 200, ext.body);
      v = ext.json() as RequestOut;
      assert.equal(v.clock.dueOn, '2026-05-09', 'lands on the make-up Saturday of Labour Day');
      const e = v.clock.explanation;
      assert.match(e, /2026年3月2日收到申请/);
      assert.match(e, /2026年3月4日发出补正通知，答复期限中止/);
      assert.match(e, /2026年3月9日收到补正材料，答复期限自该日起重新计算/);
      assert.match(e, /2026年3月12日至2026年3月20日征求某置业有限公司意见，6个工作日不计入答复期限/);
      assert.match(e, /延期15个工作日/);
      assert.match(e, /清明放假（4月4日至4月6日）、?.*劳动节放假（5月1日至5月5日）不计/);
      assert.match(e, /5月9日调休上班计入/);
      assert.match(e, /应于2026年5月9日前答复/);
      const more = await act(r.id, 'extend', { days: 6, reason: '再延', applicantToldBy: '电话' }, 'leader');
      assert.equal(more.statusCode, 400, 'at most 20 working days in all');
    });

    test('the supplement notice must go out within 7 working days of receipt', async () => {
      now = at('2026-03-30');
      const r = await logged({ channel: 'inPerson', submittedOn: '2026-03-02' });
      const late = await act(r.id, 'supplement-request', { onDate: '2026-03-12', missing: '缺少文号' });
      assert.equal(late.statusCode, 409);
      assert.equal((late.json() as { code: string }).code, 'supplement_too_late');
      assert.match((late.json() as { message: string }).message, /2026-03-11/);
    });

    test('no supplement by the deadline: the sweeper closes it as abandoned (table 三 （六）1)', async () => {
      now = at('2026-04-01');
      const r = await logged({ channel: 'inPerson', submittedOn: '2026-04-01' });
      await act(r.id, 'supplement-request', {
        onDate: '2026-04-01',
        deadline: '2026-04-10',
        missing: '缺少身份证明',
      });
      const staff = await as('staff');
      now = at('2026-04-10');
      let sweep = await app.inject({
        method: 'POST',
        url: '/api/v1/info-requests/sweep',
        headers: (await as('staff')).headers,
      });
      assert.deepEqual(
        (sweep.json() as { abandoned: string[] }).abandoned,
        [],
        'the deadline day itself still counts',
      );
      now = at('2026-04-13');
      sweep = await app.inject({
        method: 'POST',
        url: '/api/v1/info-requests/sweep',
        headers: (await as('staff')).headers,
      });
      assert.deepEqual((sweep.json() as { abandoned: string[] }).abandoned, [r.trackingNumber]);
      const v = await get(r.id);
      assert.equal(v.state, 'closed');
      assert.equal(v.outcome?.code, 'other.noSupplement');
      assert.ok(staff);
    });

    test('due soon and overdue stand out at the top of the list', async () => {
      now = at('2026-04-13');
      const soon = await logged({ channel: 'inPerson', submittedOn: '2026-03-17' });
      assert.equal(soon.dueOn, '2026-04-15');
      const s = await as('staff');
      const res = await app.inject({ url: '/api/v1/info-requests?status=open', headers: s.headers });
      const body = res.json() as {
        items: { trackingNumber: string; clock: Clock }[];
        counts: { dueSoon: number; overdue: number };
      };
      const first = body.items[0];
      assert.equal(first?.clock.dueOn, '2026-03-16', 'the most overdue comes first');
      assert.equal(first?.clock.overdue, true);
      assert.match(first?.clock.explanation ?? '', /已超过答复期限19个工作日/);
      const dueSoon = body.items.find((i) => i.trackingNumber === soon.trackingNumber);
      assert.equal(dueSoon?.clock.status, 'dueSoon');
      assert.equal(dueSoon?.clock.workingDaysLeft, 2);
      const firstSoon = body.items.findIndex((i) => i.clock.dueSoon);
      const lastOverdue = body.items.map((i) => i.clock.overdue).lastIndexOf(true);
      const firstCalm = body.items.findIndex((i) => !i.clock.overdue && !i.clock.dueSoon);
      assert.ok(
        lastOverdue < firstSoon && (firstCalm === -1 || firstSoon < firstCalm),
        'overdue, then due soon, then the rest',
      );
      assert.ok(body.counts.overdue >= 1 && body.counts.dueSoon >= 1);
      const only = await app.inject({ url: '/api/v1/info-requests?status=overdue', headers: s.headers });
      assert.ok((only.json() as { items: { clock: Clock }[] }).items.every((i) => i.clock.overdue));
    });

    test('personal data is masked for everyone but the handler, and never on the public page', async () => {
      now = at('2026-05-11');
      const r = await logged({ channel: 'inPerson', submittedOn: '2026-05-11' });
      const other = await get(r.id);
      assert.equal(other.applicant.idNumber, '33*************234');
      assert.equal(other.applicant.phone, '138****5678');
      assert.equal(other.applicant.personalDataMasked, true);
      const handler = await as('staff', 't-handler');
      const user = await ts.store.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 't-handler')
        .executeTakeFirstOrThrow();
      const assigned = await act(r.id, 'assign', { handlerUserId: user.id });
      assert.equal(assigned.statusCode, 200, assigned.body);
      assert.equal(
        (assigned.json() as RequestOut).applicant.idNumber,
        '33*************234',
        'the assigner is not the handler',
      );
      const mine = await app.inject({ url: `/api/v1/info-requests/${r.id}`, headers: handler.headers });
      const full = (mine.json() as RequestOut).applicant;
      assert.equal(full.idNumber, '330304199001011234');
      assert.equal(full.phone, '13812345678');
      const list = await app.inject({ url: '/api/v1/info-requests', headers: handler.headers });
      assert.ok(!list.body.includes('330304199001011234'));
      assert.ok(!list.body.includes('13812345678'));

      // reply, deliver, then the public page shows the reply but nothing personal
      now = at('2026-05-20');
      const later = await as('staff', 't-handler');
      const replied = await app.inject({
        method: 'POST',
        url: `/api/v1/info-requests/${r.id}/reply`,
        headers: later.headers,
        payload: {
          outcome: 'partial',
          detail: '补偿名单中的个人信息（如13812345678）涉及个人隐私，依照条例第十五条不予公开。',
          reviewBody: '温州市瓯海区人民政府',
          court: '温州市鹿城区人民法院',
        },
      });
      assert.equal(replied.statusCode, 200, replied.body);
      const docx = await app.inject({
        url: `/api/v1/info-requests/${r.id}/reply-letter.docx`,
        headers: later.headers,
      });
      assert.equal(docx.statusCode, 200);
      assert.equal(docx.rawPayload.subarray(0, 2).toString(), 'PK', 'a .docx is a zip');
      const pubBefore = await app.inject({
        url: `/api/v1/public/info-requests/${r.trackingNumber}?code=${r.queryCode}`,
      });
      assert.equal((pubBefore.json() as { reply: unknown }).reply, null, 'no reply shown before delivery');
      await app.inject({
        method: 'POST',
        url: `/api/v1/info-requests/${r.id}/deliver`,
        headers: later.headers,
        payload: { method: '邮寄' },
      });
      const pub = await app.inject({
        url: `/api/v1/public/info-requests/${r.trackingNumber}?code=${r.queryCode}`,
      });
      assert.equal(pub.statusCode, 200);
      const p = pub.json() as { stateName: string; reply: { text: string; outcome: { code: string } } };
      assert.equal(p.stateName, '已送达');
      assert.equal(p.reply.outcome.code, 'partial');
      assert.match(p.reply.text, /第三十七条/);
      assert.match(p.reply.text, /六十日内向温州市瓯海区人民政府申请行政复议/);
      for (const secret of ['王小明', '330304199001011234', '13812345678', '娄桥街道某路'])
        assert.ok(!pub.body.includes(secret), secret);
      const wrong = await app.inject({
        url: `/api/v1/public/info-requests/${r.trackingNumber}?code=AAAAAAAA`,
      });
      assert.equal(wrong.statusCode, 404);
    });
    test('Art. 31 receipt dates: post counts from signing; National Day 2026 makes it due 10-29', async () => {
      now = at('2026-09-28');
      const missing = await app.inject({
        method: 'POST',
        url: '/api/v1/info-requests/logged',
        headers: (await as('staff')).headers,
        payload: { ...person, channel: 'post' },
      });
      assert.equal(missing.statusCode, 400);
      assert.match((missing.json() as { fields: { reason: string }[] }).fields[0]?.reason ?? '', /签收之日/);
      const post = await logged({ channel: 'post', signedOn: '2026-09-25' });
      assert.equal(post.dueOn, '2026-10-29');
      const view = await get(post.id);
      assert.equal(view.state, 'registered');
      assert.match(view.clock.explanation, /国庆节放假（10月1日至10月7日）不计/);
      assert.match(view.clock.explanation, /10月10日调休上班计入/);
    });
  });
}
