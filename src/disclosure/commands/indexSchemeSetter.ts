import type { Context } from '../../context.ts';
import { invalid, notFound } from '../../errors.ts';
import { nowIso } from '../../ids.ts';
import { orgCodePattern } from '../indexNumber.ts';
import type { IndexSchemeName } from '../tables.ts';

/**
 * The index-number scheme is a per-region setting (rules.md §4). Changing it affects numbers issued from now
 * on; numbers already issued never change.
 */
export async function indexSchemeSetter(
  ctx: Context,
  input: { regionCode: string; scheme: IndexSchemeName; orgCode?: string | null },
): Promise<void> {
  const fields = [];
  if (!/^\d{6}$/.test(input.regionCode)) fields.push({ field: 'regionCode', reason: '区划代码为 6 位数字' });
  if (input.orgCode && !orgCodePattern.test(input.orgCode))
    fields.push({ field: 'orgCode', reason: '机构代码应为 9 位组织机构代码或 18 位统一社会信用代码' });
  if (fields.length) throw invalid(fields);
  const values = {
    region_code: input.regionCode,
    scheme: input.scheme,
    org_code: input.orgCode ?? null,
    updated_at: nowIso(ctx.now()),
  };
  await ctx.db
    .insertInto('disclosure_index_schemes')
    .values(values)
    .onConflict((oc) =>
      oc.column('region_code').doUpdateSet({
        scheme: values.scheme,
        org_code: values.org_code,
        updated_at: values.updated_at,
      }),
    )
    .execute();
}

/**
 * A unit's own 机构代码 (organisation code or unified social credit code): in the national scheme
 * (机构代码/YYYY-NNNNN) each disclosing body numbers under its own code; the region's code is the fallback.
 */
export async function unitOrgCodeSetter(ctx: Context, unitId: string, orgCode: string): Promise<void> {
  if (!orgCodePattern.test(orgCode))
    throw invalid([{ field: 'orgCode', reason: '机构代码应为 9 位组织机构代码或 18 位统一社会信用代码' }]);
  const unit = await ctx.db.selectFrom('units').select('id').where('id', '=', unitId).executeTakeFirst();
  if (!unit) throw notFound('单位', unitId);
  await ctx.db
    .insertInto('disclosure_unit_codes')
    .values({ unit_id: unitId, org_code: orgCode })
    .onConflict((oc) => oc.column('unit_id').doUpdateSet({ org_code: orgCode }))
    .execute();
}
