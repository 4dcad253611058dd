import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, Context } from '../context.ts';
import { AppError } from '../errors.ts';
import type { AnyRoute, RouteGuard } from '../server/route.ts';
import type { Store } from '../store/store.ts';
import { appendAudit } from './audit.ts';
import { securityConfig } from './config.ts';
import { idempotencyHeader, parseIdempotencyKey, runIdempotent } from './idempotency.ts';
import { RateLimiter } from './rateLimit.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the session lookup: the account must change its password before anything else. */
    gkMustChange?: boolean;
    /** What a handler adds to the audit row of this request (the username of a login, a target). */
    gkAudit?: { actorId?: string; actorName?: string; actorRole?: string; target?: string; detail?: string };
  }
}

export interface SecurityOptions {
  /** Login attempts per IP and minute. */
  loginPerMinute: number;
  /** Anonymous form submissions (public non-GET routes) per IP and minute. */
  publicFormPerMinute: number;
}

const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Refusals worth recording even on reads (安全审计 b: 审计记录应包括…事件是否成功). */
const auditedRefusals = new Set([401, 403, 423, 429]);

const apiCsp = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const pageCsp =
  "default-src 'self'; script-src 'self'; object-src 'none'; img-src 'self' data:; style-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Names audit rows read better by than their URLs. */
const actionNames: Record<string, string> = {
  'POST /api/v1/session': 'login',
  'DELETE /api/v1/session': 'logout',
};

function setIfAbsent(reply: FastifyReply, name: string, value: string): void {
  if (!reply.hasHeader(name)) reply.header(name, value);
}

/**
 * The web-facing half of the security module (等保 2.0 入侵防范, 安全审计): security headers on every response,
 * one audit row for every write and every refusal, rate limits, the forced password change and idempotency
 * keys. Installed once by src/server/app.ts; routes opt in or out through options in defineRoute.
 */
export function installSecurity(
  app: FastifyInstance,
  deps: { store: Store; now: () => Date; apiPrefix: string; options?: Partial<SecurityOptions> },
): { guard: RouteGuard } {
  const config = securityConfig();
  const options: SecurityOptions = {
    loginPerMinute: config.loginPerMinute,
    publicFormPerMinute: config.publicFormPerMinute,
    ...deps.options,
  };
  const limiters = {
    login: new RateLimiter({ perMinute: options.loginPerMinute }),
    publicForm: new RateLimiter({ perMinute: options.publicFormPerMinute }),
  };

  app.addHook('onSend', async (req, reply, payload) => {
    const isApi = req.url.startsWith(deps.apiPrefix);
    // the usual security headers (CSP, no sniffing, no framing, HSTS behind TLS)
    setIfAbsent(reply, 'content-security-policy', isApi ? apiCsp : pageCsp);
    setIfAbsent(reply, 'x-content-type-options', 'nosniff');
    setIfAbsent(reply, 'x-frame-options', 'DENY');
    setIfAbsent(reply, 'referrer-policy', 'same-origin');
    setIfAbsent(reply, 'cross-origin-opener-policy', 'same-origin');
    setIfAbsent(reply, 'cross-origin-resource-policy', 'same-origin');
    setIfAbsent(reply, 'permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (req.protocol === 'https') setIfAbsent(reply, 'strict-transport-security', 'max-age=31536000');
    // API answers may carry personal data: never kept by a browser or proxy cache (剩余信息保护)
    if (isApi) setIfAbsent(reply, 'cache-control', 'no-store');

    const status = reply.statusCode;
    if (readMethods.has(req.method) && !auditedRefusals.has(status)) return payload;
    // written before the answer leaves, so an acknowledged write always has its audit row; a failure to
    // write it is logged and does not turn a committed write into an error the client would retry
    try {
      await appendAudit(deps.store, auditEvent(req, status, payload), deps.now());
    } catch (err) {
      req.log.error({ err }, 'audit append failed');
    }
    return payload;
  });

  const guard: RouteGuard = {
    async admit(route: AnyRoute, req: FastifyRequest, ctx: Context) {
      const bucket =
        route.rateLimit ??
        (route.access === 'public' && !readMethods.has(route.method) ? 'publicForm' : false);
      if (bucket) {
        const wait = limiters[bucket].take(`${req.ip}`, deps.now().getTime());
        if (wait > 0) {
          throw new AppError('rate_limited', `请求过于频繁，请 ${wait} 秒后再试`, 429);
        }
      }
      // 身份鉴别 a: an initial or reset password is changed before the account does anything else
      if (ctx.actor && req.gkMustChange && !route.passwordChangeExempt) {
        throw new AppError('password_change_required', '首次登录或密码重置后须先修改密码', 403);
      }
    },
    async execute(route, req, reply, ctx, run) {
      const idempotent = route.idempotent ?? (route.method === 'POST' && route.access === 'public');
      const key = idempotent ? parseIdempotencyKey(req.headers[idempotencyHeader]) : null;
      if (!key) return run(ctx);
      const answer = await runIdempotent(
        ctx,
        {
          key,
          route: `${route.method} ${route.url}`,
          body: req.body,
          successStatus: () => route.status ?? reply.statusCode,
        },
        run,
      );
      reply.code(answer.status);
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      return answer.body;
    },
  };
  return { guard };
}

function auditEvent(req: FastifyRequest, status: number, payload: unknown) {
  const routeUrl = req.routeOptions.url ?? req.url.split('?')[0] ?? req.url;
  const key = `${req.method} ${routeUrl}`;
  const actor: Actor | null | undefined = req.gkActor;
  const hint = req.gkAudit ?? {};
  const params = (req.params ?? {}) as Record<string, unknown>;
  let target = hint.target ?? (typeof params.id === 'string' ? params.id : undefined);
  let detail = hint.detail;
  if (typeof payload === 'string' && payload.length < 65_536 && payload.startsWith('{')) {
    try {
      const body = JSON.parse(payload) as Record<string, unknown>;
      if (!target && status < 400 && typeof body.id === 'string') target = body.id;
      if (!detail && status >= 400 && typeof body.code === 'string') detail = body.code;
    } catch {
      // not JSON after all: nothing to pick from it
    }
  }
  return {
    action: actionNames[key] ?? key,
    outcome: status < 400 ? ('success' as const) : ('failure' as const),
    status,
    actorId: hint.actorId ?? actor?.userId ?? null,
    actorName: hint.actorName ?? actor?.username ?? null,
    actorRole: hint.actorRole ?? actor?.role ?? null,
    ip: req.ip ?? null,
    target: target ?? null,
    detail: detail ?? null,
  };
}
