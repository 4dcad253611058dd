import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';
import { resolveSession, sessionCookie } from '../accounts/sessions.ts';
import type { Actor, Context } from '../context.ts';
import { AppError } from '../errors.ts';
import { registerPageCache } from '../portal/pageCache.ts';
import { registerPortal } from '../portal/routes.ts';
import { registerDutyTableUpload } from '../registry/spreadsheet/routes.ts';
import { installSecurity, type SecurityOptions } from '../security/http.ts';
import { logRedactPaths } from '../security/redact.ts';
import type { Store } from '../store/store.ts';
import { apiRoutes } from './apiRoutes.ts';
import { openApiDocument } from './openapi.ts';
import { mountRoutes } from './route.ts';
import { registerSecurityTxt } from './securityTxt.ts';
import { registerWorkbench } from './workbench.ts';

export interface AppOptions {
  store: Store;
  logger?: LoggerOptions | false;
  /** For tests: a fixed clock. */
  now?: () => Date;
  /** Rate limits; default from the environment (src/security/config.ts). */
  security?: Partial<SecurityOptions>;
  /** Seconds a rendered public page is reused (src/portal/pageCache.ts); 0, the default here, renders every time. */
  portalCacheSeconds?: number;
  /** Published at /.well-known/security.txt (RFC 9116); null publishes nothing. */
  securityContact?: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    gkActor?: Actor | null;
    gkCsrf?: string | null;
  }
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const apiPrefix = '/api/v1';

export async function buildApp({
  store,
  logger = false,
  now = () => new Date(),
  security: securityOptions,
  portalCacheSeconds = 0,
  securityContact = null,
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      logger === false
        ? false
        : {
            ...logger,
            // personal data and secrets never reach the log
            redact: logRedactPaths,
          },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  });
  await app.register(cookie);
  // headers, audit of every write and refusal, rate limits, forced password change, idempotency (issue 7)
  const security = installSecurity(app, { store, now, apiPrefix, options: securityOptions });

  const baseContext = (req: FastifyRequest): Context => ({
    store,
    db: store.db,
    actor: null,
    ip: req.ip ?? null,
    now,
  });

  const contextFor = async (req: FastifyRequest): Promise<Context> => {
    const ctx = baseContext(req);
    if (req.gkActor === undefined) {
      const token = req.cookies[sessionCookie];
      const session = token ? await resolveSession(ctx, token) : null;
      req.gkActor = session?.actor ?? null;
      req.gkCsrf = session?.csrfToken ?? null;
      req.gkMustChange = session?.mustChangePassword ?? false;
    }
    // CSRF: a write made with the session cookie must echo the session's token in a header, which a page
    // from another origin cannot read. (SameSite=Strict on the cookie is the second line.)
    // Logging in is exempt: it does not act under the old session (a second tab, or a stale cookie, must be
    // able to sign in again) and it issues a new session with its own token.
    const isLogin = req.method === 'POST' && req.routeOptions.url === `${apiPrefix}/session`;
    if (req.gkActor && !isLogin && unsafe.has(req.method) && req.headers['x-csrf-token'] !== req.gkCsrf) {
      throw new AppError('csrf_failed', '页面已过期，请刷新后重试', 403);
    }
    return { ...ctx, actor: req.gkActor };
  };

  app.setErrorHandler((error, req, reply) => {
    if (error instanceof AppError) {
      return reply
        .code(error.status)
        .send({ code: error.code, message: error.message, fields: error.fields });
    }
    const fastifyError = error as { statusCode?: number; code?: string; message: string };
    if (fastifyError.statusCode && fastifyError.statusCode < 500) {
      const code =
        fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'body_too_large'
          : fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'unsupported_media_type'
            : 'bad_request';
      const message =
        code === 'body_too_large'
          ? '提交的内容过大'
          : code === 'unsupported_media_type'
            ? '不支持的内容类型'
            : '请求格式不正确';
      return reply.code(fastifyError.statusCode).send({ code, message, fields: [] });
    }
    req.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ code: 'internal', message: '服务器内部错误，请稍后再试', fields: [] });
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith(apiPrefix)) {
      return reply.code(404).send({ code: 'not_found', message: '接口不存在', fields: [] });
    }
    return reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>页面不存在</title><h1>页面不存在</h1><p><a href="/">返回首页</a></p></html>',
      );
  });

  mountRoutes(app, apiPrefix, apiRoutes, { contextFor, guard: security.guard });
  const openapi = openApiDocument(apiRoutes, apiPrefix);
  app.get(`${apiPrefix}/openapi.json`, async () => openapi);
  registerPageCache(app, { ttlSeconds: portalCacheSeconds });
  await registerPortal(app, { store, contextFor: (req) => contextFor(req) });
  registerWorkbench(app);
  registerSecurityTxt(app, { contact: securityContact, now });
  // the duty-table import takes the raw .xlsx as its body (src/registry/spreadsheet/routes.ts)
  registerDutyTableUpload(app);
  return app;
}
