import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';

const types: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export const publicDir = resolve(import.meta.dirname, '..', '..', 'public');

/** Serve the few static files of public/ from memory, with a strong ETag. */
export function registerStatic(app: FastifyInstance): void {
  const files = new Map<string, { body: Buffer; type: string; etag: string }>();
  for (const name of readdirSync(publicDir)) {
    const type = types[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(publicDir, name));
    files.set(name, { body, type, etag: `"${createHash('sha1').update(body).digest('base64url')}"` });
  }
  app.get('/static/:name', async (req, reply) => {
    const file = files.get((req.params as { name: string }).name);
    if (!file) return reply.callNotFound();
    reply.header('etag', file.etag).header('cache-control', 'public, max-age=3600');
    if (req.headers['if-none-match'] === file.etag) return reply.code(304).send();
    return reply.type(file.type).send(file.body);
  });
}
