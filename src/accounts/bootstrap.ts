import { type Context, inTransaction } from '../context.ts';
import { generatePassword } from './passwords.ts';
import { userCreator } from './userCreator.ts';

/**
 * First start: create `admin` (system administrator) with the configured password, or a generated one that
 * the caller prints once. There is no built-in default password. A generated password must be changed at
 * first login.
 */
export async function ensureAdmin(
  ctx: Context,
  configured: string | undefined,
): Promise<{ generated?: string }> {
  const existing = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'admin')
    .executeTakeFirst();
  if (existing) return {};
  const password = configured ?? generatePassword();
  await inTransaction(ctx, (c) =>
    userCreator(c, {
      username: 'admin',
      displayName: '系统管理员',
      role: 'sysadmin',
      password,
      mustChangePassword: !configured,
    }),
  );
  return configured ? {} : { generated: password };
}
