import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Context } from '../../context.ts';
import { AppError, type FieldError } from '../../errors.ts';
import { nowIso } from '../../ids.ts';
import { attachmentPath, attachmentScanText } from '../attachments.ts';
import { officeKindOf } from '../attachmentText.ts';
import { maskText, scanText } from '../privacy.ts';
import { assertUnitScope } from '../unitScope.ts';
import { appendHistory } from '../util.ts';
import { requireRecord } from './recordCreator.ts';
import { editableStates } from './recordUpdater.ts';

/**
 * Apply the common masks (rules.md §7, src/security/masks.ts: 138****1234, 35*************123, card first and last four) to the
 * title, summary, body and text attachments of a record in draft. Returns how many values were masked.
 *
 * A Word or Excel attachment holding personal data cannot be rewritten safely here (its text is spread over
 * runs, cells, styles and formulas), so the mask is refused before anything changes, naming each such file:
 * claiming success would leave the record unpublishable with no hint why. The unit uploads a masked version
 * (attachmentReplacer) and masks again.
 */
export async function recordMasker(ctx: Context, id: string): Promise<{ masked: number }> {
  const row = await requireRecord(ctx.db, id);
  await assertUnitScope(ctx, row.disclosing_unit_id);
  if (!(editableStates as readonly string[]).includes(row.publish_state))
    throw new AppError('record_not_editable', '只有草稿或已撤回的信息可以遮盖个人信息', 409);
  const files = await ctx.db
    .selectFrom('record_attachments')
    .selectAll()
    .where('record_id', '=', id)
    .orderBy('created_at')
    .execute();
  const unmaskable: FieldError[] = [];
  for (const a of files) {
    if (!officeKindOf(a.media_type)) continue;
    const content = attachmentScanText(a);
    if ('unreadable' in content || scanText(content.text ?? '').length)
      unmaskable.push({
        field: `attachments.${a.file_name}`,
        reason: `附件《${a.file_name}》含个人信息，请上传遮盖后的文件`,
      });
  }
  if (unmaskable.length)
    throw new AppError(
      'attachment_not_maskable',
      'Word/Excel 附件中的个人信息无法自动遮盖，请上传遮盖后的文件后再遮盖',
      422,
      unmaskable,
    );
  let masked = 0;
  const fix = (text: string | null) => {
    if (!text) return text;
    masked += scanText(text).length;
    return maskText(text);
  };
  const title = fix(row.title) ?? row.title;
  const summary = fix(row.summary);
  const body = fix(row.body);
  await ctx.db
    .updateTable('records')
    .set({ title, summary, body, updated_at: nowIso(ctx.now()) })
    .where('id', '=', id)
    .execute();
  // Only a plain-text file is the text it holds: rewriting it with the masked text is rewriting the file.
  for (const a of files) {
    if (!a.media_type.startsWith('text/plain')) continue;
    const n = scanText(a.text_content ?? '').length;
    if (!n) continue;
    masked += n;
    const text = maskText(a.text_content ?? '');
    const bytes = Buffer.from(text, 'utf8');
    // The stored file is rewritten too: the public download serves the file, not the extracted text.
    writeFileSync(attachmentPath(a.storage_path), bytes);
    await ctx.db
      .updateTable('record_attachments')
      .set({
        text_content: text,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      })
      .where('id', '=', a.id)
      .execute();
  }
  if (masked) await appendHistory(ctx, id, { action: 'masked', note: `遮盖个人信息 ${masked} 处` });
  return { masked };
}
