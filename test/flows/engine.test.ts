import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
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
  variable,
} from './support.ts';

const review = bpmn(
  'flow-review',
  `<bpmn:startEvent id="s"/>
   <bpmn:userTask id="draft" name="拟稿"/>
   <bpmn:userTask id="check" name="审核" camunda:candidateUsers="bob,carol"/>
   <bpmn:exclusiveGateway id="g"/>
   <bpmn:serviceTask id="mark" gongkai:action="setVariables">
     <bpmn:extensionElements><camunda:properties><camunda:property name="approved" value="\${true}"/></camunda:properties></bpmn:extensionElements>
   </bpmn:serviceTask>
   <bpmn:endEvent id="e"/>
   ${flows('s>draft', 'draft>check', 'check>g', "g>mark:符合?${outcome == '符合'}", "g>draft:不符合?${outcome == '不符合'}", 'mark>e')}`,
  'gongkai:code="t-1"',
);

for (const backend of backendNames) {
  describe(`flow engine: element kinds [${backend}]`, () => {
    let ts: TestStore;
    let p: People;
    before(async () => {
      ts = await freshStore(backend);
      p = await people(ts, ['alice', 'bob', 'carol', 'dave']);
      await importXml(p.ctx('alice'), review);
    });
    after(async () => {
      await ts.dispose();
    });

    test('user tasks and an exclusive decision: the outcomes are the gateway labels, the path follows them', async () => {
      const alice = p.ctx('alice');
      const { id } = await start(alice, 'flow-review', { amount: 5 });
      const draft = await taskAt(alice, id, 'draft');
      assert.equal(draft.assignee_id, p.id('alice'), 'a task without assignment goes to the starter');
      await complete(alice, draft.id, undefined, '请审核');
      const check = await taskAt(alice, id, 'check');
      assert.equal(check.assignee_id, null);
      await assert.rejects(complete(p.ctx('dave'), check.id, '符合'), { code: 'forbidden' });
      await assert.rejects(complete(p.ctx('bob'), check.id, '也许'), { code: 'validation_failed' });
      await complete(p.ctx('bob'), check.id, '不符合', '材料不全');
      const again = await taskAt(alice, id, 'draft');
      assert.equal(again.previous_task_id, check.id);
      await complete(alice, again.id);
      await complete(p.ctx('carol'), (await taskAt(alice, id, 'check')).id, '符合', '同意');
      assert.equal(await instanceStatus(alice, id), 'completed');
      assert.equal(await variable(alice, id, 'approved'), true, 'the service task set its variable');
      assert.equal(await variable(alice, id, 'check_outcome'), '符合');
      const h = await historyOf(alice, id);
      const completes = h.filter((r) => r.action === 'complete');
      assert.deepEqual(
        completes.map((r) => [r.activity_id, r.outcome, r.opinion, r.actor_name]),
        [
          ['draft', null, '请审核', 'ALICE'],
          ['check', '不符合', '材料不全', 'BOB'],
          ['draft', null, null, 'ALICE'],
          ['check', '符合', '同意', 'CAROL'],
        ],
      );
      assert.deepEqual(
        h.map((r) => r.action).filter((a) => a === 'start' || a === 'auto' || a === 'end'),
        ['start', 'auto', 'end'],
      );
      assert.equal((await openTasks(alice, id)).length, 0);
    });

    test('completing a task twice returns the same result and writes no new history', async () => {
      const alice = p.ctx('alice');
      const { id } = await start(alice, 'flow-review');
      const draft = await taskAt(alice, id, 'draft');
      const first = await complete(alice, draft.id, undefined, '一');
      const before = (await historyOf(alice, id)).length;
      const second = await complete(alice, draft.id, undefined, '二');
      assert.deepEqual(second, first);
      assert.equal((await historyOf(alice, id)).length, before);
      assert.equal((await openTasks(alice, id)).length, 1, 'still exactly one task at 审核');
    });

    test('parallel gateway: the join waits for every branch', async () => {
      const xml = bpmn(
        'flow-par',
        `<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>
         <bpmn:userTask id="a" name="A"/><bpmn:userTask id="b" name="B"/><bpmn:userTask id="c" name="C"/>
         <bpmn:parallelGateway id="join"/><bpmn:userTask id="after" name="汇总"/><bpmn:endEvent id="e"/>
         ${flows('s>fork', 'fork>a', 'fork>b', 'fork>c', 'a>join', 'b>join', 'c>join', 'join>after', 'after>e')}`,
      );
      const alice = p.ctx('alice');
      await importXml(alice, xml);
      const { id } = await start(alice, 'flow-par');
      assert.deepEqual(
        (await openTasks(alice, id)).map((t) => t.activity_id),
        ['a', 'b', 'c'],
      );
      await complete(alice, (await taskAt(alice, id, 'b')).id);
      await complete(alice, (await taskAt(alice, id, 'a')).id);
      assert.deepEqual(
        (await openTasks(alice, id)).map((t) => t.activity_id),
        ['c'],
        'the join still waits for C',
      );
      await complete(alice, (await taskAt(alice, id, 'c')).id);
      assert.deepEqual(
        (await openTasks(alice, id)).map((t) => t.activity_id),
        ['after'],
      );
      await complete(alice, (await taskAt(alice, id, 'after')).id);
      assert.equal(await instanceStatus(alice, id), 'completed');
    });

    test('inclusive gateway: the join waits only for branches that were taken and can still arrive', async () => {
      const xml = bpmn(
        'flow-inc',
        `<bpmn:startEvent id="s"/><bpmn:inclusiveGateway id="fork"/>
         <bpmn:userTask id="a" name="A"/><bpmn:userTask id="b" name="B"/><bpmn:userTask id="c" name="C"/>
         <bpmn:userTask id="c2" name="C2"/>
         <bpmn:inclusiveGateway id="join"/><bpmn:userTask id="after" name="汇总"/><bpmn:endEvent id="e"/>
         ${flows(
           's>fork',
           'fork>a?${x > 0}',
           'fork>b?${y > 0}',
           'fork>c?${z > 0}',
           'a>join',
           'b>join',
           'c>c2',
           'c2>join',
           'join>after',
           'after>e',
         )}`,
      );
      const alice = p.ctx('alice');
      await importXml(alice, xml);
      // two of three branches taken: the join must not wait for B
      const one = await start(alice, 'flow-inc', { x: 1, y: 0, z: 1 });
      assert.deepEqual(
        (await openTasks(alice, one.id)).map((t) => t.activity_id),
        ['a', 'c'],
      );
      await complete(alice, (await taskAt(alice, one.id, 'a')).id);
      assert.deepEqual(
        (await openTasks(alice, one.id)).map((t) => t.activity_id),
        ['c'],
        'C can still reach the join',
      );
      await complete(alice, (await taskAt(alice, one.id, 'c')).id);
      assert.deepEqual(
        (await openTasks(alice, one.id)).map((t) => t.activity_id),
        ['c2'],
        'C2 can still reach the join',
      );
      await complete(alice, (await taskAt(alice, one.id, 'c2')).id);
      assert.deepEqual(
        (await openTasks(alice, one.id)).map((t) => t.activity_id),
        ['after'],
      );
      // one branch only
      const two = await start(alice, 'flow-inc', { x: 0, y: 1, z: 0 });
      await complete(alice, (await taskAt(alice, two.id, 'b')).id);
      assert.deepEqual(
        (await openTasks(alice, two.id)).map((t) => t.activity_id),
        ['after'],
      );
      const h = await historyOf(alice, two.id);
      assert.equal(h.filter((r) => r.action === 'complete').length, 1);
    });

    test('sub-process and call activity: inner steps run, then the outer flow goes on with the variables', async () => {
      const alice = p.ctx('alice');
      await importXml(
        alice,
        bpmn(
          'flow-child',
          `<bpmn:startEvent id="s"/><bpmn:userTask id="inner" name="子流程办理"/>
           <bpmn:serviceTask id="set" gongkai:action="setVariables"><bpmn:extensionElements><camunda:properties>
             <camunda:property name="fromChild" value="\${base + 1}"/></camunda:properties></bpmn:extensionElements></bpmn:serviceTask>
           <bpmn:endEvent id="e"/>${flows('s>inner', 'inner>set', 'set>e')}`,
        ),
      );
      await importXml(
        alice,
        bpmn(
          'flow-parent',
          `<bpmn:startEvent id="s"/>
           <bpmn:subProcess id="sub" name="子流程">
             <bpmn:startEvent id="ss"/><bpmn:userTask id="sa" name="内部一"/><bpmn:userTask id="sb" name="内部二"/>
             <bpmn:endEvent id="se"/>
             ${flows('ss>sa', 'sa>sb', 'sb>se')}
           </bpmn:subProcess>
           <bpmn:callActivity id="call" name="调用" calledElement="flow-child"/>
           <bpmn:userTask id="last" name="最后"/><bpmn:endEvent id="e"/>
           ${flows('s>sub', 'sub>call', 'call>last', 'last>e')}`,
        ),
      );
      const { id } = await start(alice, 'flow-parent', { base: 41 });
      await complete(alice, (await taskAt(alice, id, 'sa')).id);
      await complete(alice, (await taskAt(alice, id, 'sb')).id);
      const child = await ts.store.db
        .selectFrom('process_instances')
        .selectAll()
        .where('parent_instance_id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(child.definition_key, 'flow-child');
      await complete(alice, (await taskAt(alice, child.id, 'inner')).id);
      assert.equal(await instanceStatus(alice, child.id), 'completed');
      assert.equal(await variable(alice, id, 'fromChild'), 42, 'the called flow hands its variables back');
      await complete(alice, (await taskAt(alice, id, 'last')).id);
      assert.equal(await instanceStatus(alice, id), 'completed');
      const leftovers = await ts.store.db
        .selectFrom('executions')
        .select('id')
        .where('instance_id', 'in', [id, child.id])
        .execute();
      assert.equal(leftovers.length, 0, 'no token left behind');
    });

    test('terminate end event ends the other branches', async () => {
      const alice = p.ctx('alice');
      await importXml(
        alice,
        bpmn(
          'flow-term',
          `<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>
           <bpmn:userTask id="a" name="A"/><bpmn:userTask id="b" name="B"/>
           <bpmn:endEvent id="stop"><bpmn:terminateEventDefinition/></bpmn:endEvent><bpmn:endEvent id="e"/>
           ${flows('s>fork', 'fork>a', 'fork>b', 'a>stop', 'b>e')}`,
        ),
      );
      const { id } = await start(alice, 'flow-term');
      await complete(alice, (await taskAt(alice, id, 'a')).id);
      assert.equal(await instanceStatus(alice, id), 'completed');
      const b = await ts.store.db
        .selectFrom('tasks')
        .select('status')
        .where('instance_id', '=', id)
        .where('activity_id', '=', 'b')
        .executeTakeFirstOrThrow();
      assert.equal(b.status, 'cancelled');
    });

    test('a new version of a key does not disturb running cases', async () => {
      const alice = p.ctx('alice');
      const v1 = bpmn(
        'flow-ver',
        `<bpmn:startEvent id="s"/><bpmn:userTask id="one" name="一"/><bpmn:endEvent id="e"/>${flows('s>one', 'one>e')}`,
      );
      const v2 = bpmn(
        'flow-ver',
        `<bpmn:startEvent id="s"/><bpmn:userTask id="two" name="二"/><bpmn:endEvent id="e"/>${flows('s>two', 'two>e')}`,
      );
      const d1 = await importXml(alice, v1);
      const old = await start(alice, 'flow-ver');
      const d2 = await importXml(alice, v2);
      assert.deepEqual([d1.version, d2.version], [1, 2]);
      const fresh = await start(alice, 'flow-ver');
      assert.deepEqual(
        (await openTasks(alice, fresh.id)).map((t) => t.activity_id),
        ['two'],
      );
      await complete(alice, (await taskAt(alice, old.id, 'one')).id);
      assert.equal(await instanceStatus(alice, old.id), 'completed');
    });
  });
}
