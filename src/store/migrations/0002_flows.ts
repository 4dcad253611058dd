import type { Kysely } from 'kysely';
import type { StoreMigration } from './index.ts';

// The durable engine's state (src/flows/): every token, task, timer and variable is a row, so a step is one
// transaction over rows and a killed process leaves either the step done or not begun (issue 3 item 3).
// Executions and timers are deleted when a token ends; tasks and history stay (history is append-only).

export const flows: StoreMigration = {
  name: '0002_flows',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('process_definitions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('code', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('xml', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addUniqueConstraint('process_definitions_key_version', ['key', 'version'])
      .execute();
    await db.schema
      .createIndex('process_definitions_code')
      .on('process_definitions')
      .column('code')
      .execute();

    await db.schema
      .createTable('process_instances')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('definition_id', 'text', (c) => c.notNull().references('process_definitions.id'))
      .addColumn('definition_key', 'text', (c) => c.notNull())
      .addColumn('root_instance_id', 'text', (c) => c.notNull())
      .addColumn('parent_instance_id', 'text')
      .addColumn('parent_execution_id', 'text')
      .addColumn('business_key', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('started_by', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text')
      .addColumn('step', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('process_instances_starter')
      .on('process_instances')
      .column('started_by')
      .execute();
    await db.schema
      .createIndex('process_instances_root')
      .on('process_instances')
      .column('root_instance_id')
      .execute();
    await db.schema
      .createIndex('process_instances_parent_execution')
      .on('process_instances')
      .column('parent_execution_id')
      .execute();

    await db.schema
      .createTable('executions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('instance_id', 'text', (c) => c.notNull().references('process_instances.id'))
      .addColumn('parent_id', 'text')
      .addColumn('activity_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('arrived_via', 'text')
      .addColumn('loop_index', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('executions_instance').on('executions').column('instance_id').execute();
    await db.schema.createIndex('executions_parent').on('executions').column('parent_id').execute();

    await db.schema
      .createTable('tasks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('instance_id', 'text', (c) => c.notNull().references('process_instances.id'))
      .addColumn('execution_id', 'text', (c) => c.notNull())
      .addColumn('activity_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('assignee_id', 'text')
      .addColumn('owner_id', 'text')
      .addColumn('previous_task_id', 'text')
      .addColumn('parent_task_id', 'text')
      .addColumn('touched', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text')
      .addColumn('completed_at', 'text')
      .addColumn('completed_by', 'text')
      .addColumn('outcome', 'text')
      .addColumn('opinion', 'text')
      .execute();
    await db.schema.createIndex('tasks_instance').on('tasks').column('instance_id').execute();
    await db.schema.createIndex('tasks_execution').on('tasks').column('execution_id').execute();
    await db.schema
      .createIndex('tasks_status_assignee')
      .on('tasks')
      .columns(['status', 'assignee_id'])
      .execute();
    await db.schema.createIndex('tasks_completed_by').on('tasks').column('completed_by').execute();
    await db.schema.createIndex('tasks_previous').on('tasks').column('previous_task_id').execute();

    await db.schema
      .createTable('task_candidates')
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('task_candidates_pk', ['task_id', 'user_id'])
      .execute();
    await db.schema.createIndex('task_candidates_user').on('task_candidates').column('user_id').execute();

    await db.schema
      .createTable('timers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('execution_id', 'text', (c) => c.notNull())
      .addColumn('activity_id', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('working_days', 'integer')
      .addColumn('from_day', 'text')
      .addColumn('claimed_by', 'text')
      .addColumn('claimed_until', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('timers_due').on('timers').column('due_at').execute();
    await db.schema.createIndex('timers_execution').on('timers').column('execution_id').execute();

    await db.schema
      .createTable('variables')
      .addColumn('scope_id', 'text', (c) => c.notNull())
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('variables_pk', ['scope_id', 'name'])
      .execute();
    await db.schema.createIndex('variables_instance').on('variables').column('instance_id').execute();

    await db.schema
      .createTable('flow_history')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('root_instance_id', 'text', (c) => c.notNull())
      .addColumn('step', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('activity_id', 'text')
      .addColumn('task_id', 'text')
      .addColumn('actor_id', 'text')
      .addColumn('actor_name', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text')
      .addColumn('opinion', 'text')
      .addColumn('detail', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .addUniqueConstraint('flow_history_order', ['root_instance_id', 'step', 'seq'])
      .execute();
    await db.schema.createIndex('flow_history_instance').on('flow_history').column('instance_id').execute();
    await db.schema.createIndex('flow_history_actor').on('flow_history').column('actor_id').execute();

    await db.schema
      .createTable('flow_notifications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('read_at', 'text')
      .execute();
    await db.schema
      .createIndex('flow_notifications_user')
      .on('flow_notifications')
      .column('user_id')
      .execute();
  },
};
