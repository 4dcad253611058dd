import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Role } from '../../src/accounts/tables.ts';
import type { Actor, Context } from '../../src/context.ts';
import { inTransaction } from '../../src/context.ts';
import { appointmentCreator } from '../../src/registry/commands/appointmentCreator.ts';
import { personCreator } from '../../src/registry/commands/personCreator.ts';
import { positionCreator } from '../../src/registry/commands/positionCreator.ts';
import { supervisionCreator } from '../../src/registry/commands/supervisionCreator.ts';
import { unitCreator } from '../../src/registry/commands/unitCreator.ts';
import { assertCanEditUnitData, canEditUnitData, canReadAudit } from '../../src/security/policies.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

for (const backend of backendNames) {
  describe(`unit-scoped data policies (等保 访问控制) [${backend}]`, () => {
    let ts: TestStore;
    const ids: Record<string, string> = {};
    const as = (role: Role, personId: string | null, day = '2026-03-02'): Context => ({
      ...ts.ctx,
      actor: { userId: `u-${role}`, username: role, displayName: role, role, personId } satisfies Actor,
      now: () => new Date(`${day}T08:00:00Z`),
    });

    before(async () => {
      ts = await freshStore(backend);
      await inTransaction(ts.ctx, async (c) => {
        ids.district = (
          await unitCreator(c, { parentId: null, name: '某区人民政府', kind: 'government' })
        ).id;
        ids.townA = (await unitCreator(c, { parentId: ids.district, name: '甲镇', kind: 'township' })).id;
        ids.villageA = (await unitCreator(c, { parentId: ids.townA, name: '甲镇一村', kind: 'village' })).id;
        ids.townB = (await unitCreator(c, { parentId: ids.district, name: '乙镇', kind: 'township' })).id;
        const clerkPos = (
          await positionCreator(c, { unitId: ids.townA, name: '党政办文书', kind: 'business' })
        ).id;
        const headPos = (await positionCreator(c, { unitId: ids.townA, name: '镇长', kind: 'head' })).id;
        ids.clerk = (await personCreator(c, { name: '王文书', unitId: ids.townA })).id;
        ids.leader = (await personCreator(c, { name: '李镇长', unitId: ids.townA })).id;
        ids.former = (await personCreator(c, { name: '赵前任', unitId: ids.townA })).id;
        await appointmentCreator(c, { personId: ids.clerk, positionId: clerkPos, startsOn: '2025-01-01' });
        await appointmentCreator(c, { personId: ids.leader, positionId: headPos, startsOn: '2025-01-01' });
        await appointmentCreator(c, {
          personId: ids.former,
          positionId: clerkPos,
          startsOn: '2020-01-01',
          endsOn: '2024-12-31',
        });
        await supervisionCreator(c, { personId: ids.leader, unitId: ids.townB, startsOn: '2026-01-01' });
      });
    });
    after(() => ts.dispose());

    test('a township clerk edits its township and the villages below it, not the neighbouring township', async () => {
      const clerk = as('staff', ids.clerk!);
      assert.equal(await canEditUnitData(clerk, ids.townA!), true);
      assert.equal(await canEditUnitData(clerk, ids.villageA!), true);
      assert.equal(await canEditUnitData(clerk, ids.townB!), false);
      assert.equal(await canEditUnitData(clerk, ids.district!), false, 'not upwards either');
      await assert.rejects(
        assertCanEditUnitData(clerk, ids.townB!),
        (e: { code?: string; status?: number }) => {
          return e.code === 'forbidden_unit' && e.status === 403;
        },
      );
    });

    test('appointments are dated: a former holder has no scope, a leader adds the units in charge (分管)', async () => {
      assert.equal(await canEditUnitData(as('staff', ids.former!), ids.townA!), false);
      assert.equal(await canEditUnitData(as('staff', ids.former!, '2023-06-01'), ids.townA!), true);
      assert.equal(await canEditUnitData(as('leader', ids.leader!), ids.townB!), true);
      assert.equal(await canEditUnitData(as('leader', ids.leader!, '2025-06-01'), ids.townB!), false);
    });

    test('the three administrators and the public edit no business data; only the auditor reads the audit', async () => {
      for (const role of ['sysadmin', 'secadmin', 'auditor'] as const) {
        assert.equal(await canEditUnitData(as(role, ids.clerk!), ids.townA!), false, role);
      }
      await assert.rejects(assertCanEditUnitData({ ...ts.ctx, actor: null }, ids.townA!), /请先登录/);
      assert.equal(canReadAudit(as('auditor', null).actor), true);
      assert.equal(canReadAudit(as('sysadmin', null).actor), false);
    });
  });
}
