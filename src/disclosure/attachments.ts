import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Context } from '../context.ts';
import { AppError, invalid } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { requireRecord } from './commands/recordCreator.ts';
import { editableStates } from './commands/recordUpdater.ts';
import { assertUnitScope } from './unitScope.ts';
import { appendHistory } from './util.ts';

/**
 * Attachments live outside any folder the server serves (./data/attachments, or GONGKAI_ATTACHMENTS_DIR), under
 * a name the application makes up: a client-supplied file name never becomes a path.
 */
export function attachmentRoot(): string {
  return process.env.GONGKAI_ATTACHMENTS_DIR || resolve('data', 'attachments');
}

export function attachmentPath(storagePath: string): string {
  return join(attachmentRoot(), storagePath);
}

export const maxAttachmentBytes = 20 * 1024 * 1024;

/**
 * The type of a file by its content (magic bytes), never by its name or the client's claim. Only the formats
 * government documents come in are accepted; everything else is refused.
 */
export function sniffMediaType(bytes: Buffer): { mediaType: string; extension: string } | null {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return { mediaType: 'application/pdf', extension: 'pdf' };
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { mediaType: 'image/png', extension: 'png' };
  if (starts([0xff, 0xd8, 0xff])) return { mediaType: 'image/jpeg', extension: 'jpg' };
  if (starts([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    return { mediaType: 'application/x-ole-storage', extension: 'doc' };
  if (starts([0x50, 0x4b, 0x03, 0x04])) {
    const latin = bytes.toString('latin1');
    if (latin.includes('word/'))
      return {
        mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        extension: 'docx',
      };
    if (latin.includes('xl/'))
      return {
        mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        extension: 'xlsx',
      };
    if (latin.includes('Doc_0/') || latin.includes('OFD.xml'))
      return { mediaType: 'application/ofd', extension: 'ofd' };
    return null;
  }
  // Plain text: valid UTF-8 without control characters other than tab and line breaks.
  if (bytes.length && !bytes.includes(0)) {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    const control = [...bytes].some((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
    if (!text.includes('\uFFFD') && !control)
      return { mediaType: 'text/plain; charset=utf-8', extension: 'txt' };
  }
  return null;
}

/** Keep a display name harmless: no path separators or control characters, at most 120 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .split('')
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && !'<>:"|?*'.includes(ch))
    .join('')
    .trim()
    .slice(0, 120);
  return cleaned || '附件';
}

export async function attachmentAdder(
  ctx: Context,
  recordId: string,
  input: { fileName: string; bytes: Buffer },
): Promise<{ id: string; mediaType: string; size: number }> {
  const row = await requireRecord(ctx.db, recordId);
  await assertUnitScope(ctx, row.disclosing_unit_id);
  if (!(editableStates as readonly string[]).includes(row.publish_state))
    throw new AppError('record_not_editable', '只有草稿或已撤回的信息可以添加附件', 409);
  if (!input.bytes.length) throw invalid([{ field: 'file', reason: '附件为空' }]);
  if (input.bytes.length > maxAttachmentBytes)
    throw invalid([{ field: 'file', reason: '附件不能超过 20 MB' }]);
  const type = sniffMediaType(input.bytes);
  if (!type)
    throw invalid([
      { field: 'file', reason: '不支持的附件格式（支持 PDF、OFD、Word、Excel、图片和纯文本）' },
    ]);
  const id = newId();
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const storagePath = join(sha256.slice(0, 2), `${id}.${type.extension}`);
  const full = attachmentPath(storagePath);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, input.bytes, { flag: 'wx' });
  const textContent = type.mediaType.startsWith('text/plain') ? input.bytes.toString('utf8') : null;
  await ctx.db
    .insertInto('record_attachments')
    .values({
      id,
      record_id: recordId,
      file_name: cleanFileName(input.fileName),
      media_type: type.mediaType,
      size: input.bytes.length,
      sha256,
      storage_path: storagePath,
      text_content: textContent,
      created_at: nowIso(ctx.now()),
    })
    .execute();
  await appendHistory(ctx, recordId, { action: 'attachmentAdded', note: cleanFileName(input.fileName) });
  return { id, mediaType: type.mediaType, size: input.bytes.length };
}

export function readAttachment(storagePath: string): Buffer {
  return readFileSync(attachmentPath(storagePath));
}
