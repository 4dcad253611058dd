import { affiliationOf, dutyTables } from '../../registry/dutyTables.ts';
import type { PositionView, UnitView } from '../../registry/queries.ts';
import type { UnitRow } from '../../registry/tables.ts';
import { html } from '../html.ts';

const kindLabel: Record<string, string> = {
  government: '人民政府',
  office: '办公室',
  bureau: '部门',
  section: '股室',
  centre: '所属单位',
  township: '镇街',
  village: '村居',
  group: '工作小组',
};

export function unitListBody(units: UnitView[]) {
  const roots = units.filter((u) => !u.row.parent_id || !units.some((p) => p.row.id === u.row.parent_id));
  const children = (id: string) => units.filter((u) => u.row.parent_id === id);
  const item = (u: UnitView): ReturnType<typeof html> =>
    html`<li><a href="/org/${u.row.id}">${u.row.name}</a> <span class="muted">${kindLabel[u.row.kind] ?? ''}</span>${
      children(u.row.id).length ? html`<ul>${children(u.row.id).map(item)}</ul>` : ''
    }</li>`;
  return html`<h1>机构职能</h1><ul>${roots.map(item)}</ul>`;
}

export function unitBody(unit: UnitView, descendants: UnitView[]) {
  const leaders = unit.positions.filter((p) => p.row.kind === 'head' || p.row.kind === 'deputy');
  const all = [unit, ...descendants];
  const itemCount = all.reduce((n, u) => n + u.positions.reduce((m, p) => m + p.workItems.length, 0), 0);
  return html`<h1>${unit.row.name}</h1>
${unit.row.remit ? html`<h2>宗旨和业务范围</h2><p>${unit.row.remit}</p>` : ''}
${
  leaders.length
    ? html`<h2>领导信息</h2><ul class="plain">${leaders.map(
        (p) =>
          html`<li><strong>${p.holders.map((h) => h.name).join('、') || '（空缺）'}</strong> ${p.row.name}${
            p.supervises.length ? html`，分管${p.supervises.map((s) => s.name).join('、')}` : ''
          }</li>`,
      )}</ul>`
    : ''
}
${
  descendants.length
    ? html`<h2>内设机构和所属单位</h2><ul>${descendants
        .filter((d) => d.row.parent_id === unit.row.id)
        .map((d) => html`<li><a href="/org/${d.row.id}">${d.row.name}</a></li>`)}</ul>`
    : ''
}
<h2>岗位职责</h2>
<p>共 ${all.reduce((n, u) => n + u.positions.length, 0)} 个岗位、${itemCount} 项工作事项。<a href="/org/${unit.row.id}/table">查看定岗定责定流程表（可打印）</a></p>
${all.flatMap((u) =>
  u.positions.map(
    (
      p,
    ) => html`<section><h3>${p.row.category ? `${p.row.category} ` : ''}${p.row.name}${u !== unit ? html` <span class="muted">（${u.row.name}）</span>` : ''}</h3>
<ul>${p.workItems.map((w) => html`<li>${w.row.number ? `${w.row.number}、` : ''}${w.row.title}${w.flowCodes.length ? html` <span class="muted">流程 ${w.flowCodes.join('、')}</span>` : ''}</li>`)}</ul></section>`,
  ),
)}`;
}

/**
 * The 定岗定责定流程表 as printed: 序号, 岗位名称, 工作事项, 岗位职能描述, 岗位责任描述, 工作流程, 牵头负责人, 辅助人员, 备注.
 * One table for the unit (its 股室' posts in 序号 order) and one for each 所属单位, with 隶属关系 and 宗旨和业务范围
 * as the seed prints them (src/registry/dutyTables.ts).
 */
export function dutyTableBody(unit: UnitView, descendants: UnitView[], parent: UnitRow | null = null) {
  const list = (items: string[]) =>
    items.length > 1 ? html`<ol>${items.map((t) => html`<li>${t}</li>`)}</ol>` : html`${items[0] ?? ''}`;
  const rowsOf = (positions: PositionView[]) =>
    positions.flatMap((p, pi) => {
      const items = p.workItems.length ? p.workItems : [null];
      return items.map(
        (w, i) =>
          html`<tr>${
            i === 0
              ? html`<td rowspan="${items.length}">${p.row.serial ?? pi + 1}</td><td rowspan="${items.length}">${p.row.category ?? ''}<br>${p.row.number ? `${p.row.number}、` : ''}${p.row.name}</td>`
              : ''
          }<td>${w ? `${w.row.number ? `${w.row.number}、` : ''}${w.row.title}` : ''}</td><td>${w ? list(w.functions) : ''}</td><td>${
            w ? list(w.responsibilities.map((r) => `${r.kind}：${r.text}`)) : ''
          }</td><td>${w?.flowCodes.join(' ') ?? ''}</td><td>${w?.lead?.name ?? ''}</td><td>${w?.assistants.map((a) => a.name).join('、') ?? ''}</td><td>${w?.row.note ?? ''}</td></tr>`,
      );
    });
  const tables = dutyTables([unit, ...descendants], parent).map((t, ti) => {
    const title = `${t.unit.row.name}定岗定责定流程表`;
    const affiliation = t.unit.row.kind === 'centre' ? affiliationOf(t) : null;
    return html`${ti === 0 ? html`<h1 class="center">${title}</h1>` : html`<h2 class="center">${title}</h2>`}
${affiliation ? html`<p>隶属关系：${affiliation}</p>` : ''}${t.unit.row.remit ? html`<p>宗旨和业务范围：${t.unit.row.remit}</p>` : ''}
${ti === 0 ? html`<p class="no-print"><a href="/org/${unit.row.id}">返回</a> · 使用浏览器的打印功能即可打印本表。</p>` : ''}
<div class="table-scroll"><table class="duty-table"><thead><tr><th scope="col">序号</th><th scope="col">岗位名称</th><th scope="col">工作事项</th><th scope="col">岗位职能描述</th><th scope="col">岗位责任描述</th><th scope="col">工作流程</th><th scope="col">牵头负责人</th><th scope="col">辅助人员</th><th scope="col">备注</th></tr></thead><tbody>${rowsOf(t.positions)}</tbody></table></div>`;
  });
  return html`${tables}`;
}
