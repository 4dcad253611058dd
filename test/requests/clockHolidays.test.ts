import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../../src/context.ts';
import { unitCreator } from '../../src/registry/commands/unitCreator.ts';
import { buildApp } from '../../src/server/app.ts';
import { appointIn } from '../disclosure/fixtures.ts';
import { type Session, signIn } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

// Issue 6, done-when: requests received around China's holidays and 调休 make-up days get the due dates the
// law gives (条例 Art. 31, 33: 20 working days from the day after receipt; rules.md §5: the 2026 calendar, make-up
// days 01-04, 02-14, 02-28, 05-09, 09-20, 10-10), and a request that waited for a supplement and a third party
// shows the right due date and why. Every expected date below is counted by hand in the comment beside it.

interface Clock {
  dueOn: string | null;
  latestDueOn: string | null;
  status: string;
  explanation: string;
  workingDaysLeft: number | null;
  supplementNoticeBy: string;
  pauses: { days: number; overrunDays: number; answerBy: string | null }[];
}
interface RequestOut {
  id: string;
  trackingNumber: string;
  state: string;
  clock: Clock;
}

const person = {
  unitId: 'hol-unit',
  applicantKind: 'naturalPerson',
  name: '陈某',
  idType: '居民身份证',
  idNumber: '330304199001011234',
  phone: '13812345678',
  description: '本局2025年度老旧小区改造项目清单',
  deliveryForm: 'electronic',
  deliveryMethod: 'email',
  email: 'chen@example.cn',
};

/** Beijing 10:00 on the day. */
const at = (ymd: string) => new Date(`${ymd}T02:00:00Z`);

for (const backend of backendNames) {
  describe(`due dates around holidays and make-up days [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let now = at('2026-01-01');
    let staff: Session | null = null;
    let staffAt = 0;
    const session = async () => {
      // a session lapses when the test clock jumps ahead: log in again at each clock position
      if (!staff || staffAt !== now.getTime()) {
        staff = await signIn(app, ts, 'staff');
        staffAt = now.getTime();
      }
      return staff;
    };
    const logged = async (payload: object) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/info-requests/logged',
        headers: (await session()).headers,
        payload: { ...person, ...payload },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; trackingNumber: string; dueOn: string | null; explanation: string };
    };
    const act = async (id: string, action: string, payload: object) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/info-requests/${id}/${action}`,
        headers: (await session()).headers,
        payload,
      });
    const view = async (id: string) => {
      const res = await app.inject({
        url: `/api/v1/info-requests/${id}`,
        headers: (await session()).headers,
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as RequestOut;
    };

    before(async () => {
      ts = await freshStore(backend);
      await inTransaction(ts.ctx, (c) =>
        unitCreator(c, { id: 'hol-unit', parentId: null, name: '某区住房和城乡建设局', kind: 'bureau' }),
      );
      app = await buildApp({ store: ts.store, now: () => now });
      await signIn(app, ts, 'staff');
      await appointIn(ts.ctx, 'hol-unit', 't-staff');
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    // the test clock only moves forward: sessions and rate limits follow it
    test('waited for a supplement and for a third party that never answered: due date and explanation', async () => {
      now = at('2026-06-01');
      const r = await logged({ channel: 'inPerson', submittedOn: '2026-06-01' });
      now = at('2026-06-03');
      assert.equal(
        (
          await act(r.id, 'supplement-request', {
            onDate: '2026-06-03',
            deadline: '2026-06-17',
            missing: '请写明项目所在街道',
          })
        ).statusCode,
        200,
      );
      now = at('2026-06-08');
      let v = (await act(r.id, 'supplement-received', { onDate: '2026-06-08' })).json() as RequestOut;
      // a fresh 20 working days from 06-08: 06-09…12 (4), 06-15…18 (8), 06-19 端午 off, 06-22…26 (13),
      // 06-29, 06-30 (15), 07-01…03 (18), 07-06, 07-07 (20)
      assert.equal(v.clock.dueOn, '2026-07-07');
      now = at('2026-06-10');
      v = (
        await act(r.id, 'consultation', { onDate: '2026-06-10', party: '某物业服务有限公司' })
      ).json() as RequestOut;
      // the third party answers within 15 working days (Art. 32): 06-11, 06-12 (2), 06-15…18 (6),
      // 06-22…26 (11), 06-29, 06-30 (13), 07-01, 07-02 (15)
      assert.equal(v.clock.pauses[0]?.answerBy, '2026-07-02');

      now = at('2026-06-15');
      v = await view(r.id);
      assert.equal(v.clock.status, 'paused');
      // paused so far 06-11, 06-12, 06-15 = 3 days: 23 working days from 06-08 → 07-10
      assert.equal(v.clock.dueOn, '2026-07-10');
      // if the third party takes all 15 days: 35 working days from 06-08 → 07-28
      assert.equal(v.clock.latestDueOn, '2026-07-28');
      assert.match(v.clock.explanation, /如至2026年7月2日方收到意见，最迟应于2026年7月28日前答复/);

      // no answer by 07-02: the sweeper ends the consultation on that day and the clock runs again
      now = at('2026-07-03');
      const sweep = await app.inject({
        method: 'POST',
        url: '/api/v1/info-requests/sweep',
        headers: (await session()).headers,
      });
      assert.equal(sweep.statusCode, 200, sweep.body);
      assert.deepEqual((sweep.json() as { consultationLapsed: string[] }).consultationLapsed, [
        r.trackingNumber,
      ]);
      v = await view(r.id);
      assert.equal(v.state, 'assigned');
      assert.equal(v.clock.status, 'onTime');
      assert.equal(v.clock.dueOn, '2026-07-28', '20 + 15 working days from the supplement');
      // 07-06…10 (5), 07-13…17 (10), 07-20…24 (15), 07-27, 07-28 (17)
      assert.equal(v.clock.workingDaysLeft, 17);
      const e = v.clock.explanation;
      assert.match(e, /2026年6月1日收到申请/);
      assert.match(e, /2026年6月3日发出补正通知，答复期限中止（条例第三十条）/);
      assert.match(e, /2026年6月8日收到补正材料，答复期限自该日起重新计算/);
      assert.match(e, /2026年6月10日至2026年7月2日征求某物业服务有限公司意见，15个工作日不计入答复期限/);
      assert.match(e, /自2026年6月8日（不含当日）起算20个工作日加不计入的15个工作日/);
      assert.match(e, /端午放假（6月19日至6月21日）不计/);
      assert.match(e, /应于2026年7月28日前答复/);
      // a second sweep does nothing more
      const again = await app.inject({
        method: 'POST',
        url: '/api/v1/info-requests/sweep',
        headers: (await session()).headers,
      });
      assert.deepEqual((again.json() as { consultationLapsed: string[] }).consultationLapsed, []);
    });

    test('an answer recorded after the 15 working days: only those 15 are not counted', async () => {
      now = at('2026-08-03');
      const r = await logged({ channel: 'inPerson', submittedOn: '2026-08-03' });
      now = at('2026-08-05');
      await act(r.id, 'consultation', { onDate: '2026-08-05', party: '某区自然资源局' });
      now = at('2026-09-01');
      const v = (await act(r.id, 'consultation-end', { onDate: '2026-09-01' })).json() as RequestOut;
      // answer due by 08-26: 08-06, 08-07 (2), 08-10…14 (7), 08-17…21 (12), 08-24…26 (15); it came on 09-01,
      // four working days later (08-27, 08-28, 08-31, 09-01), and those count.
      // 20 + 15 working days from 08-03: 08-04…07 (4), 08-10…14 (9), 08-17…21 (14), 08-24…28 (19),
      // 08-31 (20), 09-01…04 (24), 09-07…11 (29), 09-14…18 (34), Sun 09-20 make-up (35)
      assert.deepEqual(
        v.clock.pauses.map((p) => [p.days, p.overrunDays]),
        [[15, 4]],
      );
      assert.equal(v.clock.dueOn, '2026-09-20');
      assert.match(
        v.clock.explanation,
        /2026年8月5日至2026年9月1日征求某区自然资源局意见，其中15个工作日不计入答复期限（条例第三十三条第三款）；被征求意见方应于2026年8月26日前提出意见，逾期的4个工作日计入答复期限/,
      );
      assert.match(v.clock.explanation, /9月20日调休上班计入/);
    });

    test('applied online on a National Day holiday (Art. 31 (三)): received that day, due 2026-11-03', async () => {
      now = at('2026-10-03');
      const res = await app.inject({ method: 'POST', url: '/api/v1/info-requests', payload: person });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json() as { receivedOn: string; dueOn: string; explanation: string };
      assert.equal(body.receivedOn, '2026-10-03');
      // 10-04…10-07 off; 10-08 (1), 10-09 (2), Sat 10-10 make-up (3), 10-12…16 (8), 10-19…23 (13),
      // 10-26…30 (18), 11-02 (19), 11-03 (20)
      assert.equal(body.dueOn, '2026-11-03');
      assert.match(body.explanation, /2026年10月3日收到申请/);
      assert.match(body.explanation, /国庆节放假（10月4日至10月7日）不计/);
      assert.match(body.explanation, /10月10日调休上班计入/);
    });

    test('the 补正 notice window of 7 working days (Art. 30) also skips the holidays', async () => {
      now = at('2026-10-15');
      // received 09-30: 10-01…07 off; 10-08 (1), 10-09 (2), Sat 10-10 (3), 10-12…15 (7)
      const onTime = await logged({ channel: 'inPerson', submittedOn: '2026-09-30' });
      assert.equal((await view(onTime.id)).clock.supplementNoticeBy, '2026-10-15');
      const ok = await act(onTime.id, 'supplement-request', {
        onDate: '2026-10-15',
        deadline: '2026-10-30',
        missing: '请写明所需信息的项目名称',
      });
      assert.equal(ok.statusCode, 200, ok.body);
      now = at('2026-10-16');
      const late = await logged({ channel: 'inPerson', submittedOn: '2026-09-30' });
      const refused = await act(late.id, 'supplement-request', {
        onDate: '2026-10-16',
        missing: '请写明所需信息的项目名称',
      });
      assert.equal(refused.statusCode, 409);
      assert.match((refused.json() as { message: string }).message, /2026-10-15前/);
    });

    const cases: { title: string; payload: object; dueOn: string; because: RegExp[] }[] = [
      {
        // 01-02, 01-03 off; Sun 01-04 make-up (1), 01-05…09 (6), 01-12…16 (11), 01-19…23 (16), 01-26…29 (20)
        title: 'signed for by post on New Year’s Day (a holiday)',
        payload: { channel: 'post', signedOn: '2026-01-01' },
        dueOn: '2026-01-29',
        because: [/2026年1月1日收到申请/, /1月4日调休上班计入/],
      },
      {
        // the make-up Sunday is a working day, the receipt day itself is not counted:
        // 01-05…09 (5), 01-12…16 (10), 01-19…23 (15), 01-26…30 (20)
        title: 'handed in on the make-up Sunday 2026-01-04',
        payload: { channel: 'inPerson', submittedOn: '2026-01-04' },
        dueOn: '2026-01-30',
        because: [/2026年1月4日收到申请/],
      },
      {
        // Sat 02-14 make-up (1), 02-15…23 off, 02-24…27 (5), Sat 02-28 make-up (6), 03-02…06 (11),
        // 03-09…13 (16), 03-16…19 (20)
        title: 'confirmed by e-mail on the Friday before Spring Festival',
        payload: { channel: 'email', confirmedOn: '2026-02-13' },
        dueOn: '2026-03-19',
        because: [/春节放假（2月15日至2月23日）不计/, /2月14日、2月28日调休上班计入/],
      },
      {
        // 04-04…06 off; 04-07…10 (4), 04-13…17 (9), 04-20…24 (14), 04-27…30 (18), 05-01…05 off,
        // 05-06 (19), 05-07 (20)
        title: 'faxed on the Friday before Qingming, running into Labour Day',
        payload: { channel: 'fax', confirmedOn: '2026-04-03' },
        dueOn: '2026-05-07',
        because: [/清明放假（4月4日至4月6日）、劳动节放假（5月1日至5月5日）不计/],
      },
      {
        // 09-21…24 (4), 09-25…27 中秋 off, 09-28…30 (7), 10-01…07 off, 10-08 (8), 10-09 (9),
        // Sat 10-10 make-up (10), 10-12…16 (15), 10-19…23 (20)
        title: 'handed in on the make-up Sunday 2026-09-20, before 中秋 and National Day',
        payload: { channel: 'inPerson', submittedOn: '2026-09-20' },
        dueOn: '2026-10-23',
        because: [/中秋放假（9月25日至9月27日）、国庆节放假（10月1日至10月7日）不计/, /10月10日调休上班计入/],
      },
      {
        // an ordinary Sunday is no working day: 03-09…13 (5), 03-16…20 (10), 03-23…27 (15), 03-30…04-03 (20)
        title: 'an ordinary letter confirmed on a plain Sunday',
        payload: { channel: 'ordinaryLetter', confirmedOn: '2026-03-08' },
        dueOn: '2026-04-03',
        because: [/2026年3月8日收到申请/],
      },
    ];
    for (const c of cases)
      test(`${c.title}: due ${c.dueOn}`, async () => {
        now = at('2026-11-20');
        const r = await logged(c.payload);
        assert.equal(r.dueOn, c.dueOn, r.explanation);
        for (const re of c.because) assert.match(r.explanation, re);
        assert.match(
          r.explanation,
          new RegExp(`应于${c.dueOn.replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日')}前答复`),
        );
      });
  });
}
