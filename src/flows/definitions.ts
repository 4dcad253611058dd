import type { Context } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import type { Db } from '../store/store.ts';
import { checkGroup } from './assignment.ts';
import { compileBpmn } from './compile.ts';
import { isTemplate } from './expressions.ts';
import type { ProcessModel } from './model.ts';
import type { DefinitionRow } from './tables.ts';

const models = new Map<string, Promise<ProcessModel>>();

/** The compiled model of a stored definition; definitions never change, so it is compiled once per process. */
export function modelOf(row: Pick<DefinitionRow, 'id' | 'xml'>): Promise<ProcessModel> {
  let m = models.get(row.id);
  if (!m) {
    m = compileBpmn(row.xml);
    m.catch(() => models.delete(row.id));
    models.set(row.id, m);
  }
  return m;
}

export async function loadDefinition(db: Db, id: string): Promise<DefinitionRow> {
  const row = await db.selectFrom('process_definitions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('流程定义', id);
  return row;
}

/** The newest version of a key (new cases start on it; running cases keep theirs). */
export async function latestDefinition(db: Db, key: string): Promise<DefinitionRow> {
  const row = await db
    .selectFrom('process_definitions')
    .selectAll()
    .where('key', '=', key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw notFound('流程定义', key);
  return row;
}

export interface ImportedDefinition {
  id: string;
  key: string;
  code: string | null;
  name: string;
  version: number;
}

/**
 * Import a BPMN file: check it the way the engine will run it, then store it as the next version of its key.
 * The XML is kept as given, so export returns exactly the file that was drawn (Camunda Modeler reopens it).
 */
export async function definitionImporter(ctx: Context, xml: string): Promise<ImportedDefinition> {
  const model = await compileBpmn(xml);
  for (const n of model.nodes.values()) {
    if (n.kind !== 'userTask' || !n.assignment.candidateGroups || isTemplate(n.assignment.candidateGroups))
      continue;
    for (const g of n.assignment.candidateGroups.split(',')) {
      const problem = g.trim() ? checkGroup(g.trim()) : null;
      if (problem)
        throw new AppError('bpmn_invalid', `流程图有误：${n.id} ${problem}`, 400, [
          { field: n.id, reason: problem },
        ]);
    }
  }
  // the unique (key, version) constraint settles two concurrent imports of one key: one of them fails
  const last = await ctx.db
    .selectFrom('process_definitions')
    .select('version')
    .where('key', '=', model.key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  const row = {
    id: newId(ctx.now().getTime()),
    key: model.key,
    code: model.code,
    name: model.name,
    version: (last?.version ?? 0) + 1,
    xml,
    created_at: nowIso(ctx.now()),
    created_by: ctx.actor?.userId ?? null,
  };
  await ctx.db.insertInto('process_definitions').values(row).execute();
  models.set(row.id, Promise.resolve(model));
  return { id: row.id, key: row.key, code: row.code, name: row.name, version: row.version };
}

export type ListedDefinition = Omit<DefinitionRow, 'xml'> & {
  /** The codes the 定岗定责定流程表 prints for this chart where they differ from its own (03-1 for 3-1-1). */
  tableCodes: string[];
};

/**
 * The latest version of every key, each with the table codes that cite it. `flowCode` picks the chart a work
 * item's flow code names, its own code or a table code (`03-1` → 3-1-1), so a work item links to its flow.
 */
export async function listDefinitions(
  db: Db,
  filter: { flowCode?: string } = {},
): Promise<ListedDefinition[]> {
  const rows = await db
    .selectFrom('process_definitions')
    .select(['id', 'key', 'code', 'name', 'version', 'created_at', 'created_by'])
    .orderBy('key')
    .orderBy('version', 'desc')
    .execute();
  const aliases = await db
    .selectFrom('flow_code_aliases')
    .select(['code', 'chart_code'])
    .orderBy('code')
    .execute();
  const chart = filter.flowCode
    ? (aliases.find((a) => a.code === filter.flowCode)?.chart_code ?? filter.flowCode)
    : null;
  const seen = new Set<string>();
  const out: ListedDefinition[] = [];
  for (const r of rows) {
    if (seen.has(r.key)) continue;
    seen.add(r.key);
    if (chart !== null && r.code !== chart) continue;
    out.push({ ...r, tableCodes: aliases.filter((a) => a.chart_code === r.code).map((a) => a.code) });
  }
  return out;
}
