import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadCalendar } from '../calendar/calendar.ts';
import type { Context } from '../context.ts';
import { areaCreator } from './commands/areaCreator.ts';
import { dutyCreator } from './commands/dutyCreator.ts';
import { indexSchemeSetter } from './commands/indexSchemeSetter.ts';
import { itemCreator } from './commands/itemCreator.ts';
import { negativeEntryCreator } from './commands/negativeEntryCreator.ts';
import { planItemCreator } from './commands/planItemCreator.ts';
import { recordCreator } from './commands/recordCreator.ts';
import {
  recordPublisher,
  recordSubmitter,
  reviewApprover,
  secrecyApprover,
} from './commands/recordReview.ts';
import { subAreaCreator } from './commands/subAreaCreator.ts';
import type {
  Audience,
  DisclosureAttribute,
  DutyKind,
  Level,
  Method,
  NoticeLevel,
  RecordKind,
  Stage,
} from './tables.ts';
import { chinaToday } from './util.ts';

// The demo district's disclosure data (demo/disclosure/*.yaml, seed 004), written through the same commands the
// API uses. Human-edited files: every reference is resolved before it is used, and a bad one stops the load
// with its name (the whole demo load is one transaction).

const stageByName: Record<string, Stage> = {
  决策: 'decision',
  执行: 'execution',
  管理: 'management',
  服务: 'service',
  结果: 'result',
};
const attributeByName: Record<string, DisclosureAttribute> = {
  主动公开: 'proactive',
  依申请公开: 'onRequest',
  不予公开: 'exempt',
};
const stageName = z.enum(['决策', '执行', '管理', '服务', '结果']);
const dateish = z
  .union([z.string(), z.date()])
  .transform((v) => (typeof v === 'string' ? v : v.toISOString().slice(0, 10)));

const areasFile = z.object({
  areas: z.array(
    z.object({
      name: z.string(),
      abbreviation: z.string(),
      scope: z.string(),
      leadUnits: z.array(z.string()),
      subAreas: z.array(z.object({ number: z.string(), name: z.string() })).default([]),
      tasks: z.array(
        z.object({
          stage: stageName,
          subArea: z.string().optional(),
          group: z.string().optional(),
          content: z.string(),
          units: z.array(z.string()),
          printed: z.string().optional(),
          standard: z
            .object({
              elements: z.string(),
              basis: z.string(),
              timeLimit: z.string().optional(),
              body: z.string().optional(),
              bodyText: z.string().optional(),
              channels: z.array(z.string()),
              audience: z.enum(['全社会', '特定群体']),
              method: z.enum(['主动', '依申请']),
              level: z.enum(['县级', '乡级']),
            })
            .optional(),
        }),
      ),
    }),
  ),
});
const audienceByName: Record<string, Audience> = { 全社会: 'public', 特定群体: 'specific' };
const methodByName: Record<string, Method> = { 主动: 'proactive', 依申请: 'onRequest' };
const levelByName: Record<string, Level> = { 县级: 'county', 乡级: 'township' };
const nationalFile = z.object({ areas: z.array(z.object({ name: z.string(), abbreviation: z.string() })) });
const innovationFile = z.object({
  items: z.array(
    z.object({
      serial: z.number().int(),
      content: z.string(),
      leadUnit: z.string(),
      units: z.array(z.string()),
      printed: z.string().optional(),
      person: z.string(),
      deadline: z.string(),
      dueOn: dateish.nullable(),
    }),
  ),
});
const negativeFile = z.object({
  entries: z.array(z.object({ area: z.string(), matter: z.string(), basis: z.string() })),
});
const recordEntry = z.object({
  area: z.string().default('拆迁安置'),
  subArea: z.string().optional(),
  stage: stageName.default('管理'),
  duty: z.string().optional(),
  task: z.string().optional(),
  kind: z.enum(['document', 'policy', 'plan', 'notice', 'result', 'other']).default('document'),
  origin: z.enum(['acquired', 'produced']),
  title: z.string(),
  documentNumber: z.string().optional(),
  attribute: z.enum(['主动公开', '依申请公开', '不予公开']).default('主动公开'),
  exemptionBasis: z.string().optional(),
  negative: z.string().optional(),
  formedOn: dateish,
  publishedOn: dateish.optional(),
  validFrom: dateish.optional(),
  validUntil: dateish.optional(),
  notice: z
    .object({ level: z.enum(['village', 'town', 'district']), startsOn: dateish, endsOn: dateish })
    .optional(),
  state: z.enum(['published', 'approved', 'inReview', 'draft']).optional(),
  disclosingUnit: z.string(),
  channels: z.array(z.string()).default([]),
  summary: z.string().optional(),
  body: z.string().optional(),
  indexNumber: z.string().optional(),
});
const exampleFile = z.object({
  duties: z.array(
    z.object({
      number: z.string(),
      kind: z.enum(['power', 'responsibility', 'service']),
      name: z.string(),
      powerType: z.string().optional(),
      code: z.string().optional(),
      unit: z.string(),
    }),
  ),
  records: z.array(recordEntry.partial({ area: true, stage: true })),
});
const recordsFile = z.object({ records: z.array(recordEntry) });

const read = <T>(dir: string, file: string, schema: z.ZodType<T>): T =>
  schema.parse(parse(readFileSync(join(dir, file), 'utf8')));

/** "T", "T-5", "T+3": days relative to the load date (Beijing); anything else is a YYYY-MM-DD date. */
export function resolveDemoDate(text: string, today: string): string {
  const m = /^T(?:([+-])(\d+))?$/.exec(text.trim());
  if (!m) return text;
  const days = m[1] ? (m[1] === '-' ? -1 : 1) * Number(m[2]) : 0;
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export async function loadDisclosureDemo(ctx: Context, dir: string): Promise<string> {
  const units = new Set((await ctx.db.selectFrom('units').select('id').execute()).map((u) => u.id));
  if (!units.has('oh-gov')) return 'skipped: the 瓯海区 registry is not loaded';
  const unit = (key: string, where: string) => {
    if (!units.has(key)) throw new Error(`demo/disclosure ${where}: unknown unit ${key}`);
    return key;
  };
  await indexSchemeSetter(ctx, { regionCode: '330304', scheme: 'seed' });

  const areas = read(dir, 'areas.yaml', areasFile);
  const areaIds = new Map<string, string>();
  const subIds = new Map<string, string>();
  const taskIds = new Map<string, string>();
  let items = 0;
  for (const [i, a] of areas.areas.entries()) {
    const { id } = await areaCreator(ctx, {
      name: a.name,
      abbreviation: a.abbreviation,
      regionCode: '330304',
      scope: a.scope,
      source: 'pilot',
      leadUnitIds: a.leadUnits.map((u) => unit(u, `area ${a.name}`)),
      sortOrder: i + 1,
    });
    areaIds.set(a.name, id);
    for (const s of a.subAreas) {
      const sub = await subAreaCreator(ctx, { areaId: id, number: s.number, name: s.name });
      subIds.set(`${a.name}/${s.number}`, sub.id);
    }
    for (const [serial, t] of a.tasks.entries()) {
      const subAreaId = t.subArea ? subIds.get(`${a.name}/${t.subArea}`) : null;
      if (t.subArea && !subAreaId)
        throw new Error(`demo/disclosure areas.yaml: ${a.name} has no sub-area ${t.subArea}`);
      const item = await itemCreator(ctx, {
        areaId: id,
        subAreaId: subAreaId ?? null,
        stage: stageByName[t.stage]!,
        serial: serial + 1,
        matter1: t.group ?? t.content,
        matter2: t.group ? t.content : null,
        responsibleUnitIds: t.units.map((u) => unit(u, `${a.name} / ${t.content}`)),
        responsibleNote: t.printed ?? null,
        ...(t.standard
          ? {
              content: t.standard.elements,
              legalBasis: t.standard.basis,
              ...(t.standard.timeLimit ? { timeLimit: t.standard.timeLimit } : {}),
              disclosingUnitId: t.standard.body ? unit(t.standard.body, `${a.name} / ${t.content}`) : null,
              disclosingBodyText: t.standard.bodyText ?? null,
              channels: t.standard.channels,
              audience: audienceByName[t.standard.audience]!,
              method: methodByName[t.standard.method]!,
              level: levelByName[t.standard.level]!,
            }
          : { channels: ['政府网站'] }),
      });
      // The first item of a content within an area is the one records point at.
      if (!taskIds.has(`${a.name}/${t.content}`)) taskIds.set(`${a.name}/${t.content}`, item.id);
      items++;
    }
  }

  let national = 0;
  for (const [i, a] of read(dir, 'national-areas.yaml', nationalFile).areas.entries()) {
    if (areaIds.has(a.name)) continue;
    await areaCreator(ctx, {
      name: a.name,
      abbreviation: a.abbreviation,
      source: 'national',
      adopted: false,
      sortOrder: 100 + i,
    });
    national++;
  }

  const negatives = new Map<string, string>();
  const negFile = read(dir, 'negative-list.yaml', negativeFile);
  for (const e of negFile.entries) {
    const areaId = areaIds.get(e.area);
    if (!areaId) throw new Error(`demo/disclosure negative-list.yaml: unknown area ${e.area}`);
    const { id } = await negativeEntryCreator(ctx, { areaId, matter: e.matter, basis: e.basis });
    negatives.set(`${e.area}/${e.matter}`, id);
  }

  const innovation = read(dir, 'innovation.yaml', innovationFile);
  for (const p of innovation.items) {
    await planItemCreator(ctx, {
      list: 'innovation',
      serial: p.serial,
      content: p.content,
      leadUnitId: unit(p.leadUnit, `innovation ${p.serial}`),
      leadUnitText: p.printed ?? null,
      responsibleUnitIds: p.units.map((u) => unit(u, `innovation ${p.serial}`)),
      responsiblePerson: p.person,
      deadlineText: p.deadline,
      dueOn: p.dueOn,
    });
  }

  const example = read(dir, 'chaiqian-example.yaml', exampleFile);
  const cqaz = areaIds.get('拆迁安置')!;
  const dutyIds = new Map<string, string>();
  for (const d of example.duties) {
    const { id } = await dutyCreator(ctx, {
      areaId: cqaz,
      number: d.number,
      name: d.name,
      kind: d.kind as DutyKind,
      powerType: d.powerType ?? null,
      code: d.code ?? null,
      unitId: unit(d.unit, `duty ${d.number}`),
    });
    dutyIds.set(`拆迁安置/${d.number}`, id);
  }

  const today = chinaToday(ctx.now());
  const calendar = await loadCalendar(ctx.db);
  let records = 0;
  let published = 0;
  const entries = [
    ...example.records.map((r) => ({
      ...r,
      area: '拆迁安置',
      stage: '管理' as const,
      subArea: '01',
      duty: '001',
    })),
    ...read(dir, 'records.yaml', recordsFile).records,
  ];
  for (const r of entries) {
    const where = `record ${r.title}`;
    const areaId = areaIds.get(r.area);
    if (!areaId) throw new Error(`demo/disclosure ${where}: unknown area ${r.area}`);
    const subAreaId = r.subArea ? subIds.get(`${r.area}/${r.subArea}`) : null;
    if (r.subArea && !subAreaId) throw new Error(`demo/disclosure ${where}: unknown sub-area ${r.subArea}`);
    const dutyId = r.duty ? dutyIds.get(`${r.area}/${r.duty}`) : null;
    if (r.duty && !dutyId) throw new Error(`demo/disclosure ${where}: unknown duty ${r.duty}`);
    const itemId = r.task ? taskIds.get(`${r.area}/${r.task}`) : null;
    if (r.task && !itemId) throw new Error(`demo/disclosure ${where}: unknown task ${r.task}`);
    const negativeId = r.negative ? negatives.get(`${r.area}/${r.negative}`) : null;
    if (r.negative && !negativeId)
      throw new Error(`demo/disclosure ${where}: unknown negative-list matter ${r.negative}`);
    const attribute = attributeByName[r.attribute ?? '主动公开']!;
    const formedOn = resolveDemoDate(r.formedOn, today);
    const created = await recordCreator(ctx, {
      title: r.title,
      summary: r.summary ?? null,
      origin: r.origin,
      kind: (r.kind ?? 'document') as RecordKind,
      formedOn,
      documentNumber: r.documentNumber ?? null,
      attribute,
      exemptionBasis: r.exemptionBasis ?? null,
      negativeListEntryId: negativeId ?? null,
      disclosingUnitId: unit(r.disclosingUnit, where),
      areaId,
      subAreaId: subAreaId ?? null,
      stage: stageByName[r.stage ?? '管理']!,
      dutyId: dutyId ?? null,
      itemId: itemId ?? null,
      channels: r.channels ?? [],
      validFrom: r.validFrom ? resolveDemoDate(r.validFrom, today) : null,
      validUntil: r.validUntil ? resolveDemoDate(r.validUntil, today) : null,
      body: r.body?.trim() ?? null,
      noticeLevel: (r.notice?.level as NoticeLevel | undefined) ?? null,
      noticeStartsOn: r.notice ? resolveDemoDate(r.notice.startsOn, today) : null,
      noticeEndsOn: r.notice ? resolveDemoDate(r.notice.endsOn, today) : null,
      legacyIndexNumber: r.indexNumber ?? null,
    });
    records++;
    const state = r.state ?? (attribute === 'exempt' ? 'draft' : 'published');
    if (state === 'draft') continue;
    // Each step runs on the clock of the day it happened, so publication dates (and lateness) are realistic.
    const on = r.publishedOn ? resolveDemoDate(r.publishedOn, today) : calendar.addWorkingDays(formedOn, 3);
    const at = (ymd: string) => ({ ...ctx, now: () => new Date(`${ymd}T02:00:00Z`) });
    await recordSubmitter(at(formedOn), created.id);
    if (state === 'inReview') continue;
    await reviewApprover(at(on), created.id, '同意公开');
    await secrecyApprover(at(on), created.id, '经保密审查，不涉及国家秘密');
    if (state === 'approved') continue;
    await recordPublisher(at(on), created.id);
    published++;
  }
  return `${areas.areas.length} pilot areas, ${items} task-list items, ${national} national standard areas, ${negFile.entries.length} negative-list entries, ${innovation.items.length} innovation items, ${records} records (${published} published)`;
}

/** Registered in src/demo/loadDemo.ts; runs after the registry, inside the demo's one transaction. */
export const disclosureDemoLoader = {
  name: 'disclosure',
  load: (ctx: Context) =>
    loadDisclosureDemo(ctx, resolve(import.meta.dirname, '..', '..', 'demo', 'disclosure')),
};
