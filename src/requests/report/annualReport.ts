import { notFound } from '../../errors.ts';
import { subtreeIds } from '../../registry/queries.ts';
import type { Db } from '../../store/store.ts';
import { outcomeByCode, outcomeGroupLabels, outcomeGroups, outcomeRows } from '../outcomes.ts';
import {
  type AppealKind,
  type AppealResult,
  appealKindNames,
  appealKinds,
  appealResultNames,
  organisationKindNames,
  organisationKinds,
} from '../tables.ts';

/**
 * The annual report on government information disclosure (条例 Art. 49, 50) in the 2021 format
 * (国办公开办函〔2021〕30号): tables 二, 三, 四 computed from the data, sections 一, 五, 六 as edited by staff.
 *
 * Counting rules (table 三): a request is new (一) in the year it was received (Art. 31 receipt date); it is
 * concluded in the year of its reply or closure, and counted there under its outcome (三); whatever was received
 * by the end of a year and not concluded by then is carried to the next (四 of this year = 二 of the next).
 * A unit's report counts the requests addressed to it or its sub-units (受理机关), not those only assigned to
 * it for handling (交办): the body that received a request answers for it.
 */

export const reportColumns = ['naturalPerson', ...organisationKinds, 'total'] as const;
export type ReportColumn = (typeof reportColumns)[number];

export const reportColumnNames: Record<ReportColumn, string> = {
  naturalPerson: '自然人',
  ...organisationKindNames,
  total: '总计',
};

export interface ReportRow {
  key: string;
  label: string;
  /** Indentation level in the printed table (0: 一、二、三、四; 1: （一）…; 2: 1. 2. …). */
  level: number;
  cells: Record<ReportColumn, number>;
  /** Tracking numbers behind each cell, so the table can be matched against the requests one by one. */
  sources: Record<ReportColumn, string[]>;
}

export interface ReportCheck {
  name: string;
  passed: boolean;
  detail: string;
}

export const table2Rows = [
  {
    key: 'regulations',
    label: '规章',
    block: '第二十条第（一）项',
    columns: ['issued', 'repealed', 'inForce'],
  },
  {
    key: 'normativeDocuments',
    label: '行政规范性文件',
    block: '第二十条第（一）项',
    columns: ['issued', 'repealed', 'inForce'],
  },
  { key: 'licensing', label: '行政许可', block: '第二十条第（五）项', columns: ['decisions'] },
  { key: 'penalty', label: '行政处罚', block: '第二十条第（六）项', columns: ['decisions'] },
  { key: 'enforcement', label: '行政强制', block: '第二十条第（六）项', columns: ['decisions'] },
  { key: 'fees', label: '行政事业性收费', block: '第二十条第（八）项', columns: ['amountTenThousandYuan'] },
] as const;

export const table2ColumnNames: Record<string, string> = {
  issued: '本年制发件数',
  repealed: '本年废止件数',
  inForce: '现行有效件数',
  decisions: '本年处理决定数量',
  amountTenThousandYuan: '本年收费金额（单位：万元）',
};

/** Table 四's wording lives with the tables (tables.ts): the request view shows it too. */
export { appealKindNames, appealResultNames };

export const sectionKeys = ['1', '5', '6'] as const;
export const sectionTitles: Record<string, string> = {
  '1': '一、总体情况',
  '2': '二、主动公开政府信息情况',
  '3': '三、收到和处理政府信息公开申请情况',
  '4': '四、政府信息公开行政复议、行政诉讼情况',
  '5': '五、存在的主要问题及改进情况',
  '6': '六、其他需要报告的事项',
};

export interface AnnualReport {
  year: number;
  scope: { unitId: string | null; unitName: string };
  sections: Record<string, string>;
  table2: Table2Row[];
  table3: ReportRow[];
  table4: Record<AppealKind, Record<AppealResult | 'total', number>>;
  checks: ReportCheck[];
  /** The previous year's published carry-over, when that report was published. */
  previousPublished: boolean;
  /** The next year's report was published: its 二 is checked against this year's 四. */
  nextPublished: boolean;
}

export interface Table2Row {
  key: string;
  label: string;
  block: string;
  values: Record<string, number | null>;
  /** Where each figure comes from: entered by staff, counted from the published records, or not known. */
  sources: Record<string, 'entered' | 'records' | null>;
}

const emptyCells = () => Object.fromEntries(reportColumns.map((c) => [c, 0])) as Record<ReportColumn, number>;
const emptySources = () =>
  Object.fromEntries(reportColumns.map((c) => [c, []])) as unknown as Record<ReportColumn, string[]>;

const chineseNumbers = ['', '1', '2', '3', '4', '5', '6', '7', '8'];

/** The rows of table 三 in the format's order, empty. */
function table3Skeleton(): ReportRow[] {
  const row = (key: string, label: string, level: number): ReportRow => ({
    key,
    label,
    level,
    cells: emptyCells(),
    sources: emptySources(),
  });
  const rows: ReportRow[] = [
    row('new', '一、本年新收政府信息公开申请数量', 0),
    row('carriedIn', '二、上年结转政府信息公开申请数量', 0),
    row('results', '三、本年度办理结果', 0),
  ];
  for (const g of outcomeGroups) {
    rows.push(row(g, outcomeGroupLabels[g], 1));
    for (const sub of outcomeRows[g])
      rows.push(row(`${g}.${sub.row}`, `${chineseNumbers[Number(sub.row)]}.${sub.label}`, 2));
  }
  rows.push(row('total', '（七）总计', 1));
  rows.push(row('carriedOut', '四、结转下年度继续办理', 0));
  return rows;
}

export const scopeKey = (unitId: string | null) => unitId ?? '';

export async function computeAnnualReport(
  db: Db,
  year: number,
  unitId: string | null,
): Promise<AnnualReport> {
  let unitIds: string[] | null = null;
  let unitName = '全部机关';
  if (unitId) {
    const unit = await db
      .selectFrom('units')
      .select(['id', 'name'])
      .where('id', '=', unitId)
      .executeTakeFirst();
    if (!unit) throw notFound('单位', unitId);
    unitName = unit.name;
    unitIds = await subtreeIds(db, unitId);
  }
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  let q = db
    .selectFrom('info_requests')
    .select([
      'id',
      'tracking_number',
      'applicant_kind',
      'organisation_kind',
      'received_on',
      'concluded_on',
      'outcome',
    ])
    .where('received_on', '<=', end)
    .where((eb) => eb.or([eb('concluded_on', 'is', null), eb('concluded_on', '>=', start)]));
  if (unitIds) q = q.where('unit_id', 'in', unitIds);
  const requests = await q.orderBy('tracking_number').execute();

  const rows = table3Skeleton();
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const add = (key: string, col: Exclude<ReportColumn, 'total'>, tracking: string) => {
    const r = byKey.get(key);
    if (!r) throw new Error(`no table 三 row ${key}`);
    r.cells[col]++;
    r.cells.total++;
    r.sources[col].push(tracking);
    r.sources.total.push(tracking);
  };
  for (const req of requests) {
    const col: Exclude<ReportColumn, 'total'> =
      req.applicant_kind === 'naturalPerson' ? 'naturalPerson' : (req.organisation_kind ?? 'other');
    const t = req.tracking_number;
    if (req.received_on >= start) add('new', col, t);
    else add('carriedIn', col, t);
    if (req.concluded_on && req.concluded_on <= end) {
      const o = req.outcome ? outcomeByCode.get(req.outcome) : undefined;
      // a concluded request always has an outcome; an unknown one is counted as 其他 rather than lost
      const group = o?.group ?? 'other';
      const sub = o ? o.row : '3';
      add(group, col, t);
      if (sub) add(`${group}.${sub}`, col, t);
      add('total', col, t);
    } else add('carriedOut', col, t);
  }
  // 三、本年度办理结果 is a heading: its cells repeat （七）总计.
  const results = byKey.get('results');
  const total = byKey.get('total');
  if (results && total) {
    results.cells = { ...total.cells };
    results.sources = total.sources;
  }

  const checks = checkTable3(rows);
  const previous = await db
    .selectFrom('annual_report_cells')
    .select(['column_key', 'value'])
    .where('year', '=', year - 1)
    .where('scope', '=', scopeKey(unitId))
    .where('table_key', '=', '3')
    .where('row_key', '=', 'carriedOut')
    .execute();
  const carriedIn = byKey.get('carriedIn');
  if (previous.length && carriedIn) {
    const mismatched = previous.filter(
      (p) => carriedIn.cells[p.column_key as ReportColumn] !== Number(p.value),
    );
    checks.push({
      name: '二、上年结转 = 上年度报告“四、结转下年度继续办理”',
      passed: mismatched.length === 0,
      detail: mismatched.length
        ? mismatched
            .map(
              (p) =>
                `${reportColumnNames[p.column_key as ReportColumn] ?? p.column_key}：上年度报告${p.value}，本年${carriedIn.cells[p.column_key as ReportColumn]}`,
            )
            .join('；')
        : '与上年度已发布报告一致',
    });
  }

  // Carry-over to the next year: once next year's report is published, its 二 must equal this year's 四.
  const next = await db
    .selectFrom('annual_report_cells')
    .select(['column_key', 'value'])
    .where('year', '=', year + 1)
    .where('scope', '=', scopeKey(unitId))
    .where('table_key', '=', '3')
    .where('row_key', '=', 'carriedIn')
    .execute();
  const carriedOut = byKey.get('carriedOut');
  if (next.length && carriedOut) {
    const mismatched = next.filter((p) => carriedOut.cells[p.column_key as ReportColumn] !== Number(p.value));
    checks.push({
      name: '四、结转下年度继续办理 = 下年度报告“二、上年结转”',
      passed: mismatched.length === 0,
      detail: mismatched.length
        ? mismatched
            .map(
              (p) =>
                `${reportColumnNames[p.column_key as ReportColumn] ?? p.column_key}：下年度报告${p.value}，本年${carriedOut.cells[p.column_key as ReportColumn]}`,
            )
            .join('；')
        : '与下年度已发布报告一致',
    });
  }

  const table4 = await computeTable4(db, year, unitIds);
  const figures = await db
    .selectFrom('annual_report_figures')
    .select(['row_key', 'column_key', 'value'])
    .where('year', '=', year)
    .where('scope', '=', scopeKey(unitId))
    .execute();
  const counted = await normativeDocumentCounts(db, year, unitIds);
  const table2: Table2Row[] = table2Rows.map((r) => {
    const values: Record<string, number | null> = {};
    const sources: Record<string, 'entered' | 'records' | null> = {};
    for (const c of r.columns) {
      const f = figures.find((x) => x.row_key === r.key && x.column_key === c);
      const fromRecords = r.key === 'normativeDocuments' ? counted[c as keyof typeof counted] : undefined;
      // a figure staff entered stands (the records may be incomplete); else what the records show
      values[c] = f ? Number(f.value) : (fromRecords ?? null);
      sources[c] = f ? 'entered' : fromRecords !== undefined ? 'records' : null;
    }
    return { key: r.key, label: r.label, block: r.block, values, sources };
  });
  const texts = await db
    .selectFrom('annual_report_texts')
    .select(['section', 'text'])
    .where('year', '=', year)
    .where('scope', '=', scopeKey(unitId))
    .execute();
  const sections: Record<string, string> = {};
  for (const s of sectionKeys) sections[s] = texts.find((t) => t.section === s)?.text ?? '';
  return {
    year,
    scope: { unitId, unitName },
    sections,
    table2,
    table3: rows,
    table4,
    checks,
    previousPublished: previous.length > 0,
    nextPublished: next.length > 0,
  };
}

/**
 * Table 二, row 行政规范性文件, from the published proactive records of kind `policy` (the platform's 规范性文件,
 * as the gazette reads them) of the scope's units: 本年制发 = formed in the year; 本年废止 = ceased to be in
 * force in the year (valid until a day of the year); 现行有效 = formed by the year's end and still in force after it.
 */
async function normativeDocumentCounts(
  db: Db,
  year: number,
  unitIds: string[] | null,
): Promise<{ issued: number; repealed: number; inForce: number }> {
  const end = `${year}-12-31`;
  let q = db
    .selectFrom('records')
    .select(['formed_on', 'valid_until'])
    .where('kind', '=', 'policy')
    .where('attribute', '=', 'proactive')
    .where('publish_state', '=', 'published')
    .where('formed_on', '<=', end);
  if (unitIds) q = q.where('disclosing_unit_id', 'in', unitIds.length ? unitIds : ['']);
  const rows = await q.execute();
  const start = `${year}-01-01`;
  return {
    issued: rows.filter((r) => r.formed_on >= start).length,
    repealed: rows.filter((r) => r.valid_until !== null && r.valid_until >= start && r.valid_until <= end)
      .length,
    inForce: rows.filter((r) => r.valid_until === null || r.valid_until > end).length,
  };
}

/** The format's own checks (rules.md §2). */
export function checkTable3(rows: ReportRow[]): ReportCheck[] {
  const get = (k: string) => rows.find((r) => r.key === k);
  const checks: ReportCheck[] = [];
  const cols = reportColumns;
  const fail = (c: ReportColumn, a: number, b: number) => `${reportColumnNames[c]}：${a} ≠ ${b}`;

  const groupSum: string[] = [];
  const subSum: string[] = [];
  const total = get('total');
  for (const c of cols) {
    const sum = outcomeGroups.reduce((s, g) => s + (get(g)?.cells[c] ?? 0), 0);
    if (total && sum !== total.cells[c]) groupSum.push(fail(c, total.cells[c], sum));
    for (const g of outcomeGroups) {
      const subs = outcomeRows[g];
      if (!subs.length) continue;
      const s = subs.reduce((acc, sub) => acc + (get(`${g}.${sub.row}`)?.cells[c] ?? 0), 0);
      const head = get(g)?.cells[c] ?? 0;
      if (s !== head) subSum.push(`${outcomeGroupLabels[g]} ${fail(c, head, s)}`);
    }
  }
  checks.push({
    name: '（七）总计 = （一）至（六）之和',
    passed: groupSum.length === 0,
    detail: groupSum.join('；') || '一致',
  });
  checks.push({
    name: '（三）（四）（五）（六）各项 = 其分项之和',
    passed: subSum.length === 0,
    detail: subSum.join('；') || '一致',
  });
  const balance: string[] = [];
  for (const c of cols) {
    const left = (get('new')?.cells[c] ?? 0) + (get('carriedIn')?.cells[c] ?? 0);
    const right = (total?.cells[c] ?? 0) + (get('carriedOut')?.cells[c] ?? 0);
    if (left !== right) balance.push(fail(c, left, right));
  }
  checks.push({
    name: '一 + 二 = （七）总计 + 四',
    passed: balance.length === 0,
    detail: balance.join('；') || '一致',
  });
  const rowTotals: string[] = [];
  for (const r of rows) {
    const sum = cols.filter((c) => c !== 'total').reduce((s, c) => s + r.cells[c], 0);
    if (sum !== r.cells.total) rowTotals.push(`${r.label}：总计${r.cells.total} ≠ ${sum}`);
  }
  checks.push({
    name: '各行总计 = 各类申请人之和',
    passed: rowTotals.length === 0,
    detail: rowTotals.join('；') || '一致',
  });
  return checks;
}

/**
 * Table 四: the reconsiderations and lawsuits filed in the year over requests of the scope, each with its
 * result as it stood at the end of the year (still open then: 尚未审结).
 */
async function computeTable4(
  db: Db,
  year: number,
  unitIds: string[] | null,
): Promise<Record<AppealKind, Record<AppealResult | 'total', number>>> {
  let q = db
    .selectFrom('info_request_appeals')
    .innerJoin('info_requests', 'info_requests.id', 'info_request_appeals.request_id')
    .select(['info_request_appeals.kind', 'info_request_appeals.result', 'info_request_appeals.concluded_on'])
    .where('info_request_appeals.filed_on', '>=', `${year}-01-01`)
    .where('info_request_appeals.filed_on', '<=', `${year}-12-31`);
  if (unitIds) q = q.where('info_requests.unit_id', 'in', unitIds.length ? unitIds : ['']);
  const appeals = await q.execute();
  const out = Object.fromEntries(
    appealKinds.map((k) => [k, { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 }]),
  ) as Record<AppealKind, Record<AppealResult | 'total', number>>;
  for (const a of appeals) {
    const settled = a.result !== 'pending' && a.concluded_on !== null && a.concluded_on <= `${year}-12-31`;
    out[a.kind][settled ? a.result : 'pending']++;
    out[a.kind].total++;
  }
  return out;
}
