import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Context } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { nowIso } from '../../ids.ts';
import { attachmentPath } from '../attachments.ts';
import { maskText, scanText } from '../privacy.ts';
import { assertUnitScope } from '../unitScope.ts';
import { appendHistory } from '../util.ts';
import { requireRecord } from './recordCreator.ts';
import { editableStates } from './recordUpdater.ts';

/**
 * Apply the common masks (rules.md §7, src/security/masks.ts: 138****1234, 35*************123, card first and last four) to the
 * title, summary, body and text attachments of a record in draft. Returns how many values were masked.
 */
export async function recordMasker(ctx: Context, id: string): Promise<{ masked: number }> {
  const row = await requireRecord(ctx.db, id);
  await assertUnitScope(ctx, row.disclosing_unit_id);
  if (!(editableStates as readonly string[]).includes(row.publish_state))
    throw new AppError('record_not_editable', '只有草稿或已撤回的信息可以遮盖个人信息', 409);
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
  const attachments = await ctx.db
    .selectFrom('record_attachments')
    .selectAll()
    .where('record_id', '=', id)
    .where('text_content', 'is not', null)
    .execute();
  for (const a of attachments) {
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
