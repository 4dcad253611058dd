import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Role } from '../../src/accounts/tables.ts';
import { userCreator } from '../../src/accounts/userCreator.ts';
import { type Context, inTransaction } from '../../src/context.ts';
import { type BulkRecord, recordBulkImporter } from '../../src/disclosure/commands/recordBulkImporter.ts';
import { AppError } from '../../src/errors.ts';
import { unitCreator } from '../../src/registry/commands/unitCreator.ts';
import { appointIn, disclosureOffice, smallDistrict } from '../disclosure/fixtures.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

// Unit scope of the bulk record import (issue 7 item 2; 等保 2.0 访问控制; src/disclosure/unitScope.ts): a
// township clerk imports its township's records only, as recordCreator allows one by one. One row of another
// unit refuses the whole call with every such row named, and nothing is written — no record, no history, no
// index-number serial drawn. The disclosure office and the system (the benchmark's generator) import for any unit.

for (const backend of backendNames) {
  describe(`bulk record import within the actor's unit scope [${backend}]`, () => {
    let ts: TestStore;
    let ids: Awaited<ReturnType<typeof smallDistrict>>;
    const actors = new Map<string, Context>();
    const as = (username: string): Context => {
      const ctx = actors.get(username);
      if (!ctx) throw new Error(`no account ${username}`);
      return ctx;
    };

    const rows = (tag: string, units: string[]): BulkRecord[] =>
      units.map((unit, i) => ({
        title: `${tag}：关于第${i}号旧村改造项目的公示`,
        origin: 'produced' as const,
        formedOn: '2026-03-02',
        attribute: 'proactive' as const,
        disclosingUnitId: unit,
        areaId: ids.areaId,
        subAreaId: ids.subAreaId,
        stage: 'decision' as const,
        dutyId: ids.dutyId,
        body: `${tag}项目补偿方案第${i}条`,
        publishedOn: i % 2 ? null : '2026-03-05',
      }));

    /** What a refused import must leave untouched: records, their history, search documents and the serials. */
    const footprint = async () => {
      const db = ts.store.db;
      const count = async (table: 'records' | 'record_history' | 'record_channels') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const counters = await db.selectFrom('counters').selectAll().execute();
      return {
        records: await count('records'),
        history: await count('record_history'),
        channels: await count('record_channels'),
        counters: counters.map((c) => JSON.stringify(c)).sort(),
      };
    };

    before(async () => {
      ts = await freshStore(backend);
      ids = await smallDistrict(ts.ctx);
      await inTransaction(ts.ctx, async (c) => {
        await unitCreator(c, { id: 'oh-town', parentId: 'oh-gov', name: '瓯海区娄桥街道', kind: 'township' });
        await unitCreator(c, {
          id: 'oh-town-village',
          parentId: 'oh-town',
          name: '娄桥社区',
          kind: 'village',
        });
      });
      await disclosureOffice(ts.ctx, 'oh-gov');
      const accounts: [string, Role, string | null][] = [
        ['town-clerk', 'staff', 'oh-town'],
        ['office-clerk', 'staff', 'gov-office'],
        ['sys', 'sysadmin', null],
      ];
      for (const [username, role, unit] of accounts) {
        const { id } = await inTransaction(ts.ctx, (c) =>
          userCreator(c, { username, displayName: username, role, passwordHash: 'x' }),
        );
        const personId = unit ? await appointIn(ts.ctx, unit, username) : null;
        actors.set(username, {
          ...ts.ctx,
          actor: { userId: id, username, displayName: username, role, personId },
        });
      }
    });
    after(() => ts.dispose());

    test("a township clerk imports its township's records, its sub-units' included", async () => {
      const res = await inTransaction(as('town-clerk'), (c) =>
        recordBulkImporter(c, rows('街道', ['oh-town', 'oh-town-village', 'oh-town'])),
      );
      assert.equal(res.records.length, 3);
      const stored = await ts.store.db
        .selectFrom('records')
        .select(['id', 'disclosing_unit_id', 'created_by'])
        .where(
          'id',
          'in',
          res.records.map((r) => r.id),
        )
        .execute();
      assert.deepEqual(stored.map((r) => r.disclosing_unit_id).sort(), [
        'oh-town',
        'oh-town',
        'oh-town-village',
      ]);
      assert.ok(stored.every((r) => r.created_by === as('town-clerk').actor?.userId));
    });

    test('one row of another unit refuses the whole import, naming each such row; nothing is written', async () => {
      const before = await footprint();
      const input = rows('越权', [
        'oh-town',
        'oh-town',
        'oh-zsb',
        'oh-town',
        'no-such-unit',
        'oh-town-village',
      ]);
      await assert.rejects(
        inTransaction(as('town-clerk'), (c) => recordBulkImporter(c, input)),
        (e: unknown) => {
          assert.ok(e instanceof AppError);
          assert.equal(e.code, 'forbidden_unit');
          assert.equal(e.status, 403);
          // an unknown unit is refused like a foreign one: the clerk learns nothing of other units
          assert.deepEqual(
            e.fields.map((f) => f.field),
            ['rows[2].disclosingUnitId', 'rows[4].disclosingUnitId'],
          );
          assert.match(e.fields[0]?.reason ?? '', /oh-zsb/);
          assert.match(e.message, /rows\[2\]\.disclosingUnitId/);
          assert.match(e.message, /2 行/);
          return true;
        },
      );
      assert.deepEqual(await footprint(), before, 'no record, history row or serial left behind');
    });

    test('the scope check comes before the field checks, so a foreign row is refused even when others are malformed', async () => {
      const input = rows('混合', ['oh-town', 'oh-zjj']);
      input[0] = { ...(input[0] as BulkRecord), title: '  ' };
      await assert.rejects(
        inTransaction(as('town-clerk'), (c) => recordBulkImporter(c, input)),
        (e: unknown) =>
          e instanceof AppError &&
          e.code === 'forbidden_unit' &&
          e.fields.length === 1 &&
          e.fields[0]?.field === 'rows[1].disclosingUnitId',
      );
    });

    test('the system administrator edits no business data (三员分立): its import is refused whole', async () => {
      const before = await footprint();
      await assert.rejects(
        inTransaction(as('sys'), (c) => recordBulkImporter(c, rows('管理员', ['oh-zsb', 'oh-town']))),
        (e: unknown) => e instanceof AppError && e.code === 'forbidden_unit' && e.fields.length === 2,
      );
      assert.deepEqual(await footprint(), before);
    });

    test('the disclosure office and the system import for every unit', async () => {
      const office = await inTransaction(as('office-clerk'), (c) =>
        recordBulkImporter(c, rows('区府办', ['oh-zsb', 'oh-town', 'oh-zjj'])),
      );
      assert.equal(office.records.length, 3);
      const system = await inTransaction(ts.ctx, (c) =>
        recordBulkImporter(c, rows('系统', ['oh-zjj', 'oh-town-village'])),
      );
      assert.equal(system.records.length, 2);
      const n = await ts.store.db
        .selectFrom('records')
        .select('id')
        .where(
          'id',
          'in',
          [...office.records, ...system.records].map((r) => r.id),
        )
        .execute();
      assert.equal(n.length, 5);
    });
  });
}
