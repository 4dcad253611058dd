import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  SectionType,
  TableOfContents,
  TextRun,
  VerticalAlignSection,
} from 'docx';
import { chineseDate } from '../calendar/calendar.ts';

/** One normative document (规范性文件) as the gazette prints it: public fields only, from the public query. */
export interface GazetteDocument {
  title: string;
  documentNumber: string | null;
  issuingBody: string | null;
  /** 成文日期, YYYY-MM-DD. */
  formedOn: string;
  /** The full text; null when the record carries none (then the summary and the record's address are printed). */
  body: string | null;
  summary: string | null;
  /** The record's page on the portal, absolute. */
  url: string;
}

/** One issue (期): a quarter's normative documents in the order they were formed. */
export interface GazetteIssue {
  /** The government whose gazette it is (公报 of 温州市瓯海区人民政府). */
  government: string;
  /** Who compiles it (编印单位), printed on the cover. */
  compiler: string;
  year: number;
  /** 1–4: the issue number within the year is the quarter (第N期). */
  quarter: number;
  documents: readonly GazetteDocument[];
}

const quarterNames = ['', '第一季度', '第二季度', '第三季度', '第四季度'];
export const gazetteTitle = (i: Pick<GazetteIssue, 'year' | 'quarter'>) =>
  `政府公报 ${i.year}年第${i.quarter}期`;
export const gazetteFileName = (i: Pick<GazetteIssue, 'year' | 'quarter'>) =>
  `政府公报${i.year}年第${i.quarter}期.docx`;

// 公文 type (GB/T 9704-2012 §7): body in 仿宋 三号 (16 pt, size 32 half-points), titles in 小标宋 二号 (22 pt),
// two-character first-line indent (2 × 16 pt = 640 twips), the same as the reply letters (src/requests/letters.ts).
const fangsong = { ascii: 'FangSong', eastAsia: '仿宋_GB2312', hAnsi: 'FangSong' };
const xiaobiaosong = { ascii: 'SimSun', eastAsia: '方正小标宋简体', hAnsi: 'SimSun' };
const body = 32;
const firstLine = 640;
// The gazette's name is printed in red on the cover, as government gazettes are.
const red = 'C00000';

const run = (text: string, size = body) => new TextRun({ text, font: fangsong, size });
const centred = (children: TextRun[], spacing: { before?: number; after?: number } = {}) =>
  new Paragraph({ alignment: AlignmentType.CENTER, spacing, children });
const paragraphsOf = (text: string) =>
  text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => new Paragraph({ indent: { firstLine }, children: [run(p)] }));

function cover(i: GazetteIssue): Paragraph[] {
  return [
    centred([new TextRun({ text: i.government, font: xiaobiaosong, size: 56, color: red })]),
    centred([new TextRun({ text: '公　报', font: xiaobiaosong, size: 96, color: red })], { after: 600 }),
    centred([run(`${i.year}年第${i.quarter}期`, 36)]),
    centred([run(`（${i.year}年${quarterNames[i.quarter]}）`)], { after: 1200 }),
    centred([run(`本期收录规范性文件${i.documents.length}件`)]),
    centred([run(`${i.compiler}　编印`)], { before: 1200 }),
  ];
}

function documentPart(d: GazetteDocument): Paragraph[] {
  return [
    // Heading 1 so the table of contents lists it and its entry links to it; each document opens a page.
    new Paragraph({
      heading: HeadingLevel.HEADING_1,
      pageBreakBefore: true,
      children: [new TextRun({ text: d.title, font: xiaobiaosong, size: 44 })],
    }),
    ...(d.documentNumber ? [centred([run(d.documentNumber)], { after: 300 })] : []),
    ...(d.body
      ? paragraphsOf(d.body)
      : [
          ...paragraphsOf(d.summary ?? ''),
          new Paragraph({ indent: { firstLine }, children: [run(`全文见：${d.url}`)] }),
        ]),
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      spacing: { before: 600 },
      children: [run(d.issuingBody ?? '')],
    }),
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(chineseDate(d.formedOn))] }),
  ];
}

/**
 * The issue as .docx: a cover (the government's name, year, 第N期), then the table of contents and every document
 * with its 文号, title, issuing body, date and text. The contents are Word's own field (TOC \h \o "1-1"), written
 * with an entry for each document linked to its heading, so it is complete before any field update; Word or WPS
 * adds the page numbers when the reader updates it. The cover has no page number; the pages after it are numbered
 * from 1 in the footer, as 公文 are (— 1 —).
 */
export async function gazetteDocx(i: GazetteIssue): Promise<Buffer> {
  const doc = new Document({
    creator: i.compiler,
    lastModifiedBy: i.compiler,
    title: gazetteTitle(i),
    description: `${i.government}公报${i.year}年第${i.quarter}期`,
    styles: {
      default: {
        document: { run: { font: fangsong, size: body } },
        heading1: {
          run: { font: xiaobiaosong, size: 44, color: '000000', bold: false },
          paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 240, after: 240 } },
        },
      },
    },
    sections: [
      { properties: { verticalAlign: VerticalAlignSection.CENTER }, children: cover(i) },
      {
        properties: { type: SectionType.NEXT_PAGE, page: { pageNumbers: { start: 1 } } },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: fangsong, size: 28 }),
                ],
              }),
            ],
          }),
        },
        children: [
          centred([new TextRun({ text: '目　　录', font: xiaobiaosong, size: 44 })], { after: 400 }),
          new TableOfContents('目录', { hyperlink: true, headingStyleRange: '1-1' }),
          ...i.documents.flatMap(documentPart),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
