import { site } from './site.ts';

/** Escape text for HTML element content and attribute values. Every interpolated value passes through here. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Raw HTML produced by our own templates (never user text). */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

/** Tagged template: interpolations are escaped unless they are Html (or arrays of Html). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

function render(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return esc(v);
}

export const raw = (s: string) => new Html(s);

export interface PageOptions {
  title: string;
  /** Breadcrumb trail, last one the current page. */
  crumbs?: { href?: string; label: string }[];
  body: Html;
  /** Extra class on <body>, e.g. for the print layout. */
  bodyClass?: string;
  /** A sentence for search engines and link previews. */
  description?: string;
}

/** What the shell needs to know about the request: the reading modes and the path (for the mode links). */
export interface PageContext {
  prefs: { large: boolean; contrast: boolean };
  path: string;
}

const nav: { href: string; label: string }[] = [
  { href: '/', label: '首页' },
  { href: '/xxgk', label: '政府信息公开' },
  { href: '/notices', label: '公示公告' },
  { href: '/areas', label: '重点领域' },
  { href: '/xxgk/documents', label: '政策文件' },
  { href: '/gazette', label: '政府公报' },
  { href: '/org', label: '机构职能' },
  { href: '/xxgk/apply', label: '依申请公开' },
];

function current(path: string, href: string): boolean {
  if (href === '/') return path === '/';
  if (href === '/xxgk')
    return (
      path === '/xxgk' ||
      (path.startsWith('/xxgk/') &&
        !nav.some((n) => n.href !== '/xxgk' && n.href.startsWith('/xxgk/') && path.startsWith(n.href)))
    );
  return path === href || path.startsWith(`${href}/`);
}

/**
 * The public page shell: zh-CN, skip link, landmarks, the reading-mode links (plain links that set a cookie,
 * so they work without script), a search form, no script and no inline style (the CSP forbids both).
 */
export function page(
  { title, crumbs = [], body, bodyClass, description }: PageOptions,
  pc: PageContext,
): string {
  const here = pc.path.split('#')[0] ?? '/';
  const back = encodeURIComponent(here);
  const classes = [pc.prefs.large ? 'text-large' : '', pc.prefs.contrast ? 'contrast-high' : '']
    .filter(Boolean)
    .join(' ');
  const trail = crumbs.length
    ? html`<nav class="crumbs" aria-label="当前位置"><ol>${crumbs.map((c, i) =>
        c.href && i < crumbs.length - 1
          ? html`<li><a href="${c.href}">${c.label}</a></li>`
          : html`<li aria-current="page">${c.label}</li>`,
      )}</ol></nav>`
    : '';
  const modes = html`<ul class="modes" aria-label="阅读模式">
<li>${pc.prefs.large ? html`<a href="/prefs?text=normal&amp;back=${back}">标准字号</a>` : html`<a href="/prefs?text=large&amp;back=${back}">大字号</a>`}</li>
<li>${pc.prefs.contrast ? html`<a href="/prefs?contrast=normal&amp;back=${back}">标准配色</a>` : html`<a href="/prefs?contrast=high&amp;back=${back}">高对比度</a>`}</li>
<li><a href="/accessibility">无障碍说明</a></li></ul>`;
  return `<!doctype html>${html`<html lang="zh-CN"${classes ? html` class="${classes}"` : ''}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} - ${site.name}</title>${description ? html`<meta name="description" content="${description}">` : ''}<link rel="stylesheet" href="/static/portal.css"><link rel="alternate" type="application/atom+xml" title="最新公开信息" href="/feeds/all.atom"></head><body${bodyClass ? html` class="${bodyClass}"` : ''}><a class="skip" href="#main">跳到正文</a>
<header class="site"><div class="bar"><div class="wrap"><span class="muted-light">${site.name}门户网站</span>${modes}</div></div>
<div class="wrap masthead"><a class="brand" href="/"><span class="brand-name">${site.name}</span><span class="brand-sub">政府信息公开</span></a>
<form class="site-search" role="search" aria-label="全站搜索" action="/search" method="get"><label for="site-q">站内搜索</label><input id="site-q" name="q" type="search" maxlength="100" placeholder="如：危房改造"><button type="submit">搜索</button></form></div>
<nav class="primary" aria-label="主导航"><ul class="wrap">${nav.map((n) => html`<li><a href="${n.href}"${current(here, n.href) ? html` aria-current="page"` : ''}>${n.label}</a></li>`)}</ul></nav></header>
<main id="main" class="wrap" tabindex="-1">${trail}${body}</main>
<footer class="site"><div class="wrap"><ul class="footer-links"><li><a href="/xxgk/guide">信息公开指南</a></li><li><a href="/xxgk/apply">依申请公开</a></li><li><a href="/sitemap">网站地图</a></li><li><a href="/accessibility">无障碍说明</a></li><li><a href="/feeds">订阅与开放数据</a></li></ul>
<p>主办：${site.sponsor}　地址：${site.address}　邮编：${site.postcode}</p><p>联系电话：${site.phone}（${site.hours}）</p></div></footer></body></html>`}`;
}
