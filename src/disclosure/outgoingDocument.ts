import type { Context } from '../context.ts';
import { invalid } from '../errors.ts';
import { onInstanceCompleted } from '../flows/completionHooks.ts';
import type { VariableValue } from '../flows/variableValues.ts';
import type { Db } from '../store/store.ts';
import { recordCreator } from './commands/recordCreator.ts';
import { attributeFromText, resolveArea, stageFromText } from './flowActions.ts';
import { attributeNames, type DisclosureAttribute } from './tables.ts';
import { appendHistory, chinaToday } from './util.ts';

// An outgoing document becomes a record (issue 4 item 6). Seed 004 方案 三（五）and 四（二）3 set up the 公文公开属性
// 标注制度: every document carries its disclosure attribute from drafting, and seed 000's flow 01-1-2 文电管理发文
// (demo/flows/01-1-2.bpmn) drafts it at 拟稿单位拟稿 and signs it at 报领导审签 (outcome 签发). When the case ends at
// 发文完毕 the document has been issued: it becomes a record, in draft, with its index number, and goes to
// review like any other (a 不予公开 one stays in draft with its basis and never reaches the portal).
//
// Case variables, given when completing the tasks (POST /api/v1/tasks/:id/complete {variables}):
//   at 拟稿: docTitle, disclosureAttribute (主动公开 / 依申请公开 / 不予公开), exemptionBasis when 不予公开, and
//            optionally docNumber (文号), docSummary, disclosureArea (id, abbreviation or name; default: the adopted
//            area the title names), disclosureStage (决策 … 结果; default 执行);
//   at 签发: signedDisclosureAttribute — the signer's confirmation; left out, signing confirms the drafted one.
// A case that carries neither docTitle nor disclosureAttribute (a document run through the chart without the
// marking, as the seed's walks do) registers nothing; a half-marked one is refused at its last step, naming
// what is missing, so the clerk can complete that step with the missing variable.

export const outgoingDocumentFlowKey = 'flow-01-1-2';
/** The chart's signing step, its outcome that issues the document, and the end event of an issued document. */
const signStep = 'leaderSign';
const signOutcome = '签发';
const issuedEnd = 'endIssued';

const text = (v: VariableValue | undefined): string | null => {
  if (v === undefined || v === null) return null;
  const s = (Array.isArray(v) ? v.join('、') : String(v)).trim();
  return s || null;
};

/**
 * The body that issues the document: the drafting unit's organ. A 股室 or working group drafts, but a 公文 goes
 * out in the name of its 局 (or government, office, centre, township), so sections and groups are walked up.
 */
async function issuingUnit(db: Db, userId: string | null): Promise<string> {
  const person = userId
    ? await db
        .selectFrom('users')
        .innerJoin('people', 'people.id', 'users.person_id')
        .select('people.unit_id')
        .where('users.id', '=', userId)
        .executeTakeFirst()
    : undefined;
  let unitId = person?.unit_id ?? null;
  for (let depth = 0; unitId && depth < 20; depth++) {
    const unit = await db
      .selectFrom('units')
      .select(['id', 'kind', 'parent_id'])
      .where('id', '=', unitId)
      .executeTakeFirst();
    if (!unit) break;
    if ((unit.kind !== 'section' && unit.kind !== 'group') || !unit.parent_id) return unit.id;
    unitId = unit.parent_id;
  }
  throw invalid([{ field: 'unit', reason: '发文流程的拟稿人没有所属单位，无法确定公开主体' }]);
}

onInstanceCompleted(outgoingDocumentFlowKey, async (ctx: Context, instance, end) => {
  if (instance.status !== 'completed' || end?.id !== issuedEnd) return;
  const v = instance.variables;
  const title = text(v.docTitle);
  const drafted = text(v.disclosureAttribute);
  if (!title && !drafted) return;
  if (!title)
    throw invalid([{ field: 'docTitle', reason: '公文已标注公开属性，但缺少公文标题（docTitle）' }]);
  if (!drafted)
    throw invalid([
      {
        field: 'disclosureAttribute',
        reason: '公文须在拟稿时标注公开属性（主动公开、依申请公开或不予公开）',
      },
    ]);
  const draftedAttribute = attributeFromText(drafted);
  if (!draftedAttribute)
    throw invalid([{ field: 'disclosureAttribute', reason: `公开属性不正确：${drafted}` }]);
  const signedText = text(v.signedDisclosureAttribute);
  const signedAttribute: DisclosureAttribute | undefined = signedText
    ? attributeFromText(signedText)
    : draftedAttribute;
  if (!signedAttribute)
    throw invalid([{ field: 'signedDisclosureAttribute', reason: `公开属性不正确：${signedText}` }]);
  const stageText = text(v.disclosureStage);
  const stage = stageText ? stageFromText(stageText) : 'execution';
  if (!stage) throw invalid([{ field: 'disclosureStage', reason: `五公开阶段不正确：${stageText}` }]);

  // 成文日期 is the day of signing: the last 签发 of the case (a document sent back and signed again counts once).
  const signed = await ctx.db
    .selectFrom('tasks')
    .leftJoin('users', 'users.id', 'tasks.completed_by')
    .select(['tasks.completed_at', 'users.display_name'])
    .where('tasks.instance_id', '=', instance.id)
    .where('tasks.activity_id', '=', signStep)
    .where('tasks.status', '=', 'completed')
    .where('tasks.outcome', '=', signOutcome)
    .orderBy('tasks.completed_at', 'desc')
    .executeTakeFirst();
  const formedOn = chinaToday(signed?.completed_at ? new Date(signed.completed_at) : ctx.now());

  const created = await recordCreator(
    ctx,
    {
      title,
      summary: text(v.docSummary),
      origin: 'produced',
      kind: 'document',
      formedOn,
      documentNumber: text(v.docNumber),
      attribute: signedAttribute,
      exemptionBasis: text(v.exemptionBasis),
      disclosingUnitId: await issuingUnit(ctx.db, instance.started_by),
      areaId: await resolveArea(ctx.db, text(v.disclosureArea), title),
      stage,
      source: { processInstanceId: instance.id, step: signOutcome },
    },
    { fromFlowStep: true },
  );
  const by = signed?.display_name ? `${signed.display_name}于 ${formedOn} ` : '';
  await appendHistory(ctx, created.id, {
    action: 'attributeConfirmed',
    note:
      signedAttribute === draftedAttribute
        ? `拟稿标注“${attributeNames[draftedAttribute]}”，${by}签发确认`
        : `拟稿标注“${attributeNames[draftedAttribute]}”，${by}签发时改为“${attributeNames[signedAttribute]}”`,
  });
});
