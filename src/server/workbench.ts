import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `node scripts/build-workbench.mjs` (run by `npm start` before serving) puts the staff workbench. */
export const workbenchDir = resolve(import.meta.dirname, '..', '..', 'dist', 'workbench');

export const workbenchPath = '/workbench';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const htmlType = 'text/html; charset=utf-8';

const notBuiltPage = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>工作台尚未构建</title>
<h1>工作台尚未构建</h1>
<p>工作人员工作台（定岗定责、待办、政务公开）需要先构建前端页面。请在项目目录中运行：</p>
<pre>npm run build:workbench</pre>
<p>（<code>npm start</code> 会在启动前自动构建。）构建完成后刷新本页即可。</p>
<p><a href="/">返回门户首页</a></p></html>`;

/**
 * The workbench's own Content-Security-Policy, replacing the portal's on /workbench/ only. Scripts stay
 * same-origin only; styles also allow inline, because Ant Design writes its component styles into <style>
 * elements at run time and the BPMN viewer sets style attributes — under the portal's policy (no inline
 * style) the workbench would render unstyled. blob: lets the Excel export be handed over as a download.
 */
export const workbenchCsp =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; " +
  "form-action 'self'";

interface Cached {
  body: Buffer;
  etag: string;
  mtimeMs: number;
}

/**
 * Serve the built single-page workbench at /workbench/. Files under assets/ carry a content hash in their
 * names, so they are cached for a year as immutable; index.html is revalidated every time so a new build
 * is picked up at once. Any other path under /workbench/ is a client route and gets index.html.
 * Files are read from disk on demand (the build can be replaced while the server runs) and kept in memory
 * while their modification time is unchanged.
 */
export function registerWorkbench(app: FastifyInstance, dir: string = workbenchDir): void {
  const cache = new Map<string, Cached>();

  const load = (file: string): Cached | null => {
    let mtimeMs: number;
    try {
      const s = statSync(file);
      if (!s.isFile()) return null;
      mtimeMs = s.mtimeMs;
    } catch {
      return null;
    }
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit;
    const body = readFileSync(file);
    const entry = { body, mtimeMs, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    cache.set(file, entry);
    return entry;
  };

  const send = (reply: FastifyReply, ifNoneMatch: string | undefined, file: Cached, type: string) => {
    reply.header('etag', file.etag).header('x-content-type-options', 'nosniff');
    if (ifNoneMatch === file.etag) return reply.code(304).send();
    return reply.type(type).send(file.body);
  };

  // An encapsulated scope: its onSend hook runs after the application's (the portal sets its page headers
  // on every non-API answer), so the workbench's policy is the one that reaches the browser.
  void app.register(async (scope) => {
    scope.addHook('onSend', async (_req, reply, payload) => {
      reply.header('content-security-policy', workbenchCsp);
      return payload;
    });

    scope.get(workbenchPath, async (_req, reply) => reply.redirect(`${workbenchPath}/`));

    scope.get(`${workbenchPath}/*`, async (req, reply) => {
      const rest = (req.params as { '*'?: string })['*'] ?? '';
      const index = join(dir, 'index.html');
      if (!existsSync(index)) {
        return reply.code(503).header('cache-control', 'no-store').type(htmlType).send(notBuiltPage);
      }
      const ifNoneMatch = req.headers['if-none-match'];
      // A path with a file extension names a file of the build: answer it or 404, never index.html, so that
      // a missing script fails plainly instead of being parsed as HTML.
      if (extname(rest)) {
        const file = resolve(dir, rest);
        const type = types[extname(rest).toLowerCase()];
        const found = type && file.startsWith(dir + sep) ? load(file) : null;
        if (!found || !type) return reply.callNotFound();
        reply.header(
          'cache-control',
          rest.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        return send(reply, ifNoneMatch, found, type);
      }
      const page = load(index);
      if (!page) return reply.callNotFound();
      reply.header('cache-control', 'no-cache');
      return send(reply, ifNoneMatch, page, htmlType);
    });
  });
}
