import { AppError } from '../errors.ts';
import type { Db } from '../store/store.ts';
import { chinaDay } from './durations.ts';
import { evaluateAttribute, type Lookup, type Value } from './expressions.ts';
import type { Assignment } from './model.ts';

/** The relations a candidate group may name (docs/bpmn-conventions.md, Who acts). */
export const relations = ['starter', 'supervisor', 'head', 'sectionHead'] as const;
const groupKinds = ['position', 'unit', 'role', 'relation'] as const;

/** Refuse a malformed group at import (a template is only known at run time). */
export function checkGroup(group: string): string | null {
  const [kind, value] = splitGroup(group);
  if (!(groupKinds as readonly string[]).includes(kind) || !value)
    return `候选组格式应为 position:/unit:/role:/relation:（${group}）`;
  if (kind === 'relation' && !(relations as readonly string[]).includes(value)) return `未知的关系 ${value}`;
  return null;
}

function splitGroup(group: string): [string, string] {
  const i = group.indexOf(':');
  return i < 0 ? ['', group] : [group.slice(0, i).trim(), group.slice(i + 1).trim()];
}

export interface Starter {
  userId: string | null;
  /**
   * The case's unit when the case names one (the start variable `unitId`): relations resolve from it rather
   * than from the starter, e.g. when 办公室 registers a document on behalf of another section.
   */
  unitId?: string | null;
}

export interface ResolvedAssignment {
  assigneeId: string | null;
  candidateIds: string[];
  /** Groups or names that resolved to nobody today (written to history so an administrator sees why). */
  unresolved: string[];
  /** Groups that resolved through a fallback (no 分管 leader → the head), said in history. */
  fallbacks: string[];
}

const words = (v: Value): string[] => {
  if (v === null) return [];
  if (Array.isArray(v)) return v.flatMap(words);
  return String(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
};

/**
 * Who may act on a new task, resolved from the registry's appointments of today, once, when the task is
 * created (issue 3 item 5): a later change of post does not move tasks already handed out. No assignment at
 * all sends the task to the person who started the case. `element` is a multi-instance task's countersigner.
 */
export async function resolveAssignment(
  db: Db,
  spec: Assignment,
  lookup: Lookup,
  starter: Starter,
  now: Date,
  element?: Value,
): Promise<ResolvedAssignment> {
  const day = chinaDay(now);
  const unresolved: string[] = [];
  const fallbacks: string[] = [];
  const explicit = spec.assignee || spec.candidateUsers || spec.candidateGroups;
  let assigneeNames: string[] = [];
  let userNames: string[] = [];
  let groups: string[] = [];
  if (explicit) {
    assigneeNames = spec.assignee ? words(evaluateAttribute(spec.assignee, lookup)) : [];
    userNames = spec.candidateUsers ? words(evaluateAttribute(spec.candidateUsers, lookup)) : [];
    groups = spec.candidateGroups ? words(evaluateAttribute(spec.candidateGroups, lookup)) : [];
  } else if (element !== undefined && element !== null) {
    // a countersigner named by username is that task's assignee; a group gives candidates
    for (const w of words(element)) (w.includes(':') ? groups : assigneeNames).push(w);
  } else {
    return {
      assigneeId: starter.userId,
      candidateIds: [],
      unresolved: starter.userId ? [] : ['relation:starter'],
      fallbacks,
    };
  }
  const idsByName = await userIdsByName(db, [...assigneeNames, ...userNames]);
  let assigneeId: string | null = null;
  for (const n of assigneeNames) {
    const id = idsByName.get(n);
    if (id) assigneeId ??= id;
    else unresolved.push(n);
  }
  const candidates = new Set<string>();
  for (const n of userNames) {
    const id = idsByName.get(n);
    if (id) candidates.add(id);
    else unresolved.push(n);
  }
  for (const g of groups) {
    const { ids, fallback } = await resolveGroup(db, g, starter, day);
    if (!ids.length) unresolved.push(g);
    if (fallback && ids.length) fallbacks.push(fallback);
    for (const id of ids) candidates.add(id);
  }
  return { assigneeId, candidateIds: [...candidates], unresolved, fallbacks };
}

async function userIdsByName(db: Db, names: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(names)];
  if (!unique.length) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username', 'in', unique)
    .where('disabled', '=', 0)
    .execute();
  return new Map(rows.map((r) => [r.username, r.id]));
}

/** Accounts of the people holding the given positions today. */
async function holdersOf(db: Db, positionIds: string[], day: string): Promise<string[]> {
  if (!positionIds.length) return [];
  const rows = await db
    .selectFrom('appointments')
    .innerJoin('users', 'users.person_id', 'appointments.person_id')
    .select('users.id')
    .where('appointments.position_id', 'in', positionIds)
    .where('appointments.starts_on', '<=', day)
    .where((eb) => eb.or([eb('appointments.ends_on', 'is', null), eb('appointments.ends_on', '>=', day)]))
    .where('users.disabled', '=', 0)
    .execute();
  return [...new Set(rows.map((r) => r.id))];
}

export async function groupMembers(db: Db, group: string, starter: Starter, day: string): Promise<string[]> {
  return (await resolveGroup(db, group, starter, day)).ids;
}

interface GroupResolution {
  ids: string[];
  /** Set when the group was resolved through a fallback: why, in words for the case history. */
  fallback?: string;
}

async function resolveGroup(db: Db, group: string, starter: Starter, day: string): Promise<GroupResolution> {
  const [kind, value] = splitGroup(group);
  if (kind === 'relation') return relationMembers(db, value, starter, day);
  return { ids: await plainGroupMembers(db, group, kind, value, day) };
}

async function plainGroupMembers(
  db: Db,
  group: string,
  kind: string,
  value: string,
  day: string,
): Promise<string[]> {
  switch (kind) {
    case 'position':
      return holdersOf(db, [value], day);
    case 'unit': {
      const positions = await db.selectFrom('positions').select('id').where('unit_id', '=', value).execute();
      return holdersOf(
        db,
        positions.map((p) => p.id),
        day,
      );
    }
    case 'role': {
      const rows = await db
        .selectFrom('users')
        .select('id')
        .where('role', '=', value as 'staff')
        .where('disabled', '=', 0)
        .execute();
      return rows.map((r) => r.id);
    }
    default:
      throw new AppError('group_invalid', `候选组格式有误：${group}`, 400, [
        { field: 'candidateGroups', reason: group },
      ]);
  }
}

async function relationMembers(
  db: Db,
  relation: string,
  starter: Starter,
  day: string,
): Promise<GroupResolution> {
  if (relation === 'starter') return { ids: starter.userId ? [starter.userId] : [] };
  const unitId = await caseUnit(db, starter, day);
  if (!unitId) return { ids: [] };
  const chain = await unitChain(db, unitId);
  const bureau = chain.find((u) => u.kind === 'bureau' || u.kind === 'centre') ?? chain[chain.length - 1];
  const headsOfBureau = async () => {
    if (!bureau) return [];
    const heads = await db
      .selectFrom('positions')
      .select('id')
      .where('unit_id', '=', bureau.id)
      .where('kind', '=', 'head')
      .execute();
    return holdersOf(
      db,
      heads.map((p) => p.id),
      day,
    );
  };
  if (relation === 'supervisor') {
    // the leader in charge of the case's section, else of the nearest unit above it that has one
    for (const u of chain) {
      const rows = await db
        .selectFrom('supervisions')
        .innerJoin('users', 'users.person_id', 'supervisions.person_id')
        .select('users.id')
        .where('supervisions.unit_id', '=', u.id)
        .where('supervisions.starts_on', '<=', day)
        .where((eb) => eb.or([eb('supervisions.ends_on', 'is', null), eb('supervisions.ends_on', '>=', day)]))
        .where('users.disabled', '=', 0)
        .execute();
      if (rows.length) return { ids: [...new Set(rows.map((r) => r.id))] };
    }
    // no 分管 leader in post (a vacant 副职岗位): the bureau's head (正职) decides, as a bureau does in practice
    const ids = await headsOfBureau();
    return {
      ids,
      fallback: `relation:supervisor：${chain[0]?.name ?? unitId}无在任分管领导，由${bureau?.name ?? ''}正职办理`,
    };
  }
  if (relation === 'head') return { ids: await headsOfBureau() };
  if (relation === 'sectionHead') {
    const first = await db
      .selectFrom('positions')
      .select('id')
      .where('unit_id', '=', unitId)
      .where('kind', '=', 'business')
      .orderBy('serial')
      .orderBy('sort_order')
      .orderBy('id')
      .executeTakeFirst();
    return { ids: first ? await holdersOf(db, [first.id], day) : [] };
  }
  return { ids: [] };
}

/**
 * The unit a case belongs to: the one it names (start variable `unitId`), else the unit of a post its starter
 * holds today (the post says where the work is done; a person's record may sit in the bureau while they hold
 * a post in a section), preferring a post in the person's own unit, else the unit on the person's record.
 */
async function caseUnit(db: Db, starter: Starter, day: string): Promise<string | null> {
  if (starter.unitId) return starter.unitId;
  if (!starter.userId) return null;
  const row = await db
    .selectFrom('users')
    .leftJoin('people', 'people.id', 'users.person_id')
    .select(['people.id as personId', 'people.unit_id as unitId'])
    .where('users.id', '=', starter.userId)
    .executeTakeFirst();
  if (!row?.personId) return null;
  const held = await db
    .selectFrom('appointments')
    .innerJoin('positions', 'positions.id', 'appointments.position_id')
    .select('positions.unit_id')
    .where('appointments.person_id', '=', row.personId)
    .where('appointments.starts_on', '<=', day)
    .where((eb) => eb.or([eb('appointments.ends_on', 'is', null), eb('appointments.ends_on', '>=', day)]))
    .orderBy('positions.serial')
    .orderBy('positions.sort_order')
    .orderBy('positions.id')
    .execute();
  const own = held.find((h) => h.unit_id === row.unitId);
  return own?.unit_id ?? held[0]?.unit_id ?? row.unitId ?? null;
}

interface ChainUnit {
  id: string;
  kind: string;
  name: string;
}

async function unitChain(db: Db, unitId: string): Promise<ChainUnit[]> {
  const chain: ChainUnit[] = [];
  let id: string | null = unitId;
  while (id && chain.length < 20) {
    const u: (ChainUnit & { parent_id: string | null }) | undefined = await db
      .selectFrom('units')
      .select(['id', 'kind', 'name', 'parent_id'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!u) break;
    chain.push({ id: u.id, kind: u.kind, name: u.name });
    id = u.parent_id;
  }
  return chain;
}
