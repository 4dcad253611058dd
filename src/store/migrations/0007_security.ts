import { type Kysely, sql } from 'kysely';
import { genesisHash } from '../../security/tables.ts';
import type { DialectHooks } from '../store.ts';
import type { StoreMigration } from './index.ts';

export const security: StoreMigration = {
  name: '0007_security',
  async up(db: Kysely<unknown>, hooks: DialectHooks) {
    // The second factor (TOTP): the secret is stored SM4-encrypted; the last used step stops replays.
    await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute();
    await db.schema
      .alterTable('users')
      .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
    await db.schema
      .createTable('totp_recovery_codes')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .addPrimaryKeyConstraint('totp_recovery_codes_pk', ['user_id', 'code_hash'])
      .execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_name', 'text')
      .addColumn('actor_role', 'text')
      .addColumn('ip', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('status', 'integer')
      .addColumn('detail', 'text')
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
    await db.schema.createIndex('audit_log_actor').on('audit_log').column('actor_id').execute();

    await db.schema
      .createTable('audit_chain')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('last_seq', 'integer', (c) => c.notNull())
      .addColumn('last_hash', 'text', (c) => c.notNull())
      .addColumn('base_seq', 'integer', (c) => c.notNull())
      .addColumn('base_hash', 'text', (c) => c.notNull())
      .execute();
    await sql`insert into audit_chain (id, last_seq, last_hash, base_seq, base_hash)
              values (1, 0, ${genesisHash}, 0, ${genesisHash})`.execute(db);

    // Append-only in the database itself (安全审计 c: 应对审计记录进行保护，避免受到未预期的删除、修改或覆盖): no
    // UPDATE at all, and DELETE only of rows at or below the pruning checkpoint. Trigger syntax differs, so
    // this is the one place the migration asks which database it runs on.
    if (hooks.name === 'postgres') {
      await sql`create function audit_log_guard() returns trigger language plpgsql as $$
        begin
          if tg_op = 'UPDATE' or old.seq > (select base_seq from audit_chain where id = 1) then
            raise exception 'audit_log is append-only';
          end if;
          return old;
        end $$`.execute(db);
      await sql`create trigger audit_log_guard before update or delete on audit_log
                for each row execute function audit_log_guard()`.execute(db);
    } else {
      await sql`create trigger audit_log_no_update before update on audit_log
                begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
      await sql`create trigger audit_log_no_delete before delete on audit_log
                when old.seq > (select base_seq from audit_chain where id = 1)
                begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    }

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('key_hash', 'text', (c) => c.primaryKey())
      .addColumn('route', 'text', (c) => c.notNull())
      .addColumn('body_hash', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('response', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('idempotency_keys_created')
      .on('idempotency_keys')
      .column('created_at')
      .execute();
  },
};
