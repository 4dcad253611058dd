import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context } from '../context.ts';
import { AppError } from '../errors.ts';
import { registerAction } from '../flows/actions.ts';
import { onInstanceCompleted } from '../flows/completionHooks.ts';
import { definitionImporter } from '../flows/definitions.ts';
import { instanceStarter } from '../flows/instanceStarter.ts';
import { moveRecord } from './commands/recordReview.ts';
import type { RecordRow } from './tables.ts';
import { disclosureOfficeUnits } from './unitScope.ts';

// Publishing review as a flow (issue 4 item 5): 审核 by the head of the disclosing unit, then 保密审查 by the
// disclosure office, as the BPMN chart gk-review.bpmn (next to this file) draws it. Submitting a record starts a
// case when the chart is deployed and the district has a disclosure office; the case's end moves the record
// through the flows' onInstanceCompleted hook, in the transaction that ends the case. Records submitted before
// the chart was deployed (or in a district without an office) keep the explicit-state API of recordReview.ts:
// both paths lead to the same states and the same history, so the portal and the compliance view see no
// difference.
//
// Deployment is a decision of the district (POST /api/v1/process-definitions with gk-review.bpmn, or
// reviewFlowImporter). The demo does not deploy it, so its records show the explicit 审核 / 保密审查 buttons;
// once deployed, the API refuses those buttons for a record under a case (409 in_review_flow) and the
// workbench links the task's holder to the review task in 待办 instead.
//
// The chart lives in src/disclosure rather than demo/flows: demo/flows holds exactly the seed's seventeen
// charts (test/flows/seedFlows.test.ts), and this one belongs to the platform, not to a seed.

export const reviewFlowKey = 'gk-review';
const businessKey = (recordId: string) => `record:${recordId}`;

export const reviewFlowXml = (): string =>
  readFileSync(resolve(import.meta.dirname, 'gk-review.bpmn'), 'utf8');

/** Deploy the review chart (a new version when it changed): from then on, submitting starts a case. */
export async function reviewFlowImporter(ctx: Context): Promise<{ key: string; version: number }> {
  const def = await definitionImporter(ctx, reviewFlowXml());
  return { key: def.key, version: def.version };
}

/** The open review case of a record, if it is reviewed through the flow. */
export async function openReviewCase(ctx: Pick<Context, 'db'>, recordId: string): Promise<string | null> {
  const row = await ctx.db
    .selectFrom('process_instances')
    .select('id')
    .where('definition_key', '=', reviewFlowKey)
    .where('business_key', '=', businessKey(recordId))
    .where('status', '=', 'running')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The office unit the 保密审查 goes to: the top of the disclosure office subtree (unitScope.ts). */
async function officeUnit(ctx: Context): Promise<string | null> {
  const office = await disclosureOfficeUnits(ctx.db);
  if (!office.size) return null;
  const rows = await ctx.db
    .selectFrom('units')
    .select(['id', 'parent_id'])
    .where('id', 'in', [...office])
    .orderBy('id')
    .execute();
  return rows.find((r) => !r.parent_id || !office.has(r.parent_id))?.id ?? null;
}

/** Start the review case of a just-submitted record; null when the explicit-state path applies. */
export async function startReviewFlow(ctx: Context, row: RecordRow): Promise<string | null> {
  const deployed = await ctx.db
    .selectFrom('process_definitions')
    .select('id')
    .where('key', '=', reviewFlowKey)
    .executeTakeFirst();
  if (!deployed) return null;
  const officeUnitId = await officeUnit(ctx);
  if (!officeUnitId) return null;
  const started = await instanceStarter(ctx, reviewFlowKey, {
    // a whole-attribute template: the chart's candidate group is `${secrecyGroup}`
    variables: {
      recordId: row.id,
      unitId: row.disclosing_unit_id,
      secrecyGroup: `unit:${officeUnitId}`,
      title: row.title,
    },
    businessKey: businessKey(row.id),
  });
  return started.id;
}

const recordIdOf = (variables: Readonly<Record<string, unknown>>): string => {
  const id = variables.recordId;
  if (typeof id !== 'string') throw new AppError('review_case_broken', '审核流程缺少政府信息编号', 500);
  return id;
};

// 审核 passed: the record shows 待保密审查 while the office checks it.
registerAction('recordToSecrecyCheck', async (ctx, input) => {
  await moveRecord(ctx, recordIdOf(input.variables), ['inReview'], 'inSecrecyCheck', 'reviewApproved', null);
  return undefined;
});

// The case's end decides: 通过 → 待发布; 退回 (at either step) → draft. A terminated case (终止) returns the
// record to draft too, so it is never stuck in review without a case.
onInstanceCompleted(reviewFlowKey, async (ctx, instance, end) => {
  const recordId = recordIdOf(instance.variables);
  if (instance.status === 'completed' && end?.id === 'approved') {
    await moveRecord(ctx, recordId, ['inSecrecyCheck'], 'approved', 'secrecyApproved', '审核流程：通过');
    return;
  }
  const action = end?.id === 'returned' ? 'reviewReturned' : 'reviewTerminated';
  await moveRecord(
    ctx,
    recordId,
    ['inReview', 'inSecrecyCheck'],
    'draft',
    action,
    `审核流程：${end?.name ?? '终止'}`,
  );
});
