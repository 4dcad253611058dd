import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadDemo } from '../../src/demo/loadDemo.ts';
import { buildApp } from '../../src/server/app.ts';
import { signIn } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

/**
 * Issue 5 item 2: an objection (异议) to an open public notice reaches the case that published the notice as a
 * task for the unit that published it. Walked through flow 12-2 (农村危房改造) as its people would, over HTTP.
 */
for (const backend of backendNames) {
  describe(`objections become tasks in the notice's case [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    const sessions = new Map<string, Record<string, string>>();

    before(async () => {
      ts = await freshStore(backend);
      await loadDemo(ts.ctx, 'Demo-pass-2026');
      app = await buildApp({ store: ts.store, security: { loginPerMinute: 10_000 } });
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    async function as(username: string): Promise<Record<string, string>> {
      let headers = sessions.get(username);
      if (!headers) {
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
        sessions.set(username, headers);
      }
      return headers;
    }
    const usernameOf = async (personKey: string) =>
      (
        await ts.store.db
          .selectFrom('users')
          .select('username')
          .where('person_id', '=', `370406-${personKey}`)
          .executeTakeFirstOrThrow()
      ).username;
    const usernameById = async (id: string) =>
      (
        await ts.store.db
          .selectFrom('users')
          .select('username')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).username;

    /** A 12-2 case whose village notice is published and open: the case rests on the 公示期 timer. */
    async function caseWithOpenNotice(): Promise<{ caseId: string; recordId: string; starter: string }> {
      const starter = await usernameOf('wei-yongshui');
      const started = await app.inject({
        method: 'POST',
        url: '/api/v1/process-definitions/flow-12-2/instances',
        headers: await as(starter),
        payload: { variables: {} },
      });
      assert.equal(started.statusCode, 201, started.body);
      const caseId = (started.json() as { id: string }).id;
      const review = await ts.store.db
        .selectFrom('tasks')
        .select('id')
        .where('instance_id', '=', caseId)
        .where('activity_id', '=', 'villageReview')
        .executeTakeFirstOrThrow();
      const done = await app.inject({
        method: 'POST',
        url: `/api/v1/tasks/${review.id}/complete`,
        headers: await as(starter),
        payload: { outcome: '符合', opinion: '村民代表评议通过' },
      });
      assert.equal(done.statusCode, 200, done.body);
      const record = await ts.store.db
        .selectFrom('records')
        .select('id')
        .where('source_process_instance_id', '=', caseId)
        .executeTakeFirstOrThrow();
      return { caseId, recordId: record.id, starter };
    }

    async function object(recordId: string, form: Record<string, string>) {
      const page = await app.inject({ url: `/records/${recordId}` });
      assert.match(page.body, /提出异议/, 'the open notice offers the objection form');
      const token = page.body.match(/name="token" value="([^"]+)"/)?.[1] ?? '';
      return app.inject({
        method: 'POST',
        url: `/records/${recordId}/objections`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ token, ...form }).toString(),
      });
    }

    const objectionTasks = (caseId: string) =>
      ts.store.db
        .selectFrom('tasks')
        .selectAll()
        .where('instance_id', '=', caseId)
        .where('kind', '=', 'objection')
        .execute();

    test('the objection is a task in the publishing unit’s inbox; its finding settles it and the case waits on', async () => {
      const { caseId, recordId } = await caseWithOpenNotice();
      const posted = await object(recordId, {
        content: '公示的第2户户主已在城区购房，电话13812345678可核实，不符合危房改造条件。',
        name: '张三',
        contact: '13812345678',
      });
      assert.equal(posted.statusCode, 200, posted.body);
      const ref = posted.body.match(/受理编号 <strong>([^<]+)<\/strong>/)?.[1];
      assert.ok(ref);

      const [task, ...more] = await objectionTasks(caseId);
      assert.ok(task, 'an objection task was created in the case');
      assert.equal(more.length, 0);
      assert.equal(task.status, 'open');
      assert.equal(task.name, '核实公示异议');
      assert.equal(task.activity_id, 'villagePeriod', 'it stands where the case rests: the 公示期');
      const objection = await ts.store.db
        .selectFrom('notice_objections')
        .selectAll()
        .where('record_id', '=', recordId)
        .executeTakeFirstOrThrow();
      assert.equal(objection.task_id, task.id);

      // who may act: the people of the unit that published the notice, or (nobody there) the case's starter
      const record = await ts.store.db
        .selectFrom('records')
        .select('disclosing_unit_id')
        .where('id', '=', recordId)
        .executeTakeFirstOrThrow();
      const candidates = task.assignee_id
        ? [task.assignee_id]
        : (
            await ts.store.db
              .selectFrom('task_candidates')
              .select('user_id')
              .where('task_id', '=', task.id)
              .execute()
          ).map((r) => r.user_id);
      assert.ok(candidates.length > 0);
      const unitPeople = await ts.store.db
        .selectFrom('appointments')
        .innerJoin('positions', 'positions.id', 'appointments.position_id')
        .innerJoin('users', 'users.person_id', 'appointments.person_id')
        .select('users.id')
        .where('positions.unit_id', '=', record.disclosing_unit_id)
        .execute();
      const starterId = (
        await ts.store.db
          .selectFrom('process_instances')
          .select('started_by')
          .where('id', '=', caseId)
          .executeTakeFirstOrThrow()
      ).started_by;
      const expected = unitPeople.length ? unitPeople.map((p) => p.id) : [starterId];
      for (const c of candidates) assert.ok(expected.includes(c), `${c} belongs to the publishing unit`);
      const handler = await usernameById(candidates[0]!);

      const inbox = await app.inject({ url: '/api/v1/tasks?view=open', headers: await as(handler) });
      assert.ok(
        (inbox.json() as { items: { taskId: string }[] }).items.some((i) => i.taskId === task.id),
        'the task is in the handler’s 待办',
      );
      const view = await app.inject({ url: `/api/v1/tasks/${task.id}`, headers: await as(handler) });
      assert.equal(view.statusCode, 200, view.body);
      const v = view.json() as { kind: string; outcomes: string[]; actions: string[] };
      assert.equal(v.kind, 'objection');
      assert.deepEqual(v.outcomes, ['异议成立', '异议不成立']);
      assert.ok(v.actions.includes('complete'));
      assert.ok(!v.actions.includes('terminate'), 'an objection’s handler does not stop the case');
      const stop = await app.inject({
        method: 'POST',
        url: `/api/v1/tasks/${task.id}/terminate`,
        headers: await as(handler),
        payload: { reason: '试图借异议终止办件' },
      });
      assert.equal(stop.statusCode, 403, stop.body);

      const caseView = await app.inject({
        url: `/api/v1/process-instances/${caseId}`,
        headers: await as(handler),
      });
      assert.match(caseView.body, /objectionReceived/);
      assert.ok(caseView.body.includes(ref), 'the case history names the objection by its reference');
      assert.ok(!caseView.body.includes('13812345678'), 'the phone the objector wrote is masked in the case');

      const complete = (payload: object) =>
        app.inject({
          method: 'POST',
          url: `/api/v1/tasks/${task.id}/complete`,
          headers: sessions.get(handler),
          payload,
        });
      const noFinding = await complete({ opinion: '经核实' });
      assert.equal(noFinding.statusCode, 400);
      assert.equal((noFinding.json() as { fields: { field: string }[] }).fields[0]?.field, 'outcome');
      const noOpinion = await complete({ outcome: '异议成立' });
      assert.equal(noOpinion.statusCode, 400);
      assert.equal((noOpinion.json() as { fields: { field: string }[] }).fields[0]?.field, 'opinion');
      assert.equal((await objectionTasks(caseId))[0]?.status, 'open', 'refused input changed nothing');
      const settled = await complete({ outcome: '异议成立', opinion: '经入户核实，该户已在城区购房。' });
      assert.equal(settled.statusCode, 200, settled.body);
      const again = await complete({ outcome: '异议成立', opinion: '经入户核实，该户已在城区购房。' });
      assert.equal(again.statusCode, 200, 'completing twice is harmless');

      const after = await ts.store.db
        .selectFrom('notice_objections')
        .selectAll()
        .where('id', '=', objection.id)
        .executeTakeFirstOrThrow();
      assert.equal(after.state, 'settled');
      assert.equal(after.finding, '异议成立');
      assert.ok(after.settled_by);
      const vars = Object.fromEntries(
        (
          await ts.store.db
            .selectFrom('variables')
            .select(['name', 'value'])
            .where('scope_id', '=', caseId)
            .where('name', 'in', ['objectionCount', 'objectionsUpheld'])
            .execute()
        ).map((r) => [r.name, r.value]),
      );
      assert.deepEqual(vars, { objectionCount: '1', objectionsUpheld: '1' });
      // the case has not moved: still in its 公示期, its timer set, no step task open
      const timer = await ts.store.db
        .selectFrom('timers')
        .select('activity_id')
        .where('instance_id', '=', caseId)
        .execute();
      assert.deepEqual(
        timer.map((t) => t.activity_id),
        ['villagePeriod'],
      );
      const history = await ts.store.db
        .selectFrom('flow_history')
        .select(['action', 'outcome'])
        .where('instance_id', '=', caseId)
        .where('action', 'in', ['objectionReceived', 'objectionSettled'])
        .orderBy('step')
        .orderBy('seq')
        .execute();
      assert.deepEqual(history, [
        { action: 'objectionReceived', outcome: null },
        { action: 'objectionSettled', outcome: '异议成立' },
      ]);

      // the unit reads the objector's name and contact in full; staff of another government read them masked
      const list = await app.inject({
        url: `/api/v1/records/${recordId}/objections`,
        headers: await as(handler),
      });
      assert.equal(list.statusCode, 200, list.body);
      const mine = (
        list.json() as { items: { name: string; contact: string; finding: string; ref: string }[] }
      ).items[0];
      assert.deepEqual(
        { name: mine?.name, contact: mine?.contact, finding: mine?.finding, ref: mine?.ref },
        { name: '张三', contact: '13812345678', finding: '异议成立', ref },
      );
      const outsider = await ts.store.db
        .selectFrom('users')
        .select('username')
        .where('role', '=', 'staff')
        .where('person_id', 'like', '330304-%')
        .executeTakeFirstOrThrow();
      const masked = await app.inject({
        url: `/api/v1/records/${recordId}/objections`,
        headers: await as(outsider.username),
      });
      assert.equal(masked.statusCode, 200, masked.body);
      assert.ok(!masked.body.includes('13812345678'));
      assert.ok(!masked.body.includes('张三'));
    });

    test('a notice whose case has ended keeps the objection for the unit, without a task', async () => {
      const { caseId, recordId } = await caseWithOpenNotice();
      // the applicant withdraws: an administrator stops the case (终止)
      const admin = await signIn(app, ts, 'sysadmin');
      const lastTask = await ts.store.db
        .selectFrom('tasks')
        .select('id')
        .where('instance_id', '=', caseId)
        .executeTakeFirstOrThrow();
      const ended = await app.inject({
        method: 'POST',
        url: `/api/v1/tasks/${lastTask.id}/terminate`,
        headers: admin.headers,
        payload: { reason: '申请人撤回申请' },
      });
      assert.equal(ended.statusCode, 200, ended.body);
      const posted = await object(recordId, { content: '公示期内对名单提出异议，请核实。' });
      assert.equal(posted.statusCode, 200, posted.body);
      assert.deepEqual(await objectionTasks(caseId), []);
      const row = await ts.store.db
        .selectFrom('notice_objections')
        .selectAll()
        .where('record_id', '=', recordId)
        .executeTakeFirstOrThrow();
      assert.equal(row.task_id, null);
      assert.equal(row.state, 'received');
    });
  });
}
