import { unzipSync } from 'fflate';
import { invalid } from '../errors.ts';
import { checkZip } from '../registry/spreadsheet/zipGuard.ts';

// The personal-data scan before publication reads "title, body or attachment text" (issue 4 item 8; 个人信息保护法
// Art. 25: personal information is not disclosed without consent). A Word or Excel attachment is a zip of XML
// parts, so its words can be read here and scanned like a plain-text file; PDF, OFD, images and the old binary
// Office formats cannot, and are left to the person doing the 保密审查.

export const officeMediaTypes = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export type OfficeKind = keyof typeof officeMediaTypes;

/** The Word/Excel kind of a stored attachment's media type, or null for any other type. */
export function officeKindOf(mediaType: string): OfficeKind | null {
  if (mediaType === officeMediaTypes.docx) return 'docx';
  if (mediaType === officeMediaTypes.xlsx) return 'xlsx';
  return null;
}

/**
 * Everything a reader of the file can see as text, and the kind its parts show (the central directory, not a
 * guess from the first bytes). Parts in a docx: the body, headers, footers, footnotes, endnotes and comments —
 * all published with the file; deleted text of tracked changes (w:delText) too, since it is still in the file.
 * In an xlsx: shared strings, inline strings and the values of number cells (a mobile number typed into a cell
 * is a number), and cell comments. Text inside charts, SmartArt, embedded objects and pictures is not read.
 *
 * The zip goes through the spreadsheet importers' zip-bomb guard first (entry count, declared and real sizes),
 * so nothing is inflated beyond its limits; a refusal is a field error on `file`.
 */
export function extractOfficeText(bytes: Buffer): { kind: OfficeKind; text: string } {
  const problem = checkZip(bytes);
  if (problem)
    throw invalid([
      {
        field: 'file',
        reason: `无法读取该 Word/Excel 文件，已拒收：${problem.startsWith('不是 xlsx') ? '文件已损坏' : problem}`,
      },
    ]);
  const names: string[] = [];
  let parts: Record<string, Uint8Array>;
  try {
    parts = unzipSync(bytes, {
      filter: (f) => {
        names.push(f.name);
        return docxPart.test(f.name) || xlsxPart.test(f.name);
      },
    });
  } catch {
    throw invalid([{ field: 'file', reason: '无法读取该 Word/Excel 文件，已拒收：文件已损坏' }]);
  }
  const text = (pattern: RegExp, read: (xml: string, name: string) => string) =>
    Object.keys(parts)
      .filter((n) => pattern.test(n))
      .sort(partOrder)
      .map((n) => read(new TextDecoder('utf-8').decode(parts[n]), n))
      .join('\n');
  if (names.includes('word/document.xml')) return { kind: 'docx', text: text(docxPart, wordText) };
  if (names.includes('xl/workbook.xml')) return { kind: 'xlsx', text: text(xlsxPart, excelText) };
  throw invalid([{ field: 'file', reason: '无法读取该 Word/Excel 文件，已拒收：缺少文档内容部件' }]);
}

const docxPart = /^word\/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$/;
const xlsxPart = /^xl\/(sharedStrings\.xml|worksheets\/sheet\d*\.xml|comments\d*\.xml)$/;

/** The main document (or the shared strings) first, then the other parts in name order. */
function partOrder(a: string, b: string): number {
  const main = (n: string) => (n === 'word/document.xml' || n === 'xl/sharedStrings.xml' ? 0 : 1);
  return main(a) - main(b) || a.localeCompare(b, 'en', { numeric: true });
}

/**
 * WordprocessingML: the runs of a paragraph joined without separators (Word splits a number typed in one go into
 * several runs when spelling marks, revisions or formatting change mid-number), paragraphs on lines of their own.
 */
function wordText(xml: string): string {
  let out = '';
  for (const m of xml.matchAll(
    /<w:(t|delText)(?:\s[^>]*)?>([^<]*)<\/w:\1>|<w:(tab|br|cr)\b[^>]*\/>|<\/w:p>|<w:p\b[^>]*\/>/g,
  )) {
    if (m[2] !== undefined) out += decodeXml(m[2]);
    else out += m[3] === 'tab' ? '\t' : '\n';
  }
  return out;
}

/** SpreadsheetML: shared strings one per line; in sheets, a row's cells separated by tabs, rows by lines. */
function excelText(xml: string, name: string): string {
  // rPh: the phonetic guide of East Asian text, not what the cell shows
  if (name === 'xl/sharedStrings.xml')
    return [...xml.matchAll(/<si\b[^>]*>([\s\S]*?)<\/si>/g)]
      .map((si) => runsText((si[1] ?? '').replace(/<rPh\b[\s\S]*?<\/rPh>/g, '')))
      .join('\n');
  if (name.startsWith('xl/comments'))
    return [...xml.matchAll(/<text>([\s\S]*?)<\/text>/g)].map((c) => runsText(c[1] ?? '')).join('\n');
  const rows: string[] = [];
  for (const row of xml.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells: string[] = [];
    for (const c of (row[1] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const type = /\st="([^"]*)"/.exec(c[1] ?? '')?.[1] ?? 'n';
      const body = c[2] ?? '';
      if (type === 'inlineStr') cells.push(runsText(body));
      // s: an index into the shared strings (read above); b, e: booleans and error codes
      else if (type !== 's' && type !== 'b' && type !== 'e') {
        const v = /<v\b[^>]*>([^<]*)<\/v>/.exec(body)?.[1];
        if (v !== undefined) cells.push(type === 'n' ? numberText(decodeXml(v)) : decodeXml(v));
      }
    }
    if (cells.length) rows.push(cells.join('\t'));
  }
  return rows.join('\n');
}

const runsText = (xml: string) =>
  [...xml.matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)].map((t) => decodeXml(t[1] ?? '')).join('');

/** A number cell as the digits a reader sees: 1.3812341234E10 is the mobile number 13812341234. */
function numberText(v: string): string {
  if (!/e/i.test(v)) return v;
  const n = Number(v);
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? BigInt(n).toString() : v;
}

const namedEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (all, e: string) => {
    if (!e.startsWith('#')) return namedEntities[e] ?? all;
    const cp = e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
  });
}
