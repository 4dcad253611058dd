import { createHash, randomBytes } from 'node:crypto';
import type { Actor, Context } from '../context.ts';
import { AppError } from '../errors.ts';
import { nowIso } from '../ids.ts';
import { securityConfig } from '../security/config.ts';
import { verifyPassword } from './passwords.ts';
import { checkSecondFactor } from './secondFactor.ts';

export const sessionCookie = 'gk_session';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface AuthPolicy {
  maxFailures: number;
  lockMinutes: number;
  idleMinutes: number;
}

export const defaultAuthPolicy: AuthPolicy = { maxFailures: 5, lockMinutes: 30, idleMinutes: 30 };

/**
 * The configured policy (等保 2.0 身份鉴别 b: 登录失败处理、连接超时自动退出): GONGKAI_LOGIN_MAX_FAILURES,
 * GONGKAI_LOCK_MINUTES, GONGKAI_IDLE_MINUTES, defaulting to 5 failures, 30 minutes, 30 minutes.
 */
export function configuredAuthPolicy(): AuthPolicy {
  const c = securityConfig();
  return { maxFailures: c.maxLoginFailures, lockMinutes: c.lockMinutes, idleMinutes: c.idleMinutes };
}

const badLogin = () => new AppError('login_failed', '用户名或密码错误', 401);

/**
 * Check a username and password and open a new session (a fresh random id at every login, so a session id
 * planted before login is worthless). Repeated failures lock the account for a while. Call it with the
 * store's handle, not inside a transaction: a failed attempt must stay counted although the call throws.
 */
export async function login(
  ctx: Context,
  username: string,
  password: string,
  policy: AuthPolicy = configuredAuthPolicy(),
  /** The second factor: a 6-digit TOTP code or a recovery code, required once TOTP is enabled. */
  secondFactor?: string,
): Promise<{ token: string; csrfToken: string; actor: Actor; mustChangePassword: boolean }> {
  const user = await ctx.db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
  const now = ctx.now();
  if (!user || user.disabled) {
    // spend the same time as a real check so that timing does not tell which usernames exist
    await verifyPassword(
      password,
      'scrypt$32768$8$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    );
    throw badLogin();
  }
  if (user.locked_until && user.locked_until > nowIso(now)) {
    throw new AppError('account_locked', `登录失败次数过多，账号已锁定至 ${user.locked_until}`, 423);
  }
  const passwordOk = await verifyPassword(password, user.password_hash);
  // with TOTP on, a right password without a code is not a failure (the client asks for the code next), but a
  // wrong code counts like a wrong password, so the code cannot be guessed around the lockout
  if (passwordOk && user.totp_enabled === 1 && !secondFactor) {
    throw new AppError('totp_required', '请输入动态口令（或恢复码）', 401);
  }
  const secondOk =
    !passwordOk || user.totp_enabled !== 1 || (await checkSecondFactor(ctx, user, secondFactor ?? ''));
  if (!passwordOk || !secondOk) {
    // counted with an increment in SQL, committed on its own (login runs outside a transaction, so the
    // error thrown below cannot roll the count back), and safe against parallel guessing
    await ctx.db
      .updateTable('users')
      .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
      .where('id', '=', user.id)
      .execute();
    const after = await ctx.db
      .selectFrom('users')
      .select('failed_logins')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    if (after.failed_logins >= policy.maxFailures) {
      await ctx.db
        .updateTable('users')
        .set({
          failed_logins: 0,
          locked_until: nowIso(new Date(now.getTime() + policy.lockMinutes * 60_000)),
        })
        .where('id', '=', user.id)
        .execute();
    }
    if (passwordOk) throw new AppError('totp_failed', '动态口令错误', 401);
    throw badLogin();
  }
  await ctx.db
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: null })
    .where('id', '=', user.id)
    .execute();
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await ctx.db
    .insertInto('sessions')
    .values({
      id_hash: sha256(token),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: nowIso(now),
      last_seen_at: nowIso(now),
      ip: ctx.ip,
    })
    .execute();
  return {
    token,
    csrfToken,
    mustChangePassword: user.must_change_password === 1,
    actor: {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      role: user.role,
      personId: user.person_id,
    },
  };
}

/** The session's actor, or null when the token is unknown, expired by idleness, or the account disabled. */
export async function resolveSession(
  ctx: Context,
  token: string,
  policy: AuthPolicy = configuredAuthPolicy(),
): Promise<{ actor: Actor; csrfToken: string; mustChangePassword: boolean } | null> {
  const row = await ctx.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id_hash',
      'sessions.csrf_token',
      'sessions.last_seen_at',
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.person_id',
      'users.disabled',
      'users.must_change_password',
    ])
    .where('sessions.id_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.disabled) return null;
  const now = ctx.now();
  const idleLimit = new Date(now.getTime() - policy.idleMinutes * 60_000);
  if (row.last_seen_at < nowIso(idleLimit)) {
    await ctx.db.deleteFrom('sessions').where('id_hash', '=', row.id_hash).execute();
    return null;
  }
  // touch at most once a minute: a read-heavy workbench should not write on every request
  if (row.last_seen_at < nowIso(new Date(now.getTime() - 60_000))) {
    await ctx.db
      .updateTable('sessions')
      .set({ last_seen_at: nowIso(now) })
      .where('id_hash', '=', row.id_hash)
      .execute();
  }
  return {
    csrfToken: row.csrf_token,
    mustChangePassword: row.must_change_password === 1,
    actor: {
      userId: row.id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      personId: row.person_id,
    },
  };
}

export async function logout(ctx: Context, token: string): Promise<void> {
  await ctx.db.deleteFrom('sessions').where('id_hash', '=', sha256(token)).execute();
}

/** End every session of an account except, optionally, the one in use (after a password change). */
export async function endSessions(ctx: Context, userId: string, keepToken?: string): Promise<void> {
  let q = ctx.db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepToken) q = q.where('id_hash', '!=', sha256(keepToken));
  await q.execute();
}
