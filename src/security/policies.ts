import type { Role } from '../accounts/tables.ts';
import type { Actor, Context } from '../context.ts';
import { AppError, unauthenticated } from '../errors.ts';
import type { Db } from '../store/store.ts';

/**
 * Server-side authorisation policies (等保 2.0 访问控制 a–e). Routes check the role (`access` in defineRoute);
 * these functions add what a role alone cannot say: which units' data an account may touch. Every module that
 * changes unit-owned data (records, requests, tasks …) calls `assertCanEditUnitData(ctx, unitId)` in its
 * command, so the rule holds for the API, the CLI and imports alike.
 *
 * The rules:
 * - 三员分立 (访问控制 c: 授予管理用户所需的最小权限，实现管理用户的权限分离): the system administrator runs the
 *   system (accounts, the registry's structure), the security administrator the security settings (unlocking,
 *   second factors), the auditor reads the audit trail. None of the three edits business data.
 * - staff edit the data of the units they hold a position in today, and those units' sub-units
 *   (a township clerk edits only its township's records);
 * - leaders additionally the units they are in charge of (分管) today, with their sub-units;
 * - the public (no actor) edits nothing and reads what is published.
 */

export const administratorRoles = ['sysadmin', 'secadmin', 'auditor'] as const satisfies readonly Role[];
export const businessRoles = ['leader', 'staff'] as const satisfies readonly Role[];

export function isAdministrator(actor: Actor | null): boolean {
  return !!actor && (administratorRoles as readonly Role[]).includes(actor.role);
}

/** Accounts and the registry's structure (units, positions, appointments). */
export const canManageSystem = (actor: Actor | null): boolean => actor?.role === 'sysadmin';
/** Security settings: unlocking accounts, resetting second factors. */
export const canManageSecurity = (actor: Actor | null): boolean => actor?.role === 'secadmin';
/** The audit trail is read by the auditor only (安全审计 c). */
export const canReadAudit = (actor: Actor | null): boolean => actor?.role === 'auditor';

export interface UnitScope {
  /** The units whose data the actor may change (own units and their sub-units). */
  unitIds: ReadonlySet<string>;
}

const today = (now: Date) => now.toISOString().slice(0, 10);

/** The subtree (unit and all descendants) of each root, as one set. */
export async function subtreesOf(db: Db, roots: Iterable<string>): Promise<Set<string>> {
  const rootList = [...new Set(roots)];
  if (!rootList.length) return new Set();
  const all = await db.selectFrom('units').select(['id', 'parent_id']).execute();
  const children = new Map<string, string[]>();
  for (const u of all) {
    if (u.parent_id === null) continue;
    const list = children.get(u.parent_id) ?? [];
    list.push(u.id);
    children.set(u.parent_id, list);
  }
  const known = new Set(all.map((u) => u.id));
  const out = new Set<string>();
  const stack = rootList.filter((r) => known.has(r));
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    for (const c of children.get(id) ?? []) stack.push(c);
  }
  return out;
}

/** The units an actor may change data of, from the registry as of the context's clock. */
export async function editableUnitScope(ctx: Pick<Context, 'db' | 'actor' | 'now'>): Promise<UnitScope> {
  const { actor } = ctx;
  if (!actor?.personId || !(businessRoles as readonly Role[]).includes(actor.role)) {
    return { unitIds: new Set() };
  }
  const day = today(ctx.now());
  const held = await ctx.db
    .selectFrom('appointments')
    .innerJoin('positions', 'positions.id', 'appointments.position_id')
    .select('positions.unit_id')
    .where('appointments.person_id', '=', actor.personId)
    .where('appointments.starts_on', '<=', day)
    .where((eb) => eb.or([eb('appointments.ends_on', 'is', null), eb('appointments.ends_on', '>=', day)]))
    .execute();
  const roots = held.map((h) => h.unit_id);
  if (actor.role === 'leader') {
    const supervised = await ctx.db
      .selectFrom('supervisions')
      .select('unit_id')
      .where('person_id', '=', actor.personId)
      .where('starts_on', '<=', day)
      .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', day)]))
      .execute();
    roots.push(...supervised.map((s) => s.unit_id));
  }
  return { unitIds: await subtreesOf(ctx.db, roots) };
}

/** May the context's actor change data that belongs to `unitId`? */
export async function canEditUnitData(
  ctx: Pick<Context, 'db' | 'actor' | 'now'>,
  unitId: string,
): Promise<boolean> {
  return (await editableUnitScope(ctx)).unitIds.has(unitId);
}

/** Throws 401 for the public and 403 (`forbidden_unit`) for an account outside the unit's scope. */
export async function assertCanEditUnitData(
  ctx: Pick<Context, 'db' | 'actor' | 'now'>,
  unitId: string,
): Promise<void> {
  if (!ctx.actor) throw unauthenticated();
  if (!(await canEditUnitData(ctx, unitId))) {
    throw new AppError('forbidden_unit', '无权修改其他单位的数据', 403);
  }
}
