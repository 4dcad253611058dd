import type { Context } from '../context.ts';
import { assertUnitScope } from '../disclosure/unitScope.ts';
import { notFound } from '../errors.ts';
import { subtreeIds } from '../registry/queries.ts';
import { beijingDate } from './settings.ts';

export interface HandlerCandidate {
  id: string;
  displayName: string;
  username: string;
  /** The posts held today in the unit's subtree ("城市建设股 · 股长"), so namesakes can be told apart. */
  posts: string[];
}

/**
 * Whom a request can be assigned to (交办, 条例 Art. 4) in a unit: the active staff and leader accounts whose
 * person holds a position today in the unit or one of its sub-units. The assigner must have the unit in scope,
 * as the assignment itself requires (requestAssigner).
 */
export async function handlerCandidates(ctx: Context, unitId: string): Promise<HandlerCandidate[]> {
  const unit = await ctx.db.selectFrom('units').select('id').where('id', '=', unitId).executeTakeFirst();
  if (!unit) throw notFound('承办单位', unitId);
  await assertUnitScope(ctx, unitId);
  const day = beijingDate(ctx.now());
  const rows = await ctx.db
    .selectFrom('users')
    .innerJoin('appointments', 'appointments.person_id', 'users.person_id')
    .innerJoin('positions', 'positions.id', 'appointments.position_id')
    .innerJoin('units', 'units.id', 'positions.unit_id')
    .select([
      'users.id',
      'users.display_name',
      'users.username',
      'positions.name as position_name',
      'units.name as unit_name',
    ])
    .where('positions.unit_id', 'in', await subtreeIds(ctx.db, unitId))
    .where('users.disabled', '=', 0)
    .where('users.role', 'in', ['staff', 'leader'])
    .where('appointments.starts_on', '<=', day)
    .where((eb) => eb.or([eb('appointments.ends_on', 'is', null), eb('appointments.ends_on', '>=', day)]))
    .orderBy('users.username')
    .orderBy('positions.name')
    .execute();
  const byUser = new Map<string, HandlerCandidate>();
  for (const r of rows) {
    const c = byUser.get(r.id) ?? { id: r.id, displayName: r.display_name, username: r.username, posts: [] };
    c.posts.push(`${r.unit_name} · ${r.position_name}`);
    byUser.set(r.id, c);
  }
  return [...byUser.values()];
}
