import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Context } from '../context.ts';
import { AppError, invalid, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { extractOfficeText, officeKindOf, officeMediaTypes } from './attachmentText.ts';
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

/** A file checked, typed, read for text and written under a made-up name, ready to be a row's columns. */
interface StoredFile {
  media_type: string;
  size: number;
  sha256: string;
  storage_path: string;
  text_content: string | null;
}

/**
 * Check, type and store an uploaded file. The text a reader can see is kept in `text_content` for the
 * personal-data scan before publication (issue 4 item 8: "in title, body or attachment text"): the file itself
 * for plain text, the words of a Word or Excel file (attachmentText.ts); null for PDF, OFD, images and the old
 * binary Office formats, which only a person can check. Nothing is written when the file is refused.
 */
function storeFile(id: string, bytes: Buffer): StoredFile {
  if (!bytes.length) throw invalid([{ field: 'file', reason: '附件为空' }]);
  if (bytes.length > maxAttachmentBytes) throw invalid([{ field: 'file', reason: '附件不能超过 20 MB' }]);
  const type = sniffMediaType(bytes);
  if (!type)
    throw invalid([
      { field: 'file', reason: '不支持的附件格式（支持 PDF、OFD、Word、Excel、图片和纯文本）' },
    ]);
  let { mediaType, extension } = type;
  let textContent: string | null = null;
  if (mediaType.startsWith('text/plain')) textContent = bytes.toString('utf8');
  else if (officeKindOf(mediaType)) {
    // the parts inside decide between Word and Excel, not a byte pattern somewhere in the compressed data
    const office = extractOfficeText(bytes);
    mediaType = officeMediaTypes[office.kind];
    extension = office.kind;
    textContent = office.text;
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const storagePath = join(sha256.slice(0, 2), `${id}.${extension}`);
  const full = attachmentPath(storagePath);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, bytes, { flag: 'wx' });
  return {
    media_type: mediaType,
    size: bytes.length,
    sha256,
    storage_path: storagePath,
    text_content: textContent,
  };
}

async function editableRecord(ctx: Context, recordId: string, verb: string) {
  const row = await requireRecord(ctx.db, recordId);
  await assertUnitScope(ctx, row.disclosing_unit_id);
  if (!(editableStates as readonly string[]).includes(row.publish_state))
    throw new AppError('record_not_editable', `只有草稿或已撤回的信息可以${verb}附件`, 409);
  return row;
}

async function requireAttachment(ctx: Context, recordId: string, attachmentId: string) {
  const a = await ctx.db
    .selectFrom('record_attachments')
    .selectAll()
    .where('id', '=', attachmentId)
    .where('record_id', '=', recordId)
    .executeTakeFirst();
  if (!a) throw notFound('附件', attachmentId);
  return a;
}

export async function attachmentAdder(
  ctx: Context,
  recordId: string,
  input: { fileName: string; bytes: Buffer },
): Promise<{ id: string; mediaType: string; size: number }> {
  await editableRecord(ctx, recordId, '添加');
  const id = newId();
  const file = storeFile(id, input.bytes);
  await ctx.db
    .insertInto('record_attachments')
    .values({
      id,
      record_id: recordId,
      file_name: cleanFileName(input.fileName),
      ...file,
      created_at: nowIso(ctx.now()),
    })
    .execute();
  await appendHistory(ctx, recordId, { action: 'attachmentAdded', note: cleanFileName(input.fileName) });
  return { id, mediaType: file.media_type, size: file.size };
}

/**
 * Put a new file in an attachment's place (a Word or Excel file that holds personal data cannot be masked here:
 * its unit uploads a masked version). The attachment keeps its id and place; the old file stays in the
 * attachment store, no longer referenced, so nothing served depends on a file system change inside the
 * transaction.
 */
export async function attachmentReplacer(
  ctx: Context,
  recordId: string,
  attachmentId: string,
  input: { fileName: string; bytes: Buffer },
): Promise<{ id: string; mediaType: string; size: number }> {
  await editableRecord(ctx, recordId, '替换');
  const old = await requireAttachment(ctx, recordId, attachmentId);
  const file = storeFile(newId(), input.bytes);
  const fileName = cleanFileName(input.fileName);
  await ctx.db
    .updateTable('record_attachments')
    .set({ file_name: fileName, ...file })
    .where('id', '=', attachmentId)
    .execute();
  await appendHistory(ctx, recordId, {
    action: 'attachmentReplaced',
    note: `${old.file_name} → ${fileName}`,
  });
  return { id: attachmentId, mediaType: file.media_type, size: file.size };
}

export async function attachmentRemover(ctx: Context, recordId: string, attachmentId: string): Promise<void> {
  await editableRecord(ctx, recordId, '删除');
  const old = await requireAttachment(ctx, recordId, attachmentId);
  await ctx.db.deleteFrom('record_attachments').where('id', '=', attachmentId).execute();
  await appendHistory(ctx, recordId, { action: 'attachmentRemoved', note: old.file_name });
}

/**
 * The text to scan of a stored attachment: `text_content`, or for a Word/Excel file stored before its text was
 * extracted at upload, the text read from the file now — so an older upload is not published unscanned. Null
 * when the file cannot be read this way (PDF, OFD, images); `unreadable` when a Word/Excel file is missing or
 * refused.
 */
export function attachmentScanText(a: {
  media_type: string;
  storage_path: string;
  text_content: string | null;
}): { text: string | null } | { unreadable: string } {
  if (a.text_content !== null || !officeKindOf(a.media_type)) return { text: a.text_content };
  try {
    return { text: extractOfficeText(readAttachment(a.storage_path)).text };
  } catch (e) {
    const reason = e instanceof AppError ? (e.fields[0]?.reason ?? e.message) : '文件缺失';
    return { unreadable: reason.replace(/^.*已拒收：/, '') };
  }
}

export function readAttachment(storagePath: string): Buffer {
  return readFileSync(attachmentPath(storagePath));
}
