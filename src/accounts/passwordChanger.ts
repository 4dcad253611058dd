import type { Context } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { nowIso } from '../ids.ts';
import { assertPasswordAcceptable } from '../security/passwordPolicy.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { endSessions } from './sessions.ts';

/**
 * Change one's own password (等保 2.0 身份鉴别 a): the current password is required, the new one must meet the
 * rules and differ from the current one. Clears the first-login flag and ends the account's other sessions.
 */
export async function passwordChanger(
  ctx: Context,
  input: { userId: string; currentPassword: string; newPassword: string; keepSessionToken?: string },
): Promise<void> {
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'username', 'password_hash'])
    .where('id', '=', input.userId)
    .executeTakeFirst();
  if (!user) throw notFound('账号', input.userId);
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
    throw new AppError('password_wrong', '当前密码错误', 400, [
      { field: 'body.currentPassword', reason: '当前密码错误' },
    ]);
  }
  assertPasswordAcceptable(input.newPassword, user.username, 'body.newPassword');
  if (await verifyPassword(input.newPassword, user.password_hash)) {
    throw new AppError('password_unchanged', '新密码不能与当前密码相同', 400, [
      { field: 'body.newPassword', reason: '新密码不能与当前密码相同' },
    ]);
  }
  const now = nowIso(ctx.now());
  await ctx.db
    .updateTable('users')
    .set({
      password_hash: await hashPassword(input.newPassword),
      must_change_password: 0,
      password_changed_at: now,
      updated_at: now,
    })
    .where('id', '=', user.id)
    .execute();
  await endSessions(ctx, user.id, input.keepSessionToken);
}
