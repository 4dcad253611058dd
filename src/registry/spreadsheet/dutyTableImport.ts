import type ExcelJS from 'exceljs';
import { type Context, inTransaction } from '../../context.ts';
import { AppError, notFound } from '../../errors.ts';
import { newWorkbook } from '../../exceljs.ts';
import { personCreator } from '../commands/personCreator.ts';
import { positionCreator } from '../commands/positionCreator.ts';
import { flowCodePattern, type Responsibility, workItemCreator } from '../commands/workItemCreator.ts';
import { subtreeIds } from '../queries.ts';
import type { PositionKind } from '../tables.ts';
import {
  type DutyColumn,
  dutyColumns,
  parsePositionCell,
  parseWorkItemCell,
  splitFlowCodes,
  splitNames,
  splitNumbered,
  splitResponsibility,
} from './dutyTableFormat.ts';
import { checkZip } from './zipGuard.ts';

export interface ImportError {
  /** The row number as Excel shows it; 0 for the file as a whole. */
  row: number;
  column: string;
  reason: string;
}

export type ImportResult =
  | { ok: true; positions: number; workItems: number }
  | { ok: false; errors: ImportError[] };

/** Sheet limits: a district bureau's table has tens of rows; these leave a wide margin and bound the work. */
export const sheetLimits = { dataRows: 2000, cellChars: 10_000 } as const;

const fileColumn = '文件';

interface ParsedItem {
  number: string | null;
  title: string;
  functions: string[];
  responsibilities: Responsibility[];
  flowCodes: string[];
  lead: string | null;
  assistants: string[];
  note: string | null;
}

interface ParsedRow {
  row: number;
  serial: number | null;
  category: string | null;
  positionNumber: number | null;
  positionName: string;
  item: ParsedItem | null;
}

/** Thrown inside the transaction so that it rolls back; carries the rows to report. */
class Rejected extends Error {
  constructor(readonly errors: ImportError[]) {
    super('import rejected');
  }
}

/**
 * Import a 定岗定责定流程表 into a unit: all rows or none. The unit's work items (those of every position in its
 * subtree, which is what the export writes) are replaced by the sheet's in one transaction. People are found
 * by name in the unit's subtree or created in the unit; positions likewise, by name.
 */
export async function importDutyTable(ctx: Context, unitId: string, file: Buffer): Promise<ImportResult> {
  const unit = await ctx.db.selectFrom('units').select('id').where('id', '=', unitId).executeTakeFirst();
  if (!unit) throw notFound('单位', unitId);
  const zipProblem = checkZip(file);
  if (zipProblem) return fileError(zipProblem);
  const wb = await newWorkbook();
  try {
    // A copy as a plain ArrayBuffer: exceljs declares its own Buffer type, which Node's Buffer does not satisfy.
    await wb.xlsx.load(new Uint8Array(file).buffer);
  } catch {
    return fileError('不是有效的 xlsx 文件，请用 Excel 或 WPS 另存为 .xlsx 后再导入');
  }
  const ws = wb.worksheets[0];
  if (!ws) return fileError('不是有效的 xlsx 文件：其中没有工作表');
  const parsed = parseSheet(ws);
  if ('fatal' in parsed) return { ok: false, errors: parsed.fatal };
  try {
    // Even when rows are already known to be bad, the names are still checked against the database, so that
    // one attempt lists every problem; the transaction then rolls back.
    return await inTransaction(ctx, (c) => apply(c, unitId, parsed.rows, parsed.errors));
  } catch (err) {
    if (err instanceof Rejected) return { ok: false, errors: err.errors.sort((a, b) => a.row - b.row) };
    throw err;
  }
}

const fileError = (reason: string): ImportResult => ({
  ok: false,
  errors: [{ row: 0, column: fileColumn, reason }],
});

// ───────────── reading the sheet ─────────────

type CellText = { text: string } | { error: string };

/** A cell as text; dates, booleans, formulas and error values are refused rather than guessed at. */
function cellText(cell: ExcelJS.Cell): CellText {
  // A merged cell reads as its top-left cell: that is what "merged 序号/岗位名称" means in the printed table.
  const c = cell.isMerged ? cell.master : cell;
  const v = c.value;
  let text: string;
  if (v === null || v === undefined) text = '';
  else if (typeof v === 'string') text = v;
  else if (typeof v === 'number') text = String(v);
  else if (typeof v === 'boolean') return { error: '应填写文字，不能是逻辑值（TRUE/FALSE）' };
  else if (v instanceof Date) return { error: '应填写文字，不能是日期（请将单元格设为文本格式）' };
  else if ('richText' in v) text = v.richText.map((t) => t.text).join('');
  else if ('formula' in v || 'sharedFormula' in v) return { error: '不支持公式，请改为直接填写内容' };
  else if ('error' in v) return { error: '单元格内容是错误值' };
  else if ('hyperlink' in v) text = typeof v.text === 'string' ? v.text : '';
  else return { error: '无法识别的单元格内容' };
  text = text.replace(/\r\n?/g, '\n').trim();
  if (text.length > sheetLimits.cellChars) return { error: `内容过长（超过 ${sheetLimits.cellChars} 字）` };
  return { text };
}

const normHeader = (s: string) => s.replace(/\s+/g, '');

function findHeader(ws: ExcelJS.Worksheet): { row: number } | { errors: ImportError[] } {
  // The export puts a title in row 1 and the header in row 2; a typed table may start with the header.
  for (let r = 1; r <= Math.min(5, ws.rowCount); r++) {
    const first = cellText(ws.getRow(r).getCell(1));
    if ('text' in first && normHeader(first.text) === dutyColumns[0]) {
      const errors: ImportError[] = [];
      dutyColumns.forEach((name, i) => {
        const got = cellText(ws.getRow(r).getCell(i + 1));
        const text = 'text' in got ? normHeader(got.text) : '';
        if (text !== name)
          errors.push({ row: r, column: name, reason: `表头应为“${name}”，实际为“${text || '空'}”` });
      });
      return errors.length ? { errors } : { row: r };
    }
  }
  return {
    errors: [
      {
        row: 1,
        column: '表头',
        reason: `找不到表头：前 5 行中应有一行依次为 ${dutyColumns.join('、')}`,
      },
    ],
  };
}

function parseSheet(
  ws: ExcelJS.Worksheet,
): { fatal: ImportError[] } | { rows: ParsedRow[]; errors: ImportError[] } {
  const header = findHeader(ws);
  if ('errors' in header) return { fatal: header.errors };
  const errors: ImportError[] = [];
  let dataRows = 0;
  ws.eachRow({ includeEmpty: false }, (row) => {
    if (row.number > header.row) dataRows++;
  });
  if (dataRows > sheetLimits.dataRows) {
    return {
      fatal: [
        {
          row: 0,
          column: fileColumn,
          reason: `数据行过多（${dataRows} 行），一次最多导入 ${sheetLimits.dataRows} 行`,
        },
      ],
    };
  }
  const rows: ParsedRow[] = [];
  let serialCounter = 0;
  for (let r = header.row + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const bad = (column: string, reason: string) => errors.push({ row: r, column, reason });
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      if (col <= dutyColumns.length) return;
      const t = cellText(cell);
      if (!('text' in t) || t.text)
        bad(`第 ${col} 列`, `表格只有 ${dutyColumns.length} 列（${dutyColumns.join('、')}），此列不应有内容`);
    });
    const texts = new Map<DutyColumn, string>();
    let typeErrors = 0;
    dutyColumns.forEach((name, i) => {
      const t = cellText(row.getCell(i + 1));
      if ('error' in t) {
        bad(name, t.error);
        typeErrors++;
      } else texts.set(name, t.text);
    });
    const get = (name: DutyColumn) => texts.get(name) ?? '';
    if (!typeErrors && dutyColumns.every((c) => !get(c))) continue; // a blank row
    const parsed = parseRow(r, get, bad);
    serialCounter++;
    rows.push({ ...parsed, serial: parsed.serial ?? serialCounter });
  }
  if (!rows.length && !errors.length)
    errors.push({ row: header.row + 1, column: '岗位名称', reason: '表格中没有数据行' });
  return { rows, errors };
}

function parseRow(
  r: number,
  get: (c: DutyColumn) => string,
  bad: (column: string, reason: string) => void,
): ParsedRow {
  // A bad row is still returned (its errors are already recorded): its names are checked like the others'.
  const fail = bad;
  let serial: number | null = null;
  const serialText = get('序号');
  if (serialText) {
    if (/^\d{1,4}$/.test(serialText)) serial = Number(serialText);
    else fail('序号', `序号应为数字，实际为“${serialText}”`);
  }
  const position = parsePositionCell(get('岗位名称'));
  if (!position.name) fail('岗位名称', '岗位名称不能为空（合并单元格或每行重复填写均可）');
  else if (position.name.length > 100) fail('岗位名称', '岗位名称过长（最多 100 字）');

  const itemColumns = dutyColumns.slice(2) as DutyColumn[];
  const hasItem = itemColumns.some((c) => get(c));
  let item: ParsedItem | null = null;
  if (hasItem) {
    const { number, title } = parseWorkItemCell(get('工作事项'));
    if (!title) fail('工作事项', '工作事项不能为空');
    else if (title.length > 200) fail('工作事项', '工作事项过长（最多 200 字）');
    const functions = splitNumbered(get('岗位职能描述'));
    if (functions.length > 50) fail('岗位职能描述', '职能条目过多（最多 50 条）');
    const responsibilities: Responsibility[] = [];
    for (const line of splitNumbered(get('岗位责任描述'))) {
      const resp = splitResponsibility(line);
      if (resp) responsibilities.push(resp);
      else
        fail(
          '岗位责任描述',
          `责任“${clip(line)}”缺少责任类型：应写成“类型：内容”，如“1.决策责任：及时、准确决定局内工作。”`,
        );
    }
    if (responsibilities.length > 50) fail('岗位责任描述', '责任条目过多（最多 50 条）');
    const flowCodes = splitFlowCodes(get('工作流程'));
    for (const code of flowCodes) {
      if (!flowCodePattern.test(code))
        fail('工作流程', `流程编号“${clip(code)}”格式不正确：应为字母或数字，以“-”分段，如 01-1-2`);
    }
    if (flowCodes.length > 20) fail('工作流程', '流程编号过多（最多 20 个）');
    const leadText = get('牵头负责人').replace(/\s+/g, '');
    const leads = splitNames(leadText);
    if (leads.length > 1) fail('牵头负责人', `牵头负责人只能填写一人，实际为“${clip(leadText)}”`);
    const assistants = splitNames(get('辅助人员'));
    for (const [column, names] of [
      ['牵头负责人', leads],
      ['辅助人员', assistants],
    ] as const) {
      for (const n of names) if (n.length > 40) fail(column, `姓名“${clip(n)}”过长`);
    }
    const note = get('备注');
    if (note.length > 2000) fail('备注', '备注过长（最多 2000 字）');
    item = {
      number,
      title,
      functions,
      responsibilities,
      flowCodes,
      lead: leads[0] ?? null,
      assistants,
      note: note || null,
    };
  }
  return {
    row: r,
    serial,
    category: position.category,
    positionNumber: position.number,
    positionName: position.name,
    item,
  };
}

const clip = (s: string) => (s.length > 30 ? `${s.slice(0, 30)}…` : s);

// ───────────── writing, inside one transaction ─────────────

function inferKind(name: string): PositionKind {
  if (name.includes('正职')) return 'head';
  if (name.includes('副职')) return 'deputy';
  return 'business';
}

async function apply(
  ctx: Context,
  unitId: string,
  rows: ParsedRow[],
  errorsSoFar: ImportError[],
): Promise<ImportResult> {
  const errors = [...errorsSoFar];
  const subtree = await subtreeIds(ctx.db, unitId);

  // People by name in the subtree: one → that person, none → created in the unit, several → ambiguous.
  const people = await ctx.db
    .selectFrom('people')
    .select(['id', 'name'])
    .where('unit_id', 'in', subtree)
    .execute();
  const peopleByName = new Map<string, string[]>();
  for (const p of people) peopleByName.set(p.name, [...(peopleByName.get(p.name) ?? []), p.id]);
  const checkName = (row: number, column: string, name: string) => {
    const ids = peopleByName.get(name) ?? [];
    if (ids.length > 1)
      errors.push({
        row,
        column,
        reason: `本单位有 ${ids.length} 人名为“${name}”，无法确定是哪一位，请先在系统中区分后再导入`,
      });
  };
  for (const r of rows) {
    if (!r.item) continue;
    if (r.item.lead) checkName(r.row, '牵头负责人', r.item.lead);
    for (const a of r.item.assistants) checkName(r.row, '辅助人员', a);
  }

  const positions = await ctx.db
    .selectFrom('positions')
    .select(['id', 'name', 'sort_order'])
    .where('unit_id', 'in', subtree)
    .execute();
  const positionsByName = new Map<string, string[]>();
  for (const p of positions) positionsByName.set(p.name, [...(positionsByName.get(p.name) ?? []), p.id]);
  const reported = new Set<string>();
  for (const r of rows) {
    const ids = positionsByName.get(r.positionName) ?? [];
    if (ids.length > 1 && !reported.has(r.positionName)) {
      reported.add(r.positionName);
      errors.push({
        row: r.row,
        column: '岗位名称',
        reason: `本单位及下属单位有 ${ids.length} 个岗位名为“${r.positionName}”，无法确定是哪一个`,
      });
    }
  }
  if (errors.length) throw new Rejected(errors);

  const personId = async (name: string): Promise<string> => {
    const found = peopleByName.get(name)?.[0];
    if (found) return found;
    const { id } = await personCreator(ctx, { name, unitId });
    peopleByName.set(name, [id]);
    return id;
  };

  let nextSort = positions.reduce((m, p) => Math.max(m, p.sort_order + 1), 0);
  const positionIds = new Map<string, string>();
  for (const r of rows) {
    if (positionIds.has(r.positionName)) continue;
    const existing = positionsByName.get(r.positionName)?.[0];
    if (existing) positionIds.set(r.positionName, existing);
    else {
      const { id } = await positionCreator(ctx, {
        unitId,
        name: r.positionName,
        kind: inferKind(r.positionName),
        category: r.category,
        serial: r.serial,
        number: r.positionNumber,
        sortOrder: nextSort++,
      });
      positionIds.set(r.positionName, id);
    }
  }

  // Replace: every work item of the subtree's positions goes, then the sheet's are written.
  const oldItems = ctx.db
    .selectFrom('work_items')
    .select('id')
    .where('position_id', 'in', ctx.db.selectFrom('positions').select('id').where('unit_id', 'in', subtree));
  for (const t of [
    'work_item_functions',
    'work_item_responsibilities',
    'work_item_flow_codes',
    'work_item_assistants',
  ] as const) {
    await ctx.db.deleteFrom(t).where('work_item_id', 'in', oldItems).execute();
  }
  await ctx.db
    .deleteFrom('work_items')
    .where('position_id', 'in', ctx.db.selectFrom('positions').select('id').where('unit_id', 'in', subtree))
    .execute();

  const order = new Map<string, number>();
  let workItems = 0;
  for (const r of rows) {
    if (!r.item) continue;
    const positionId = positionIds.get(r.positionName)!;
    const sortOrder = order.get(positionId) ?? 0;
    order.set(positionId, sortOrder + 1);
    const assistantIds: string[] = [];
    for (const a of r.item.assistants) assistantIds.push(await personId(a));
    try {
      await workItemCreator(ctx, positionId, {
        number: r.item.number,
        title: r.item.title,
        functions: r.item.functions,
        responsibilities: r.item.responsibilities,
        flowCodes: r.item.flowCodes,
        leadPersonId: r.item.lead ? await personId(r.item.lead) : null,
        assistantIds,
        note: r.item.note,
        sortOrder,
      });
    } catch (err) {
      // The sheet was checked above; should the command still refuse, the row is named all the same.
      if (err instanceof AppError)
        errors.push({
          row: r.row,
          column: '工作事项',
          reason: err.fields.map((f) => f.reason).join('；') || err.message,
        });
      else throw err;
    }
    workItems++;
  }
  if (errors.length) throw new Rejected(errors);
  return { ok: true, positions: positionIds.size, workItems };
}
