import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../../src/context.ts';
import { reviewFlowImporter } from '../../src/disclosure/reviewFlow.ts';
import { appointmentCreator } from '../../src/registry/commands/appointmentCreator.ts';
import { personCreator } from '../../src/registry/commands/personCreator.ts';
import { positionCreator } from '../../src/registry/commands/positionCreator.ts';
import { type Session, signIn, testApp } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import { appointIn, disclosureOffice, smallDistrict } from './fixtures.ts';

// Issue 4 item 5: publishing review as a flow (src/disclosure/gk-review.bpmn): 审核 by the head of the
// disclosing unit → 保密审查 by the disclosure office → 通过 (待发布) or 退回 (草稿), moved by the case's end.

interface Task {
  taskId: string;
  taskName: string;
  flowKey: string;
}

for (const backend of backendNames) {
  describe(`publishing review as a flow [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let ids: Awaited<ReturnType<typeof smallDistrict>>;
    let clerk: Session;
    let head: Session;
    let office: Session;
    const call = (s: Session, method: 'GET' | 'POST', url: string, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: s.headers, ...(payload ? { payload } : {}) });
    const create = async (title: string) => {
      const res = await call(clerk, 'POST', '/records', {
        title,
        summary: `${title}的主要内容。`,
        origin: 'produced',
        formedOn: '2026-03-02',
        attribute: 'proactive',
        disclosingUnitId: 'oh-zsb',
        areaId: ids.areaId,
        subAreaId: ids.subAreaId,
        stage: 'decision',
        dutyId: ids.dutyId,
      });
      assert.equal(res.statusCode, 201, res.body);
      return (res.json() as { id: string }).id;
    };
    const state = async (id: string) =>
      ((await call(clerk, 'GET', `/records/${id}`)).json() as { publishState: string }).publishState;
    const task = async (s: Session, name: string) => {
      const items = ((await call(s, 'GET', '/tasks')).json() as { items: Task[] }).items;
      const t = items.find((i) => i.flowKey === 'gk-review' && i.taskName === name);
      assert.ok(t, `${name} in the inbox: ${JSON.stringify(items)}`);
      return t.taskId;
    };
    const complete = async (s: Session, taskId: string, outcome: string) => {
      const res = await call(s, 'POST', `/tasks/${taskId}/complete`, { outcome, opinion: outcome });
      assert.equal(res.statusCode, 200, res.body);
    };

    before(async () => {
      ts = await freshStore(backend);
      ids = await smallDistrict(ts.ctx);
      await disclosureOffice(ts.ctx, 'oh-gov');
      app = await testApp(ts);
      clerk = await signIn(app, ts, 'staff', 'zsb-clerk');
      head = await signIn(app, ts, 'leader', 'zsb-head');
      office = await signIn(app, ts, 'staff', 'office-secrecy');
      await appointIn(ts.ctx, 'oh-zsb', 'zsb-clerk');
      await appointIn(ts.ctx, 'gov-office', 'office-secrecy');
      await inTransaction(ts.ctx, async (c) => {
        const pos = await positionCreator(c, { unitId: 'oh-zsb', name: '主任', kind: 'head' });
        const person = await personCreator(c, { name: '陈主任', unitId: 'oh-zsb' });
        await appointmentCreator(c, { personId: person.id, positionId: pos.id, startsOn: '2020-01-01' });
        await c.db
          .updateTable('users')
          .set({ person_id: person.id })
          .where('username', '=', 'zsb-head')
          .execute();
      });
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('a record submitted before the chart was deployed keeps the explicit review', async () => {
      const before = await create('瓯海大道拓宽工程征收决定');
      assert.equal((await call(clerk, 'POST', `/records/${before}/submit`)).statusCode, 200);
      await inTransaction(ts.ctx, (c) => reviewFlowImporter(c));
      const res = await call(head, 'POST', `/records/${before}/review`, {
        decision: 'approve',
        note: '同意',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(await state(before), 'inSecrecyCheck');
    });

    test('审核 by the unit head, 保密审查 by the office: 通过 makes the record ready to publish', async () => {
      const id = await create('瓯海大道拓宽工程房屋征收补偿方案');
      assert.equal((await call(clerk, 'POST', `/records/${id}/submit`)).statusCode, 200);
      assert.equal(await state(id), 'inReview');
      const explicit = await call(head, 'POST', `/records/${id}/review`, { decision: 'approve', note: '' });
      assert.equal(explicit.statusCode, 409, 'decided in the case, not by the explicit API');
      assert.equal(explicit.json().code, 'in_review_flow');

      await complete(head, await task(head, '审核'), '通过');
      assert.equal(await state(id), 'inSecrecyCheck');
      await complete(office, await task(office, '保密审查'), '通过');
      assert.equal(await state(id), 'approved');

      assert.equal((await call(head, 'POST', `/records/${id}/publish`)).statusCode, 200);
      assert.equal(
        (await app.inject({ url: `/api/v1/public/records/${id}` })).statusCode,
        200,
        'on the portal',
      );
      const history = (
        (await call(clerk, 'GET', `/records/${id}/history`)).json() as { items: { action: string }[] }
      ).items;
      assert.deepEqual(
        history.map((h) => h.action),
        ['created', 'submitted', 'reviewFlowStarted', 'reviewApproved', 'secrecyApproved', 'published'],
      );
    });

    test('退回 at 保密审查 sends the record back to draft, and it can be edited and submitted again', async () => {
      const id = await create('征收范围内房屋调查登记结果');
      assert.equal((await call(clerk, 'POST', `/records/${id}/submit`)).statusCode, 200);
      await complete(head, await task(head, '审核'), '通过');
      await complete(office, await task(office, '保密审查'), '退回');
      assert.equal(await state(id), 'draft');
      assert.equal((await app.inject({ url: `/api/v1/public/records/${id}` })).statusCode, 404);
      assert.equal((await call(clerk, 'POST', `/records/${id}/submit`)).statusCode, 200, 'submitted again');
      await complete(head, await task(head, '审核'), '退回');
      assert.equal(await state(id), 'draft');
    });
  });
}
