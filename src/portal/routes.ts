import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../context.ts';
import { publicAreas } from '../disclosure/publicQueries.ts';
import { listUnitRows, unitViews } from '../registry/queries.ts';
import { registerRequestPages } from '../requests/portalPages.ts';
import { type SearchFilters, search } from '../search/searchIndex.ts';
import type { Store } from '../store/store.ts';
import { html } from './html.ts';
import { registerPortalHeaders, sendPage } from './http.ts';
import { dutyTableBody, unitBody, unitListBody } from './pages/orgPages.ts';
import { searchBody } from './pages/searchPage.ts';
import {
  accessibilityBody,
  applyBody,
  guideBody,
  proactiveBody,
  rulesBody,
  xxgkIndexBody,
} from './pages/xxgkPages.ts';
import { registerPrefs } from './prefs.ts';
import { publishedBodies, publishedYears, syncRecordIndex } from './recordIndex.ts';
import { registerRecordRoutes } from './recordRoutes.ts';
import { registerStatic } from './static.ts';

export interface PortalDeps {
  store: Store;
  contextFor(req: FastifyRequest): Promise<Context>;
}

const home = { href: '/', label: '首页' };
const xxgk = { href: '/xxgk', label: '政府信息公开' };

/** The 404 page in the site's shell, so a visitor who followed a stale link can still find their way. */
export function notFound(req: FastifyRequest, reply: FastifyReply, what = '页面') {
  return sendPage(
    req,
    reply,
    {
      title: `${what}不存在`,
      body: html`<h1>${what}不存在</h1><p>您访问的${what}不存在或者已经撤下。可以回到<a href="/">首页</a>，或者<a href="/search">搜索</a>需要的信息。</p>`,
    },
    { status: 404 },
  );
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 100) : '');

/** Public pages: server-rendered, no script. */
export async function registerPortal(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  registerPortalHeaders(app);
  registerStatic(app);
  registerPrefs(app);

  registerRecordRoutes(app, deps, notFound);
  registerRequestPages(app, deps);

  const staticPages: [string, string, () => ReturnType<typeof html>][] = [
    ['/xxgk/guide', '政府信息公开指南', guideBody],
    ['/xxgk/rules', '政府信息公开制度', rulesBody],
    ['/xxgk/proactive', '法定主动公开内容', proactiveBody],
    ['/xxgk/apply', '依申请公开', applyBody],
  ];
  app.get('/xxgk', async (req, reply) =>
    sendPage(req, reply, {
      title: '政府信息公开',
      crumbs: [home, { label: '政府信息公开' }],
      body: xxgkIndexBody(),
    }),
  );
  for (const [path, title, body] of staticPages) {
    app.get(path, async (req, reply) =>
      sendPage(req, reply, { title, crumbs: [home, xxgk, { label: title }], body: body() }),
    );
  }
  app.get('/accessibility', async (req, reply) =>
    sendPage(req, reply, {
      title: '无障碍说明',
      crumbs: [home, { label: '无障碍说明' }],
      body: accessibilityBody(),
    }),
  );

  app.get('/search', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const q = req.query as Record<string, unknown>;
    const query = text(q.q);
    const year = Number.parseInt(text(q.year), 10);
    const filters: SearchFilters = {
      ...(text(q.area) ? { area: text(q.area) } : {}),
      ...(text(q.stage) ? { stage: text(q.stage) } : {}),
      ...(text(q.unit) ? { unit: text(q.unit) } : {}),
      ...(Number.isInteger(year) && year > 1900 && year < 3000 ? { year } : {}),
      ...(text(q.kind) ? { kind: text(q.kind) } : {}),
    };
    const sort = q.sort === 'date' ? 'date' : 'relevance';
    const page = Number.parseInt(text(q.page), 10) || 1;
    if (query) await syncRecordIndex(ctx);
    const result = query ? await search(ctx, query, filters, { page, sort, pageSize: 10 }) : null;
    let perWord: { word: string; total: number; totalIsLowerBound: boolean }[] | undefined;
    if (result && result.total === 0 && result.words.length) {
      perWord = [];
      for (const word of result.words.length > 1 ? result.words : []) {
        // the page's own page size, so the count matches the page the link opens
        const alone = await search(ctx, word, {}, { pageSize: 10 });
        perWord.push({ word, total: alone.total, totalIsLowerBound: alone.totalIsLowerBound });
      }
    }
    const options = await searchOptions(ctx);
    return sendPage(req, reply, {
      title: query ? `搜索：${query}` : '站内搜索',
      crumbs: [home, { label: '站内搜索' }],
      body: searchBody({ query, filters, sort, result, options, ...(perWord ? { perWord } : {}) }),
    });
  });

  app.get('/org', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const views = await unitViews(ctx.db, await listUnitRows(ctx.db), ctx.now());
    return sendPage(req, reply, {
      title: '机构职能',
      crumbs: [home, { label: '机构职能' }],
      body: unitListBody(views),
    });
  });

  app.get('/org/:id', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const rows = await listUnitRows(ctx.db, { root: (req.params as { id: string }).id });
    const [unit, ...descendants] = await unitViews(ctx.db, rows, ctx.now());
    if (!unit) return notFound(req, reply);
    return sendPage(req, reply, {
      title: unit.row.name,
      crumbs: [home, { href: '/org', label: '机构职能' }, { label: unit.row.name }],
      body: unitBody(unit, descendants),
    });
  });

  app.get('/org/:id/table', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const rows = await listUnitRows(ctx.db, { root: (req.params as { id: string }).id });
    const [unit, ...descendants] = await unitViews(ctx.db, rows, ctx.now());
    if (!unit) return notFound(req, reply);
    // a 所属单位's table prints whom it belongs to (隶属关系)
    const parent = unit.row.parent_id
      ? ((await listUnitRows(ctx.db, { root: unit.row.parent_id }))[0] ?? null)
      : null;
    return sendPage(req, reply, {
      title: `${unit.row.name}定岗定责定流程表`,
      crumbs: [home, { href: `/org/${unit.row.id}`, label: unit.row.name }, { label: '定岗定责定流程表' }],
      body: dutyTableBody(unit, descendants, parent),
      bodyClass: 'print',
    });
  });
}

/** The filter choices of the search form, cached briefly: they change only when something is published. */
let optionsCache: { at: number; value: Awaited<ReturnType<typeof loadOptions>> } | null = null;
async function searchOptions(ctx: Context) {
  if (!optionsCache || Date.now() - optionsCache.at > 30_000) {
    optionsCache = { at: Date.now(), value: await loadOptions(ctx) };
  }
  return optionsCache.value;
}

async function loadOptions(ctx: Context) {
  const [areas, bodies, years] = await Promise.all([
    publicAreas(ctx.db),
    publishedBodies(ctx.db),
    publishedYears(ctx.db),
  ]);
  return {
    areas: areas.map((a) => ({ id: a.id, name: a.name })),
    units: bodies.map((b) => ({ id: b.id, name: b.name })),
    years: years.map((y) => y.year),
  };
}
