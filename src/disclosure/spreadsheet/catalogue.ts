import type ExcelJS from 'exceljs';
import { type Context, inTransaction } from '../../context.ts';
import { AppError, notFound } from '../../errors.ts';
import { newWorkbook } from '../../exceljs.ts';
import { checkZip } from '../../registry/spreadsheet/zipGuard.ts';
import type { Db } from '../../store/store.ts';
import { itemCreator, itemProblems, type NewItem } from '../commands/itemCreator.ts';
import { findItemRows, itemViews } from '../queries.ts';
import {
  type Audience,
  audienceNames,
  type Level,
  levelNames,
  type Method,
  methodNames,
  type Stage,
  stageNames,
} from '../tables.ts';

// 政务公开事项标准目录 as .xlsx in the standard columns (rules.md §3, 国办发〔2019〕54号 catalogues), plus the 五公开
// stage, the sub-area and the responsible units this platform keeps. An import is all rows or none: every bad row
// is named by row, column and reason, and nothing is written unless there are none.

export const catalogueColumns = [
  '序号',
  '一级事项',
  '二级事项',
  '公开内容（要素）',
  '公开依据',
  '公开时限',
  '公开主体',
  '公开渠道和载体',
  '公开对象',
  '公开方式',
  '公开层级',
  '五公开阶段',
  '子领域编号',
  '责任单位',
] as const;

export interface CatalogueError {
  row: number;
  column: string;
  reason: string;
}

const invert = <K extends string>(names: Record<K, string>) =>
  new Map(Object.entries(names).map(([k, v]) => [v as string, k as K]));
const stageOf = invert<Stage>(stageNames);
const audienceOf = invert<Audience>(audienceNames);
const methodOf = invert<Method>(methodNames);
const levelOf = invert<Level>(levelNames);
methodOf.set('主动公开', 'proactive');
methodOf.set('依申请公开', 'onRequest');

const splitList = (s: string) =>
  s
    .split(/[、，,；;\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export async function exportCatalogue(db: Db, areaId: string): Promise<Buffer> {
  const area = await db.selectFrom('areas').selectAll().where('id', '=', areaId).executeTakeFirst();
  if (!area) throw notFound('领域', areaId);
  const items = await itemViews(db, await findItemRows(db, { areaId }));
  const wb = await newWorkbook();
  const ws = wb.addWorksheet(`${area.name}目录`.slice(0, 31));
  ws.addRow([`${area.name}领域基层政务公开标准目录`]);
  ws.mergeCells(1, 1, 1, catalogueColumns.length);
  ws.addRow([...catalogueColumns]);
  ws.getRow(2).font = { bold: true };
  for (const [i, it] of items.entries()) {
    const r = it.row;
    ws.addRow([
      i + 1,
      r.matter1,
      r.matter2 ?? '',
      r.content ?? '',
      r.legal_basis ?? '',
      r.time_limit ?? '',
      it.disclosingUnit?.name ?? r.disclosing_body_text ?? '',
      it.channels.join('、'),
      audienceNames[r.audience],
      methodNames[r.method],
      levelNames[r.level],
      stageNames[r.stage],
      it.subArea?.number ?? '',
      [...it.responsibleUnits.map((u) => u.name), ...(r.responsible_note ? [r.responsible_note] : [])].join(
        '、',
      ),
    ]);
  }
  ws.columns.forEach((c, i) => {
    c.width = [6, 24, 30, 30, 30, 20, 18, 20, 10, 10, 10, 10, 10, 30][i] ?? 12;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const cellText = (v: ExcelJS.CellValue): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((t) => t.text)
        .join('')
        .trim();
    if ('text' in v) return String(v.text).trim();
    if ('result' in v) return String(v.result ?? '').trim();
    if (v instanceof Date) return v.toISOString().slice(0, 10);
  }
  return String(v).trim();
};

/** Read and check every row; write them all in one transaction only when no row has a problem. */
export async function importCatalogue(
  ctx: Context,
  areaId: string,
  bytes: Buffer,
): Promise<{ ok: true; items: number } | { ok: false; errors: CatalogueError[] }> {
  const area = await ctx.db.selectFrom('areas').selectAll().where('id', '=', areaId).executeTakeFirst();
  if (!area) throw notFound('领域', areaId);
  const zipProblem = checkZip(bytes);
  if (zipProblem) throw new AppError('bad_file', `文件不是有效的 .xlsx：${zipProblem}`, 400);
  const wb = await newWorkbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new AppError('bad_file', '无法读取该 .xlsx 文件', 400);
  }
  const ws = wb.worksheets[0];
  if (!ws) return { ok: false, errors: [{ row: 0, column: '工作表', reason: '文件中没有工作表' }] };
  // The header row is the first row whose first cells read 序号 / 一级事项 (a title row may precede it).
  let headerRow = 0;
  for (let r = 1; r <= Math.min(ws.rowCount, 10); r++) {
    if (
      cellText(ws.getRow(r).getCell(1).value) === '序号' &&
      cellText(ws.getRow(r).getCell(2).value) === '一级事项'
    ) {
      headerRow = r;
      break;
    }
  }
  if (!headerRow)
    return {
      ok: false,
      errors: [{ row: 0, column: '表头', reason: `找不到表头行（${catalogueColumns.join('、')}）` }],
    };
  const col = new Map<string, number>();
  ws.getRow(headerRow).eachCell((cell, n) => col.set(cellText(cell.value), n));
  const errors: CatalogueError[] = [];
  for (const c of catalogueColumns)
    if (!col.has(c) && c !== '子领域编号' && c !== '责任单位')
      errors.push({ row: headerRow, column: c, reason: '缺少该列' });
  if (errors.length) return { ok: false, errors };

  const units = await ctx.db.selectFrom('units').select(['id', 'name', 'short_name']).execute();
  const unitByName = new Map<string, string>();
  for (const u of units) {
    unitByName.set(u.name, u.id);
    if (u.short_name) unitByName.set(u.short_name, u.id);
  }
  const subs = await ctx.db
    .selectFrom('sub_areas')
    .select(['id', 'number'])
    .where('area_id', '=', areaId)
    .execute();
  const items: NewItem[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const get = (c: string) => (col.has(c) ? cellText(row.getCell(col.get(c)!).value) : '');
    if (catalogueColumns.every((c) => !get(c))) continue;
    const bad = (column: string, reason: string) => errors.push({ row: r, column, reason });
    const stage = stageOf.get(get('五公开阶段'));
    if (!stage) bad('五公开阶段', `应为 决策、执行、管理、服务 或 结果，而不是“${get('五公开阶段')}”`);
    const audience = audienceOf.get(get('公开对象') || '全社会');
    if (!audience) bad('公开对象', `应为 全社会 或 特定群体，而不是“${get('公开对象')}”`);
    const method = methodOf.get(get('公开方式') || '主动');
    if (!method) bad('公开方式', `应为 主动 或 依申请，而不是“${get('公开方式')}”`);
    const level = levelOf.get(get('公开层级') || '县级');
    if (!level) bad('公开层级', `应为 县级 或 乡级，而不是“${get('公开层级')}”`);
    let subAreaId: string | null = null;
    const subNo = get('子领域编号');
    if (subNo) {
      const s = subs.find((x) => x.number === subNo.padStart(2, '0'));
      if (!s) bad('子领域编号', `本领域没有子领域 ${subNo}`);
      else subAreaId = s.id;
    }
    const body = get('公开主体');
    const responsible = splitList(get('责任单位'));
    const resolved = responsible.map((n) => unitByName.get(n)).filter((x): x is string => Boolean(x));
    const unresolved = responsible.filter((n) => !unitByName.has(n));
    const item: NewItem = {
      areaId,
      subAreaId,
      stage: stage ?? 'decision',
      matter1: get('一级事项'),
      matter2: get('二级事项') || null,
      content: get('公开内容（要素）') || null,
      legalBasis: get('公开依据') || null,
      timeLimit: get('公开时限') || null,
      disclosingUnitId: unitByName.get(body) ?? null,
      disclosingBodyText: body && !unitByName.has(body) ? body : null,
      channels: splitList(get('公开渠道和载体')),
      audience: audience ?? 'public',
      method: method ?? 'proactive',
      level: level ?? 'county',
      responsibleUnitIds: resolved,
      responsibleNote: unresolved.length ? get('责任单位') : null,
    };
    const columnOf: Record<string, string> = { matter1: '一级事项' };
    for (const p of itemProblems(item))
      if (p.field === 'matter1') bad(columnOf[p.field] ?? p.field, p.reason);
    items.push(item);
  }
  if (!items.length && !errors.length)
    errors.push({ row: headerRow + 1, column: '一级事项', reason: '目录中没有任何事项' });
  if (errors.length) return { ok: false, errors };
  await inTransaction(ctx, async (c) => {
    for (const it of items) await itemCreator(c, it);
  });
  return { ok: true, items: items.length };
}
