// The engine's rules for how a case ends and who acts: process variable defaults, end events in the history
// and the API, the countersign outcome rule (会签一票否决 …), the completion hook, and the assignment fallbacks
// (no 分管 leader → the head; the case's unit).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { userCreator } from '../../src/accounts/userCreator.ts';
import { inTransaction } from '../../src/context.ts';
import {
  type EndActivity,
  type EndedInstance,
  onInstanceCompleted,
} from '../../src/flows/completionHooks.ts';
import { aggregateOutcome } from '../../src/flows/multiInstance.ts';
import { instanceView } from '../../src/flows/views.ts';
import { appointmentCreator } from '../../src/registry/commands/appointmentCreator.ts';
import { personCreator } from '../../src/registry/commands/personCreator.ts';
import { positionCreator } from '../../src/registry/commands/positionCreator.ts';
import { supervisionCreator } from '../../src/registry/commands/supervisionCreator.ts';
import { unitCreator } from '../../src/registry/commands/unitCreator.ts';
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

const countersign = (key: string, rule: string | null) =>
  bpmn(
    key,
    `<bpmn:startEvent id="s"/>
     <bpmn:userTask id="review" name="会审"${rule ? ` gongkai:outcomeRule="${rule}"` : ''}>
       <bpmn:multiInstanceLoopCharacteristics isSequential="false" camunda:collection="\${['amy','ben','cat']}"/>
     </bpmn:userTask>
     <bpmn:exclusiveGateway id="g"/>
     <bpmn:endEvent id="endPassed" name="通过"/>
     <bpmn:endEvent id="endReturned" name="退回"/>
     <bpmn:endEvent id="endRefused" name="不予批准"/>
     ${flows(
       's>review',
       'review>g',
       "g>endPassed:通过?${outcome == '通过'}",
       "g>endReturned:退回修改?${outcome == '退回修改'}",
       "g>endRefused:不予批准?${outcome == '不予批准'}",
     )}`,
  );

describe('countersign outcome rules (pure)', () => {
  const offered = ['通过', '退回修改', '不予批准'];
  test('veto: any other outcome than the approving one wins, the first in the decision order among several', () => {
    assert.equal(aggregateOutcome('veto', offered, null, ['通过', '通过', '通过']), '通过');
    assert.equal(aggregateOutcome('veto', offered, null, ['退回修改', '通过', '通过']), '退回修改');
    assert.equal(aggregateOutcome('veto', offered, null, ['不予批准', '退回修改', '通过']), '退回修改');
    assert.equal(aggregateOutcome('veto', offered, '退回修改', ['退回修改', '通过']), '通过');
  });
  test('majority: the most chosen outcome; a tie is no majority for approval', () => {
    assert.equal(aggregateOutcome('majority', offered, null, ['退回修改', '通过', '通过']), '通过');
    assert.equal(aggregateOutcome('majority', offered, null, ['退回修改', '通过']), '退回修改');
    assert.equal(aggregateOutcome('majority', offered, null, ['不予批准', '退回修改']), '退回修改');
  });
  test('last: whoever acted last', () => {
    assert.equal(aggregateOutcome('last', offered, null, ['退回修改', '通过']), '通过');
    assert.equal(aggregateOutcome('last', offered, null, []), null);
  });
});

for (const backend of backendNames) {
  describe(`case rules [${backend}]`, () => {
    let ts: TestStore;
    let p: People;
    before(async () => {
      ts = await freshStore(backend);
      p = await people(ts, ['alice', 'amy', 'ben', 'cat']);
      const a = p.ctx('alice');
      await importXml(a, countersign('flow-cs-default', null));
      await importXml(a, countersign('flow-cs-majority', 'majority'));
      await importXml(a, countersign('flow-cs-last', 'last'));
    });
    after(async () => {
      await ts.dispose();
    });

    async function signAll(key: string, outcomes: [string, string, string]) {
      const alice = p.ctx('alice');
      const { id } = await start(alice, key);
      const tasks = await openTasks(alice, id);
      const byAssignee = new Map(tasks.map((t) => [t.assignee_id, t]));
      for (const [i, who] of (['amy', 'ben', 'cat'] as const).entries()) {
        const task = byAssignee.get(p.id(who));
        assert.ok(task, `${who} has a countersign task`);
        await complete(p.ctx(who), task.id, outcomes[i], `${who}的意见`);
      }
      return { id, view: await instanceView(ts.store.db, id, new Date()) };
    }

    test('会签一票否决 by default: one 退回修改 among three, not the last, sends the case back', async () => {
      const { id, view } = await signAll('flow-cs-default', ['通过', '退回修改', '通过']);
      assert.equal(view.status, 'completed');
      assert.deepEqual(view.endActivity, { id: 'endReturned', name: '退回' });
      assert.equal(await variable(p.ctx('alice'), id, 'outcome'), '退回修改');
      assert.equal(await variable(p.ctx('alice'), id, 'review_outcome'), '退回修改');
      // each countersigner's own outcome stays in the history, beside the aggregated one
      assert.deepEqual(
        view.history.filter((h) => h.action === 'complete').map((h) => [h.actor?.name, h.outcome, h.opinion]),
        [
          ['AMY', '通过', 'amy的意见'],
          ['BEN', '退回修改', 'ben的意见'],
          ['CAT', '通过', 'cat的意见'],
        ],
      );
      const agg = view.history.find((h) => h.action === 'countersignOutcome');
      assert.equal(agg?.outcome, '退回修改');
      assert.equal(agg?.detail, '一票否决：通过×2，退回修改×1');
    });

    test('all approve: the approving outcome', async () => {
      const { view } = await signAll('flow-cs-default', ['通过', '通过', '通过']);
      assert.deepEqual(view.endActivity, { id: 'endPassed', name: '通过' });
    });

    test('gongkai:outcomeRule="majority" and "last"', async () => {
      const m = await signAll('flow-cs-majority', ['通过', '退回修改', '通过']);
      assert.equal(m.view.endActivity?.id, 'endPassed');
      const l = await signAll('flow-cs-last', ['不予批准', '通过', '退回修改']);
      assert.equal(l.view.endActivity?.id, 'endReturned');
    });

    test('an unknown outcome rule or an approving outcome the decision does not offer is refused at import', async () => {
      await assert.rejects(importXml(p.ctx('alice'), countersign('flow-cs-bad', 'unanimous')), {
        code: 'bpmn_invalid',
      });
      const bad = countersign('flow-cs-bad2', null).replace(
        'name="会审"',
        'name="会审" gongkai:approvingOutcome="同意"',
      );
      await assert.rejects(importXml(p.ctx('alice'), bad), { code: 'bpmn_invalid' });
    });

    test('process defaults: a case started without the variable gets it (numbers as numbers); a given value wins', async () => {
      const alice = p.ctx('alice');
      await importXml(
        alice,
        bpmn(
          'flow-defaults',
          `<bpmn:extensionElements><camunda:properties>
             <camunda:property name="default:days" value="7"/>
             <camunda:property name="default:level" value="村级"/>
             <camunda:property name="default:urgent" value="false"/>
           </camunda:properties></bpmn:extensionElements>
           <bpmn:startEvent id="s"/><bpmn:userTask id="t" name="办理"/><bpmn:exclusiveGateway id="g"/>
           <bpmn:endEvent id="long" name="长期"/><bpmn:endEvent id="short" name="短期"/>
           ${flows('s>t', 't>g', 'g>long?${days > 10}', 'g>short?${days <= 10}')}`,
        ),
      );
      const a = await start(alice, 'flow-defaults');
      assert.equal(await variable(alice, a.id, 'days'), 7);
      assert.equal(await variable(alice, a.id, 'level'), '村级');
      assert.equal(await variable(alice, a.id, 'urgent'), false);
      await complete(alice, (await taskAt(alice, a.id, 't')).id);
      assert.equal((await instanceView(ts.store.db, a.id, new Date())).endActivity?.name, '短期');
      const b = await start(alice, 'flow-defaults', { days: 15 });
      await complete(alice, (await taskAt(alice, b.id, 't')).id);
      assert.equal((await instanceView(ts.store.db, b.id, new Date())).endActivity?.name, '长期');
    });

    test('every end event reached is in the history; a terminated case has an end time and no end event', async () => {
      const alice = p.ctx('alice');
      await importXml(
        alice,
        bpmn(
          'flow-two-ends',
          `<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>
           <bpmn:userTask id="a" name="A"/><bpmn:userTask id="b" name="B"/>
           <bpmn:endEvent id="endA" name="甲办结"/><bpmn:endEvent id="endB" name="乙办结"/>
           ${flows('s>fork', 'fork>a', 'fork>b', 'a>endA', 'b>endB')}`,
        ),
      );
      const { id } = await start(alice, 'flow-two-ends');
      await complete(alice, (await taskAt(alice, id, 'a')).id);
      const mid = await instanceView(ts.store.db, id, new Date());
      assert.equal(mid.endActivity, null, 'a branch ended, the case has not');
      assert.equal(mid.endedAt, null);
      await complete(alice, (await taskAt(alice, id, 'b')).id);
      const h = await historyOf(alice, id);
      assert.deepEqual(
        h.filter((r) => r.action === 'endEvent').map((r) => [r.activity_id, r.detail]),
        [
          ['endA', '甲办结'],
          ['endB', '乙办结'],
        ],
      );
      const view = await instanceView(ts.store.db, id, new Date());
      assert.deepEqual(view.endActivity, { id: 'endB', name: '乙办结' }, 'the end that closed the case');
      assert.ok(view.endedAt);
    });

    test('completion hook: handlers for the key and for every flow run in the ending transaction', async () => {
      const alice = p.ctx('alice');
      await importXml(
        alice,
        bpmn(
          'flow-hooked',
          `<bpmn:startEvent id="s"/><bpmn:userTask id="t" name="审核"/><bpmn:exclusiveGateway id="g"/>
           <bpmn:endEvent id="endOk" name="办结"/><bpmn:endEvent id="endNo" name="退件"/>
           ${flows('s>t', 't>g', "g>endOk:符合?${outcome == '符合'}", "g>endNo:不符合?${outcome == '不符合'}")}`,
        ),
      );
      const seen: { key: string; status: string; end: EndActivity | null; starter: unknown; who: string }[] =
        [];
      const record = (who: string) => async (_c: unknown, inst: EndedInstance, end: EndActivity | null) => {
        seen.push({
          key: inst.definition_key,
          status: inst.status,
          end,
          starter: inst.variables.starter,
          who,
        });
      };
      const offKey = onInstanceCompleted('flow-hooked', record('key'));
      const offAll = onInstanceCompleted('*', record('all'));
      // a handler that fails rolls the ending step back: the case stays open at its task
      let fail = true;
      const offFail = onInstanceCompleted('flow-hooked', async (ctx, inst) => {
        // writes through the step's transaction, to prove it is the same one
        await ctx.db
          .updateTable('process_instances')
          .set({ business_key: `hooked-${inst.id}` })
          .where('id', '=', inst.id)
          .execute();
        if (fail) throw new Error('the disclosure module is down');
      });
      try {
        const { id } = await start(alice, 'flow-hooked');
        const task = await taskAt(alice, id, 't');
        await assert.rejects(complete(alice, task.id, '不符合'), /disclosure module is down/);
        assert.equal(await instanceStatus(alice, id), 'running');
        assert.equal((await taskAt(alice, id, 't')).id, task.id, 'the task is still open');
        seen.length = 0;
        fail = false;
        await complete(alice, task.id, '不符合');
        assert.deepEqual(seen, [
          {
            key: 'flow-hooked',
            status: 'completed',
            end: { id: 'endNo', name: '退件' },
            starter: 'alice',
            who: 'key',
          },
          {
            key: 'flow-hooked',
            status: 'completed',
            end: { id: 'endNo', name: '退件' },
            starter: 'alice',
            who: 'all',
          },
        ]);
        const row = await ts.store.db
          .selectFrom('process_instances')
          .select('business_key')
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        assert.equal(row.business_key, `hooked-${id}`, 'the handler wrote in the completing transaction');
      } finally {
        offKey();
        offAll();
        offFail();
      }
      // removed handlers are not called again
      seen.length = 0;
      const { id } = await start(alice, 'flow-hooked');
      await complete(alice, (await taskAt(alice, id, 't')).id, '符合');
      assert.deepEqual(seen, []);
    });

    describe('assignment: the case unit and the supervisor fallback', () => {
      // 局 B: 局长 boss (正职), 副局长 dep who supervises 甲股 only; 甲股 and 乙股 each with one business post.
      // wen's record is in 甲股 but she holds 乙股's post; lin is in 甲股 and holds no post.
      const flow = bpmn(
        'flow-relations',
        `<bpmn:startEvent id="s"/>
         <bpmn:userTask id="chief" name="股长审核" camunda:candidateGroups="relation:sectionHead"/>
         <bpmn:userTask id="lead" name="分管领导审定" camunda:candidateGroups="relation:supervisor"/>
         <bpmn:endEvent id="e" name="办结"/>
         ${flows('s>chief', 'chief>lead', 'lead>e')}`,
      );
      let users: Map<string, string>;
      before(async () => {
        await inTransaction(ts.ctx, async (c) => {
          await unitCreator(c, { id: 'rb', parentId: null, name: '测试局', kind: 'bureau' });
          await unitCreator(c, { id: 'rb-1', parentId: 'rb', name: '甲股', kind: 'section' });
          await unitCreator(c, { id: 'rb-2', parentId: 'rb', name: '乙股', kind: 'section' });
          await positionCreator(c, { id: 'rb-head', unitId: 'rb', name: '局长', kind: 'head' });
          await positionCreator(c, { id: 'rb-dep', unitId: 'rb', name: '副局长', kind: 'deputy' });
          await positionCreator(c, {
            id: 'rb-p1',
            unitId: 'rb-1',
            name: '甲岗',
            kind: 'business',
            serial: 1,
          });
          await positionCreator(c, {
            id: 'rb-p2',
            unitId: 'rb-2',
            name: '乙岗',
            kind: 'business',
            serial: 2,
          });
          const person = async (key: string, unitId: string, post: string | null) => {
            await personCreator(c, { id: `rp-${key}`, name: key, unitId });
            if (post)
              await appointmentCreator(c, {
                personId: `rp-${key}`,
                positionId: post,
                startsOn: '2020-01-01',
              });
            await userCreator(c, {
              username: `r-${key}`,
              displayName: key,
              role: 'staff',
              passwordHash: 'x',
              personId: `rp-${key}`,
            });
          };
          await person('boss', 'rb', 'rb-head');
          await person('dep', 'rb', 'rb-dep');
          await person('chen', 'rb-1', 'rb-p1');
          await person('wen', 'rb-1', 'rb-p2');
          await person('lin', 'rb-1', null);
          await supervisionCreator(c, { personId: 'rp-dep', unitId: 'rb-1', startsOn: '2020-01-01' });
        });
        const rows = await ts.store.db.selectFrom('users').select(['id', 'username']).execute();
        users = new Map(rows.map((r) => [r.username, r.id]));
        await importXml(p.ctx('alice'), flow);
      });

      const ctxOf = (username: string) => ({
        ...ts.ctx,
        actor: {
          userId: users.get(username) as string,
          username,
          displayName: username,
          role: 'staff' as const,
          personId: null,
        },
      });
      async function mayAct(instanceId: string, activityId: string): Promise<string[]> {
        const task = await taskAt(ts.ctx, instanceId, activityId);
        const rows = await ts.store.db
          .selectFrom('task_candidates')
          .innerJoin('users', 'users.id', 'task_candidates.user_id')
          .select('users.username')
          .where('task_id', '=', task.id)
          .execute();
        return rows.map((r) => r.username).sort();
      }
      async function walk(starter: string, variables: Record<string, unknown> = {}) {
        const { id } = await start(ctxOf(starter), 'flow-relations', variables);
        const chief = await mayAct(id, 'chief');
        await complete(ctxOf(chief[0] as string), (await taskAt(ts.ctx, id, 'chief')).id);
        const lead = await mayAct(id, 'lead');
        const h = await historyOf(ts.ctx, id);
        return { id, chief, lead, fallback: h.find((r) => r.action === 'assignmentFallback') };
      }

      test('a starter of a supervised section: its 股长 and its 分管 leader, no fallback', async () => {
        const r = await walk('r-lin');
        assert.deepEqual(r.chief, ['r-chen']);
        assert.deepEqual(r.lead, ['r-dep']);
        assert.equal(r.fallback, undefined);
      });

      test("the starter's post's unit is preferred over their home unit: 乙股 has no 分管 leader → the head", async () => {
        const r = await walk('r-wen');
        assert.deepEqual(r.chief, ['r-wen'], '乙股 is the case unit: its first business post');
        assert.deepEqual(r.lead, ['r-boss']);
        assert.equal(r.fallback?.activity_id, 'lead');
        assert.equal(r.fallback?.detail, 'relation:supervisor：乙股无在任分管领导，由测试局正职办理');
        const view = await instanceView(ts.store.db, r.id, new Date());
        assert.ok(
          view.history.some((h) => h.action === 'assignmentFallback'),
          'the reader sees the fallback',
        );
      });

      test('Flowable and Camunda attributes: groups map to positions, units and roles held today; users by name', async () => {
        // a former holder of 甲岗 (appointment ended) is no longer a candidate; an auditor account for role:
        await inTransaction(ts.ctx, async (c) => {
          await personCreator(c, { id: 'rp-old', name: 'old', unitId: 'rb-1' });
          await appointmentCreator(c, {
            personId: 'rp-old',
            positionId: 'rb-p1',
            startsOn: '2019-01-01',
            endsOn: '2020-12-31',
          });
          await userCreator(c, {
            username: 'r-old',
            displayName: 'old',
            role: 'staff',
            passwordHash: 'x',
            personId: 'rp-old',
          });
          await userCreator(c, { username: 'r-aud', displayName: 'aud', role: 'auditor', passwordHash: 'x' });
        });
        const rows = await ts.store.db.selectFrom('users').select(['id', 'username']).execute();
        users = new Map(rows.map((r) => [r.username, r.id]));
        await importXml(
          p.ctx('alice'),
          `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:flowable="http://flowable.org/bpmn"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://www.flowable.org/processdef">
  <process id="flow-groups" name="候选组" isExecutable="true">
    <startEvent id="s"/>
    <userTask id="byPosition" name="岗位" flowable:candidateGroups="position:rb-p1"/>
    <userTask id="byUnit" name="科室" flowable:candidateGroups="unit:rb-2"/>
    <userTask id="byRole" name="角色" camunda:candidateGroups="role:auditor"/>
    <userTask id="byUsers" name="指定人员" flowable:candidateUsers="r-chen,r-lin"/>
    <userTask id="byAssignee" name="办理人" flowable:assignee="r-boss"/>
    <endEvent id="e"/>
    ${flows(
      's>byPosition',
      'byPosition>byUnit',
      'byUnit>byRole',
      'byRole>byUsers',
      'byUsers>byAssignee',
      'byAssignee>e',
    )
      .replaceAll('bpmn:', '')
      .replaceAll('xsi:type="tFormalExpression"', '')}
  </process>
</definitions>`,
        );
        const { id } = await start(ctxOf('r-lin'), 'flow-groups');
        const seen: [string, string[]][] = [];
        for (const at of ['byPosition', 'byUnit', 'byRole', 'byUsers']) {
          const who = await mayAct(id, at);
          seen.push([at, who]);
          await complete(ctxOf(who[0] as string), (await taskAt(ts.ctx, id, at)).id);
        }
        assert.deepEqual(seen, [
          ['byPosition', ['r-chen']],
          ['byUnit', ['r-wen']],
          ['byRole', ['r-aud']],
          ['byUsers', ['r-chen', 'r-lin']],
        ]);
        const last = await taskAt(ts.ctx, id, 'byAssignee');
        assert.equal(last.assignee_id, users.get('r-boss'));
      });

      test('a start variable unitId names the case unit, whoever starts it', async () => {
        const r = await walk('r-lin', { unitId: 'rb-2' });
        assert.deepEqual(r.chief, ['r-wen']);
        assert.deepEqual(r.lead, ['r-boss']);
        assert.ok(r.fallback);
      });
    });
  });
}
