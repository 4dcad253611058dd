import type { SearchFilters, SearchResult } from '../../search/searchIndex.ts';
import { type Html, html, raw } from '../html.ts';
import { dateOf, kindLabel, stageLabel, stageOrder } from '../labels.ts';

export interface SearchPageInput {
  query: string;
  filters: SearchFilters;
  sort: 'relevance' | 'date';
  result: SearchResult | null;
  options: { areas: { id: string; name: string }[]; units: { id: string; name: string }[]; years: number[] };
  /** When nothing matched: how many hits each word alone would give (at least, when totalIsLowerBound). */
  perWord?: { word: string; total: number; totalIsLowerBound?: boolean }[];
}

/** A count as the page shows it: digits grouped by thousands, "以上" when more match than were counted. */
function countText(total: number, more = false, gap = ' '): string {
  return `${String(total).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${gap}${more ? '条以上' : '条'}`;
}

function select(
  name: string,
  label: string,
  value: string | number | undefined,
  opts: { value: string | number; label: string }[],
): Html {
  return html`<div class="field"><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}"><option value="">全部</option>${opts.map(
    (o) =>
      html`<option value="${o.value}"${String(o.value) === String(value ?? '') ? raw(' selected') : ''}>${o.label}</option>`,
  )}</select></div>`;
}

export function searchPath(query: string, filters: SearchFilters, sort: string, page = 1): string {
  const p = new URLSearchParams();
  if (query) p.set('q', query);
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') p.set(k, String(v));
  if (sort !== 'relevance') p.set('sort', sort);
  if (page > 1) p.set('page', String(page));
  return `/search?${p.toString()}`;
}

export function searchBody(input: SearchPageInput): Html {
  const { query, filters, result, options, sort } = input;
  const areaName = new Map(options.areas.map((a) => [a.id, a.name]));
  const form = html`<form class="search-form" action="/search" method="get" role="search" aria-label="按条件搜索">
<div class="field"><label for="q">搜索词</label><input id="q" name="q" type="search" value="${query}" maxlength="100" placeholder="如：危房改造、保障性住房"></div>
<fieldset class="filters"><legend>筛选（可不选）</legend>
${select(
  'area',
  '领域',
  filters.area,
  options.areas.map((a) => ({ value: a.id, label: a.name })),
)}
${select(
  'stage',
  '公开环节',
  filters.stage,
  stageOrder.map((s) => ({ value: s, label: stageLabel[s] ?? s })),
)}
${select(
  'unit',
  '发布机构',
  filters.unit,
  options.units.map((u) => ({ value: u.id, label: u.name })),
)}
${select(
  'year',
  '年度',
  filters.year,
  options.years.map((y) => ({ value: y, label: `${y}年` })),
)}
<div class="field"><label for="f-sort">排序</label><select id="f-sort" name="sort"><option value="relevance">按相关度</option><option value="date"${sort === 'date' ? raw(' selected') : ''}>按时间（最新在前）</option></select></div>
</fieldset>
<p><button type="submit">搜索</button></p></form>`;
  if (!result) return html`<h1>站内搜索</h1>${form}<p>请输入要查找的内容，例如“危房改造”“住房”“低保”。</p>`;
  if (result.total === 0) {
    const filtered = Object.values(filters).some((v) => v !== undefined && v !== '');
    return html`<h1>站内搜索</h1>${form}
<section class="notice-box" aria-labelledby="none-h"><h2 id="none-h">没有找到与“${query}”相关的信息</h2>
<p>您可以：</p><ul>
${filtered ? html`<li><a href="${searchPath(query, {}, sort)}">取消筛选条件，在全部信息中查找“${query}”</a></li>` : ''}
${(input.perWord ?? [])
  .filter((w) => w.total > 0)
  .map(
    (w) =>
      html`<li>只搜“<a href="${searchPath(w.word, {}, sort)}">${w.word}</a>”（${countText(w.total, w.totalIsLowerBound, '')}）</li>`,
  )}
<li>检查是否有错别字，或者换一个说法，用更短的词，例如“危房”而不是“危旧房屋”</li>
<li>按<a href="/areas">领域</a>、<a href="/bodies">发布机构</a>或<a href="/years">年度</a>浏览，查看<a href="/notices">公示公告</a></li>
<li>没有公开的信息，可以<a href="/xxgk/apply">依申请公开</a>，或者拨打政府信息公开咨询电话</li></ul></section>`;
  }
  const pages = Math.ceil(result.ranked / result.pageSize);
  return html`<h1>站内搜索</h1>${form}
<h2>找到 ${countText(result.total, result.totalIsLowerBound)}与“${query}”相关的信息</h2>
${hint(input, result)}
<ol class="plain hits">${result.hits.map(
    (h) => html`<li><h3><a href="${h.url}">${raw(h.titleHtml)}</a></h3><p>${raw(h.snippetHtml)}</p>
<p class="hint">${kindLabel[h.kind] ?? ''}${h.unitName ? ` · ${h.unitName}` : ''}${h.area && areaName.get(h.area) ? ` · ${areaName.get(h.area)}` : ''}${h.stage ? ` · ${stageLabel[h.stage] ?? ''}` : ''} · <time datetime="${dateOf(h.publishedAt)}">${dateOf(h.publishedAt)}</time></p></li>`,
  )}</ol>
${pager(result.page, pages, (p) => searchPath(query, filters, sort, p))}`;
}

/**
 * Why the pages do not reach every match: relevance orders only the newest matches (ADR 0006), and no order
 * goes past the last page (the total is counted only that far).
 */
function hint({ query, filters }: SearchPageInput, result: SearchResult): Html | string {
  const narrow = '也可以加上领域、机构、年度等条件缩小范围';
  const byDate = searchPath(query, filters, 'date');
  if (result.ranked < result.total)
    return result.totalIsLowerBound
      ? html`<p class="hint">结果较多，按相关度排列的是最新的 ${countText(result.ranked)}；<a href="${byDate}">按时间排序</a>可以查看最新的 ${countText(result.total)}，${narrow}。</p>`
      : html`<p class="hint">结果较多，按相关度排列的是最新的 ${countText(result.ranked)}；<a href="${byDate}">按时间排序</a>可以查看全部，${narrow}。</p>`;
  if (result.totalIsLowerBound)
    return html`<p class="hint">结果较多，只列出最新的 ${countText(result.total)}，${narrow}。</p>`;
  return '';
}

export function pager(page: number, pages: number, href: (p: number) => string): Html | string {
  if (pages <= 1) return '';
  return html`<nav aria-label="分页"><ul class="pager">
${page > 1 ? html`<li><a href="${href(page - 1)}" rel="prev">上一页</a></li>` : ''}
<li>第 ${page} 页，共 ${pages} 页</li>
${page < pages ? html`<li><a href="${href(page + 1)}" rel="next">下一页</a></li>` : ''}</ul></nav>`;
}
