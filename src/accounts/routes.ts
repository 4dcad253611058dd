import { z } from 'zod';
import { inTransaction } from '../context.ts';
import { AppError, notFound, unauthenticated } from '../errors.ts';
import { nowIso } from '../ids.ts';
import { defineRoute } from '../server/route.ts';
import { passwordChanger } from './passwordChanger.ts';
import { confirmTotp, disableTotp, enrolTotp } from './secondFactor.ts';
import { login, logout, sessionCookie } from './sessions.ts';
import { roleNames, roles } from './tables.ts';
import { userCreator } from './userCreator.ts';

const tags = ['accounts'];
const userId = z.object({ id: z.string().min(1).max(64) });

export const accountRoutes = [
  defineRoute({
    method: 'POST',
    url: '/session',
    summary: 'Log in: sets the session cookie and returns the CSRF token for later writes',
    tags,
    access: 'public',
    // a replayed login answer would hand out a session: never idempotent; its own, stricter rate limit
    idempotent: false,
    rateLimit: 'login',
    body: z.object({
      username: z.string().min(1, '请输入用户名').max(64),
      password: z.string().min(1, '请输入密码').max(256),
      /** The second factor once enabled: a 6-digit TOTP code or a recovery code. */
      totp: z.string().max(32).optional(),
    }),
    async handler({ body }, ctx, req, reply) {
      req.gkAudit = { actorName: body.username };
      // not in a transaction: a failed attempt is counted (lockout) although login throws
      const result = await login(ctx, body.username, body.password, undefined, body.totp);
      req.gkAudit = {
        actorId: result.actor.userId,
        actorName: result.actor.username,
        actorRole: result.actor.role,
      };
      // 身份鉴别 c / 剩余信息保护: HttpOnly (no script reads it), SameSite=Strict (no cross-site sends), Secure
      // whenever the client came over TLS (trustProxy: X-Forwarded-Proto from the reverse proxy counts)
      reply.setCookie(sessionCookie, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: req.protocol === 'https',
      });
      return {
        user: {
          id: result.actor.userId,
          username: result.actor.username,
          displayName: result.actor.displayName,
          role: result.actor.role,
        },
        csrfToken: result.csrfToken,
        mustChangePassword: result.mustChangePassword,
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/session',
    summary: 'The signed-in account, and the write (CSRF) token of its session',
    tags,
    access: 'authenticated',
    async handler(_input, ctx, req) {
      if (!ctx.actor) throw unauthenticated();
      const { actor } = ctx;
      const user = await ctx.db
        .selectFrom('users')
        .select('totp_enabled')
        .where('id', '=', actor.userId)
        .executeTakeFirst();
      return {
        user: {
          id: actor.userId,
          username: actor.username,
          displayName: actor.displayName,
          role: actor.role,
          roleName: roleNames[actor.role],
          totpEnabled: user?.totp_enabled === 1,
        },
        // Same-origin pages (a second workbench tab) read their write token here; another origin cannot read
        // this answer, so the token still proves the request came from our own pages.
        csrfToken: req.gkCsrf ?? null,
      };
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/session',
    summary: 'Log out: the session stops working at once',
    tags,
    access: 'authenticated',
    passwordChangeExempt: true,
    async handler(_input, ctx, req, reply) {
      const token = req.cookies[sessionCookie];
      if (token) await logout(ctx, token);
      reply.clearCookie(sessionCookie, { path: '/' });
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/session/password',
    summary: 'Change one’s own password (required after the first login); ends the other sessions',
    tags,
    access: 'authenticated',
    passwordChangeExempt: true,
    body: z.object({
      currentPassword: z.string().min(1, '请输入当前密码').max(256),
      newPassword: z.string().min(1, '请输入新密码').max(256),
    }),
    async handler({ body }, ctx, req) {
      if (!ctx.actor) throw unauthenticated();
      const actor = ctx.actor;
      await inTransaction(ctx, (c) =>
        passwordChanger(c, {
          userId: actor.userId,
          currentPassword: body.currentPassword,
          newPassword: body.newPassword,
          keepSessionToken: req.cookies[sessionCookie],
        }),
      );
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/session/totp',
    summary: 'Start enrolling a TOTP second factor: returns the secret and the otpauth URI (for a QR code)',
    tags,
    access: 'authenticated',
    async handler(_input, ctx) {
      if (!ctx.actor) throw unauthenticated();
      const actor = ctx.actor;
      return inTransaction(ctx, (c) => enrolTotp(c, actor.userId));
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/session/totp/confirm',
    summary: 'Confirm the TOTP second factor with a first code; returns ten single-use recovery codes, once',
    tags,
    access: 'authenticated',
    body: z.object({ code: z.string().min(1).max(16) }),
    async handler({ body }, ctx) {
      if (!ctx.actor) throw unauthenticated();
      const actor = ctx.actor;
      return inTransaction(ctx, (c) => confirmTotp(c, actor.userId, body.code));
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/session/totp',
    summary: 'Turn one’s own second factor off (the password is required)',
    tags,
    access: 'authenticated',
    body: z.object({ password: z.string().min(1).max(256) }),
    async handler({ body }, ctx) {
      if (!ctx.actor) throw unauthenticated();
      const actor = ctx.actor;
      await inTransaction(ctx, (c) => disableTotp(c, actor.userId, body.password));
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/users',
    summary: 'Accounts (system and security administrators)',
    tags,
    access: ['sysadmin', 'secadmin'],
    async handler(_input, ctx) {
      const rows = await ctx.db
        .selectFrom('users')
        .select([
          'id',
          'username',
          'display_name',
          'role',
          'person_id',
          'disabled',
          'locked_until',
          'totp_enabled',
          'must_change_password',
        ])
        .orderBy('username')
        .execute();
      return {
        items: rows.map((u) => ({
          id: u.id,
          username: u.username,
          displayName: u.display_name,
          role: u.role,
          personId: u.person_id,
          disabled: u.disabled === 1,
          lockedUntil: u.locked_until,
          totpEnabled: u.totp_enabled === 1,
          mustChangePassword: u.must_change_password === 1,
        })),
      };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/users',
    summary: 'Create an account (one role per account); the password must be changed at first login',
    tags,
    access: ['sysadmin'],
    status: 201,
    body: z.object({
      username: z.string().min(2).max(40),
      displayName: z.string().min(1).max(40),
      role: z.enum(roles),
      personId: z.string().nullable().optional(),
      password: z.string().min(8, '密码至少 8 位').max(256),
    }),
    handler: ({ body }, ctx) =>
      inTransaction(ctx, (c) => userCreator(c, { ...body, mustChangePassword: true })),
  }),
  defineRoute({
    method: 'POST',
    url: '/users/:id/unlock',
    summary: 'Unlock an account locked after failed logins (security administrator)',
    tags,
    access: ['secadmin'],
    params: userId,
    async handler({ params }, ctx) {
      const res = await ctx.db
        .updateTable('users')
        .set({ locked_until: null, failed_logins: 0, updated_at: nowIso(ctx.now()) })
        .where('id', '=', params.id)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw notFound('账号', params.id);
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/users/:id/totp',
    summary: 'Reset an account’s second factor after a lost phone (security administrator)',
    tags,
    access: ['secadmin'],
    params: userId,
    async handler({ params }, ctx) {
      const exists = await ctx.db
        .selectFrom('users')
        .select('id')
        .where('id', '=', params.id)
        .executeTakeFirst();
      if (!exists) throw new AppError('not_found', `账号不存在：${params.id}`, 404);
      await inTransaction(ctx, (c) => disableTotp(c, params.id));
      return { ok: true };
    },
  }),
];
