import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { AppError } from '../errors.ts';
import { securityConfig } from './config.ts';

/**
 * Uploads (等保 2.0 入侵防范; issue 7 item 4): limited in size, typed by their content (magic bytes), never by
 * the name or the Content-Type the client claims, and stored under data/uploads — outside public/ and every
 * folder the server serves — under a random id, so an upload can never be fetched or run as a page or script.
 */

export type UploadType = 'pdf' | 'png' | 'jpeg' | 'gif' | 'docx' | 'xlsx' | 'zip' | 'ofd' | 'doc' | 'xls';

export const uploadMimeTypes: Record<UploadType, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
  ofd: 'application/ofd',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
};

const startsWith = (buf: Buffer, bytes: number[], at = 0) =>
  buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);

/** Names of the entries in a ZIP's local headers (enough to tell docx, xlsx and OFD apart). */
function zipEntryNames(buf: Buffer, limit = 200): string[] {
  const names: string[] = [];
  let at = 0;
  while (names.length < limit && at + 30 <= buf.length && buf.readUInt32LE(at) === 0x04034b50) {
    const compressed = buf.readUInt32LE(at + 18);
    const nameLength = buf.readUInt16LE(at + 26);
    const extraLength = buf.readUInt16LE(at + 28);
    const flags = buf.readUInt16LE(at + 6);
    names.push(buf.subarray(at + 30, at + 30 + nameLength).toString('utf8'));
    // with a data descriptor (flag bit 3) the size is not in the header: the first names must do
    if (flags & 0x08) break;
    at += 30 + nameLength + extraLength + compressed;
  }
  return names;
}

/** The type a file's bytes show, or null when it is none of the accepted types. */
export function sniffType(buf: Buffer): UploadType | null {
  if (startsWith(buf, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(buf, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(buf, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    // OLE compound file: Word 97 and Excel 97 look alike from the header; the stream names tell
    const text = buf.subarray(0, Math.min(buf.length, 1 << 20)).toString('latin1');
    if (text.includes('W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t')) return 'doc';
    if (text.includes('W\0o\0r\0k\0b\0o\0o\0k')) return 'xls';
    return null;
  }
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) {
    const names = zipEntryNames(buf);
    if (names.some((n) => n.startsWith('word/'))) return 'docx';
    if (names.some((n) => n.startsWith('xl/'))) return 'xlsx';
    if (names.some((n) => n === 'OFD.xml')) return 'ofd';
    return 'zip';
  }
  return null;
}

export interface CheckedUpload {
  type: UploadType;
  mimeType: string;
  size: number;
  sha256: string;
}

/** Refuse an upload that is too large (413) or not of an allowed type (415), judged by its content. */
export function checkUpload(
  buf: Buffer,
  allowed: readonly UploadType[],
  maxBytes: number = securityConfig().maxUploadBytes,
): CheckedUpload {
  if (buf.length > maxBytes) {
    throw new AppError('upload_too_large', `文件过大，最大 ${Math.floor(maxBytes / 1024 / 1024)} MB`, 413);
  }
  if (buf.length === 0) throw new AppError('upload_empty', '文件为空', 400);
  const type = sniffType(buf);
  if (!type || !allowed.includes(type)) {
    throw new AppError('upload_type_refused', `不接受此类文件，仅限：${allowed.join('、')}`, 415);
  }
  return {
    type,
    mimeType: uploadMimeTypes[type],
    size: buf.length,
    sha256: createHash('sha256').update(buf).digest('hex'),
  };
}

/**
 * Check and store an upload under a random id in the upload folder (GONGKAI_UPLOAD_DIR, default data/uploads);
 * returns the id to keep in the module's own table with the original name as data, not as a path.
 */
export function storeUpload(
  buf: Buffer,
  allowed: readonly UploadType[],
  options: { dir?: string; maxBytes?: number } = {},
): CheckedUpload & { id: string } {
  const checked = checkUpload(buf, allowed, options.maxBytes);
  const dir = options.dir ?? securityConfig().uploadDir;
  const id = randomBytes(16).toString('hex');
  const folder = join(dir, id.slice(0, 2));
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const path = join(folder, id);
  // written under a temporary name and renamed, so a crash never leaves half a file under the real id
  writeFileSync(`${path}.part`, buf, { mode: 0o600 });
  renameSync(`${path}.part`, path);
  return { ...checked, id };
}

/** The bytes of a stored upload; the id is checked so it can never name a path outside the folder. */
export function readUpload(id: string, options: { dir?: string } = {}): Buffer {
  if (!/^[0-9a-f]{32}$/.test(id)) throw new AppError('not_found', `文件不存在：${id}`, 404);
  const dir = resolve(options.dir ?? securityConfig().uploadDir);
  const path = resolve(dir, id.slice(0, 2), id);
  if (!path.startsWith(dir + sep)) throw new AppError('not_found', `文件不存在：${id}`, 404);
  try {
    return readFileSync(path);
  } catch {
    throw new AppError('not_found', `文件不存在：${id}`, 404);
  }
}
