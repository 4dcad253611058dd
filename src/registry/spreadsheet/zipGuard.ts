import { inflateRawSync } from 'node:zlib';

/**
 * Limits for an uploaded .xlsx before any spreadsheet library sees it. exceljs (through JSZip) inflates every
 * entry into memory, so a small "zip bomb" could take the server's memory; an honest 定岗定责定流程表 of a few
 * hundred rows is well under 1 MB uncompressed.
 */
export const zipLimits = {
  entries: 500,
  entryBytes: 20 * 1024 * 1024,
  totalBytes: 40 * 1024 * 1024,
} as const;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Why the buffer is not an acceptable zip, in Chinese, or null when it is. */
export function checkZip(buf: Buffer): string | null {
  const entries = readCentralDirectory(buf);
  if (typeof entries === 'string') return entries;
  let total = 0;
  for (const e of entries) {
    if (e.method !== 0 && e.method !== 8) return `文件中的“${e.name}”使用了不支持的压缩方式`;
    if (e.size > zipLimits.entryBytes) return `文件中的“${e.name}”解压后过大`;
    total += e.size;
    if (total > zipLimits.totalBytes) return '文件解压后总大小超过上限';
    const actual = inflatedSize(buf, e);
    // The central directory can lie: inflate with the declared size as a hard cap, so a lying entry fails
    // here, after at most `size` bytes, instead of inside exceljs with no cap at all.
    if (actual === null) return `文件中的“${e.name}”已损坏或解压后大小与声明不符`;
  }
  return null;
}

function readCentralDirectory(buf: Buffer): ZipEntry[] | string {
  const notZip = '不是 xlsx 文件（无法识别为 Excel 工作簿）';
  if (buf.length < 22) return notZip;
  // The end-of-central-directory record sits in the last 22 bytes plus an optional comment of up to 64 KiB.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return notZip;
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) return '不支持 ZIP64 格式的文件';
  if (count > zipLimits.entries) return '文件包含的部件过多';
  if (cdOffset + cdSize > buf.length) return notZip;
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) return notZip;
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (flags & 1) return '不支持加密的文件';
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff)
      return '不支持 ZIP64 格式的文件';
    entries.push({ name, method, compressedSize, size, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The entry's real uncompressed size, or null when it is unreadable or larger than declared. */
function inflatedSize(buf: Buffer, e: ZipEntry): number | null {
  const h = e.localOffset;
  if (h + 30 > buf.length || buf.readUInt32LE(h) !== LOCAL) return null;
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  const end = start + e.compressedSize;
  if (end > buf.length) return null;
  const data = buf.subarray(start, end);
  if (e.method === 0) return data.length === e.size ? e.size : null;
  try {
    // maxOutputLength makes zlib stop (and throw) as soon as the output passes the declared size.
    const out = inflateRawSync(data, { maxOutputLength: Math.max(1, e.size) });
    return out.length === e.size ? out.length : null;
  } catch {
    return null;
  }
}
