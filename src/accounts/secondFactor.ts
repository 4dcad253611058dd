import { createHash } from 'node:crypto';
import type { Context } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { nowIso } from '../ids.ts';
import { openText, sealText } from '../security/crypto.ts';
import {
  base32Encode,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  otpauthUri,
  verifyTotp,
} from '../security/totp.ts';
import { verifyPassword } from './passwords.ts';
import type { AccountTables } from './tables.ts';

/**
 * The optional second factor (等保 2.0 身份鉴别 d, two factors for level 3): TOTP (RFC 6238) with ten
 * single-use recovery codes. The secret is stored SM4-encrypted; recovery codes as SHA-256 only.
 */

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

type UserRow = Pick<AccountTables['users'], 'id' | 'totp_secret' | 'totp_last_step'>;

/** A TOTP code (6 digits) or an unused recovery code; marks what it used so it cannot be used again. */
export async function checkSecondFactor(ctx: Context, user: UserRow, code: string): Promise<boolean> {
  const trimmed = code.trim();
  if (/^\d{6}$/.test(trimmed)) {
    if (!user.totp_secret) return false;
    const secret = Buffer.from(openText(user.totp_secret), 'base64');
    const step = verifyTotp(secret, trimmed, ctx.now(), user.totp_last_step);
    if (step === null) return false;
    // conditional update: of two logins racing with the same code, one wins
    const res = await ctx.db
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', user.id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
  const normalised = normaliseRecoveryCode(trimmed);
  if (!/^[a-z0-9]{4}-[a-z0-9]{4}$/.test(normalised)) return false;
  const res = await ctx.db
    .updateTable('totp_recovery_codes')
    .set({ used_at: nowIso(ctx.now()) })
    .where('user_id', '=', user.id)
    .where('code_hash', '=', sha256(normalised))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Start enrolment: a new secret, kept (encrypted) but not yet required until confirmed with a code. */
export async function enrolTotp(ctx: Context, userId: string): Promise<{ secret: string; uri: string }> {
  const user = await ctx.db
    .selectFrom('users')
    .select(['username', 'totp_enabled'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) throw notFound('账号', userId);
  if (user.totp_enabled === 1) throw new AppError('totp_already_enabled', '已启用动态口令，请先停用', 409);
  const secret = newTotpSecret();
  await ctx.db
    .updateTable('users')
    .set({ totp_secret: sealText(secret.toString('base64')), totp_last_step: null })
    .where('id', '=', userId)
    .execute();
  return { secret: base32Encode(secret), uri: otpauthUri(secret, user.username) };
}

/** Confirm enrolment with a first code; returns the recovery codes, shown this once. */
export async function confirmTotp(
  ctx: Context,
  userId: string,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'totp_secret', 'totp_last_step', 'totp_enabled'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) throw notFound('账号', userId);
  if (user.totp_enabled === 1) throw new AppError('totp_already_enabled', '已启用动态口令', 409);
  if (!user.totp_secret) throw new AppError('totp_not_enrolled', '请先生成动态口令密钥', 409);
  if (!/^\d{6}$/.test(code.trim()) || !(await checkSecondFactor(ctx, user, code))) {
    throw new AppError('totp_failed', '动态口令错误', 400, [{ field: 'body.code', reason: '动态口令错误' }]);
  }
  const codes = newRecoveryCodes();
  await ctx.db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
  await ctx.db
    .insertInto('totp_recovery_codes')
    .values(codes.map((c) => ({ user_id: userId, code_hash: sha256(c), used_at: null })))
    .execute();
  await ctx.db.updateTable('users').set({ totp_enabled: 1 }).where('id', '=', userId).execute();
  return { recoveryCodes: codes };
}

/** Turn the second factor off: the owner with the password, or a security administrator (lost phone). */
export async function disableTotp(ctx: Context, userId: string, password?: string): Promise<void> {
  const user = await ctx.db
    .selectFrom('users')
    .select(['password_hash'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) throw notFound('账号', userId);
  if (password !== undefined && !(await verifyPassword(password, user.password_hash))) {
    throw new AppError('password_wrong', '密码错误', 400, [{ field: 'body.password', reason: '密码错误' }]);
  }
  await ctx.db
    .updateTable('users')
    .set({ totp_enabled: 0, totp_secret: null, totp_last_step: null })
    .where('id', '=', userId)
    .execute();
  await ctx.db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
}
