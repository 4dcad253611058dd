import type { Context } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { disclosureOfficeUnits } from '../unitScope.ts';
import { areaCreator } from './areaCreator.ts';

/**
 * The area that holds records about disclosure work itself: annual reports (条例 Art. 49–50) and information
 * moved into proactive disclosure without a subject area of its own. Decision: one district-level area named
 * 政府信息公开, source `local` (it is not one of the 26 national areas of rules.md §3, nor one of the seed's 9
 * pilot areas), led by the disclosure office (区府办, unitScope.ts) and adopted so that its records show on the
 * portal. Created on first use rather than by a migration, so a district that already keeps such an area under
 * that name (e.g. imported with its catalogue) keeps its own, with its own abbreviation.
 */
export const disclosureWorkAreaName = '政府信息公开';

/** The root government unit: the disclosing body of district-wide records such as the whole-government report. */
export async function rootGovernmentUnit(
  ctx: Context,
): Promise<{ id: string; name: string; regionCode: string | null }> {
  const root = await ctx.db
    .selectFrom('units')
    .select(['id', 'name', 'region_code'])
    .where('parent_id', 'is', null)
    .where('kind', '=', 'government')
    .orderBy('id')
    .executeTakeFirst();
  if (!root) throw new AppError('no_government_unit', '尚未设置本级人民政府（单位树的根单位）', 409);
  return { id: root.id, name: root.name, regionCode: root.region_code };
}

export async function disclosureWorkArea(ctx: Context): Promise<string> {
  const found = await ctx.db
    .selectFrom('areas')
    .select('id')
    .where('name', '=', disclosureWorkAreaName)
    .executeTakeFirst();
  if (found) return found.id;
  const root = await rootGovernmentUnit(ctx);
  const office = await disclosureOfficeUnits(ctx.db);
  const officeRoot = await ctx.db
    .selectFrom('units')
    .select('id')
    .where('parent_id', '=', root.id)
    .where('kind', '=', 'office')
    .orderBy('id')
    .executeTakeFirst();
  const lead = officeRoot && office.has(officeRoot.id) ? officeRoot.id : root.id;
  // ZFXXGK are the pinyin initials (rules.md §4); XXGK if another area already uses them.
  const taken = await ctx.db
    .selectFrom('areas')
    .select('id')
    .where('abbreviation', '=', 'ZFXXGK')
    .executeTakeFirst();
  const created = await areaCreator(ctx, {
    name: disclosureWorkAreaName,
    abbreviation: taken ? 'XXGK' : 'ZFXXGK',
    regionCode: root.regionCode,
    scope: '政府信息公开工作年度报告、依申请公开转主动公开的信息等政府信息公开工作本身产生的信息',
    source: 'local',
    adopted: true,
    leadUnitIds: [lead],
  });
  return created.id;
}
