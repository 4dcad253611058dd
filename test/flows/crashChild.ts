// Completes open tasks of the crash test's cases, one transaction each, until killed (or none is left).
// Run by crash.test.ts as a child process that is killed with SIGKILL at random moments.
import type { Actor, Context } from '../../src/context.ts';
import { taskCompleter } from '../../src/flows/taskActions/complete.ts';
import { openPostgresStore } from '../../src/store/postgresStore.ts';
import { openSqliteStore } from '../../src/store/sqliteStore.ts';

const [backend, where, url] = process.argv.slice(2);
const store =
  backend === 'sqlite'
    ? openSqliteStore({ path: where as string })
    : openPostgresStore({ url: url as string, schema: where as string, poolSize: 2 });
const base: Context = { store, db: store.db, actor: null, ip: null, now: () => new Date() };

const users = await store.db.selectFrom('users').select(['id', 'username', 'display_name']).execute();
const actors = new Map<string, Actor>(
  users.map((u) => [
    u.id,
    { userId: u.id, username: u.username, displayName: u.display_name, role: 'staff', personId: null },
  ]),
);
process.stdout.write('ready\n');
let done = 0;
for (;;) {
  const open = await store.db
    .selectFrom('tasks')
    .select(['id', 'assignee_id'])
    .where('status', '=', 'open')
    .limit(50)
    .execute();
  if (!open.length) break;
  const task = open[Math.floor(Math.random() * open.length)];
  if (!task?.assignee_id) continue;
  const actor = actors.get(task.assignee_id);
  if (!actor) continue;
  await taskCompleter({ ...base, actor }, task.id, { opinion: `by child ${process.pid}` });
  // now and then the same completion again, as a retried request would
  if (Math.random() < 0.2) await taskCompleter({ ...base, actor }, task.id, { opinion: 'retry' });
  done++;
}
process.stdout.write(`finished ${done}\n`);
await store.close();
