import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type PageContext, type PageOptions, page } from './html.ts';
import { prefsOf } from './prefs.ts';

/**
 * Security headers of every portal response. default-src 'self' forbids inline script and inline style, so a
 * text that slipped through escaping still could not run; frame-ancestors 'none' stops framing (clickjacking).
 */
export const contentSecurityPolicy =
  "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

export function registerPortalHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api/')) return payload;
    reply.header('content-security-policy', contentSecurityPolicy);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    reply.header('x-frame-options', 'DENY');
    return payload;
  });
}

export function pageContext(req: FastifyRequest): PageContext {
  return { prefs: prefsOf(req), path: req.url };
}

export interface SendOptions {
  /** When the content shown last changed (ISO text or Date): Last-Modified, and If-Modified-Since answered. */
  lastModified?: string | Date | null;
  type?: string;
  status?: number;
  /** Content-Disposition for downloads. */
  filename?: string;
}

/**
 * Send a response with a validator: a strong ETag over the bytes (which include the reading-mode classes, so
 * each mode has its own), Last-Modified where the caller knows it, and 304 when the browser already has it.
 */
export function sendCached(
  req: FastifyRequest,
  reply: FastifyReply,
  body: string | Buffer,
  opts: SendOptions = {},
) {
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  reply
    .header('etag', etag)
    .header('vary', 'Cookie')
    .header('cache-control', 'no-cache')
    .type(opts.type ?? 'text/html; charset=utf-8');
  if (opts.filename) {
    reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(opts.filename)}`);
  }
  let modified: Date | null = null;
  if (opts.lastModified) {
    const d = new Date(opts.lastModified);
    if (!Number.isNaN(d.getTime())) {
      // HTTP dates have whole seconds.
      modified = new Date(Math.floor(d.getTime() / 1000) * 1000);
      reply.header('last-modified', modified.toUTCString());
    }
  }
  const status = opts.status ?? 200;
  if (status === 200 && (req.method === 'GET' || req.method === 'HEAD')) {
    const inm = req.headers['if-none-match'];
    if (inm !== undefined) {
      if (inm.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}` || t.trim() === '*')) {
        return reply.code(304).send();
      }
    } else if (modified && req.headers['if-modified-since']) {
      const since = Date.parse(req.headers['if-modified-since']);
      if (!Number.isNaN(since) && modified.getTime() <= since) return reply.code(304).send();
    }
  }
  return reply.code(status).send(body);
}

/** Render a page in the shell and send it with validators. */
export function sendPage(
  req: FastifyRequest,
  reply: FastifyReply,
  opts: PageOptions,
  send: SendOptions = {},
): FastifyReply {
  return sendCached(req, reply, page(opts, pageContext(req)), send);
}
