import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadDemo } from '../../src/demo/loadDemo.ts';
import { buildApp } from '../../src/server/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

/**
 * Issue 4 item 6 through the seed's own charts, as their people would walk them over HTTP: flow 12-2's 村级公示
 * produces a public notice that the portal shows for its period; flow 01-1-2's outgoing document carries its
 * disclosure attribute from drafting, has it confirmed at 签发, and becomes a record with its index number.
 */
interface RecordOut {
  id: string;
  title: string;
  indexNumber: string;
  attribute: string;
  formedOn: string;
  documentNumber: string | null;
  publishState: string;
  disclosingUnit: { id: string } | null;
  area: { name: string } | null;
  exemptionBasis: string | null;
  source: { processInstanceId: string; step: string } | null;
}

for (const backend of backendNames) {
  describe(`records produced by the seed flows [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    // the server's clock: moved forward to let a notice period run out
    let clock = new Date('2026-04-08T01:00:00Z');
    const sessions = new Map<string, Record<string, string>>();

    before(async () => {
      ts = await freshStore(backend);
      await loadDemo({ ...ts.ctx, now: () => clock }, 'Demo-pass-2026');
      app = await buildApp({ store: ts.store, now: () => clock, security: { loginPerMinute: 10_000 } });
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    /** A person of the 山亭 registry (seed 000), signed in with the demo password. */
    async function as(personKey: string): Promise<Record<string, string>> {
      let headers = sessions.get(personKey);
      // a session ends when the moved clock passes its idle limit: sign in again
      if (headers) {
        const me = await app.inject({ method: 'GET', url: '/api/v1/session', headers });
        if (me.statusCode === 401) headers = undefined;
      }
      if (!headers) {
        const { username } = await ts.store.db
          .selectFrom('users')
          .select('username')
          .where('person_id', '=', `370406-${personKey}`)
          .executeTakeFirstOrThrow();
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { username, password: 'Demo-pass-2026' },
        });
        assert.equal(res.statusCode, 200, res.body);
        const cookie = res.cookies.find((c) => c.name === 'gk_session');
        headers = {
          cookie: `gk_session=${cookie?.value}`,
          'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken,
        };
        sessions.set(personKey, headers);
      }
      return headers;
    }
    async function start(flow: string, personKey: string, variables: object = {}): Promise<string> {
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/process-definitions/flow-${flow}/instances`,
        headers: await as(personKey),
        payload: { variables },
      });
      assert.equal(res.statusCode, 201, res.body);
      return (res.json() as { id: string }).id;
    }
    /** The person completes the case's open task at `activityId`, found in their own inbox (待办). */
    async function act(
      caseId: string,
      activityId: string,
      personKey: string,
      input: { outcome?: string; variables?: object } = {},
    ) {
      const inbox = await app.inject({
        method: 'GET',
        url: '/api/v1/tasks?view=open',
        headers: await as(personKey),
      });
      const task = (
        inbox.json() as { items: { taskId: string; activityId: string; instanceId: string }[] }
      ).items.find((t) => t.activityId === activityId && t.instanceId === caseId);
      assert.ok(task, `${activityId} is in ${personKey}'s inbox`);
      return app.inject({
        method: 'POST',
        url: `/api/v1/tasks/${task.taskId}/complete`,
        headers: await as(personKey),
        payload: { outcome: input.outcome ?? null, opinion: '同意', variables: input.variables ?? {} },
      });
    }
    async function done(caseId: string, activityId: string, personKey: string, input = {}) {
      const res = await act(caseId, activityId, personKey, input);
      assert.equal(res.statusCode, 200, `${activityId}: ${res.body}`);
    }
    const recordsOf = async (caseId: string): Promise<RecordOut[]> => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/records?limit=500',
        headers: await as('sun-hao'),
      });
      return (res.json() as { items: RecordOut[] }).items.filter(
        (r) => r.source?.processInstanceId === caseId,
      );
    };
    const historyOf = async (recordId: string) =>
      (
        (
          await app.inject({
            method: 'GET',
            url: `/api/v1/records/${recordId}/history`,
            headers: await as('sun-hao'),
          })
        ).json() as { items: { action: string; note: string | null }[] }
      ).items;

    /** 01-1-2 from 拟稿 to 签发: the drafting unit drafts, the office, the four sections countersign, the leader signs. */
    async function toSigning(variables: object): Promise<string> {
      const id = await start('01-1-2', 'zhang-wenzhi');
      await done(id, 'draft', 'zhang-wenzhi', { variables });
      await done(id, 'officeOpinion', 'sun-hao');
      for (const who of ['wang-hui', 'wang-hui', 'liu-zhizhu', 'pan-wei'])
        await done(id, 'countersign', who, { outcome: '相关单位会签通过' });
      await done(id, 'sendForSigning', 'sun-hao');
      return id;
    }
    async function issue(id: string) {
      for (const step of ['print', 'proofread', 'issue', 'archive']) await done(id, step, 'sun-hao');
    }

    test('12-2: 村级公示 publishes a notice the portal shows for its period, and no longer as open after it', async () => {
      const caseId = await start('12-2', 'wei-yongshui');
      await done(caseId, 'villageReview', 'wei-yongshui', { outcome: '符合' });
      const [record] = await recordsOf(caseId);
      assert.ok(record, 'the step produced a record');
      assert.equal(record.publishState, 'published');
      assert.equal(record.area?.name, '农村危房改造');
      assert.match(record.indexNumber, /^370406-NCWFGZ00-B-000-\d{4}-G$/);
      type Notice = {
        id: string;
        notice: { state: string; startsOn: string; endsOn: string; level: string };
      };
      const notices = async (state: string) =>
        (
          (
            await app.inject({ method: 'GET', url: `/api/v1/public/notices?state=${state}&limit=200` })
          ).json() as {
            items: Notice[];
          }
        ).items.find((n) => n.id === record.id);
      const open = await notices('open');
      assert.ok(open, 'open on the portal during its period');
      assert.deepEqual(
        [open.notice.startsOn, open.notice.endsOn, open.notice.level],
        ['2026-04-08', '2026-04-14', 'village'],
      );
      const page = await app.inject({ url: `/records/${record.id}` });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /2026-04-14|2026年4月14日/);
      // the period runs out: still on the portal as a closed notice, no longer among the open ones
      clock = new Date('2026-04-15T01:00:00Z');
      assert.equal(await notices('open'), undefined);
      assert.equal((await notices('closed'))?.notice.state, 'closed');
    });

    test('01-1-2: the attribute marked at drafting and confirmed at 签发 goes with the issued document into a record', async () => {
      clock = new Date('2026-04-20T01:00:00Z');
      const id = await toSigning({
        docTitle: '山亭区住房和城乡建设局关于做好2026年农村危房改造工作的通知',
        docNumber: '山住建发〔2026〕12号',
        disclosureAttribute: '主动公开',
        docSummary: '部署2026年农村危房改造对象认定、改造实施和补助资金发放工作。',
      });
      await done(id, 'leaderSign', 'wang-hui', { outcome: '签发' });
      assert.deepEqual(await recordsOf(id), [], 'not a record before it is issued');
      clock = new Date('2026-04-21T01:00:00Z');
      await issue(id);
      const [record, ...more] = await recordsOf(id);
      assert.ok(record, 'the issued document is a record');
      assert.equal(more.length, 0);
      assert.equal(record.title, '山亭区住房和城乡建设局关于做好2026年农村危房改造工作的通知');
      assert.equal(record.documentNumber, '山住建发〔2026〕12号');
      assert.equal(record.attribute, 'proactive');
      assert.equal(record.formedOn, '2026-04-20', '成文日期: the day it was signed');
      assert.equal(record.publishState, 'draft', 'it goes to review like any record');
      assert.equal(
        record.disclosingUnit?.id,
        'st-zjj',
        'issued in the bureau’s name, not the drafting section’s',
      );
      assert.equal(record.area?.name, '农村危房改造');
      assert.match(record.indexNumber, /^370406-NCWFGZ00-B-000-\d{4}-G$/);
      assert.deepEqual(record.source, { processInstanceId: id, step: '签发' });
      const history = await historyOf(record.id);
      assert.deepEqual(
        history.map((h) => h.action),
        ['created', 'attributeConfirmed'],
      );
      assert.match(history[1]?.note ?? '', /拟稿标注“主动公开”，王辉于 2026-04-20 签发确认/);
    });

    test('01-1-2: the signer changes the attribute at 签发; the record takes the signed one', async () => {
      const id = await toSigning({
        docTitle: '关于山亭区2026年农村危房改造对象复核情况的报告',
        disclosureAttribute: '主动公开',
      });
      await done(id, 'leaderSign', 'wang-hui', {
        outcome: '签发',
        variables: { signedDisclosureAttribute: '依申请公开' },
      });
      await issue(id);
      const [record] = await recordsOf(id);
      assert.ok(record);
      assert.equal(record.attribute, 'onRequest');
      assert.match(record.indexNumber, /-Y$/);
      const history = await historyOf(record.id);
      assert.match(history.at(-1)?.note ?? '', /拟稿标注“主动公开”，王辉于 \S+ 签发时改为“依申请公开”/);
    });

    test('01-1-2: a document marked 不予公开 needs its basis; given at the last step, it is a record never published', async () => {
      const id = await toSigning({
        docTitle: '关于农村危房改造资金审计问题线索的内部情况通报',
        disclosureAttribute: '不予公开',
      });
      await done(id, 'leaderSign', 'wang-hui', { outcome: '签发' });
      for (const step of ['print', 'proofread', 'issue']) await done(id, step, 'sun-hao');
      const refused = await act(id, 'archive', 'sun-hao');
      assert.equal(refused.statusCode, 400, refused.body);
      assert.match(refused.body, /exemptionBasis/);
      assert.deepEqual(await recordsOf(id), [], 'nothing was written');
      await done(id, 'archive', 'sun-hao', {
        variables: { exemptionBasis: '《中华人民共和国政府信息公开条例》第十六条第一款（内部事务信息）' },
      });
      const [record] = await recordsOf(id);
      assert.ok(record);
      assert.equal(record.attribute, 'exempt');
      assert.match(record.indexNumber, /-B$/);
      assert.match(record.exemptionBasis ?? '', /第十六条/);
      const pub = await app.inject({ method: 'GET', url: `/api/v1/public/records/${record.id}` });
      assert.equal(pub.statusCode, 404);
    });

    test('01-1-2: a document run without the marking registers nothing', async () => {
      const id = await toSigning({});
      await done(id, 'leaderSign', 'wang-hui', { outcome: '签发' });
      await issue(id);
      assert.deepEqual(await recordsOf(id), []);
    });
  });
}
