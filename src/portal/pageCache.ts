import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * A short-lived cache of rendered public pages (micro-caching, as a reverse proxy would do it). Public pages
 * are the same for every visitor but for the reading mode, which is part of the key; a page is rendered at most
 * once per `ttlSeconds` per process, so a burst of visitors — or the national inspectors' probes — costs one
 * render instead of hundreds. Any write handled by this process empties the cache at once; a write made by
 * another process sharing the database shows after at most `ttlSeconds`.
 */
export interface PageCacheOptions {
  ttlSeconds: number;
  /** Bound on the bytes held; the oldest entries go first. */
  maxBytes?: number;
}

interface Entry {
  body: Buffer;
  headers: Record<string, string>;
  expires: number;
}

const cacheable = (req: FastifyRequest) =>
  (req.method === 'GET' || req.method === 'HEAD') &&
  !req.url.startsWith('/api/') &&
  !req.url.startsWith('/static/') &&
  !req.url.startsWith('/workbench') &&
  !req.url.startsWith('/prefs');

const keyOf = (req: FastifyRequest) => {
  // only the reading-mode preference changes a public page; the session cookie does not
  const cookie = req.headers.cookie ?? '';
  const prefs = /(?:^|;\s*)gk_prefs=([^;]*)/.exec(cookie)?.[1] ?? '';
  return `${req.url}|${prefs}`;
};

const keptHeaders = ['content-type', 'etag', 'last-modified', 'content-disposition', 'vary', 'cache-control'];

export function registerPageCache(
  app: FastifyInstance,
  { ttlSeconds, maxBytes = 64 * 1024 * 1024 }: PageCacheOptions,
) {
  if (ttlSeconds <= 0) return;
  const entries = new Map<string, Entry>();
  let bytes = 0;
  const drop = (key: string) => {
    const e = entries.get(key);
    if (e) bytes -= e.body.length;
    entries.delete(key);
  };

  app.addHook('onRequest', async (req, reply) => {
    if (!cacheable(req)) {
      // a write may change any public page: forget them all
      if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS' && entries.size) {
        entries.clear();
        bytes = 0;
      }
      return;
    }
    const key = keyOf(req);
    const hit = entries.get(key);
    if (!hit) return;
    if (hit.expires < Date.now()) {
      drop(key);
      return;
    }
    for (const [h, v] of Object.entries(hit.headers)) reply.header(h, v);
    reply.header('x-page-cache', 'hit');
    if (hit.headers.etag && req.headers['if-none-match'] === hit.headers.etag) return reply.code(304).send();
    return reply.code(200).send(hit.body);
  });

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload) => {
    if (!cacheable(req) || reply.statusCode !== 200 || reply.getHeader('x-page-cache')) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    const headers: Record<string, string> = {};
    for (const h of keptHeaders) {
      const v = reply.getHeader(h);
      if (v !== undefined) headers[h] = String(v);
    }
    headers.etag ??= `"${createHash('sha1').update(body).digest('base64url')}"`;
    const key = keyOf(req);
    drop(key);
    entries.set(key, { body, headers, expires: Date.now() + ttlSeconds * 1000 });
    bytes += body.length;
    for (const oldest of entries.keys()) {
      if (bytes <= maxBytes) break;
      drop(oldest);
    }
    return payload;
  });
}
