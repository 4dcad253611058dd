import type { Context } from '../../context.ts';
import { AppError, conflict, invalid, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { abbreviationFromName, abbreviationPattern } from '../indexNumber.ts';
import type { AreaSource } from '../tables.ts';

export interface NewArea {
  id?: string;
  name: string;
  /** Explicit abbreviation; default: the pinyin initials of the name (rules.md §4). */
  abbreviation?: string | null;
  regionCode?: string | null;
  scope?: string | null;
  source?: AreaSource;
  adopted?: boolean;
  leadUnitIds?: string[];
  sortOrder?: number;
}

/**
 * Create an area. Its abbreviation goes into every seed-scheme index number of the area, so a collision with
 * another area's abbreviation is refused and the caller must give an explicit one (rules.md §4: "Initials can
 * collide: an area may carry an explicit abbreviation").
 */
export async function areaCreator(
  ctx: Context,
  input: NewArea,
): Promise<{ id: string; abbreviation: string }> {
  const name = input.name.trim();
  if (!name) throw invalid([{ field: 'name', reason: '领域名称不能为空' }]);
  const explicit = input.abbreviation?.trim();
  const abbreviation = (explicit || abbreviationFromName(name)).toUpperCase();
  if (!abbreviationPattern.test(abbreviation))
    throw invalid([
      {
        field: 'abbreviation',
        reason: explicit
          ? '领域缩写应为 2–10 个大写字母'
          : `“${name}”的拼音首字母 ${abbreviation || '（无）'} 不能作为领域缩写（应为 2–10 个大写字母），请指定领域缩写`,
      },
    ]);
  const clash = await ctx.db
    .selectFrom('areas')
    .select(['id', 'name', 'abbreviation'])
    .where((eb) => eb.or([eb('abbreviation', '=', abbreviation), eb('name', '=', name)]))
    .executeTakeFirst();
  if (clash?.name === name) throw conflict('area_exists', `领域已存在：${name}`);
  if (clash)
    throw new AppError(
      'abbreviation_taken',
      `领域缩写 ${abbreviation} 已被“${clash.name}”使用，请为“${name}”另行指定缩写`,
      409,
      [{ field: 'abbreviation', reason: `缩写 ${abbreviation} 已被“${clash.name}”使用` }],
    );
  const leadUnitIds = [...new Set(input.leadUnitIds ?? [])];
  if (leadUnitIds.length) {
    const found = await ctx.db.selectFrom('units').select('id').where('id', 'in', leadUnitIds).execute();
    const missing = leadUnitIds.filter((u) => !found.some((f) => f.id === u));
    if (missing.length) throw notFound('牵头单位', missing.join('、'));
  }
  const id = input.id ?? newId();
  const now = nowIso(ctx.now());
  await ctx.db
    .insertInto('areas')
    .values({
      id,
      name,
      abbreviation,
      region_code: input.regionCode ?? null,
      scope: input.scope ?? null,
      source: input.source ?? 'local',
      adopted: input.adopted === false ? 0 : 1,
      sort_order: input.sortOrder ?? 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (leadUnitIds.length)
    await ctx.db
      .insertInto('area_lead_units')
      .values(leadUnitIds.map((unit_id, sort_order) => ({ area_id: id, sort_order, unit_id })))
      .execute();
  return { id, abbreviation };
}
