import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { calendarDaySetter } from '../../src/calendar/commands/calendarDaySetter.ts';
import { inTransaction } from '../../src/context.ts';
import { inbox } from '../../src/flows/inbox.ts';
import { startTimerScheduler } from '../../src/flows/timerScheduler.ts';
import { instanceView, taskView } from '../../src/flows/views.ts';
import { openPostgresStore } from '../../src/store/postgresStore.ts';
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

const t0 = new Date('2025-09-30T02:00:00.000Z'); // Tuesday 10:00 in Beijing, the day before 国庆
const hours = (h: number) => new Date(t0.getTime() + h * 3600_000);

const timerFlows = [
  bpmn(
    'flow-wait',
    `<bpmn:startEvent id="s"/>
     <bpmn:intermediateCatchEvent id="notice" name="公示期"><bpmn:timerEventDefinition>
       <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">\${noticeDays}</bpmn:timeDuration></bpmn:timerEventDefinition>
     </bpmn:intermediateCatchEvent>
     <bpmn:userTask id="after" name="公示期满"/><bpmn:endEvent id="e"/>
     ${flows('s>notice', 'notice>after', 'after>e')}`,
  ),
  bpmn(
    'flow-deadline',
    `<bpmn:startEvent id="s"/>
     <bpmn:userTask id="work" name="办理"/>
     <bpmn:boundaryEvent id="late" name="超期" attachedToRef="work" cancelActivity="true">
       <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT2H</bpmn:timeDuration></bpmn:timerEventDefinition>
     </bpmn:boundaryEvent>
     <bpmn:boundaryEvent id="remind" name="提醒" attachedToRef="work" cancelActivity="false">
       <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
     </bpmn:boundaryEvent>
     <bpmn:userTask id="escalate" name="督办"/><bpmn:userTask id="nudge" name="提醒办理"/>
     <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/><bpmn:endEvent id="e3"/>
     ${flows('s>work', 'work>e1', 'late>escalate', 'escalate>e2', 'remind>nudge', 'nudge>e3')}`,
  ),
  bpmn(
    'flow-workdays',
    `<bpmn:startEvent id="s"/>
     <bpmn:intermediateCatchEvent id="period" name="三个工作日" gongkai:workingDays="true"><bpmn:timerEventDefinition>
       <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P3D</bpmn:timeDuration></bpmn:timerEventDefinition>
     </bpmn:intermediateCatchEvent>
     <bpmn:userTask id="after" name="期满"/><bpmn:endEvent id="e"/>
     ${flows('s>period', 'period>after', 'after>e')}`,
  ),
  bpmn(
    'flow-scoped',
    `<bpmn:startEvent id="s"/>
     <bpmn:userTask id="sign" name="会签">
       <bpmn:multiInstanceLoopCharacteristics isSequential="false" camunda:collection="\${['alice','alice']}"/>
     </bpmn:userTask>
     <bpmn:boundaryEvent id="signLate" name="会签超期" attachedToRef="sign" gongkai:workingDays="true">
       <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P3D</bpmn:timeDuration></bpmn:timerEventDefinition>
     </bpmn:boundaryEvent>
     <bpmn:subProcess id="inner" name="办理">
       <bpmn:startEvent id="is"/><bpmn:userTask id="i1" name="承办"/><bpmn:endEvent id="ie"/>
       ${flows('is>i1', 'i1>ie')}
     </bpmn:subProcess>
     <bpmn:boundaryEvent id="innerLate" name="办理超期" attachedToRef="inner" cancelActivity="true">
       <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P1D</bpmn:timeDuration></bpmn:timerEventDefinition>
     </bpmn:boundaryEvent>
     <bpmn:userTask id="escalated" name="督办"/><bpmn:userTask id="decided" name="决定"/>
     <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/><bpmn:endEvent id="e3"/>
     ${flows('s>sign', 'sign>inner', 'signLate>decided', 'decided>e3', 'inner>e1', 'innerLate>escalated', 'escalated>e2')}`,
  ),
  bpmn(
    'flow-tick',
    `<bpmn:startEvent id="s"/>
     <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition>
       <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1M</bpmn:timeDuration></bpmn:timerEventDefinition>
     </bpmn:intermediateCatchEvent>
     <bpmn:serviceTask id="mark" gongkai:action="setVariables"><bpmn:extensionElements><camunda:properties>
       <camunda:property name="fired" value="\${true}"/></camunda:properties></bpmn:extensionElements></bpmn:serviceTask>
     <bpmn:endEvent id="e"/>
     ${flows('s>wait', 'wait>mark', 'mark>e')}`,
  ),
];

for (const backend of backendNames) {
  describe(`flow timers [${backend}]`, () => {
    let ts: TestStore;
    let p: People;
    let clock = t0;
    const now = () => clock;
    before(async () => {
      ts = await freshStore(backend);
      p = await people(ts, ['alice'], 'staff', now);
      for (const xml of timerFlows) await importXml(p.ctx('alice'), xml);
    });
    after(async () => {
      await ts.dispose();
    });

    test('an intermediate timer waits its period (a variable number of days), then the scheduler moves the case on', async () => {
      clock = t0;
      const a = p.ctx('alice');
      const { id } = await start(a, 'flow-wait', { noticeDays: 7 });
      const scheduler = startTimerScheduler(ts.store, { now, intervalMs: 3_600_000 });
      try {
        await scheduler.runOnce();
        assert.equal((await openTasks(a, id)).length, 0, 'not due yet');
        clock = new Date(t0.getTime() + 7 * 86_400_000 - 1000);
        assert.equal(await scheduler.runOnce(), 0);
        clock = new Date(t0.getTime() + 7 * 86_400_000 + 1000);
        assert.equal(await scheduler.runOnce(), 1);
        assert.deepEqual(
          (await openTasks(a, id)).map((t) => t.activity_id),
          ['after'],
        );
        assert.equal((await historyOf(a, id)).filter((h) => h.action === 'timerFired').length, 1);
      } finally {
        await scheduler.stop();
      }
    });

    test('boundary timers: a non-interrupting one adds a path, an interrupting one cancels the task; overdue is computed', async () => {
      clock = t0;
      const a = p.ctx('alice');
      const { id } = await start(a, 'flow-deadline');
      const work = await taskAt(a, id, 'work');
      assert.equal(work.due_at, hours(2).toISOString(), 'the interrupting timer is the deadline');
      // the deadline explains itself, to the handler and in the case
      const actor = {
        userId: p.id('alice'),
        username: 'alice',
        displayName: 'ALICE',
        role: 'staff' as const,
        personId: null,
      };
      assert.equal(
        (await taskView(ts.store.db, work.id, actor, t0)).dueExplanation,
        '自2025年9月30日10时00分起2小时（按自然日计算），至2025年9月30日12时00分届满（北京时间）',
      );
      const timersShown = (await instanceView(ts.store.db, id, t0)).timers;
      assert.deepEqual(
        timersShown.map((x) => [x.activityId, x.explanation]),
        [
          [
            'remind',
            '自2025年9月30日10时00分起1小时（按自然日计算），至2025年9月30日11时00分届满（北京时间）',
          ],
          ['late', '自2025年9月30日10时00分起2小时（按自然日计算），至2025年9月30日12时00分届满（北京时间）'],
        ],
      );
      const scheduler = startTimerScheduler(ts.store, { now, intervalMs: 3_600_000 });
      try {
        clock = hours(1.5);
        assert.equal(await scheduler.runOnce(), 1);
        assert.deepEqual(
          (await openTasks(a, id)).map((t) => t.activity_id),
          ['nudge', 'work'],
          'both go on',
        );
        assert.equal((await inbox(ts.store.db, p.id('alice'), 'overdue', clock)).length, 0);
        clock = hours(2.5);
        const overdue = await inbox(ts.store.db, p.id('alice'), 'overdue', clock);
        assert.deepEqual(
          overdue.map((o) => o.taskId),
          [work.id],
          'past its due date before any timer ran',
        );
        assert.equal(await scheduler.runOnce(), 1);
        assert.deepEqual(
          (await openTasks(a, id)).map((t) => t.activity_id),
          ['escalate', 'nudge'],
        );
        const cancelled = await ts.store.db
          .selectFrom('tasks')
          .select('status')
          .where('id', '=', work.id)
          .executeTakeFirstOrThrow();
        assert.equal(cancelled.status, 'cancelled');
      } finally {
        await scheduler.stop();
      }
    });

    test('working days skip 国庆 and count the 调休 Saturday; a calendar change moves the open deadline', async () => {
      clock = t0;
      const a = p.ctx('alice');
      const { id } = await start(a, 'flow-workdays');
      const timer = await ts.store.db
        .selectFrom('timers')
        .selectAll()
        .where('instance_id', '=', id)
        .executeTakeFirstOrThrow();
      // after 2025-09-30: 10-09 (Thu), 10-10 (Fri), 10-11 (Sat, make-up day) → ends at the end of 10-11 in Beijing
      assert.equal(timer.due_at, '2025-10-11T16:00:00.000Z');
      const explained = async () => (await instanceView(ts.store.db, id, clock)).timers[0]?.explanation;
      assert.equal(
        await explained(),
        '自2025年9月30日（不含当日）起3个工作日，至2025年10月11日；国庆节、中秋放假（10月1日至10月8日）不计；' +
          '10月11日调休上班计入；2025年10月11日24时届满（北京时间）',
      );
      await inTransaction({ ...ts.ctx, now }, (c) =>
        calendarDaySetter(c, { date: '2025-10-10', kind: 'holiday', name: '测试' }),
      );
      const moved = await ts.store.db
        .selectFrom('timers')
        .select('due_at')
        .where('id', '=', timer.id)
        .executeTakeFirstOrThrow();
      assert.equal(moved.due_at, '2025-10-13T16:00:00.000Z', '10-09, 10-11, then Monday 10-13');
      assert.match(
        String(await explained()),
        /至2025年10月13日；.*测试放假（10月10日）不计.*2025年10月13日24时届满/,
      );
      await inTransaction({ ...ts.ctx, now }, (c) =>
        calendarDaySetter(c, { date: '2025-10-10', kind: 'normal' }),
      );
      const scheduler = startTimerScheduler(ts.store, { now, intervalMs: 3_600_000 });
      try {
        clock = new Date('2025-10-11T15:59:00.000Z');
        assert.equal(await scheduler.runOnce(), 0);
        clock = new Date('2025-10-11T16:00:01.000Z');
        assert.equal(await scheduler.runOnce(), 1);
        assert.deepEqual(
          (await openTasks(a, id)).map((t) => t.activity_id),
          ['after'],
        );
      } finally {
        await scheduler.stop();
      }
    });

    test('boundary timers on a countersign (working days, moved by the calendar) and on a sub-process (interrupting)', async () => {
      clock = t0;
      const a = p.ctx('alice');
      const { id } = await start(a, 'flow-scoped');
      const signs = (await openTasks(a, id)).filter((t) => t.activity_id === 'sign');
      assert.equal(signs.length, 2);
      // 3 working days after 09-30: 10-09, 10-10, 10-11 (the make-up Saturday)
      for (const t of signs)
        assert.equal(t.due_at, '2025-10-11T16:00:00.000Z', 'each countersigner has the deadline');
      await inTransaction({ ...ts.ctx, now }, (c) =>
        calendarDaySetter(c, { date: '2025-10-09', kind: 'holiday', name: '测试' }),
      );
      for (const t of (await openTasks(a, id)).filter((x) => x.activity_id === 'sign'))
        assert.equal(
          t.due_at,
          '2025-10-13T16:00:00.000Z',
          'the calendar change moved every countersigner’s deadline',
        );
      await inTransaction({ ...ts.ctx, now }, (c) =>
        calendarDaySetter(c, { date: '2025-10-09', kind: 'normal' }),
      );
      for (const t of signs) await complete(a, t.id);
      // inside the sub-process now; its interrupting timer (1 day) cancels the inner task and takes the timer's path
      const inner = await taskAt(a, id, 'i1');
      assert.equal(
        (await ts.store.db.selectFrom('timers').select('id').where('instance_id', '=', id).execute()).length,
        1,
      );
      const scheduler = startTimerScheduler(ts.store, { now, intervalMs: 3_600_000 });
      try {
        clock = hours(25);
        assert.equal(await scheduler.runOnce(), 1);
      } finally {
        await scheduler.stop();
      }
      assert.deepEqual(
        (await openTasks(a, id)).map((t) => t.activity_id),
        ['escalated'],
      );
      const cancelled = await ts.store.db
        .selectFrom('tasks')
        .select('status')
        .where('id', '=', inner.id)
        .executeTakeFirstOrThrow();
      assert.equal(cancelled.status, 'cancelled');
      await complete(a, (await taskAt(a, id, 'escalated')).id);
      assert.equal(await instanceStatus(a, id), 'completed');
      const ends = (await historyOf(a, id)).filter((h) => h.action === 'endEvent').map((h) => h.activity_id);
      assert.deepEqual(ends, ['e2'], 'the sub-process did not reach its own end');
      assert.equal(
        (await ts.store.db.selectFrom('executions').select('id').where('instance_id', '=', id).execute())
          .length,
        0,
      );
    });

    test('timers are rows: a scheduler started later (after a restart) fires what is due', async () => {
      clock = t0;
      const a = p.ctx('alice');
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await start(a, 'flow-tick')).id);
      clock = hours(1);
      const scheduler = startTimerScheduler(ts.store, { now, intervalMs: 10 });
      try {
        for (let i = 0; i < 200; i++) {
          const states = await Promise.all(ids.map((x) => instanceStatus(a, x)));
          if (states.every((s) => s === 'completed')) break;
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        await scheduler.stop();
      }
      for (const x of ids) assert.equal(await instanceStatus(a, x), 'completed');
    });
  });
}

if (backendNames.includes('postgres')) {
  describe('two schedulers on one PostgreSQL database', () => {
    const url = process.env.GONGKAI_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
    const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const one = openPostgresStore({ url, schema, poolSize: 4 });
    const two = openPostgresStore({ url, schema, poolSize: 4 });
    after(async () => {
      await one.close();
      await two.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    });

    test('claiming the same due timers concurrently, with leases that lapse at once, never fires one twice', async () => {
      await one.migrate();
      const ts = {
        store: one,
        ctx: { store: one, db: one.db, actor: null, ip: null, now: () => t0 },
        dispose: async () => {},
      };
      const p = await people(ts, ['alice'], 'staff', () => t0);
      await importXml(p.ctx('alice'), timerFlows.find((x) => x.includes(`id="flow-tick"`)) as string);
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) ids.push((await start(p.ctx('alice'), 'flow-tick')).id);
      const later = () => hours(1);
      // a negative lease makes every claim stale at once, so each scheduler keeps taking over the other's claims:
      // only the check under the row lock stands between a timer and a second firing
      const opts = { now: later, intervalMs: 3_600_000, batchSize: 3, leaseMs: -1 };
      const s1 = startTimerScheduler(one, { ...opts, owner: 'one' });
      const s2 = startTimerScheduler(two, { ...opts, owner: 'two' });
      let fired = 0;
      const drive = async (s: typeof s1) => {
        for (let i = 0; i < 400; i++) {
          const n = await s.runOnce();
          fired += n;
          const left = await one.db.selectFrom('timers').select('id').limit(1).execute();
          if (!left.length) return;
        }
      };
      try {
        await Promise.all([drive(s1), drive(s2)]);
      } finally {
        await s1.stop();
        await s2.stop();
      }
      assert.equal(fired, 40, 'each timer fired once in all');
      const firings = await one.db
        .selectFrom('flow_history')
        .select(['instance_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('action', '=', 'timerFired')
        .groupBy('instance_id')
        .execute();
      assert.equal(firings.length, 40);
      assert.ok(firings.every((f) => Number(f.n) === 1));
      const done = await one.db
        .selectFrom('process_instances')
        .select('status')
        .where('id', 'in', ids)
        .execute();
      assert.ok(done.every((d) => d.status === 'completed'));
    });
  });
}
