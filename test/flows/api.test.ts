import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type Session, signIn, testApp } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import { fixture } from './support.ts';

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
  });
}
