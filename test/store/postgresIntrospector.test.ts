import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { Kysely } from 'kysely';
import pg from 'pg';
import { GongkaiPostgresDialect } from '../../src/store/postgresIntrospector.ts';
import { backendNames } from '../support/backends.ts';

const pgUrl = process.env.GONGKAI_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Tables being altered in another schema while the migrator looks for its tables: CI once failed here. */
async function listWhileAnotherSchemaChanges(
  db: Kysely<unknown>,
  ms: number,
): Promise<{ lists: number; error?: unknown }> {
  const schema = `t_race_${randomBytes(4).toString('hex')}`;
  const other = new pg.Client({ connectionString: pgUrl });
  await other.connect();
  await other.query(`create schema ${schema}`);
  let stop = false;
  const churn = (async () => {
    let i = 0;
    while (!stop) {
      await other.query(`create table ${schema}.t${i} (id serial primary key, a text, b text)`);
      await other.query(`alter table ${schema}.t${i} drop column a`);
      await other.query(`drop table ${schema}.t${i}`);
      i++;
    }
  })();
  let lists = 0;
  let error: unknown;
  const until = Date.now() + ms;
  try {
    while (Date.now() < until) {
      await db.introspection.getTables({ withInternalKyselyTables: true });
      lists++;
    }
  } catch (e) {
    error = e;
  } finally {
    stop = true;
    await churn;
    await other.query(`drop schema ${schema} cascade`);
    await other.end();
  }
  return { lists, error };
}

describe('PostgreSQL table listing for the migrator', { skip: !backendNames.includes('postgres') }, () => {
  test('finds the tables and views of every schema, including the migrator’s own', async () => {
    const db = new Kysely<unknown>({
      dialect: new GongkaiPostgresDialect({ pool: new pg.Pool({ connectionString: pgUrl, max: 2 }) }),
    });
    const schema = `t_list_${randomBytes(4).toString('hex')}`;
    try {
      await db.schema.createSchema(schema).execute();
      await db.schema.withSchema(schema).createTable('kysely_migration').addColumn('name', 'text').execute();
      await db.schema
        .withSchema(schema)
        .createView('v')
        .as(db.selectNoFrom((eb) => eb.lit(1).as('one')))
        .execute();
      const tables = (await db.introspection.getTables({ withInternalKyselyTables: true })).filter(
        (t) => t.schema === schema,
      );
      assert.deepEqual(
        tables.map((t) => [t.name, t.isView]),
        [
          ['kysely_migration', false],
          ['v', true],
        ],
      );
    } finally {
      await db.schema.dropSchema(schema).ifExists().cascade().execute();
      await db.destroy();
    }
  });

  test('never fails while another connection creates, alters and drops tables elsewhere', async () => {
    const db = new Kysely<unknown>({
      dialect: new GongkaiPostgresDialect({ pool: new pg.Pool({ connectionString: pgUrl, max: 2 }) }),
    });
    try {
      const { lists, error } = await listWhileAnotherSchemaChanges(db, 1500);
      assert.equal(error, undefined);
      assert.ok(lists > 10, `listed ${lists} times`);
    } finally {
      await db.destroy();
    }
  });
});
