import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type Session, signIn, testApp } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import { bpmn, fixture, flows } from './support.ts';

interface TaskOut {
  id: string;
  name: string;
  mayAct: { username: string }[];
  outcomes: string[];
  actions: string[];
  status: string;
}

for (const backend of backendNames) {
  describe(`flows API [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let admin: Session;
    let staff: Session;
    let other: Session;
    before(async () => {
      ts = await freshStore(backend);
      app = await testApp(ts);
      admin = await signIn(app, ts, 'sysadmin');
      staff = await signIn(app, ts, 'staff', 'clerk');
      other = await signIn(app, ts, 'leader', 'boss');
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('import (admin only), list with key/code/name/version, export the stored XML unchanged', async () => {
      const xml = fixture('modeler-review.bpmn');
      const denied = await app.inject({
        method: 'POST',
        url: '/api/v1/process-definitions',
        headers: staff.headers,
        payload: { xml },
      });
      assert.equal(denied.statusCode, 403);
      const bad = await app.inject({
        method: 'POST',
        url: '/api/v1/process-definitions',
        headers: admin.headers,
        payload: {
          xml: xml.replace(
            '<bpmn:endEvent id="back"',
            '<bpmn:scriptTask id="oops"/><bpmn:endEvent id="back"',
          ),
        },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal((bad.json() as { code: string }).code, 'bpmn_unsupported');
      for (const expected of [1, 2]) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/process-definitions',
          headers: admin.headers,
          payload: { xml },
        });
        assert.equal(res.statusCode, 201);
        assert.equal((res.json() as { version: number }).version, expected);
      }
      const list = await app.inject({
        method: 'GET',
        url: '/api/v1/process-definitions',
        headers: staff.headers,
      });
      const items = (list.json() as { items: { key: string; code: string; name: string; version: number }[] })
        .items;
      assert.deepEqual(
        items.map((d) => [d.key, d.code, d.name, d.version]),
        [['flow-fixture-review', 'fx-1', '示例审核', 2]],
      );
      const exported = await app.inject({
        method: 'GET',
        url: '/api/v1/process-definitions/flow-fixture-review/xml',
        headers: staff.headers,
      });
      assert.equal(exported.statusCode, 200);
      assert.equal(exported.body, xml);
    });

    test('start a case, see it in the inboxes, read the task, act on it; others may not', async () => {
      const started = await app.inject({
        method: 'POST',
        url: '/api/v1/process-definitions/flow-fixture-review/instances',
        headers: staff.headers,
        payload: { variables: { title: '关于某事的来文' } },
      });
      assert.equal(started.statusCode, 201);
      const caseOut = started.json() as {
        id: string;
        currentSteps: { taskId: string; name: string }[];
        variables: Record<string, unknown>;
      };
      assert.equal(caseOut.variables.title, '关于某事的来文');
      const step = caseOut.currentSteps[0];
      assert.equal(step?.name, '是否符合收文要求');
      const open = await app.inject({
        method: 'GET',
        url: '/api/v1/tasks?view=open',
        headers: staff.headers,
      });
      assert.ok(
        (open.json() as { items: { taskId: string }[] }).items.some((i) => i.taskId === step?.taskId),
      );
      const mine = await app.inject({
        method: 'GET',
        url: '/api/v1/tasks?view=started',
        headers: staff.headers,
      });
      assert.ok(
        (mine.json() as { items: { instanceId: string }[] }).items.some((i) => i.instanceId === caseOut.id),
      );
      const detail = await app.inject({
        method: 'GET',
        url: `/api/v1/tasks/${step?.taskId}`,
        headers: staff.headers,
      });
      const task = detail.json() as TaskOut;
      assert.deepEqual(task.outcomes, ['符合', '不符合']);
      assert.ok(
        task.mayAct.some((u) => u.username === 'clerk'),
        'role:staff resolves to the staff account',
      );
      assert.ok(task.actions.includes('complete') && task.actions.includes('return'));
      const notYours = await app.inject({
        method: 'GET',
        url: `/api/v1/process-instances/${caseOut.id}`,
        headers: other.headers,
      });
      assert.equal(notYours.statusCode, 403);
      const forbidden = await app.inject({
        method: 'POST',
        url: `/api/v1/tasks/${step?.taskId}/complete`,
        headers: other.headers,
        payload: { outcome: '符合' },
      });
      assert.equal(forbidden.statusCode, 403);
      const done = await app.inject({
        method: 'POST',
        url: `/api/v1/tasks/${step?.taskId}/complete`,
        headers: staff.headers,
        payload: { outcome: '不符合', opinion: '缺少公章' },
      });
      assert.equal(done.statusCode, 200);
      const again = await app.inject({
        method: 'POST',
        url: `/api/v1/tasks/${step?.taskId}/complete`,
        headers: staff.headers,
        payload: { outcome: '不符合', opinion: '缺少公章' },
      });
      assert.deepEqual(again.json(), done.json(), 'a retried completion answers the same');
      const view = await app.inject({
        method: 'GET',
        url: `/api/v1/process-instances/${caseOut.id}`,
        headers: staff.headers,
      });
      const body = view.json() as {
        status: string;
        history: { action: string; opinion: string | null; actor: { name: string } | null }[];
      };
      assert.equal(body.status, 'completed');
      assert.ok(
        body.history.some(
          (h) => h.action === 'complete' && h.opinion === '缺少公章' && h.actor?.name === 'clerk',
        ),
      );
      const doneView = await app.inject({
        method: 'GET',
        url: '/api/v1/tasks?view=done',
        headers: staff.headers,
      });
      assert.ok(
        (doneView.json() as { items: { taskId: string; outcome: string }[] }).items.some(
          (i) => i.taskId === step?.taskId && i.outcome === '不符合',
        ),
      );
      const overdue = await app.inject({
        method: 'GET',
        url: '/api/v1/tasks?view=overdue',
        headers: staff.headers,
      });
      assert.deepEqual((overdue.json() as { items: unknown[] }).items, []);
      const badView = await app.inject({
        method: 'GET',
        url: '/api/v1/tasks?view=everything',
        headers: staff.headers,
      });
      assert.equal(badView.statusCode, 400);
    });

    test('every task action over POST /tasks/:id/:action, each in the case history GET /process-instances/:id shows', async () => {
      const clerk2 = await signIn(app, ts, 'staff', 'clerk2');
      const clerk3 = await signIn(app, ts, 'staff', 'clerk3');
      const xml = bpmn(
        'flow-api-actions',
        `<bpmn:startEvent id="s"/><bpmn:userTask id="apply" name="申请"/>
         <bpmn:userTask id="check" name="初审" camunda:candidateUsers="clerk2,clerk3"/>
         <bpmn:userTask id="sign" name="会签">
           <bpmn:multiInstanceLoopCharacteristics isSequential="false" camunda:collection="\${['clerk2','clerk3']}"/>
         </bpmn:userTask>
         <bpmn:endEvent id="e"/>${flows('s>apply', 'apply>check', 'check>sign', 'sign>e')}`,
      );
      const imported = await app.inject({
        method: 'POST',
        url: '/api/v1/process-definitions',
        headers: admin.headers,
        payload: { xml },
      });
      assert.equal(imported.statusCode, 201, imported.body);
      const post = async (who: Session, url: string, payload: object = {}) => {
        const res = await app.inject({ method: 'POST', url: `/api/v1${url}`, headers: who.headers, payload });
        assert.ok(res.statusCode < 300, `${url}: ${res.statusCode} ${res.body}`);
        return res.json() as Record<string, unknown>;
      };
      const act = (who: Session, taskId: string, action: string, payload: object = {}) =>
        post(who, `/tasks/${taskId}/${action}`, payload);
      const caseOf = async (id: string) =>
        (await app.inject({ url: `/api/v1/process-instances/${id}`, headers: admin.headers })).json() as {
          status: string;
          currentSteps: {
            taskId: string;
            activityId: string;
            kind: string;
            assignee: { username: string } | null;
          }[];
          history: { action: string; actor: { name: string } | null; opinion: string | null }[];
        };
      const at = async (id: string, activityId: string, kind = 'step') => {
        const steps = (await caseOf(id)).currentSteps.filter(
          (x) => x.activityId === activityId && x.kind === kind,
        );
        assert.ok(steps[0], `a current step at ${activityId}`);
        return steps;
      };

      const started = (await post(staff, '/process-definitions/flow-api-actions/instances', {})) as {
        id: string;
      };
      const id = started.id;
      const apply = (await at(id, 'apply'))[0]?.taskId ?? '';
      await act(staff, apply, 'complete', { opinion: '请审' });
      const check = (await at(id, 'check'))[0]?.taskId ?? '';
      const asSeen = (
        await app.inject({ url: `/api/v1/tasks/${check}`, headers: clerk2.headers })
      ).json() as {
        actions: string[];
        mayAct: { username: string }[];
      };
      assert.deepEqual(asSeen.mayAct.map((u) => u.username).sort(), ['clerk2', 'clerk3']);
      assert.ok(asSeen.actions.includes('claim'));
      await act(clerk2, check, 'claim');
      await act(clerk2, check, 'supplement', { reason: '补充材料' });
      const sup = (await at(id, 'check', 'supplement'))[0]?.taskId ?? '';
      await act(staff, sup, 'complete', { opinion: '已补' });
      await act(clerk2, check, 'transfer', { to: 'clerk3', opinion: '转尔办理' });
      await act(clerk3, check, 'delegate', { to: 'clerk2' });
      await act(clerk2, check, 'complete', { opinion: '代为核对' });
      await act(clerk3, check, 'return', { to: 'previous', reason: '请补正申请表' });
      const apply2 = (await at(id, 'apply'))[0]?.taskId ?? '';
      await act(staff, apply2, 'complete', { opinion: '已补正' });
      await act(staff, apply2, 'recall', { reason: '再改一处' });
      const apply3 = (await at(id, 'apply'))[0]?.taskId ?? '';
      await act(staff, apply3, 'complete', { opinion: '改好了' });
      const check2 = (await at(id, 'check'))[0]?.taskId ?? '';
      await act(clerk3, check2, 'complete', { opinion: '同意' });
      const signs = await at(id, 'sign');
      const mine = signs.find((x) => x.assignee?.username === 'clerk2')?.taskId ?? '';
      await act(clerk2, mine, 'addCountersigner', { who: 'boss' });
      const boss = (await at(id, 'sign')).find((x) => x.assignee?.username === 'boss')?.taskId ?? '';
      await act(clerk2, mine, 'removeCountersigner', { taskId: boss });
      const theirs = signs.find((x) => x.assignee?.username === 'clerk3')?.taskId ?? '';
      await act(other, theirs, 'urge', { message: '请今日会签' });
      await act(admin, theirs, 'terminate', { reason: '测试终止' });

      const view = await caseOf(id);
      assert.equal(view.status, 'terminated');
      const actions = view.history.filter((h) => h.actor).map((h) => `${h.action}:${h.actor?.name}`);
      for (const expected of [
        'claim:clerk2',
        'supplement:clerk2',
        'supplemented:clerk',
        'transfer:clerk2',
        'delegate:clerk3',
        'resolve:clerk2',
        'return:clerk3',
        'recall:clerk',
        'addCountersigner:clerk2',
        'removeCountersigner:clerk2',
        'urge:boss',
        'terminate:t-sysadmin',
      ])
        assert.ok(actions.includes(expected), `${expected} in ${actions.join(' ')}`);
      assert.ok(view.history.some((h) => h.action === 'return' && h.opinion === '请补正申请表'));
      const unknown = await app.inject({
        method: 'POST',
        url: `/api/v1/tasks/${theirs}/approveEverything`,
        headers: admin.headers,
        payload: {},
      });
      assert.equal(unknown.statusCode, 404);
    });
  });
}
