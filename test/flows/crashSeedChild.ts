// Works the seed flows' cases of crash.test.ts as their people would, until killed (or all cases have ended):
// picks an open task, acts as its handler or one of its candidates with one of the outcomes it offers (a random
// one, so loops and rejections are taken too), and now and then fires the timers that are due on a clock a year
// ahead (公示期, 陈述申辩 and the other statutory periods). Run as a child process killed with SIGKILL at random.
import '../../src/server/apiRoutes.ts'; // every module's automatic steps and completion hooks, as the server has
import type { Actor, Context } from '../../src/context.ts';
import { loadDefinition, modelOf } from '../../src/flows/definitions.ts';
import { taskCompleter } from '../../src/flows/taskActions/complete.ts';
import { startTimerScheduler } from '../../src/flows/timerScheduler.ts';
import { openPostgresStore } from '../../src/store/postgresStore.ts';
import { openSqliteStore } from '../../src/store/sqliteStore.ts';

const [backend, where, url] = process.argv.slice(2);
const store =
  backend === 'sqlite'
    ? openSqliteStore({ path: where as string })
    : openPostgresStore({ url: url as string, schema: where as string, poolSize: 2 });
const base: Context = { store, db: store.db, actor: null, ip: null, now: () => new Date() };
const ahead = () => new Date(Date.now() + 400 * 86_400_000);
// a lease that lapses at once: a timer claimed by a child that was killed is free for the next one
const scheduler = startTimerScheduler(store, { now: ahead, intervalMs: 3_600_000, leaseMs: 1 });

const users = await store.db
  .selectFrom('users')
  .select(['id', 'username', 'display_name', 'role', 'person_id'])
  .execute();
const actors = new Map<string, Actor>(
  users.map((u) => [
    u.id,
    { userId: u.id, username: u.username, displayName: u.display_name, role: u.role, personId: u.person_id },
  ]),
);
const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(Math.random() * list.length)];

process.stdout.write('ready\n');
let done = 0;
for (;;) {
  if (Math.random() < 0.15) await scheduler.runOnce();
  const open = await store.db
    .selectFrom('tasks')
    .innerJoin('process_instances as i', 'i.id', 'tasks.instance_id')
    .select(['tasks.id', 'tasks.assignee_id', 'tasks.activity_id', 'i.definition_id'])
    .where('tasks.status', '=', 'open')
    .limit(50)
    .execute();
  if (!open.length) {
    if ((await scheduler.runOnce()) > 0) continue;
    const left = await store.db.selectFrom('timers').select('id').limit(1).execute();
    if (!left.length) break;
    continue;
  }
  const task = pick(open);
  if (!task) continue;
  const may = task.assignee_id
    ? [task.assignee_id]
    : (
        await store.db
          .selectFrom('task_candidates')
          .select('user_id')
          .where('task_id', '=', task.id)
          .execute()
      ).map((r) => r.user_id);
  const actor = actors.get(pick(may) ?? '');
  if (!actor) throw new Error(`nobody may act on ${task.activity_id} (${task.id})`);
  const n = (await modelOf(await loadDefinition(store.db, task.definition_id))).nodes.get(task.activity_id);
  const outcome = n?.kind === 'userTask' ? (pick(n.outcomes) ?? null) : null;
  const ctx = { ...base, actor };
  await taskCompleter(ctx, task.id, { outcome, opinion: `by child ${process.pid}` });
  // now and then the same completion again, as a retried request would
  if (Math.random() < 0.2) await taskCompleter(ctx, task.id, { outcome, opinion: 'retry' });
  done++;
}
await scheduler.stop();
process.stdout.write(`finished ${done}\n`);
await store.close();
