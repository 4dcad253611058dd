import { type Context, inTransaction } from '../../src/context.ts';
import { areaCreator } from '../../src/disclosure/commands/areaCreator.ts';
import { dutyCreator } from '../../src/disclosure/commands/dutyCreator.ts';
import { subAreaCreator } from '../../src/disclosure/commands/subAreaCreator.ts';
import { appointmentCreator } from '../../src/registry/commands/appointmentCreator.ts';
import { personCreator } from '../../src/registry/commands/personCreator.ts';
import { positionCreator } from '../../src/registry/commands/positionCreator.ts';
import { unitCreator } from '../../src/registry/commands/unitCreator.ts';

/** A small district: 瓯海区 (330304) with its 征收办 and 住建局, area 拆迁安置 with sub-area 01 and duty 001. */
export async function smallDistrict(ctx: Context) {
  return inTransaction(ctx, async (c) => {
    await unitCreator(c, {
      id: 'oh-gov',
      parentId: null,
      name: '温州市瓯海区人民政府',
      kind: 'government',
      regionCode: '330304',
    });
    await unitCreator(c, {
      id: 'oh-zsb',
      parentId: 'oh-gov',
      name: '瓯海区征收办',
      shortName: '区征收办',
      kind: 'bureau',
    });
    await unitCreator(c, {
      id: 'oh-zjj',
      parentId: 'oh-gov',
      name: '瓯海区住建局',
      shortName: '区住建局',
      kind: 'bureau',
    });
    const area = await areaCreator(c, {
      name: '拆迁安置',
      leadUnitIds: ['oh-zsb'],
      source: 'pilot',
      regionCode: '330304',
    });
    const sub = await subAreaCreator(c, { areaId: area.id, number: '01', name: '拆迁项目管理' });
    const duty = await dutyCreator(c, {
      areaId: area.id,
      number: '001',
      name: '国有土地上房屋征收与补偿',
      kind: 'power',
      powerType: '行政征收',
      code: '征收-00207-000',
      unitId: 'oh-zsb',
    });
    return { areaId: area.id, subAreaId: sub.id, dutyId: duty.id };
  });
}

/**
 * A person appointed (since 2000) to a position in `unitId`; with `username`, that account is linked to the
 * person, so its unit scope (src/disclosure/unitScope.ts) is that unit. Returns the person id.
 */
export async function appointIn(ctx: Context, unitId: string, username?: string): Promise<string> {
  return inTransaction(ctx, async (c) => {
    const position = await positionCreator(c, {
      unitId,
      name: `岗位-${username ?? 'test'}`,
      kind: 'business',
    });
    const person = await personCreator(c, { name: `测试${username ?? '人员'}`, unitId });
    await appointmentCreator(c, { personId: person.id, positionId: position.id, startsOn: '2000-01-01' });
    if (username)
      await c.db
        .updateTable('users')
        .set({ person_id: person.id })
        .where('username', '=', username)
        .execute();
    return person.id;
  });
}

/** The government office (区府办), the disclosure office of src/disclosure/unitScope.ts, under `governmentId`. */
export async function disclosureOffice(
  ctx: Context,
  governmentId: string,
  id = 'gov-office',
): Promise<string> {
  await inTransaction(ctx, (c) =>
    unitCreator(c, {
      id,
      parentId: governmentId,
      name: '区人民政府办公室',
      shortName: '区府办',
      kind: 'office',
    }),
  );
  return id;
}
