import type {
  OnRequestEntry,
  PublicArea,
  PublicNotice,
  PublicRecordDetail,
  PublicRecordSummary,
} from '../../disclosure/publicQueries.ts';
import { type Html, html } from '../html.ts';
import { stageLabel } from '../labels.ts';
import { pager } from './searchPage.ts';

// Page bodies built only from the disclosure module's PUBLIC presenters (publicQueries.ts).

export function recordList(items: PublicRecordSummary[], empty = '暂无信息。'): Html {
  if (!items.length) return html`<p>${empty}</p>`;
  return html`<ul class="items">${items.map(
    (r) =>
      html`<li><a href="/records/${r.id}">${r.title}</a> <time datetime="${r.publishedOn ?? r.formedOn}">${r.publishedOn ?? r.formedOn}</time></li>`,
  )}</ul>`;
}

function noticeState(n: PublicNotice['notice']): Html {
  return html`<span class="state state-${n.state}">${n.stateName}</span>`;
}

export function noticeList(items: PublicNotice[], empty = '暂无公示。'): Html {
  if (!items.length) return html`<p>${empty}</p>`;
  return html`<ul class="items">${items.map(
    (n) =>
      html`<li><span><a href="/records/${n.id}">${n.title}</a> ${noticeState(n.notice)}</span><span class="muted">${n.notice.levelName ? `${n.notice.levelName} · ` : ''}公示期 ${n.notice.startsOn} 至 ${n.notice.endsOn}</span></li>`,
  )}</ul>`;
}

export function homeBody(input: {
  latest: PublicRecordSummary[];
  open: PublicNotice[];
  areas: PublicArea[];
}): Html {
  return html`<h1>政府信息公开</h1>
<div class="grid"><section aria-labelledby="h-latest"><h2 id="h-latest">最新信息</h2>${recordList(input.latest)}<p><a href="/xxgk/catalogue">主动公开目录</a></p></section>
<section aria-labelledby="h-open"><h2 id="h-open">正在公示</h2>${noticeList(input.open, '目前没有正在公示的事项。')}<p><a href="/notices">全部公示公告</a></p></section></div>
<section aria-labelledby="h-areas"><h2 id="h-areas">重点领域信息公开</h2><ul class="tiles">${input.areas.map(
    (a) => html`<li><a href="/areas/${a.id}">${a.name}</a></li>`,
  )}</ul></section>
<section aria-labelledby="h-more"><h2 id="h-more">政府信息公开</h2><ul class="tiles">
<li><a href="/xxgk/guide">信息公开指南</a></li><li><a href="/xxgk/rules">信息公开制度</a></li><li><a href="/xxgk/proactive">法定主动公开内容</a></li><li><a href="/xxgk/reports">年度报告</a></li><li><a href="/bodies">按发布机构</a></li><li><a href="/years">按年度</a></li><li><a href="/xxgk/on-request">依申请公开目录</a></li><li><a href="/org">机构职能</a></li></ul></section>`;
}

export function areasBody(areas: PublicArea[]): Html {
  return html`<h1>重点领域信息公开</h1>
<ul class="plain">${areas.map(
    (a) =>
      html`<li><h2><a href="/areas/${a.id}">${a.name}</a></h2>${a.scope ? html`<p>${a.scope}</p>` : ''}${
        a.subAreas.length
          ? html`<p>子领域：${a.subAreas.map((s, i) => html`${i ? '、' : ''}<a href="/areas/${a.id}/${s.id}">${s.name}</a>`)}</p>`
          : ''
      }<p class="hint">${a.stages.map((s, i) => html`${i ? ' · ' : ''}${stageLabel[s.stage] ?? s.name} ${s.published}条`)}</p></li>`,
  )}</ul>`;
}

export function areaBody(input: {
  area: PublicArea;
  sub: PublicArea['subAreas'][number] | null;
  stage: string | null;
  notices: PublicNotice[];
  records: PublicRecordSummary[];
  total: number;
  page: number;
  pageSize: number;
}): Html {
  const { area, sub, stage } = input;
  const base = sub ? `/areas/${area.id}/${sub.id}` : `/areas/${area.id}`;
  const title = `${sub ? `${area.name} · ${sub.name}` : area.name}${stage ? ` · ${stageLabel[stage] ?? ''}` : ''}`;
  return html`<h1>${title}</h1>
${!sub && area.scope ? html`<p>${area.scope}</p>` : ''}
${!sub && area.leadUnits.length ? html`<p class="hint">牵头单位：${area.leadUnits.map((u) => u.name).join('、')}</p>` : ''}
${
  !sub && area.subAreas.length
    ? html`<h2>子领域</h2><ul class="tiles">${area.subAreas.map((s) => html`<li><a href="/areas/${area.id}/${s.id}">${s.name}</a></li>`)}</ul>`
    : ''
}
<nav aria-label="公开环节"><h2>按“五公开”环节</h2><ul class="tiles">
<li><a href="${base}"${stage ? '' : html` aria-current="page"`}>全部</a></li>
${area.stages.map(
  (s) =>
    html`<li><a href="${base}?stage=${s.stage}"${stage === s.stage ? html` aria-current="page"` : ''}>${stageLabel[s.stage] ?? s.name}${sub ? '' : html` <span class="hint">${s.published}条</span>`}</a></li>`,
)}</ul></nav>
${input.notices.length ? html`<h2>公示公告</h2>${noticeList(input.notices)}` : ''}
<h2>信息列表 <span class="hint">共 ${input.total} 条</span></h2>
${recordList(input.records)}
${pager(input.page, Math.ceil(input.total / input.pageSize), (p) => `${base}?${stage ? `stage=${stage}&` : ''}page=${p}`)}
<p><a href="/feeds/areas/${area.id}.atom">订阅本领域（Atom）</a></p>`;
}

function validity(r: PublicRecordDetail, today: string): string {
  if (r.validFrom && today < r.validFrom) return `尚未生效（${r.validFrom} 起施行）`;
  if (r.validUntil && today > r.validUntil) return `已失效（有效期至 ${r.validUntil}）`;
  if (r.validFrom || r.validUntil) return `有效${r.validUntil ? `（有效期至 ${r.validUntil}）` : ''}`;
  return '有效';
}

const kb = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

export interface ObjectionFormState {
  token: string;
  error?: string;
  values?: { content?: string; name?: string; contact?: string };
}

export function recordBody(r: PublicRecordDetail, today: string, form: ObjectionFormState | null): Html {
  const paragraphs = (r.body ?? '').split(/\n+/).filter((p) => p.trim());
  const topic = [r.area?.name, r.subArea?.name].filter(Boolean).join(' / ');
  return html`<article><h1>${r.title}</h1>
<div class="table-scroll"><table class="meta"><caption class="hint">信息属性</caption><tbody>
<tr><th scope="row">索引号</th><td>${r.indexNumber}</td><th scope="row">主题分类</th><td>${topic || '—'}${r.area ? html` · ${stageLabel[r.stage] ?? r.stageName}` : ''}</td></tr>
<tr><th scope="row">发布机构</th><td>${r.disclosingBody ? html`<a href="/bodies/${r.disclosingBody.id}">${r.disclosingBody.name}</a>` : '—'}</td><th scope="row">生成日期</th><td>${r.formedOn}</td></tr>
<tr><th scope="row">文号</th><td>${r.documentNumber ?? '无'}</td><th scope="row">公开方式</th><td>${r.attributeName}${r.channels.length ? `（${r.channels.join('、')}）` : ''}</td></tr>
<tr><th scope="row">有效性</th><td>${validity(r, today)}</td><th scope="row">发布日期</th><td>${r.publishedOn ?? '—'}</td></tr>
</tbody></table></div>
${r.notice ? noticeBox(r, form) : ''}
${r.summary ? html`<h2>内容概述</h2><p>${r.summary}</p>` : ''}
${paragraphs.length ? html`<h2>正文</h2><div class="doc">${paragraphs.map((p) => html`<p>${p}</p>`)}</div>` : ''}
${
  r.attachments.length
    ? html`<h2>附件</h2><ul>${r.attachments.map((a) => html`<li><a href="${a.url}" download>${a.fileName}</a> <span class="hint">${kb(a.size)}</span></li>`)}</ul>`
    : ''
}</article>`;
}

function noticeBox(r: PublicRecordDetail, form: ObjectionFormState | null): Html {
  const n = r.notice;
  if (!n) return html``;
  const head = html`<p><strong>${n.levelName ?? ''}公示</strong> ${html`<span class="state state-${n.state}">${n.stateName}</span>`}　公示期：${n.startsOn} 至 ${n.endsOn}</p>`;
  if (n.state === 'upcoming')
    return html`<section class="notice-box" aria-label="公示信息">${head}<p>公示开始后可以在本页提出异议。</p></section>`;
  if (n.state === 'closed' || !form)
    return html`<section class="notice-box" aria-label="公示信息">${head}<p>公示期已结束，不再受理异议。</p></section>`;
  const v = form.values ?? {};
  return html`<section class="notice-box" aria-labelledby="obj-h">${head}
<h2 id="obj-h">提出异议</h2>
<p>对公示内容有异议的，请在公示期内提出，并写明事实和理由。发布单位将在公示期满后核实处理。您的姓名和联系方式只用于核实，不会公开。</p>
${form.error ? html`<p class="error" role="alert" id="obj-err">${form.error}</p>` : ''}
<form method="post" action="/records/${r.id}/objections">
<input type="hidden" name="token" value="${form.token}">
<div class="hp" aria-hidden="true"><label for="obj-website">请勿填写此项</label><input id="obj-website" name="website" tabindex="-1" autocomplete="off"></div>
<div class="field"><label for="obj-content">异议内容（必填）</label><textarea id="obj-content" name="content" rows="5" maxlength="2000" required${form.error ? html` aria-describedby="obj-err"` : ''}>${v.content ?? ''}</textarea></div>
<div class="field"><label for="obj-name">姓名（可不填）</label><input id="obj-name" name="name" maxlength="50" autocomplete="name" value="${v.name ?? ''}"></div>
<div class="field"><label for="obj-contact">联系电话（可不填，便于回复）</label><input id="obj-contact" name="contact" maxlength="50" autocomplete="tel" inputmode="tel" value="${v.contact ?? ''}"></div>
<p><button type="submit">提交异议</button></p></form></section>`;
}

export function noticesBody(input: {
  state: string;
  items: PublicNotice[];
  total: number;
  page: number;
  pageSize: number;
}): Html {
  const tabs: [string, string][] = [
    ['open', '正在公示'],
    ['upcoming', '即将公示'],
    ['closed', '已结束'],
  ];
  return html`<h1>公示公告</h1>
<nav aria-label="公示状态"><ul class="tiles">${tabs.map(
    ([s, label]) =>
      html`<li><a href="/notices?state=${s}"${input.state === s ? html` aria-current="page"` : ''}>${label}</a></li>`,
  )}</ul></nav>
<h2>${tabs.find((t) => t[0] === input.state)?.[1] ?? ''} <span class="hint">共 ${input.total} 条</span></h2>
${noticeList(input.items)}
${pager(input.page, Math.ceil(input.total / input.pageSize), (p) => `/notices?state=${input.state}&page=${p}`)}
<p><a href="/feeds/notices.atom">订阅公示公告（Atom）</a></p>`;
}

export function onRequestBody(input: {
  items: OnRequestEntry[];
  total: number;
  page: number;
  pageSize: number;
}): Html {
  return html`<h1>依申请公开目录</h1>
<p>下列政府信息可以依申请公开。如需获取，请按<a href="/xxgk/apply">依申请公开</a>的说明提出申请。</p>
<div class="table-scroll"><table><thead><tr><th scope="col">索引号</th><th scope="col">名称</th><th scope="col">文号</th><th scope="col">发布机构</th><th scope="col">生成日期</th></tr></thead><tbody>
${input.items.map((e) => html`<tr><td>${e.indexNumber}</td><td>${e.title}</td><td>${e.documentNumber ?? ''}</td><td>${e.disclosingBody?.name ?? ''}</td><td>${e.formedOn}</td></tr>`)}
</tbody></table></div>
${input.items.length ? '' : html`<p>暂无。</p>`}
${pager(input.page, Math.ceil(input.total / input.pageSize), (p) => `/xxgk/on-request?page=${p}`)}
<p><a href="/xxgk/on-request.csv">下载依申请公开目录（CSV）</a></p>`;
}

export function catalogueTable(items: PublicRecordSummary[]): Html {
  return html`<div class="table-scroll"><table><thead><tr><th scope="col">索引号</th><th scope="col">名称</th><th scope="col">文号</th><th scope="col">发布机构</th><th scope="col">生成日期</th></tr></thead><tbody>
${items.map((r) => html`<tr><td>${r.indexNumber}</td><td><a href="/records/${r.id}">${r.title}</a></td><td>${r.documentNumber ?? ''}</td><td>${r.disclosingBody?.name ?? ''}</td><td>${r.formedOn}</td></tr>`)}
</tbody></table></div>`;
}
