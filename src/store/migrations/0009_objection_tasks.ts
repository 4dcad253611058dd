import type { Kysely } from 'kysely';
import type { StoreMigration } from './index.ts';

// An objection (异议) to a public notice becomes a task in the case that published the notice (issue 5 item 2):
// the objection keeps the task it raised and, once the unit has looked into it, the finding and who settled it.
export const objectionTasks: StoreMigration = {
  name: '0009_objection_tasks',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('notice_objections').addColumn('task_id', 'text').execute();
    await db.schema.alterTable('notice_objections').addColumn('finding', 'text').execute();
    await db.schema.alterTable('notice_objections').addColumn('settled_at', 'text').execute();
    await db.schema.alterTable('notice_objections').addColumn('settled_by', 'text').execute();
    await db.schema.createIndex('notice_objections_task').on('notice_objections').column('task_id').execute();
  },
};
