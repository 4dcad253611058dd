import type { Context } from '../context.ts';
import { appointmentCreator } from '../registry/commands/appointmentCreator.ts';
import { personCreator } from '../registry/commands/personCreator.ts';
import { positionCreator } from '../registry/commands/positionCreator.ts';
import { supervisionCreator } from '../registry/commands/supervisionCreator.ts';
import { unitCreator } from '../registry/commands/unitCreator.ts';
import { workItemCreator } from '../registry/commands/workItemCreator.ts';
import { flattenUnits, type RegistryFile } from './registryFile.ts';

/** Write one registry file through the same commands the API uses. Keys become ids. */
export async function loadRegistryFile(ctx: Context, file: RegistryFile): Promise<{ workItems: number }> {
  // Unit and position keys are unique across files by their prefixes; person keys are pinyin and repeat
  // across districts (two people named 王辉), so people are namespaced by region code.
  const pid = (key: string) => `${file.region.code}-${key}`;
  let order = 0;
  for (const u of flattenUnits(file.units)) {
    await unitCreator(ctx, {
      id: u.key,
      parentId: u.parent,
      name: u.name,
      shortName: u.shortName ?? null,
      kind: u.kind,
      regionCode: file.region.code,
      remit: u.remit ?? null,
      sortOrder: order++,
    });
  }
  for (const u of flattenUnits(file.units)) {
    let i = 0;
    for (const m of u.memberUnits ?? []) {
      await ctx.db
        .insertInto('unit_memberships')
        .values({ group_id: u.key, member_unit_id: m, sort_order: i++ })
        .execute();
    }
  }
  for (const p of file.people) {
    await personCreator(ctx, {
      id: pid(p.key),
      name: p.name,
      unitId: p.unit ?? null,
      title: p.title ?? null,
    });
  }
  let workItems = 0;
  for (const [i, pos] of file.positions.entries()) {
    await positionCreator(ctx, {
      id: pos.key,
      unitId: pos.unit,
      name: pos.name,
      kind: pos.kind,
      category: pos.category ?? null,
      serial: pos.serial ?? null,
      number: pos.number ?? null,
      sortOrder: i,
    });
    for (const h of pos.holders) {
      await appointmentCreator(ctx, { personId: pid(h), positionId: pos.key, startsOn: file.asOf });
    }
    for (const s of new Set(pos.supervises)) {
      for (const h of pos.holders)
        await supervisionCreator(ctx, { personId: pid(h), unitId: s, startsOn: file.asOf });
    }
    for (const [j, w] of pos.workItems.entries()) {
      await workItemCreator(ctx, pos.key, {
        id: `${pos.key}-w${String(j + 1).padStart(2, '0')}`,
        number: w.number == null ? null : String(w.number),
        title: w.title,
        functions: w.functions,
        responsibilities: w.responsibilities,
        flowCodes: w.flowCodes,
        leadPersonId: w.lead ? pid(w.lead) : null,
        assistantIds: w.assistants.map(pid),
        note: w.note ?? null,
        sortOrder: j,
      });
      workItems++;
    }
  }
  for (const [code, chart] of Object.entries(file.flowCodeAliases)) {
    await ctx.db
      .insertInto('flow_code_aliases')
      .values({ code, chart_code: chart })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }
  return { workItems };
}
