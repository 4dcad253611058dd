import type { Context } from '../context.ts';
import { conflict, invalid } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { assertPasswordAcceptable } from '../security/passwordPolicy.ts';
import { hashPassword } from './passwords.ts';
import { type Role, roles } from './tables.ts';

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  personId?: string | null;
  /** Either a clear password (hashed here) or a hash computed by the caller (bulk demo accounts). */
  password?: string;
  passwordHash?: string;
  mustChangePassword?: boolean;
}

export const usernamePattern = /^[a-z][a-z0-9._-]{1,39}$/;

/** Create an account. One role per account: the three administrator roles can never meet in one account. */
export async function userCreator(ctx: Context, input: NewUser): Promise<{ id: string }> {
  if (!usernamePattern.test(input.username)) {
    throw invalid([
      {
        field: 'username',
        reason: '用户名须以小写字母开头，由 2–40 位小写字母、数字、点、下划线或连字符组成',
      },
    ]);
  }
  if (!roles.includes(input.role)) throw invalid([{ field: 'role', reason: '角色不存在' }]);
  const existing = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', input.username)
    .executeTakeFirst();
  if (existing) throw conflict('username_taken', `用户名已存在：${input.username}`);
  // a clear password meets the rules (等保 2.0 身份鉴别 a); a precomputed hash (demo accounts) was checked by its maker
  if (input.password !== undefined && input.passwordHash === undefined) {
    assertPasswordAcceptable(input.password, input.username);
  }
  const hash = input.passwordHash ?? (input.password ? await hashPassword(input.password) : undefined);
  if (!hash) throw invalid([{ field: 'password', reason: '必须设置密码' }]);
  const id = newId();
  const now = nowIso(ctx.now());
  await ctx.db
    .insertInto('users')
    .values({
      id,
      username: input.username,
      display_name: input.displayName,
      person_id: input.personId ?? null,
      role: input.role,
      password_hash: hash,
      must_change_password: input.mustChangePassword ? 1 : 0,
      failed_logins: 0,
      locked_until: null,
      disabled: 0,
      password_changed_at: now,
      created_at: now,
      updated_at: now,
      totp_secret: null,
      totp_enabled: 0,
      totp_last_step: null,
    })
    .execute();
  return { id };
}
