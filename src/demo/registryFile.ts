import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { positionKinds, unitKinds } from '../registry/tables.ts';

// The schema of demo/registry/*.yaml: a unit tree, people, positions with their work items. Human-edited, so
// every reference is checked before anything is written.

const key = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'key: lowercase letters, digits and hyphens');

interface UnitNode {
  key: string;
  name: string;
  shortName?: string | null | undefined;
  kind: (typeof unitKinds)[number];
  remit?: string | null | undefined;
  memberUnits?: string[] | undefined;
  units?: UnitNode[] | undefined;
}

const unitNode: z.ZodType<UnitNode> = z.lazy(() =>
  z.object({
    key,
    name: z.string().min(1),
    shortName: z.string().nullish(),
    kind: z.enum(unitKinds),
    remit: z.string().nullish(),
    memberUnits: z.array(key).optional(),
    units: z.array(unitNode).optional(),
  }),
);

const workItem = z.object({
  number: z.union([z.string(), z.number()]).nullish(),
  title: z.string().min(1),
  functions: z.array(z.string()).default([]),
  responsibilities: z.array(z.object({ kind: z.string().min(1), text: z.string().min(1) })).default([]),
  flowCodes: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
  lead: key.nullish(),
  assistants: z.array(key).default([]),
  note: z.string().nullish(),
});

export const registryFileSchema = z.object({
  region: z.object({ code: z.string().regex(/^\d{6}$/), name: z.string() }),
  asOf: z
    .union([z.string(), z.date()])
    .transform((v) => (typeof v === 'string' ? v : v.toISOString().slice(0, 10))),
  units: z.array(unitNode),
  people: z.array(
    z.object({ key, name: z.string().min(1), unit: key.nullish(), title: z.string().nullish() }),
  ),
  positions: z.array(
    z.object({
      key,
      unit: key,
      serial: z.number().int().nullish(),
      category: z.string().nullish(),
      name: z.string().min(1),
      number: z.number().int().nullish(),
      kind: z.enum(positionKinds),
      holders: z.array(key).default([]),
      supervises: z.array(key).default([]),
      workItems: z.array(workItem).default([]),
    }),
  ),
  flowCodeAliases: z.record(z.string(), z.string()).default({}),
});

export type RegistryFile = z.infer<typeof registryFileSchema>;

export function flattenUnits(
  units: UnitNode[],
  parent: string | null = null,
): (UnitNode & { parent: string | null })[] {
  return units.flatMap((u) => [{ ...u, parent }, ...flattenUnits(u.units ?? [], u.key)]);
}

/** Read and check one registry file; throws listing every dangling reference. */
export function readRegistryFile(path: string): RegistryFile {
  const data = registryFileSchema.parse(parse(readFileSync(path, 'utf8')));
  const units = new Set<string>();
  const problems: string[] = [];
  for (const u of flattenUnits(data.units)) {
    if (units.has(u.key)) problems.push(`duplicate unit key ${u.key}`);
    units.add(u.key);
  }
  const people = new Set<string>();
  for (const p of data.people) {
    if (people.has(p.key)) problems.push(`duplicate person key ${p.key}`);
    people.add(p.key);
    if (p.unit && !units.has(p.unit)) problems.push(`person ${p.key}: unknown unit ${p.unit}`);
  }
  for (const u of flattenUnits(data.units)) {
    for (const m of u.memberUnits ?? [])
      if (!units.has(m)) problems.push(`unit ${u.key}: unknown member unit ${m}`);
  }
  for (const pos of data.positions) {
    if (!units.has(pos.unit)) problems.push(`position ${pos.key}: unknown unit ${pos.unit}`);
    for (const h of pos.holders)
      if (!people.has(h)) problems.push(`position ${pos.key}: unknown holder ${h}`);
    for (const s of pos.supervises)
      if (!units.has(s)) problems.push(`position ${pos.key}: unknown supervised unit ${s}`);
    for (const w of pos.workItems) {
      if (w.lead && !people.has(w.lead)) problems.push(`${pos.key} / ${w.title}: unknown lead ${w.lead}`);
      for (const a of w.assistants)
        if (!people.has(a)) problems.push(`${pos.key} / ${w.title}: unknown assistant ${a}`);
    }
  }
  if (problems.length) throw new Error(`${path}:\n  ${problems.join('\n  ')}`);
  return data;
}
