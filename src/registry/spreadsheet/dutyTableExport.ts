import type { Context } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { newWorkbook } from '../../exceljs.ts';
import { dutyTables } from '../dutyTables.ts';
import { listUnitRows, unitViews } from '../queries.ts';
import { dutyColumns, dutyTableTitle, numberedLines, positionCell, workItemCell } from './dutyTableFormat.ts';

// Widths in characters, chosen so an A4 landscape page holds the table at about 90% scale, as the printed
// table does: the two description columns take most of the width.
const widths = [6, 16, 20, 42, 46, 12, 10, 14, 18];
const thin = { style: 'thin' } as const;
const border = { top: thin, left: thin, bottom: thin, right: thin };

// An empty list leaves the cell empty rather than holding an empty string, as a person would leave it.
const orNull = (s: string) => s || null;

export const dutyTableFileName = (unitName: string) => `${dutyTableTitle(unitName)}.xlsx`;

/**
 * A unit and its sub-units as the 定岗定责定流程表: a title row, the header row, then one row per work item with
 * 序号 and 岗位名称 merged over each position's rows. Positions come in the order of the printable page (the
 * unit's table in 序号 order, its 股室' posts included, then each 所属单位's table), so the sheet and the page
 * read the same.
 */
export async function exportDutyTable(ctx: Context, unitId: string): Promise<Buffer> {
  const units = await listUnitRows(ctx.db, { root: unitId });
  if (!units.length) throw notFound('单位', unitId);
  const views = await unitViews(ctx.db, units, ctx.now());
  const root = views[0]!;
  const positions = dutyTables(views).flatMap((t) => t.positions);

  const wb = await newWorkbook();
  wb.creator = 'Gongkai';
  const ws = wb.addWorksheet('定岗定责定流程表', {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0, // as many pages tall as needed
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: '2:2',
    },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
    views: [{ state: 'frozen', ySplit: 2 }],
  });
  ws.columns = widths.map((width) => ({ width }));

  ws.mergeCells(1, 1, 1, dutyColumns.length);
  const title = ws.getCell(1, 1);
  title.value = dutyTableTitle(root.row.name);
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 32;

  const header = ws.getRow(2);
  header.values = [...dutyColumns];
  header.eachCell((c) => {
    c.font = { bold: true };
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
    c.border = border;
  });

  let r = 3;
  positions.forEach((p, pi) => {
    const first = r;
    const items = p.workItems.length ? p.workItems : [null];
    for (const w of items) {
      const row = ws.getRow(r);
      row.values = [
        p.row.serial ?? pi + 1,
        positionCell(p.row),
        w ? workItemCell(w.row) : null,
        w ? orNull(numberedLines(w.functions)) : null,
        w ? orNull(numberedLines(w.responsibilities.map((x) => `${x.kind}：${x.text}`))) : null,
        w ? orNull(w.flowCodes.join(' ')) : null,
        w?.lead?.name ?? null,
        w ? orNull(w.assistants.map((a) => a.name).join('、')) : null,
        w?.row.note ?? null,
      ];
      for (let c = 1; c <= dutyColumns.length; c++) {
        const cell = row.getCell(c);
        cell.border = border;
        cell.alignment = {
          wrapText: true,
          vertical: c <= 2 ? 'middle' : 'top',
          horizontal: c === 1 || c === 6 || c === 7 ? 'center' : 'left',
        };
      }
      r++;
    }
    if (r - 1 > first) {
      ws.mergeCells(first, 1, r - 1, 1);
      ws.mergeCells(first, 2, r - 1, 2);
    }
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
