import type { FastifyInstance } from 'fastify';
import type { Role } from '../../src/accounts/tables.ts';
import { userCreator } from '../../src/accounts/userCreator.ts';
import { inTransaction } from '../../src/context.ts';
import { buildApp } from '../../src/server/app.ts';
import type { TestStore } from './backends.ts';

export interface Session {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

export async function testApp(ts: TestStore): Promise<FastifyInstance> {
  return buildApp({ store: ts.store });
}

/** Create an account with the role and log in through the API, as a browser would. */
export async function signIn(
  app: FastifyInstance,
  ts: TestStore,
  role: Role,
  username = `t-${role}`,
): Promise<Session> {
  const password = 'Test-pass-2026';
  const exists = await ts.store.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirst();
  if (!exists) {
    await inTransaction(ts.ctx, (c) => userCreator(c, { username, displayName: username, role, password }));
  }
  const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'gk_session');
  if (!cookie) throw new Error('no session cookie');
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return {
    cookie: `gk_session=${cookie.value}`,
    csrf,
    headers: { cookie: `gk_session=${cookie.value}`, 'x-csrf-token': csrf },
  };
}
