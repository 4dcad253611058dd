import type { Context } from '../../context.ts';
import { disclosureWorkArea, rootGovernmentUnit } from '../../disclosure/commands/disclosureWorkArea.ts';
import { recordCreator } from '../../disclosure/commands/recordCreator.ts';
import { decidedRecordPublisher, recordWithdrawer } from '../../disclosure/commands/recordReview.ts';
import { recordUpdater } from '../../disclosure/commands/recordUpdater.ts';
import { beijingDate } from '../settings.ts';
import type { AnnualReport } from './annualReport.ts';
import { annualReportText, reportTitle } from './export.ts';

/**
 * A published annual report becomes a disclosure record (issue 6 item 6; 条例 Art. 50: the report is published
 * by 31 January), so the portal's 年度报告 page lists it. The record: attribute 主动公开; kind `other` (a report
 * on the year's work is neither a policy, plan, notice nor a 结果 such as an allocation list); stage 结果 (it
 * accounts for what was done); area 政府信息公开 (disclosureWorkArea.ts); disclosing body the unit the report
 * is for, or the district government for the whole-government report. Its title carries
 * “政府信息公开工作年度报告”, which is what the portal's page searches for.
 *
 * Publishing again (after a late-logged request changed the figures) replaces the text of the same record —
 * found by area, disclosing unit and title — through withdraw → edit → publish, so its index number stays
 * (rules.md §4) and the history shows both publications.
 */
export async function annualReportRecord(
  ctx: Context,
  report: AnnualReport,
): Promise<{ recordId: string; indexNumber: string }> {
  const areaId = await disclosureWorkArea(ctx);
  const root = report.scope.unitId ? null : await rootGovernmentUnit(ctx);
  const unitId = report.scope.unitId ?? root!.id;
  const unitName = root?.name ?? report.scope.unitName;
  const title = reportTitle(report, unitName);
  const today = beijingDate(ctx.now());
  const fields = {
    title,
    summary: `${unitName}${report.year}年度政府信息公开工作情况：主动公开政府信息，收到和处理政府信息公开申请，政府信息公开行政复议、行政诉讼，存在的主要问题及改进情况。`,
    origin: 'produced' as const,
    kind: 'other' as const,
    formedOn: today,
    attribute: 'proactive' as const,
    body: annualReportText(report, unitName),
    channels: ['政府网站'],
  };
  const decision = `${report.year}年度报告经校验后发布`;
  const existing = await ctx.db
    .selectFrom('records')
    .select(['id', 'index_number', 'publish_state'])
    .where('area_id', '=', areaId)
    .where('disclosing_unit_id', '=', unitId)
    .where('title', '=', title)
    .executeTakeFirst();
  if (existing) {
    if (existing.publish_state === 'published' || existing.publish_state === 'approved')
      await recordWithdrawer(ctx, existing.id, '年度报告重新发布，以新数据替换');
    await recordUpdater(ctx, existing.id, fields);
    await decidedRecordPublisher(ctx, existing.id, decision);
    return { recordId: existing.id, indexNumber: existing.index_number };
  }
  const created = await recordCreator(ctx, { ...fields, disclosingUnitId: unitId, areaId, stage: 'result' });
  await decidedRecordPublisher(ctx, created.id, decision);
  return { recordId: created.id, indexNumber: created.indexNumber };
}
