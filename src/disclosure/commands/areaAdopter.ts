import type { Context } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { nowIso } from '../../ids.ts';

/**
 * Adopt an area of the national standard list (国办发〔2019〕54号: a county compiles its catalogue from the 26
 * areas' guidelines), or stop using one. Only adopted areas appear on the portal and in the compliance view;
 * records and numbers already issued in the area stay as they are.
 */
export async function areaAdopter(
  ctx: Context,
  id: string,
  adopted: boolean,
): Promise<{ id: string; adopted: boolean }> {
  const res = await ctx.db
    .updateTable('areas')
    .set({ adopted: adopted ? 1 : 0, updated_at: nowIso(ctx.now()) })
    .where('id', '=', id)
    .executeTakeFirst();
  if (!Number(res.numUpdatedRows)) throw notFound('领域', id);
  return { id, adopted };
}
