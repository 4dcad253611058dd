/** The five stages (五公开) in their order, with their Chinese names, as the glossary fixes them. */
export const stageOrder = ['decision', 'execution', 'management', 'service', 'result'] as const;
export const stageLabel: Record<string, string> = {
  decision: '决策公开',
  execution: '执行公开',
  management: '管理公开',
  service: '服务公开',
  result: '结果公开',
};
export const kindLabel: Record<string, string> = {
  record: '政府信息',
  notice: '公示公告',
  unit: '机构职能',
  page: '栏目',
};

/** 2025-03-01T02:00:00Z → 2025-03-01 (China time: UTC+8, no daylight saving). */
export function dateOf(iso: string | null | undefined): string {
  if (!iso) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
}
