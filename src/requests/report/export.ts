import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { newWorkbook } from '../../exceljs.ts';
import { appealKinds, appealResults } from '../tables.ts';
import {
  type AnnualReport,
  appealKindNames,
  appealResultNames,
  reportColumnNames,
  reportColumns,
  sectionTitles,
  table2ColumnNames,
} from './annualReport.ts';

export const reportTitle = (r: AnnualReport, unitName = r.scope.unitName) =>
  `${unitName}${r.year}年政府信息公开工作年度报告`;
const title = (r: AnnualReport) => reportTitle(r);

const indent = (level: number) => '　'.repeat(level);

/** Table 三 as rows of text (header row first), shared by both exports. */
function table3Grid(r: AnnualReport): string[][] {
  const head = ['', ...reportColumns.map((c) => reportColumnNames[c])];
  return [
    head,
    ...r.table3.map((row) => [
      indent(row.level) + row.label,
      ...reportColumns.map((c) => String(row.cells[c])),
    ]),
  ];
}

function table2Grid(r: AnnualReport): string[][] {
  const grid: string[][] = [['信息内容', '项目', '数值']];
  for (const row of r.table2)
    for (const [col, v] of Object.entries(row.values))
      grid.push([`${row.block} ${row.label}`, table2ColumnNames[col] ?? col, v === null ? '' : String(v)]);
  return grid;
}

function table4Grid(r: AnnualReport): string[][] {
  const cols = [...appealResults, 'total'] as const;
  return [
    ['', ...cols.map((c) => appealResultNames[c])],
    ...appealKinds.map((k) => [appealKindNames[k], ...cols.map((c) => String(r.table4[k][c]))]),
  ];
}

const docTable = (grid: string[][]) =>
  new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: grid.map(
      (cells, i) =>
        new TableRow({
          children: cells.map(
            (text) =>
              new TableCell({
                children: [new Paragraph({ children: [new TextRun({ text, bold: i === 0, size: 20 })] })],
              }),
          ),
        }),
    ),
  });

export async function annualReportDocx(r: AnnualReport): Promise<Buffer> {
  const section = (key: string) => [
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(sectionTitles[key] ?? key)] }),
  ];
  const text = (s: string) =>
    (s || '（待填写）')
      .split('\n')
      .map((line) => new Paragraph({ indent: { firstLine: 640 }, children: [new TextRun(line)] }));
  const doc = new Document({
    creator: 'Gongkai',
    title: title(r),
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            heading: HeadingLevel.TITLE,
            children: [new TextRun(title(r))],
          }),
          ...section('1'),
          ...text(r.sections['1'] ?? ''),
          ...section('2'),
          docTable(table2Grid(r)),
          ...section('3'),
          docTable(table3Grid(r)),
          ...section('4'),
          docTable(table4Grid(r)),
          ...section('5'),
          ...text(r.sections['5'] ?? ''),
          ...section('6'),
          ...text(r.sections['6'] ?? ''),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export async function annualReportXlsx(r: AnnualReport): Promise<Buffer> {
  const wb = await newWorkbook();
  wb.creator = 'Gongkai';
  const sheet = (name: string, heading: string, grid: string[][]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow([heading]).font = { bold: true };
    for (const [i, cells] of grid.entries()) {
      // numbers as numbers, so the sums can be checked in the spreadsheet itself
      const row = ws.addRow(cells.map((c, j) => (i > 0 && j > 0 && /^\d+(\.\d+)?$/.test(c) ? Number(c) : c)));
      if (i === 0) row.font = { bold: true };
    }
    ws.getColumn(1).width = 48;
  };
  sheet('二 主动公开', sectionTitles['2'] ?? '', table2Grid(r));
  sheet('三 依申请公开', sectionTitles['3'] ?? '', table3Grid(r));
  sheet('四 复议诉讼', sectionTitles['4'] ?? '', table4Grid(r));
  const checks = wb.addWorksheet('校验');
  checks.addRow(['校验项', '结果', '说明']).font = { bold: true };
  for (const c of r.checks) checks.addRow([c.name, c.passed ? '通过' : '未通过', c.detail]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The report as plain text, the body of its disclosure record (the portal shows a record's body as text):
 * the six sections in the format's order, tables as tab-separated rows.
 */
export function annualReportText(r: AnnualReport, unitName = r.scope.unitName): string {
  const grid = (g: string[][]) => g.map((row) => row.join('\t')).join('\n');
  const text = (key: string) => (r.sections[key] ?? '').trim() || '（无）';
  return [
    reportTitle(r, unitName),
    sectionTitles['1'],
    text('1'),
    sectionTitles['2'],
    grid(table2Grid(r)),
    sectionTitles['3'],
    grid(table3Grid(r)),
    sectionTitles['4'],
    grid(table4Grid(r)),
    sectionTitles['5'],
    text('5'),
    sectionTitles['6'],
    text('6'),
  ].join('\n\n');
}
