import type { Context } from '../context.ts';
import { assertCanEditUnitData, editableUnitScope } from '../security/policies.ts';
import type { Db } from '../store/store.ts';

// Unit scope for disclosure records and information requests (issue 7 item 2; 等保 2.0 访问控制, policies.ts).
//
// The rule, kept simple on purpose:
// 1. Staff and leaders act on the records and requests of their own units (policies.ts: the units they hold a
//    position in today, leaders also those they are in charge of, each with its sub-units). A township clerk
//    therefore edits its township's records and handles requests addressed to its township, and gets 403
//    (`forbidden_unit`) on a bureau's.
// 2. Except the disclosure office: whoever holds a position in the government office's subtree (区府办, a unit
//    of kind `office` directly under the root government unit) acts on every unit's records and requests. The
//    office runs 政务公开 for the whole government — seed 附件1: 领导小组办公室设在区政府办公室; 条例 Art. 4:
//    the office is the 政府信息公开工作机构 that registers and assigns requests and does the 保密审查.
// 3. A context without an actor is the system itself (demo loader, flow engine, the request sweeper, the CLI):
//    every non-public route refuses anonymous callers before a command runs (defineRoute `access`), and no
//    public route calls a record command or a request handling action (the online application only creates).

/** The disclosure office: office-kind units directly under a root government unit, with their sub-units. */
export async function disclosureOfficeUnits(db: Db): Promise<Set<string>> {
  const units = await db.selectFrom('units').select(['id', 'parent_id', 'kind']).execute();
  const byId = new Map(units.map((u) => [u.id, u]));
  const roots = units.filter((u) => {
    if (u.kind !== 'office' || !u.parent_id) return false;
    const parent = byId.get(u.parent_id);
    return parent?.kind === 'government' && parent.parent_id === null;
  });
  const children = new Map<string, string[]>();
  for (const u of units)
    if (u.parent_id) children.set(u.parent_id, [...(children.get(u.parent_id) ?? []), u.id]);
  const out = new Set<string>();
  const stack = roots.map((r) => r.id);
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

export interface ActorUnitScope {
  /** The system or the disclosure office: every unit. */
  all: boolean;
  /** Otherwise the units whose records and requests the actor may see and change. */
  unitIds: ReadonlySet<string>;
}

export async function actorUnitScope(ctx: Pick<Context, 'db' | 'actor' | 'now'>): Promise<ActorUnitScope> {
  if (!ctx.actor) return { all: true, unitIds: new Set() };
  const { unitIds } = await editableUnitScope(ctx);
  if (!unitIds.size) return { all: false, unitIds };
  const office = await disclosureOfficeUnits(ctx.db);
  for (const id of unitIds) if (office.has(id)) return { all: true, unitIds };
  return { all: false, unitIds };
}

/** Throws 403 `forbidden_unit` unless the actor may act on data of `unitId` (the rule above). */
export async function assertUnitScope(
  ctx: Pick<Context, 'db' | 'actor' | 'now'>,
  unitId: string,
): Promise<void> {
  if (!ctx.actor) return;
  if ((await actorUnitScope(ctx)).all) return;
  await assertCanEditUnitData(ctx, unitId);
}
