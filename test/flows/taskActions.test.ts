import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { taskClaimer } from '../../src/flows/taskActions/claim.ts';
import { countersignerAdder, countersignerRemover } from '../../src/flows/taskActions/countersign.ts';
import { taskRecaller } from '../../src/flows/taskActions/recall.ts';
import { taskReturner } from '../../src/flows/taskActions/returnTask.ts';
import { supplementRequester } from '../../src/flows/taskActions/supplement.ts';
import { caseTerminator } from '../../src/flows/taskActions/terminate.ts';
import { taskDelegator, taskTransferrer } from '../../src/flows/taskActions/transfer.ts';
import { taskUrger } from '../../src/flows/taskActions/urge.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import {
  bpmn,
  complete,
  flows,
  historyOf,
  importXml,
  instanceStatus,
  openTasks,
  type People,
  people,
  start,
  taskAt,
} from './support.ts';

const chain = bpmn(
  'flow-chain',
  `<bpmn:startEvent id="s"/>
   <bpmn:userTask id="apply" name="申请"/>
   <bpmn:userTask id="check" name="初审" camunda:candidateUsers="bob,carol"/>
   <bpmn:userTask id="approve" name="审批" camunda:assignee="dave"/>
   <bpmn:endEvent id="e"/>
   ${flows('s>apply', 'apply>check', 'check>approve', 'approve>e')}`,
);

const countersign = (key: string, sequential: boolean, condition: string | null) =>
  bpmn(
    key,
    `<bpmn:startEvent id="s"/>
     <bpmn:userTask id="sign" name="会签">
       <bpmn:multiInstanceLoopCharacteristics isSequential="${sequential}" camunda:collection="\${signers}" camunda:elementVariable="signer">
         ${condition ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${condition}</bpmn:completionCondition>` : ''}
       </bpmn:multiInstanceLoopCharacteristics>
     </bpmn:userTask>
     <bpmn:userTask id="after" name="汇总"/><bpmn:endEvent id="e"/>
     ${flows('s>sign', 'sign>after', 'after>e')}`,
  );

for (const backend of backendNames) {
  describe(`flow task actions [${backend}]`, () => {
    let ts: TestStore;
    let p: People;
    let admins: People;
    before(async () => {
      ts = await freshStore(backend);
      p = await people(ts, ['alice', 'bob', 'carol', 'dave', 'erin', 'frank']);
      admins = await people(ts, ['root'], 'sysadmin');
      const a = p.ctx('alice');
      await importXml(a, chain);
      await importXml(a, countersign('flow-cs-all', false, null));
      await importXml(a, countersign('flow-cs-any', false, '${nrOfCompletedInstances >= 1}'));
      await importXml(
        a,
        countersign('flow-cs-ratio', false, '${nrOfCompletedInstances / nrOfInstances >= 2 / 3}'),
      );
      await importXml(a, countersign('flow-cs-seq', true, null));
      await importXml(a, countersign('flow-cs-seq-any', true, '${nrOfCompletedInstances >= 1}'));
      await importXml(
        a,
        countersign('flow-cs-seq-ratio', true, '${nrOfCompletedInstances / nrOfInstances >= 0.5}'),
      );
    });
    after(async () => {
      await ts.dispose();
    });

    const toCheck = async () => {
      const a = p.ctx('alice');
      const { id } = await start(a, 'flow-chain');
      await complete(a, (await taskAt(a, id, 'apply')).id, undefined, '请审');
      return { id, check: await taskAt(a, id, 'check') };
    };

    test('claim: one candidate takes the task; the other no longer may act', async () => {
      const { check } = await toCheck();
      await taskClaimer(p.ctx('bob'), check.id);
      await assert.rejects(taskClaimer(p.ctx('carol'), check.id), { code: 'task_claimed' });
      await assert.rejects(complete(p.ctx('carol'), check.id), { code: 'forbidden' });
      const done = await complete(p.ctx('bob'), check.id);
      assert.equal(done.status, 'completed');
    });

    test('return to the previous step goes back to whoever did it, with the reason in the history', async () => {
      const { id, check } = await toCheck();
      await assert.rejects(taskReturner(p.ctx('bob'), check.id, { to: 'previous', reason: '  ' }), {
        code: 'validation_failed',
      });
      await taskReturner(p.ctx('bob'), check.id, { to: 'previous', reason: '缺少附件' });
      const back = await taskAt(p.ctx('alice'), id, 'apply');
      assert.equal(back.assignee_id, p.id('alice'));
      const h = (await historyOf(p.ctx('alice'), id)).find((r) => r.action === 'return');
      assert.equal(h?.opinion, '缺少附件');
      assert.equal(h?.actor_name, 'BOB');
    });

    test('return to the submitter and to any earlier step', async () => {
      const a = p.ctx('alice');
      const { id, check } = await toCheck();
      await complete(p.ctx('carol'), check.id);
      const approve = await taskAt(a, id, 'approve');
      await taskReturner(p.ctx('dave'), approve.id, { to: 'check', reason: '请重新初审' });
      const again = await taskAt(a, id, 'check');
      assert.equal(again.assignee_id, p.id('carol'), 'back to the one who did 初审');
      await complete(p.ctx('carol'), again.id);
      await taskReturner(p.ctx('dave'), (await taskAt(a, id, 'approve')).id, {
        to: 'submitter',
        reason: '退回申请人',
      });
      assert.equal((await taskAt(a, id, 'apply')).assignee_id, p.id('alice'));
      await assert.rejects(
        taskReturner(a, (await taskAt(a, id, 'apply')).id, { to: 'approve', reason: 'x' }),
        { code: 'return_not_possible' },
      );
    });

    test('recall: the sender takes a task back until the next handler acts', async () => {
      const a = p.ctx('alice');
      const { id } = await start(a, 'flow-chain');
      const apply = await taskAt(a, id, 'apply');
      await complete(a, apply.id);
      await assert.rejects(taskRecaller(p.ctx('bob'), apply.id, {}), { code: 'forbidden' });
      await taskRecaller(a, apply.id, { reason: '写错了' });
      assert.deepEqual(
        (await openTasks(a, id)).map((t) => t.activity_id),
        ['apply'],
      );
      const again = await taskAt(a, id, 'apply');
      await complete(a, again.id);
      await taskClaimer(p.ctx('bob'), (await taskAt(a, id, 'check')).id);
      await assert.rejects(taskRecaller(a, again.id, {}), { code: 'recall_not_possible' });
      const statuses = await ts.store.db
        .selectFrom('tasks')
        .select('status')
        .where('id', '=', apply.id)
        .executeTakeFirstOrThrow();
      assert.equal(statuses.status, 'completed', 'the recalled completion stays in the record');
      const recalled = await ts.store.db
        .selectFrom('tasks')
        .select('status')
        .where('instance_id', '=', id)
        .where('status', '=', 'recalled')
        .execute();
      assert.equal(recalled.length, 1);
    });

    test('transfer and delegate: the new handler acts; a delegate hands the task back to its owner', async () => {
      const a = p.ctx('alice');
      const { id, check } = await toCheck();
      await taskTransferrer(p.ctx('bob'), check.id, { to: 'erin', opinion: '请尔林办理' });
      await assert.rejects(complete(p.ctx('bob'), check.id), { code: 'forbidden' });
      await taskDelegator(p.ctx('erin'), check.id, { to: 'frank' });
      const resolved = await complete(p.ctx('frank'), check.id, undefined, '已核');
      assert.equal(resolved.status, 'open');
      assert.equal(resolved.assigneeId, p.id('erin'), 'back with the owner');
      const done = await complete(p.ctx('erin'), check.id, undefined, '同意');
      assert.equal(done.status, 'completed');
      assert.equal((await taskAt(a, id, 'approve')).assignee_id, p.id('dave'));
      const actions = (await historyOf(a, id)).map((r) => r.action);
      for (const x of ['transfer', 'delegate', 'resolve', 'complete']) assert.ok(actions.includes(x), x);
    });

    test('urge records and notifies the handlers; only the starter, the sender or a leader may urge', async () => {
      const { id, check } = await toCheck();
      await assert.rejects(taskUrger(p.ctx('frank'), check.id, {}), { code: 'forbidden' });
      await taskUrger(p.ctx('alice'), check.id, { message: '请今天办完' });
      const notes = await ts.store.db
        .selectFrom('flow_notifications')
        .select(['user_id', 'message'])
        .where('task_id', '=', check.id)
        .execute();
      assert.deepEqual(notes.map((n) => n.user_id).sort(), [p.id('bob'), p.id('carol')].sort());
      assert.ok(
        (await historyOf(p.ctx('alice'), id)).some((r) => r.action === 'urge' && r.opinion === '请今天办完'),
      );
    });

    test('supplement: the task waits for the submitter, then resumes with the same handler', async () => {
      const a = p.ctx('alice');
      const { id, check } = await toCheck();
      await supplementRequester(p.ctx('bob'), check.id, { reason: '补充身份证复印件' });
      await assert.rejects(complete(p.ctx('bob'), check.id), { code: 'task_supplementing' });
      const sup = (await openTasks(a, id)).find((t) => t.kind === 'supplement');
      assert.ok(sup);
      assert.equal(sup.assignee_id, p.id('alice'));
      await complete(a, sup.id, undefined, '已补充');
      const resumed = await taskAt(a, id, 'check');
      assert.equal(resumed.id, check.id);
      assert.equal(resumed.assignee_id, p.id('bob'));
      await complete(p.ctx('bob'), check.id);
      assert.equal((await taskAt(a, id, 'approve')).assignee_id, p.id('dave'));
    });

    test('terminate: a handler or an administrator ends the case; others may not', async () => {
      const a = p.ctx('alice');
      const one = await toCheck();
      await assert.rejects(caseTerminator(p.ctx('frank'), one.check.id, { reason: '不办了' }), {
        code: 'forbidden',
      });
      await caseTerminator(p.ctx('bob'), one.check.id, { reason: '申请人撤销' });
      assert.equal(await instanceStatus(a, one.id), 'terminated');
      assert.equal((await openTasks(a, one.id)).length, 0);
      const two = await toCheck();
      await caseTerminator(admins.ctx('root'), two.check.id, { reason: '管理员终止' });
      assert.equal(await instanceStatus(a, two.id), 'terminated');
    });

    test('countersign, all must act: the step finishes after the last one', async () => {
      const a = p.ctx('alice');
      const { id } = await start(a, 'flow-cs-all', { signers: ['bob', 'carol', 'dave'] });
      const tasks = await openTasks(a, id);
      assert.deepEqual(
        tasks.map((t) => t.assignee_id).sort(),
        [p.id('bob'), p.id('carol'), p.id('dave')].sort(),
      );
      for (const who of ['bob', 'carol']) {
        const t = tasks.find((x) => x.assignee_id === p.id(who));
        assert.ok(t);
        await complete(p.ctx(who), t.id, undefined, `${who} 同意`);
      }
      assert.equal((await openTasks(a, id)).filter((t) => t.activity_id === 'sign').length, 1);
      await complete(p.ctx('dave'), (await taskAt(a, id, 'sign')).id);
      assert.deepEqual(
        (await openTasks(a, id)).map((t) => t.activity_id),
        ['after'],
      );
    });

    test('countersign, any one: the first completion cancels the others', async () => {
      const a = p.ctx('alice');
      const { id } = await start(a, 'flow-cs-any', { signers: ['bob', 'carol', 'dave'] });
      const t = (await openTasks(a, id)).find((x) => x.assignee_id === p.id('carol'));
      assert.ok(t);
      await complete(p.ctx('carol'), t.id);
      assert.deepEqual(
        (await openTasks(a, id)).map((x) => x.activity_id),
        ['after'],
      );
      const cancelled = await ts.store.db
        .selectFrom('tasks')
        .select('id')
        .where('instance_id', '=', id)
        .where('status', '=', 'cancelled')
        .execute();
      assert.equal(cancelled.length, 2);
    });

    test('countersign by ratio (two thirds), with a countersigner added and one removed on the way', async () => {
      const a = p.ctx('alice');
      const { id } = await start(a, 'flow-cs-ratio', { signers: ['bob', 'carol', 'dave'] });
      const bobTask = (await openTasks(a, id)).find((x) => x.assignee_id === p.id('bob'));
      assert.ok(bobTask);
      await countersignerAdder(p.ctx('bob'), bobTask.id, { who: 'erin' });
      assert.equal((await openTasks(a, id)).length, 4);
      await complete(p.ctx('bob'), bobTask.id);
      await complete(
        p.ctx('erin'),
        (await openTasks(a, id)).find((x) => x.assignee_id === p.id('erin'))?.id ?? '',
      );
      // 2 of 4 done: not yet two thirds
      assert.equal((await openTasks(a, id)).filter((x) => x.activity_id === 'sign').length, 2);
      const daveTask = (await openTasks(a, id)).find((x) => x.assignee_id === p.id('dave'));
      const carolTask = (await openTasks(a, id)).find((x) => x.assignee_id === p.id('carol'));
      assert.ok(daveTask && carolTask);
      // taking dave off leaves 2 of 3 done: two thirds reached, the step finishes
      await countersignerRemover(p.ctx('carol'), carolTask.id, { taskId: daveTask.id });
      assert.deepEqual(
        (await openTasks(a, id)).map((x) => x.activity_id),
        ['after'],
      );
      const h = (await historyOf(a, id)).map((r) => r.action);
      assert.ok(h.includes('addCountersigner') && h.includes('removeCountersigner'));
    });

    test('sequential countersign: one after another, in the order given', async () => {
      const a = p.ctx('alice');
      const { id } = await start(a, 'flow-cs-seq', { signers: ['carol', 'bob', 'dave'] });
      const order: string[] = [];
      for (let i = 0; i < 3; i++) {
        const open = (await openTasks(a, id)).filter((x) => x.activity_id === 'sign');
        assert.equal(open.length, 1);
        const t = open[0];
        assert.ok(t?.assignee_id);
        const who = ['bob', 'carol', 'dave'].find((u) => p.id(u) === t.assignee_id) ?? '?';
        order.push(who);
        await complete(p.ctx(who), t.id);
      }
      assert.deepEqual(order, ['carol', 'bob', 'dave']);
      assert.deepEqual(
        (await openTasks(a, id)).map((x) => x.activity_id),
        ['after'],
      );
    });

    test('sequential countersign, any one or a ratio: the later turns never start once the condition holds', async () => {
      const a = p.ctx('alice');
      const any = await start(a, 'flow-cs-seq-any', { signers: ['dave', 'bob', 'carol'] });
      const first = await taskAt(a, any.id, 'sign');
      assert.equal(first.assignee_id, p.id('dave'));
      await complete(p.ctx('dave'), first.id);
      assert.deepEqual(
        (await openTasks(a, any.id)).map((x) => x.activity_id),
        ['after'],
      );
      const half = await start(a, 'flow-cs-seq-ratio', { signers: ['bob', 'carol', 'dave', 'erin'] });
      const order: string[] = [];
      for (;;) {
        const open = (await openTasks(a, half.id)).filter((x) => x.activity_id === 'sign');
        if (!open.length) break;
        assert.equal(open.length, 1, 'one turn at a time');
        const who = ['bob', 'carol', 'dave', 'erin'].find((u) => p.id(u) === open[0]?.assignee_id) ?? '?';
        order.push(who);
        await complete(p.ctx(who), open[0]?.id ?? '');
      }
      assert.deepEqual(order, ['bob', 'carol'], 'two of four is half: dave and erin are never asked');
      const signTasks = await ts.store.db
        .selectFrom('tasks')
        .select('id')
        .where('instance_id', '=', half.id)
        .where('activity_id', '=', 'sign')
        .execute();
      assert.equal(signTasks.length, 2);
      assert.deepEqual(
        (await openTasks(a, half.id)).map((x) => x.activity_id),
        ['after'],
      );
    });

    test('every action is in the append-only history: who, when, the outcome and the opinion', async () => {
      const a = p.ctx('alice');
      const { id, check } = await toCheck();
      await taskClaimer(p.ctx('bob'), check.id);
      await supplementRequester(p.ctx('bob'), check.id, { reason: '补充营业执照' });
      const sup = (await openTasks(a, id)).find((t) => t.kind === 'supplement');
      assert.ok(sup);
      await complete(a, sup.id, undefined, '已补充');
      await taskTransferrer(p.ctx('bob'), check.id, { to: 'erin', opinion: '请尔林办理' });
      await taskDelegator(p.ctx('erin'), check.id, { to: 'frank', opinion: '请代为核对' });
      await complete(p.ctx('frank'), check.id, undefined, '已核对');
      const before = await historyOf(a, id);
      await complete(p.ctx('erin'), check.id, undefined, '同意');
      const approve = await taskAt(a, id, 'approve');
      await taskUrger(a, approve.id, { message: '请尽快审批' });
      await taskReturner(p.ctx('dave'), approve.id, { to: 'previous', reason: '金额有误' });
      const again = await taskAt(a, id, 'check');
      assert.equal(again.assignee_id, p.id('erin'), 'returned to whoever did 初审');
      await complete(p.ctx('erin'), again.id, undefined, '已改');
      await taskRecaller(p.ctx('erin'), again.id, { reason: '再看一遍' });
      const third = await taskAt(a, id, 'check');
      await complete(p.ctx('erin'), third.id, undefined, '无误');
      await caseTerminator(p.ctx('dave'), (await taskAt(a, id, 'approve')).id, { reason: '申请人撤回申请' });

      const h = await historyOf(a, id);
      const shown = h
        .filter((r) => !['start', 'terminated'].includes(r.action))
        .map((r) => [r.action, r.activity_id, r.actor_name, r.outcome, r.opinion]);
      assert.deepEqual(shown, [
        ['complete', 'apply', 'ALICE', null, '请审'],
        ['claim', 'check', 'BOB', null, null],
        ['supplement', 'check', 'BOB', null, '补充营业执照'],
        ['supplemented', 'check', 'ALICE', null, '已补充'],
        ['transfer', 'check', 'BOB', null, '请尔林办理'],
        ['delegate', 'check', 'ERIN', null, '请代为核对'],
        ['resolve', 'check', 'FRANK', null, '已核对'],
        ['complete', 'check', 'ERIN', null, '同意'],
        ['urge', 'approve', 'ALICE', null, '请尽快审批'],
        ['return', 'approve', 'DAVE', null, '金额有误'],
        ['complete', 'check', 'ERIN', null, '已改'],
        ['recall', 'check', 'ERIN', null, '再看一遍'],
        ['complete', 'check', 'ERIN', null, '无误'],
        ['terminate', 'approve', 'DAVE', null, '申请人撤回申请'],
      ]);
      for (const r of h)
        assert.match(r.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, `${r.action} has a time`);
      // append-only: what was written before later actions is still there, unchanged and in its place
      assert.deepEqual(h.slice(0, before.length), before);
      // and the database itself refuses to rewrite or remove a row
      await assert.rejects(
        ts.store.db
          .updateTable('flow_history')
          .set({ opinion: '改写' })
          .where('instance_id', '=', id)
          .execute(),
        /append-only/,
      );
      await assert.rejects(
        ts.store.db.deleteFrom('flow_history').where('instance_id', '=', id).execute(),
        /append-only/,
      );
      assert.equal((await historyOf(a, id)).length, h.length);
      assert.equal(await instanceStatus(a, id), 'terminated');
    });
  });
}
