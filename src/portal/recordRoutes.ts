import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../context.ts';
import {
  publicAreas as loadPublicAreas,
  onRequestCatalogue,
  type PublicArea,
  type PublicNotice,
  publicNotices,
  publicRecord,
  publicRecords,
  publishedRecordCount,
  publishedRecordLocations,
} from '../disclosure/publicQueries.ts';
import type { Stage } from '../disclosure/tables.ts';
import { search } from '../search/searchIndex.ts';
import { runIdempotent } from '../security/idempotency.ts';
import { RateLimiter } from '../security/rateLimit.ts';
import { AggregateCache, forgetOnWrite } from './aggregateCache.ts';
import { atomFeed, csv } from './feeds.ts';
import { registerGazette } from './gazette.ts';
import { html } from './html.ts';
import { sendCached, sendPage } from './http.ts';
import { dateOf, stageLabel, stageOrder } from './labels.ts';
import { objectionReceiver } from './objectionReceiver.ts';
import {
  areaBody,
  areasBody,
  catalogueTable,
  homeBody,
  noticesBody,
  onRequestBody,
  recordBody,
  recordList,
} from './pages/recordPages.ts';
import { pager } from './pages/searchPage.ts';
import { publishedBodies, publishedUpdatedAt, publishedYears, syncRecordIndex } from './recordIndex.ts';
import type { PortalDeps } from './routes.ts';

const home = { href: '/', label: '首页' };
const xxgk = { href: '/xxgk', label: '政府信息公开' };
const pageSize = 20;

const pageOf = (req: FastifyRequest) => {
  const p = Number.parseInt(String((req.query as Record<string, unknown>).page ?? '1'), 10);
  return Number.isInteger(p) && p >= 1 && p <= 10_000 ? p : 1;
};
const stageOf = (req: FastifyRequest): Stage | null => {
  const s = (req.query as Record<string, unknown>).stage;
  return typeof s === 'string' && (stageOrder as readonly string[]).includes(s) ? (s as Stage) : null;
};
const origin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;
const chinaToday = (now: Date) => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

export function registerRecordRoutes(
  app: FastifyInstance,
  deps: PortalDeps,
  notFound: (req: FastifyRequest, reply: FastifyReply, what?: string) => FastifyReply,
): void {
  // Counts over every published record, kept per app (src/portal/aggregateCache.ts).
  const areasCache = new AggregateCache(loadPublicAreas);
  const bodiesCache = new AggregateCache(publishedBodies);
  const yearsCache = new AggregateCache(publishedYears);
  forgetOnWrite(app, [areasCache, bodiesCache, yearsCache]);
  const publicAreas = (db: Context['db']): Promise<PublicArea[]> => areasCache.get(db);
  app.get('/', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const [latest, open, areas] = await Promise.all([
      publicRecords(ctx.db, { limit: 10 }),
      publicNotices(ctx.db, ctx.now(), { state: 'open', limit: 8 }),
      publicAreas(ctx.db),
    ]);
    return sendPage(req, reply, {
      title: '首页',
      description: '温州市瓯海区政府信息公开：最新信息、公示公告、重点领域信息公开。',
      body: homeBody({ latest: latest.items, open: open.items, areas }),
    });
  });

  app.get('/areas', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    return sendPage(req, reply, {
      title: '重点领域信息公开',
      crumbs: [home, xxgk, { label: '重点领域' }],
      body: areasBody(await publicAreas(ctx.db)),
    });
  });

  const areaPage = async (req: FastifyRequest, reply: FastifyReply, areaId: string, subId: string | null) => {
    const ctx = await deps.contextFor(req);
    const area = (await publicAreas(ctx.db)).find((a) => a.id === areaId);
    const sub = subId ? (area?.subAreas.find((s) => s.id === subId) ?? null) : null;
    if (!area || (subId && !sub)) return notFound(req, reply);
    const stage = stageOf(req);
    const page = pageOf(req);
    const filter = {
      areaId: area.id,
      ...(sub ? { subAreaId: sub.id } : {}),
      ...(stage ? { stage } : {}),
    };
    const [records, notices] = await Promise.all([
      publicRecords(ctx.db, { ...filter, limit: pageSize, offset: (page - 1) * pageSize }),
      page === 1 && !sub && !stage
        ? publicNotices(ctx.db, ctx.now(), { areaId: area.id, limit: 10 })
        : Promise.resolve({ total: 0, items: [] as PublicNotice[] }),
    ]);
    const crumbs = [home, { href: '/areas', label: '重点领域' }];
    if (sub) crumbs.push({ href: `/areas/${area.id}`, label: area.name });
    return sendPage(req, reply, {
      title: sub ? `${area.name} · ${sub.name}` : area.name,
      crumbs: [...crumbs, { label: sub ? sub.name : area.name }],
      body: areaBody({
        area,
        sub,
        stage,
        notices: notices.items,
        records: records.items,
        total: records.total,
        page,
        pageSize,
      }),
    });
  };
  app.get('/areas/:area', async (req, reply) =>
    areaPage(req, reply, (req.params as { area: string }).area, null),
  );
  app.get('/areas/:area/:sub', async (req, reply) => {
    const p = req.params as { area: string; sub: string };
    return areaPage(req, reply, p.area, p.sub);
  });

  app.get('/bodies', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const bodies = await bodiesCache.get(ctx.db);
    return sendPage(req, reply, {
      title: '按发布机构浏览',
      crumbs: [home, xxgk, { label: '按发布机构' }],
      body: html`<h1>按发布机构浏览</h1><ul class="tiles">${bodies.map((b) => html`<li><a href="/bodies/${b.id}">${b.name}</a> <span class="hint">${b.n}条</span></li>`)}</ul>`,
    });
  });
  app.get('/bodies/:id', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const id = (req.params as { id: string }).id;
    const body = (await bodiesCache.get(ctx.db)).find((b) => b.id === id);
    if (!body) return notFound(req, reply);
    const page = pageOf(req);
    const r = await publicRecords(ctx.db, { unitId: id, limit: pageSize, offset: (page - 1) * pageSize });
    return sendPage(req, reply, {
      title: body.name,
      crumbs: [home, xxgk, { href: '/bodies', label: '按发布机构' }, { label: body.name }],
      body: html`<h1>${body.name}</h1><p><a href="/org/${id}">机构职能</a></p><h2>主动公开信息 <span class="hint">共 ${r.total} 条</span></h2>${recordList(r.items)}${pager(page, Math.ceil(r.total / pageSize), (p) => `/bodies/${id}?page=${p}`)}`,
    });
  });

  app.get('/years', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const years = await yearsCache.get(ctx.db);
    return sendPage(req, reply, {
      title: '按年度浏览',
      crumbs: [home, xxgk, { label: '按年度' }],
      body: html`<h1>按年度浏览</h1><ul class="tiles">${years.map((y) => html`<li><a href="/years/${y.year}">${y.year}年</a> <span class="hint">${y.n}条</span></li>`)}</ul>`,
    });
  });
  app.get('/years/:year', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const year = Number.parseInt((req.params as { year: string }).year, 10);
    if (!Number.isInteger(year) || year < 1949 || year > 2200) return notFound(req, reply);
    const page = pageOf(req);
    const r = await publicRecords(ctx.db, { year, limit: pageSize, offset: (page - 1) * pageSize });
    return sendPage(req, reply, {
      title: `${year}年`,
      crumbs: [home, xxgk, { href: '/years', label: '按年度' }, { label: `${year}年` }],
      body: html`<h1>${year}年主动公开信息</h1><p class="hint">共 ${r.total} 条</p>${recordList(r.items)}${pager(page, Math.ceil(r.total / pageSize), (p) => `/years/${year}?page=${p}`)}`,
    });
  });

  app.get('/records/:id', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const id = (req.params as { id: string }).id;
    const r = await publicRecord(ctx.db, id, ctx.now());
    if (!r) return notFound(req, reply, '信息');
    const crumbs = [home, xxgk];
    if (r.area) crumbs.push({ href: `/areas/${r.area.id}`, label: r.area.name });
    const open = r.notice?.state === 'open';
    return sendPage(
      req,
      reply,
      {
        title: r.title,
        description: r.summary ?? r.title,
        crumbs: [...crumbs, { label: r.title }],
        body: recordBody(r, chinaToday(ctx.now()), open ? { token: newToken() } : null),
      },
      // An open notice's page carries a fresh form token, so it is never served from a validator.
      open ? { type: 'text/html; charset=utf-8' } : { lastModified: await publishedUpdatedAt(ctx.db, id) },
    );
  });

  registerObjections(app, deps, notFound);

  app.get('/notices', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const q = (req.query as Record<string, unknown>).state;
    const state = q === 'upcoming' || q === 'closed' ? q : 'open';
    const page = pageOf(req);
    const r = await publicNotices(ctx.db, ctx.now(), {
      state,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return sendPage(req, reply, {
      title: '公示公告',
      crumbs: [home, { label: '公示公告' }],
      body: noticesBody({ state, items: r.items, total: r.total, page, pageSize }),
    });
  });

  app.get('/xxgk/catalogue', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const page = pageOf(req);
    const r = await publicRecords(ctx.db, { limit: pageSize, offset: (page - 1) * pageSize });
    return sendPage(req, reply, {
      title: '主动公开目录',
      crumbs: [home, xxgk, { label: '主动公开目录' }],
      body: html`<h1>主动公开目录</h1><p class="hint">共 ${r.total} 条 · <a href="/xxgk/catalogue.csv">下载目录（CSV）</a> · <a href="/api/v1/public/records">开放数据接口（JSON）</a></p>${catalogueTable(r.items)}${pager(page, Math.ceil(r.total / pageSize), (p) => `/xxgk/catalogue?page=${p}`)}`,
    });
  });
  app.get('/xxgk/catalogue.csv', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const rows: (string | null)[][] = [];
    for (let offset = 0; ; offset += 200) {
      const r = await publicRecords(ctx.db, { limit: 200, offset });
      for (const x of r.items) {
        rows.push([
          x.indexNumber,
          x.title,
          x.documentNumber,
          x.disclosingBody?.name ?? '',
          x.area?.name ?? '',
          stageLabel[x.stage] ?? x.stageName,
          x.formedOn,
          x.publishedOn,
          `${origin(req)}/records/${x.id}`,
        ]);
      }
      if (r.items.length < 200) break;
    }
    return sendCached(
      req,
      reply,
      csv(['索引号', '名称', '文号', '发布机构', '领域', '公开环节', '生成日期', '发布日期', '网址'], rows),
      { type: 'text/csv; charset=utf-8', filename: '主动公开目录.csv' },
    );
  });

  app.get('/xxgk/on-request', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const page = pageOf(req);
    const r = await onRequestCatalogue(ctx.db, { limit: pageSize, offset: (page - 1) * pageSize });
    return sendPage(req, reply, {
      title: '依申请公开目录',
      crumbs: [home, xxgk, { label: '依申请公开目录' }],
      body: onRequestBody({ items: r.items, total: r.total, page, pageSize }),
    });
  });
  app.get('/xxgk/on-request.csv', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const rows: (string | null)[][] = [];
    for (let offset = 0; ; offset += 200) {
      const r = await onRequestCatalogue(ctx.db, { limit: 200, offset });
      for (const x of r.items) {
        rows.push([x.indexNumber, x.title, x.documentNumber, x.disclosingBody?.name ?? '', x.formedOn]);
      }
      if (r.items.length < 200) break;
    }
    return sendCached(req, reply, csv(['索引号', '名称', '文号', '发布机构', '生成日期'], rows), {
      type: 'text/csv; charset=utf-8',
      filename: '依申请公开目录.csv',
    });
  });

  app.get('/xxgk/documents', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const [policies, documents] = await Promise.all([
      publicRecords(ctx.db, { kind: 'policy', limit: 200 }),
      publicRecords(ctx.db, { kind: 'document', limit: 200 }),
    ]);
    return sendPage(req, reply, {
      title: '公文索引目录',
      crumbs: [home, xxgk, { label: '公文索引目录' }],
      body: html`<h1>公文索引目录</h1><h2>政策文件（规范性文件）</h2>${catalogueTable(policies.items)}<h2>其他公文</h2>${
        documents.items.length ? catalogueTable(documents.items) : html`<p>暂无。</p>`
      }`,
    });
  });

  app.get('/xxgk/reports', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    await syncRecordIndex(ctx);
    const r = await search(
      ctx,
      '政府信息公开工作年度报告',
      { kind: 'record' },
      { pageSize: 50, sort: 'date' },
    );
    return sendPage(req, reply, {
      title: '政府信息公开工作年度报告',
      crumbs: [home, xxgk, { label: '年度报告' }],
      body: html`<h1>政府信息公开工作年度报告</h1>${
        r.hits.length
          ? html`<ul class="items">${r.hits.map((h) => html`<li><a href="${h.url}">${h.title}</a> <time>${dateOf(h.publishedAt)}</time></li>`)}</ul>`
          : html`<p>年度报告发布后在此列出。每年1月31日前公布上一年度的政府信息公开工作年度报告。</p>`
      }`,
    });
  });

  registerGazette(app, deps, notFound);

  // —— feeds and open data ——
  const feed = async (
    req: FastifyRequest,
    reply: FastifyReply,
    title: string,
    items: Parameters<typeof atomFeed>[0]['items'],
  ) =>
    sendCached(req, reply, atomFeed({ base: origin(req), path: req.url, title, items }), {
      type: 'application/atom+xml; charset=utf-8',
    });
  app.get('/feeds/all.atom', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    return feed(req, reply, '最新公开信息', (await publicRecords(ctx.db, { limit: 50 })).items);
  });
  app.get('/feeds/notices.atom', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    return feed(req, reply, '公示公告', (await publicNotices(ctx.db, ctx.now(), { limit: 50 })).items);
  });
  app.get('/feeds/areas/:file', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const id = (req.params as { file: string }).file.replace(/\.atom$/, '');
    const area = (await publicAreas(ctx.db)).find((a) => a.id === id);
    if (!area) return notFound(req, reply);
    return feed(req, reply, area.name, (await publicRecords(ctx.db, { areaId: id, limit: 50 })).items);
  });
  app.get('/feeds', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const areas = await publicAreas(ctx.db);
    return sendPage(req, reply, {
      title: '订阅与开放数据',
      crumbs: [home, { label: '订阅与开放数据' }],
      body: html`<h1>订阅与开放数据</h1><h2>Atom 订阅</h2><ul><li><a href="/feeds/all.atom">最新公开信息</a></li><li><a href="/feeds/notices.atom">公示公告</a></li>${areas.map((a) => html`<li><a href="/feeds/areas/${a.id}.atom">${a.name}</a></li>`)}</ul>
<h2>开放数据</h2><ul><li><a href="/xxgk/catalogue.csv">主动公开目录（CSV）</a></li><li><a href="/xxgk/on-request.csv">依申请公开目录（CSV）</a></li><li><a href="/api/v1/public/records">主动公开信息接口（JSON，可按 area、stage、unit、year 筛选，limit/offset 分页）</a></li><li><a href="/api/v1/openapi.json">接口说明（OpenAPI）</a></li></ul>`,
    });
  });

  // Sitemaps (sitemaps.org): an index of files of at most 50,000 URLs each — the pages, then the records oldest
  // first, so a file's content only changes when a record is withdrawn and new records land in the last file.
  app.get('/sitemap.xml', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const base = origin(req);
    const files = sitemapRecordFiles(await publishedRecordCount(ctx.db));
    const loc = [
      '/sitemaps/pages.xml',
      ...Array.from({ length: files }, (_, i) => `/sitemaps/records/${i + 1}.xml`),
    ];
    return sendCached(
      req,
      reply,
      `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${loc.map((u) => `<sitemap><loc>${base}${u}</loc></sitemap>`).join('')}</sitemapindex>`,
      { type: 'application/xml; charset=utf-8' },
    );
  });
  app.get('/sitemaps/pages.xml', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const base = origin(req);
    const urls: string[] = [
      '/',
      '/xxgk',
      '/xxgk/guide',
      '/xxgk/rules',
      '/xxgk/proactive',
      '/xxgk/catalogue',
      '/xxgk/on-request',
      '/xxgk/documents',
      '/notices',
      '/areas',
      '/bodies',
      '/years',
      '/gazette',
      '/org',
    ];
    for (const a of await publicAreas(ctx.db)) {
      urls.push(`/areas/${a.id}`, ...a.subAreas.map((s) => `/areas/${a.id}/${s.id}`));
    }
    return sendCached(req, reply, urlset(urls.map((u) => `<url><loc>${base}${u}</loc></url>`)), {
      type: 'application/xml; charset=utf-8',
    });
  });
  app.get('/sitemaps/records/:file', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const m = /^([1-9]\d{0,5})\.xml$/.exec((req.params as { file: string }).file);
    const n = m ? Number(m[1]) : 0;
    if (!n || n > sitemapRecordFiles(await publishedRecordCount(ctx.db))) return notFound(req, reply);
    const base = origin(req);
    const rows = await publishedRecordLocations(ctx.db, {
      offset: (n - 1) * sitemapUrlsPerFile,
      limit: sitemapUrlsPerFile,
    });
    return sendCached(
      req,
      reply,
      urlset(
        rows.map(
          (x) =>
            `<url><loc>${base}/records/${x.id}</loc>${x.publishedOn ? `<lastmod>${x.publishedOn}</lastmod>` : ''}</url>`,
        ),
      ),
      { type: 'application/xml; charset=utf-8' },
    );
  });
  app.get('/sitemap', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const areas = await publicAreas(ctx.db);
    return sendPage(req, reply, {
      title: '网站地图',
      crumbs: [home, { label: '网站地图' }],
      body: html`<h1>网站地图</h1><div class="grid"><section><h2>政府信息公开</h2><ul><li><a href="/xxgk/guide">信息公开指南</a></li><li><a href="/xxgk/rules">信息公开制度</a></li><li><a href="/xxgk/proactive">法定主动公开内容</a></li><li><a href="/xxgk/reports">年度报告</a></li><li><a href="/xxgk/catalogue">主动公开目录</a></li><li><a href="/xxgk/on-request">依申请公开目录</a></li><li><a href="/xxgk/documents">公文索引目录</a></li><li><a href="/gazette">政府公报</a></li><li><a href="/notices">公示公告</a></li><li><a href="/bodies">按发布机构</a></li><li><a href="/years">按年度</a></li></ul></section>
<section><h2>重点领域</h2><ul>${areas.map((a) => html`<li><a href="/areas/${a.id}">${a.name}</a></li>`)}</ul></section>
<section><h2>其他</h2><ul><li><a href="/org">机构职能</a></li><li><a href="/search">站内搜索</a></li><li><a href="/feeds">订阅与开放数据</a></li><li><a href="/accessibility">无障碍说明</a></li></ul></section></div>`,
    });
  });
}

const newToken = () => randomBytes(16).toString('base64url');

function registerObjections(
  app: FastifyInstance,
  deps: PortalDeps,
  notFound: (req: FastifyRequest, reply: FastifyReply, what?: string) => FastifyReply,
): void {
  // Five objections a minute from one address is more than any person writes; a script gets a polite page.
  const objectionLimiter = new RateLimiter({ perMinute: 5 });
  app.register(async (scope) => {
    // Plain HTML forms post urlencoded bodies; parsed here only, for the portal's own forms.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );
    scope.post('/records/:id/objections', async (req, reply) => {
      const ctx: Context = await deps.contextFor(req);
      const id = (req.params as { id: string }).id;
      const form = (req.body ?? {}) as Record<string, string | undefined>;
      const r = await publicRecord(ctx.db, id, ctx.now());
      if (!r) return notFound(req, reply, '信息');
      const values = {
        content: (form.content ?? '').trim().slice(0, 2000),
        name: (form.name ?? '').trim().slice(0, 50),
        contact: (form.contact ?? '').trim().slice(0, 50),
      };
      const again = (status: number, error: string) =>
        sendPage(
          req,
          reply,
          {
            title: r.title,
            crumbs: [{ href: '/', label: '首页' }, { label: r.title }],
            body: recordBody(r, chinaToday(ctx.now()), { token: newToken(), error, values }),
          },
          { status, type: 'text/html; charset=utf-8' },
        );
      const received = (ref: string) =>
        sendPage(
          req,
          reply,
          {
            title: '异议已提交',
            crumbs: [
              { href: '/', label: '首页' },
              { href: `/records/${id}`, label: r.title },
              { label: '异议已提交' },
            ],
            body: html`<h1>异议已提交</h1><p>我们已收到您对“${r.title}”提出的异议${ref ? html`，受理编号 <strong>${ref}</strong>` : ''}。发布单位将在公示期满后核实处理。</p><p><a href="/records/${id}">返回公示</a></p>`,
          },
          { type: 'text/html; charset=utf-8' },
        );
      if (r.notice?.state !== 'open') return again(409, '公示期已结束或尚未开始，不能提出异议。');
      const wait = objectionLimiter.take(ctx.ip ?? 'unknown');
      if (wait > 0) return again(429, `提交过于频繁，请 ${wait} 秒后再试。已填写的内容已保留。`);
      // A filled honeypot is a robot: it sees the same answer as a person, and nothing is stored.
      if (form.website) return received('');
      if (values.content.length < 5) return again(400, '请填写异议内容（至少5个字），写明事实和理由。');
      const token = /^[A-Za-z0-9_-]{10,64}$/.test(form.token ?? '') ? (form.token as string) : newToken();
      const answer = await runIdempotent(
        ctx,
        { key: `objection:${token}`, route: `objection ${id}`, body: values, successStatus: () => 200 },
        async (c) => ({ ref: (await objectionReceiver(c, { recordId: id, ...values })).ref }),
      );
      return received((answer.body as { ref: string }).ref);
    });
  });
}

const urlset = (urls: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join('')}</urlset>`;

/** 40,000 record URLs a file: under the protocol's 50,000 URLs and 50 MB. */
export const sitemapUrlsPerFile = 40_000;
export const sitemapRecordFiles = (records: number, perFile = sitemapUrlsPerFile): number =>
  Math.max(1, Math.ceil(records / perFile));
