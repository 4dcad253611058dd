import { addCalendarDays, loadCalendar } from '../calendar/calendar.ts';
import type { Context } from '../context.ts';
import { AppError, invalid } from '../errors.ts';
import { type ActionInput, registerAction } from '../flows/actions.ts';
import type { Value } from '../flows/expressions.ts';
import { nowIso } from '../ids.ts';
import type { Db } from '../store/store.ts';
import { recordCreator } from './commands/recordCreator.ts';
import { privacyFindings } from './commands/recordReview.ts';
import { maskText, scanText } from './privacy.ts';
import type { DisclosureAttribute, NoticeLevel, Origin, RecordKind, Stage } from './tables.ts';
import { attributes, recordKinds, stages } from './tables.ts';
import { appendHistory, chinaToday } from './util.ts';

// Fed by the flows (issue 4 item 6): a flow step declares the record it produces or acquires in its
// <camunda:property> parameters; completing the step creates the record, with its index number, inside the
// step's own transaction (src/flows/actions.ts), so a step that rolls back leaves no record and no serial.
//
// Parameters (all optional unless said): title (required; `${name}` inside the text is replaced by the case
// variable), attribute (主动公开/依申请公开/不予公开 or proactive/onRequest/exempt, or `${var}` — 01-1-2 carries the
// document's attribute from drafting as a variable), area (id, abbreviation or name; default: the adopted area
// whose name the title contains), subArea (2 digits), stage (决策…结果 or decision…), duty (3 digits), kind,
// origin, unit (disclosing unit id; default: the unit of the person who started the case), documentNumber,
// summary, body, exemptionBasis. publishNotice adds level (村级/镇级/区级) and noticeDays (default: the case
// variable noticeDays, else 7) with workingDays=true to count working days.

const stageWords: Record<string, Stage> = {
  决策: 'decision',
  执行: 'execution',
  管理: 'management',
  服务: 'service',
  结果: 'result',
};
const attributeWords: Record<string, DisclosureAttribute> = {
  主动公开: 'proactive',
  依申请公开: 'onRequest',
  不予公开: 'exempt',
  G: 'proactive',
  Y: 'onRequest',
  B: 'exempt',
};
const levelWords: Record<string, NoticeLevel> = {
  村级: 'village',
  村: 'village',
  镇级: 'town',
  乡镇级: 'town',
  乡级: 'town',
  街道: 'town',
  区级: 'district',
  县级: 'district',
  village: 'village',
  town: 'town',
  district: 'district',
};

const asText = (v: Value | undefined): string | null =>
  v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** Replace each `${name}` (a case variable, dotted access allowed) by its value; unknown names stay visible. */
export function interpolate(template: string, variables: Readonly<Record<string, Value>>): string {
  return template.replace(/\$\{\s*([A-Za-z_][\w.]*)\s*\}/g, (whole, path: string) => {
    let v: Value | undefined = variables[path.split('.')[0]!];
    for (const key of path.split('.').slice(1)) {
      v = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, Value>)[key] : undefined;
    }
    return asText(v) ?? whole;
  });
}

function prop(input: ActionInput, name: string): string | null {
  const raw = input.properties[name];
  if (raw === undefined || raw.trim() === '') return null;
  return interpolate(raw, input.variables).trim() || null;
}

/** The area a flow declares (id, abbreviation or name), else the adopted area whose name the title contains. */
export async function resolveArea(db: Db, text: string | null, title: string): Promise<string> {
  if (text) {
    const row = await db
      .selectFrom('areas')
      .select('id')
      .where((eb) =>
        eb.or([eb('id', '=', text), eb('abbreviation', '=', text.toUpperCase()), eb('name', '=', text)]),
      )
      .executeTakeFirst();
    if (!row) throw invalid([{ field: 'area', reason: `流程环节声明的领域不存在：${text}` }]);
    return row.id;
  }
  const areas = await db.selectFrom('areas').select(['id', 'name']).where('adopted', '=', 1).execute();
  const hit = areas.filter((a) => title.includes(a.name)).sort((a, b) => b.name.length - a.name.length)[0];
  if (!hit)
    throw invalid([
      { field: 'area', reason: `流程环节未声明领域，且名称“${title}”不含任何已采用领域的名称` },
    ]);
  return hit.id;
}

async function resolveUnit(ctx: Context, input: ActionInput): Promise<string> {
  const explicit = prop(input, 'unit');
  if (explicit) {
    const u = await ctx.db.selectFrom('units').select('id').where('id', '=', explicit).executeTakeFirst();
    if (!u) throw invalid([{ field: 'unit', reason: `流程环节声明的公开主体不存在：${explicit}` }]);
    return u.id;
  }
  const starter = input.instance.started_by;
  if (starter) {
    const row = await ctx.db
      .selectFrom('users')
      .innerJoin('people', 'people.id', 'users.person_id')
      .select('people.unit_id')
      .where('users.id', '=', starter)
      .executeTakeFirst();
    if (row?.unit_id) return row.unit_id;
  }
  throw invalid([{ field: 'unit', reason: '流程环节未声明公开主体，办件发起人也没有所属单位' }]);
}

async function subAreaId(db: Db, areaId: string, number: string | null): Promise<string | null> {
  if (!number) return null;
  const row = await db
    .selectFrom('sub_areas')
    .select('id')
    .where('area_id', '=', areaId)
    .where('number', '=', number)
    .executeTakeFirst();
  if (!row) throw invalid([{ field: 'subArea', reason: `子领域编号不存在：${number}` }]);
  return row.id;
}

async function dutyId(db: Db, areaId: string, number: string | null): Promise<string | null> {
  if (!number) return null;
  const row = await db
    .selectFrom('disclosure_duties')
    .select('id')
    .where('area_id', '=', areaId)
    .where('number', '=', number)
    .executeTakeFirst();
  if (!row) throw invalid([{ field: 'duty', reason: `工作职责编号不存在：${number}` }]);
  return row.id;
}

/** 主动公开 / 依申请公开 / 不予公开, G / Y / B or proactive / onRequest / exempt; undefined for anything else. */
export function attributeFromText(text: string): DisclosureAttribute | undefined {
  return (attributes as readonly string[]).includes(text)
    ? (text as DisclosureAttribute)
    : attributeWords[text];
}

/** 决策…结果 or decision…result; undefined for anything else. */
export function stageFromText(text: string): Stage | undefined {
  return (stages as readonly string[]).includes(text) ? (text as Stage) : stageWords[text];
}

async function declaredRecord(
  ctx: Context,
  input: ActionInput,
  defaults: { kind: RecordKind; stage: Stage },
) {
  const title = prop(input, 'title');
  if (!title) throw invalid([{ field: 'title', reason: '流程环节未声明信息名称（title）' }]);
  const attrText = prop(input, 'attribute') ?? 'proactive';
  const attribute = attributeFromText(attrText);
  if (!attribute) throw invalid([{ field: 'attribute', reason: `公开属性不正确：${attrText}` }]);
  const stageText = prop(input, 'stage');
  const stage = stageText ? stageFromText(stageText) : defaults.stage;
  if (!stage) throw invalid([{ field: 'stage', reason: `五公开阶段不正确：${stageText}` }]);
  const kindText = prop(input, 'kind');
  const kind =
    kindText && (recordKinds as readonly string[]).includes(kindText)
      ? (kindText as RecordKind)
      : defaults.kind;
  const areaId = await resolveArea(ctx.db, prop(input, 'area'), title);
  return {
    title,
    attribute,
    stage,
    kind,
    areaId,
    subAreaId: await subAreaId(ctx.db, areaId, prop(input, 'subArea')),
    dutyId: await dutyId(ctx.db, areaId, prop(input, 'duty')),
    disclosingUnitId: await resolveUnit(ctx, input),
    origin: (prop(input, 'origin') === 'acquired' ? 'acquired' : 'produced') as Origin,
    documentNumber: prop(input, 'documentNumber'),
    summary: prop(input, 'summary'),
    body: prop(input, 'body'),
    exemptionBasis: prop(input, 'exemptionBasis'),
    source: { processInstanceId: input.instance.id, step: input.activity.name || input.activity.id },
  };
}

/** createRecord: the step's declared record, created in draft with its index number; it then goes to review. */
export async function createRecordAction(ctx: Context, input: ActionInput) {
  const d = await declaredRecord(ctx, input, { kind: 'document', stage: 'execution' });
  const created = await recordCreator(ctx, { ...d, formedOn: chinaToday(ctx.now()) }, { fromFlowStep: true });
  return { variables: { recordId: created.id, indexNumber: created.indexNumber } };
}

/**
 * publishNotice: a public notice (公示) for its period, published at once — the flow's own decision steps
 * (村评议, 镇级审核, 区级审批) are its review. Personal data is masked before it goes out (rules.md §7) and the
 * scan must then find nothing; an exempt attribute is refused.
 */
export async function publishNoticeAction(ctx: Context, input: ActionInput) {
  const d = await declaredRecord(ctx, input, { kind: 'notice', stage: 'execution' });
  if (d.attribute === 'exempt')
    throw new AppError('exempt_not_publishable', '不予公开的信息不能作为公示发布', 409);
  const levelText = prop(input, 'level');
  const noticeLevel = levelText ? levelWords[levelText] : undefined;
  if (levelText && !noticeLevel) throw invalid([{ field: 'level', reason: `公示层级不正确：${levelText}` }]);
  const daysText = prop(input, 'noticeDays') ?? asText(input.variables.noticeDays) ?? '7';
  const days = Number(daysText);
  if (!Number.isInteger(days) || days < 1 || days > 365)
    throw invalid([{ field: 'noticeDays', reason: `公示期天数不正确：${daysText}` }]);
  const startsOn = chinaToday(ctx.now());
  // The period counts the first day: a 7-day notice posted on the 8th runs to the 14th.
  const endsOn =
    prop(input, 'workingDays') === 'true'
      ? (await loadCalendar(ctx.db)).addWorkingDays(addCalendarDays(startsOn, -1), days)
      : addCalendarDays(startsOn, days - 1);
  let masked = 0;
  const mask = (t: string | null) => {
    if (!t) return t;
    masked += scanText(t).length;
    return maskText(t);
  };
  const created = await recordCreator(
    ctx,
    {
      ...d,
      title: mask(d.title) ?? d.title,
      summary:
        mask(d.summary) ??
        `${d.title}，公示期${days}${prop(input, 'workingDays') === 'true' ? '个工作日' : '日'}。`,
      body: mask(d.body),
      attribute: 'proactive',
      kind: 'notice',
      formedOn: startsOn,
      noticeLevel: noticeLevel ?? null,
      noticeStartsOn: startsOn,
      noticeEndsOn: endsOn,
      channels: noticeLevel === 'village' ? ['公示栏'] : ['政府网站', '公示栏'],
    },
    { fromFlowStep: true },
  );
  if (masked) await appendHistory(ctx, created.id, { action: 'masked', note: `遮盖个人信息 ${masked} 处` });
  const row = await ctx.db
    .selectFrom('records')
    .selectAll()
    .where('id', '=', created.id)
    .executeTakeFirstOrThrow();
  if ((await privacyFindings(ctx.db, row)).length)
    throw new AppError('personal_data_found', '公示内容含有未遮盖的个人信息', 422);
  await ctx.db
    .updateTable('records')
    .set({ publish_state: 'published', published_at: nowIso(ctx.now()), updated_at: nowIso(ctx.now()) })
    .where('id', '=', created.id)
    .execute();
  await appendHistory(ctx, created.id, {
    action: 'publishedByFlow',
    from: 'draft',
    to: 'published',
    note: `流程环节“${input.activity.name || input.activity.id}”发布，公示期 ${startsOn} 至 ${endsOn}`,
  });
  return {
    variables: { noticeRecordId: created.id, noticeIndexNumber: created.indexNumber, noticeEndsOn: endsOn },
  };
}

registerAction('createRecord', createRecordAction);
registerAction('publishNotice', publishNoticeAction);
