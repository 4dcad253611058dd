import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../context.ts';
import {
  type PublicRecordDetail,
  type PublicRecordSummary,
  publicRecord,
  publicRecords,
} from '../disclosure/publicQueries.ts';
import { chinaToday } from '../disclosure/util.ts';
import { type GazetteIssue, gazetteDocx, gazetteFileName, gazetteTitle } from './gazetteDocx.ts';
import { html } from './html.ts';
import { sendCached, sendPage } from './http.ts';
import { publishedUpdatedAt } from './recordIndex.ts';
import type { PortalDeps } from './routes.ts';
import { site } from './site.ts';

// 政府公报: the normative documents (规范性文件, records of kind policy) formed in a quarter, one issue (期) per
// quarter, as a page and as a Word file. Only what the public queries return goes in, so the gazette can hold
// nothing the portal may not show.

type NotFound = (req: FastifyRequest, reply: FastifyReply, what?: string) => FastifyReply;

const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const home = { href: '/', label: '首页' };
const xxgk = { href: '/xxgk', label: '政府信息公开' };
const gazette = { href: '/gazette', label: '政府公报' };

const quarterOf = (ymd: string) => Math.floor((Number(ymd.slice(5, 7)) - 1) / 3) + 1;
const issueKey = (year: number, q: number) => year * 4 + q;

/** Every published normative document (of one year), the public query's pages read to the end. */
async function policies(ctx: Context, year?: number): Promise<PublicRecordSummary[]> {
  const out: PublicRecordSummary[] = [];
  for (let offset = 0; ; offset += 200) {
    const r = await publicRecords(ctx.db, { kind: 'policy', ...(year ? { year } : {}), limit: 200, offset });
    out.push(...r.items);
    if (r.items.length < 200) return out;
  }
}

/** The issues that exist (a quarter with at least one document), newest first. */
async function issueList(ctx: Context): Promise<{ year: number; q: number; n: number }[]> {
  const issues = new Map<number, { year: number; q: number; n: number }>();
  for (const x of await policies(ctx)) {
    const year = Number(x.formedOn.slice(0, 4));
    const q = quarterOf(x.formedOn);
    const i = issues.get(issueKey(year, q)) ?? { year, q, n: 0 };
    i.n += 1;
    issues.set(issueKey(year, q), i);
  }
  return [...issues.entries()].sort((a, b) => b[0] - a[0]).map(([, i]) => i);
}

/** A quarter's documents in the order they were formed (same day: by index number, the order of issue). */
async function issueDocuments(ctx: Context, year: number, q: number): Promise<PublicRecordDetail[]> {
  const items = (await policies(ctx, year))
    .filter((r) => quarterOf(r.formedOn) === q)
    .sort((a, b) => a.formedOn.localeCompare(b.formedOn) || a.indexNumber.localeCompare(b.indexNumber));
  const details = await Promise.all(items.map((i) => publicRecord(ctx.db, i.id, ctx.now())));
  return details.filter((d): d is PublicRecordDetail => d !== null);
}

const sizeText = (bytes: number) =>
  bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} KB`
    : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

const issueBody = (year: number, q: number, docs: readonly PublicRecordDetail[], fileBytes: number) =>
  html`<h1>${gazetteTitle({ year, quarter: q })}</h1><p class="hint">（第${q}季度，共${docs.length}件）</p>
<p><a href="/gazette/${year}/${q}/download" download>下载本期公报（Word 文档，${sizeText(fileBytes)}）</a></p>
<h2>目录</h2><ol>${docs.map((d) => html`<li><a href="#doc-${d.id}">${d.title}</a></li>`)}</ol>
${docs.map(
  (d) =>
    html`<section id="doc-${d.id}" class="doc"><h2>${d.title}</h2><p class="hint">${d.documentNumber ?? ''}　${d.disclosingBody?.name ?? ''}　${d.formedOn}</p>${(
      d.body ??
      d.summary ??
      ''
    )
      .split(/\n+/)
      .filter((p) => p.trim())
      .map((p) => html`<p>${p}</p>`)}</section>`,
)}`;

/** An issue found: its documents and its Word file. */
interface Found {
  ctx: Context;
  year: number;
  q: number;
  docs: PublicRecordDetail[];
  file: Buffer;
}

export function registerGazette(app: FastifyInstance, deps: PortalDeps, notFound: NotFound): void {
  // The Word file of an issue, kept while the issue's content is unchanged: docx writes the time and fresh ids
  // into every file it packs, so without this each download would have other bytes and a new ETag, and the page,
  // which names the file's size, would build it once more for nothing.
  const built = new Map<number, { fingerprint: string; file: Buffer }>();
  const issueFile = async (issue: GazetteIssue): Promise<Buffer> => {
    const key = issueKey(issue.year, issue.quarter);
    const fingerprint = createHash('sha1').update(JSON.stringify(issue)).digest('base64url');
    const hit = built.get(key);
    built.delete(key);
    const file = hit?.fingerprint === fingerprint ? hit.file : await gazetteDocx(issue);
    built.set(key, { fingerprint, file });
    for (const oldest of built.keys()) {
      if (built.size <= 32) break;
      built.delete(oldest);
    }
    return file;
  };
  const issueOf = (req: FastifyRequest, year: number, q: number, docs: readonly PublicRecordDetail[]) =>
    issueFile({
      government: site.name,
      compiler: site.sponsor,
      year,
      quarter: q,
      documents: docs.map((d) => ({
        title: d.title,
        documentNumber: d.documentNumber,
        issuingBody: d.disclosingBody?.name ?? null,
        formedOn: d.formedOn,
        body: d.body,
        summary: d.summary,
        url: `${req.protocol}://${req.host}/records/${d.id}`,
      })),
    });
  const lastChange = async (ctx: Context, docs: readonly PublicRecordDetail[]) =>
    (await Promise.all(docs.map((d) => publishedUpdatedAt(ctx.db, d.id)))).reduce<string | null>(
      (max, t) => (t && (!max || t > max) ? t : max),
      null,
    );

  app.get('/gazette', async (req, reply) => {
    const ctx = await deps.contextFor(req);
    const issues = await issueList(ctx);
    return sendPage(req, reply, {
      title: '政府公报',
      crumbs: [home, xxgk, { label: '政府公报' }],
      body: html`<h1>政府公报</h1><p>政府公报按季度编印，刊登区政府及其部门制定的规范性文件。每期可在线阅读，也可下载 Word 文档。</p>${
        issues.length
          ? html`<ul class="items">${issues.map(
              (i) =>
                html`<li><a href="/gazette/${i.year}/${i.q}">${i.year}年第${i.q}期（第${i.q}季度）</a> <span class="hint">${i.n}件</span></li>`,
            )}</ul>`
          : html`<p>暂无。</p>`
      }`,
    });
  });

  const parse = (req: FastifyRequest) => {
    const p = req.params as { year: string; q: string };
    const year = Number(p.year);
    const q = Number(p.q);
    return Number.isInteger(year) && year > 1949 && year < 2200 && Number.isInteger(q) && q >= 1 && q <= 4
      ? { year, q }
      : null;
  };

  // A quarter without normative documents has no issue: the visitor (or a link from an old list) gets a page that
  // says why and lists the issues there are, never an empty file.
  const noIssue = async (req: FastifyRequest, reply: FastifyReply, ctx: Context, year: number, q: number) => {
    const today = chinaToday(ctx.now());
    const current = issueKey(Number(today.slice(0, 4)), quarterOf(today));
    const asked = issueKey(year, q);
    const why =
      asked > current
        ? `${year}年第${q}季度尚未到来，本期公报尚未编印。`
        : asked === current
          ? `本季度尚未发布规范性文件。本季度发布的规范性文件将编入${year}年第${q}期公报。`
          : `${year}年第${q}季度没有发布规范性文件，因此没有编印本期公报。`;
    const issues = (await issueList(ctx)).slice(0, 12);
    return sendPage(
      req,
      reply,
      {
        title: `${gazetteTitle({ year, quarter: q })}（暂无）`,
        crumbs: [home, xxgk, gazette, { label: `${year}年第${q}期` }],
        body: html`<h1>${gazetteTitle({ year, quarter: q })}</h1><p>${why}</p>${
          issues.length
            ? html`<h2>已编印的公报</h2><ul class="items">${issues.map(
                (i) =>
                  html`<li><a href="/gazette/${i.year}/${i.q}">${i.year}年第${i.q}期</a> <span class="hint">${i.n}件</span></li>`,
              )}</ul>`
            : ''
        }<p>也可以查看<a href="/gazette">全部政府公报</a>、<a href="/xxgk/documents">公文索引目录</a>，或者<a href="/search">搜索</a>需要的文件。</p>`,
      },
      { status: 404 },
    );
  };

  // The page and the file of an issue both start from its documents and its Word file (the page names the file's
  // size); a quarter without documents gets the page that says so.
  const issueRoute =
    (send: (req: FastifyRequest, reply: FastifyReply, i: Found) => Promise<FastifyReply> | FastifyReply) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const ctx = await deps.contextFor(req);
      const k = parse(req);
      if (!k) return notFound(req, reply);
      const docs = await issueDocuments(ctx, k.year, k.q);
      if (!docs.length) return noIssue(req, reply, ctx, k.year, k.q);
      return send(req, reply, { ctx, ...k, docs, file: await issueOf(req, k.year, k.q, docs) });
    };

  app.get(
    '/gazette/:year/:q',
    issueRoute((req, reply, i) =>
      sendPage(req, reply, {
        title: gazetteTitle({ year: i.year, quarter: i.q }),
        crumbs: [home, xxgk, gazette, { label: `${i.year}年第${i.q}期` }],
        body: issueBody(i.year, i.q, i.docs, i.file.length),
      }),
    ),
  );

  app.get(
    '/gazette/:year/:q/download',
    issueRoute(async (req, reply, i) =>
      sendCached(req, reply, i.file, {
        type: docxType,
        filename: gazetteFileName({ year: i.year, quarter: i.q }),
        lastModified: await lastChange(i.ctx, i.docs),
      }),
    ),
  );
}
