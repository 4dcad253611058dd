/**
 * The layout of the 定岗定责定流程表 as a spreadsheet, shared by export and import so the two cannot drift:
 * the seed table's columns in order, and how each multi-valued cell is written and read back.
 */
export const dutyColumns = [
  '序号',
  '岗位名称',
  '工作事项',
  '岗位职能描述',
  '岗位责任描述',
  '工作流程',
  '牵头负责人',
  '辅助人员',
  '备注',
] as const;
export type DutyColumn = (typeof dutyColumns)[number];

export const dutyTableTitle = (unitName: string) => `${unitName}定岗定责定流程表`;

/** Numbered lines, "1.…" one per line, as the printed table numbers functions and responsibilities. */
export const numberedLines = (items: string[]) => items.map((t, i) => `${i + 1}.${t}`).join('\n');

/** 岗位名称 as the printed table shows it: the category on its own line, then "1、综合管理岗". */
export function positionCell(p: { category: string | null; number: number | null; name: string }): string {
  return `${p.category ? `${p.category}\n` : ''}${p.number != null ? `${p.number}、` : ''}${p.name}`;
}

export const workItemCell = (w: { number: string | null; title: string }) =>
  `${w.number ? `${w.number}、` : ''}${w.title}`;

// "1." "1．" "1、" "1)" "（1）" "(1)" "①": the numberings people type. "1.5倍" is not a number prefix.
const numberPrefix = /^(?:\d{1,3}\s*(?:[.．](?!\d)|[、)）])|[（(]\s*\d{1,3}\s*[）)]|[①-⑳])\s*/;

/**
 * Split a cell into its numbered items. A line that starts with a number starts an item; in a numbered cell a
 * line without one continues the item above (Excel users wrap long items with Alt+Enter); in a cell with no
 * numbers at all every line is an item.
 */
export function splitNumbered(text: string): string[] {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const numbered = lines.some((l) => numberPrefix.test(l));
  const items: string[] = [];
  for (const line of lines) {
    const m = numberPrefix.exec(line);
    if (m) items.push(line.slice(m[0].length).trim());
    else if (numbered && items.length) items[items.length - 1] += line;
    else items.push(line);
  }
  return items.filter(Boolean);
}

/** "决策责任：及时…" → kind and text; null when the line names no kind before ：or :. */
export function splitResponsibility(line: string): { kind: string; text: string } | null {
  const m = /^([^：:]{1,20})[：:](.*)$/s.exec(line);
  if (!m) return null;
  const kind = m[1]!.trim();
  const text = m[2]!.trim();
  if (!kind || !text || /[，。；,;]/.test(kind)) return null;
  return { kind, text };
}

/** 岗位名称 cell → category (first line when there are several), number ("1、"), name. */
export function parsePositionCell(text: string): {
  category: string | null;
  number: number | null;
  name: string;
} {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const category = lines.length > 1 ? lines[0]! : null;
  const nameLine = (lines.length > 1 ? lines.slice(1) : lines).join('');
  const m = /^(\d{1,3})\s*[、.．]\s*(.+)$/s.exec(nameLine);
  return m
    ? { category, number: Number(m[1]), name: m[2]!.trim() }
    : { category, number: null, name: nameLine };
}

/** 工作事项 cell → its number ("一、" or "1、") and title. */
export function parseWorkItemCell(text: string): { number: string | null; title: string } {
  const joined = text.replace(/\s*\n\s*/g, '').trim();
  const m = /^([一二三四五六七八九十百〇零]{1,4}|\d{1,3})\s*[、.．]\s*(.+)$/s.exec(joined);
  return m ? { number: m[1]!, title: m[2]!.trim() } : { number: null, title: joined };
}

/** Names in a people cell: separated by 、，, ; or spaces. */
export const splitNames = (text: string) =>
  text
    .split(/[\s、，,；;/]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Flow codes in a 工作流程 cell: the export separates them by spaces; people also type 、 and commas. */
export const splitFlowCodes = (text: string) =>
  text
    .split(/[\s、，,；;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
