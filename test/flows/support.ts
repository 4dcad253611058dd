import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '../../src/accounts/tables.ts';
import { userCreator } from '../../src/accounts/userCreator.ts';
import { type Actor, type Context, inTransaction } from '../../src/context.ts';
import { definitionImporter } from '../../src/flows/definitions.ts';
import { instanceStarter } from '../../src/flows/instanceStarter.ts';
import type { TaskRow } from '../../src/flows/tables.ts';
import { taskCompleter } from '../../src/flows/taskActions/complete.ts';
import type { TestStore } from '../support/backends.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
export const fixture = (name: string): string => readFileSync(join(fixtures, name), 'utf8');

/** A definitions document around one process body (the diagram is left out: the engine does not need it). */
export function bpmn(key: string, body: string, attrs = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:gongkai="https://gongkai.cn/schema/bpmn/1.0" id="defs-${key}" targetNamespace="https://gongkai.cn/flows">
  <bpmn:process id="${key}" name="${key}" isExecutable="true" ${attrs}>
${body}
  </bpmn:process>
</bpmn:definitions>`;
}

/** Sequence flows from compact `a>b` pairs (`a>b:name` labels one; `a>b?${expr}` gives a condition). */
export function flows(...pairs: string[]): string {
  return pairs
    .map((p, i) => {
      const m = /^([\w-]+)>([\w-]+)(?::([^?]*))?(?:\?(.*))?$/.exec(p);
      if (!m) throw new Error(`bad flow ${p}`);
      const [, s, t, name, cond] = m;
      const nameAttr = name ? ` name="${name}"` : '';
      const condEl = cond
        ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"><![CDATA[${cond}]]></bpmn:conditionExpression>`
        : '';
      return `<bpmn:sequenceFlow id="f${i}_${s}_${t}" sourceRef="${s}" targetRef="${t}"${nameAttr}>${condEl}</bpmn:sequenceFlow>`;
    })
    .join('\n');
}

export interface People {
  ctx(username: string): Context;
  id(username: string): string;
}

/** Accounts for the test (no password hashing: they never sign in through the API here). */
export async function people(
  ts: TestStore,
  names: string[],
  role: Role = 'staff',
  clock?: () => Date,
): Promise<People> {
  const actors = new Map<string, Actor>();
  for (const username of names) {
    const existing = await ts.store.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    const id =
      existing?.id ??
      (
        await inTransaction(ts.ctx, (c) =>
          userCreator(c, { username, displayName: username.toUpperCase(), role, passwordHash: 'x' }),
        )
      ).id;
    actors.set(username, {
      userId: id,
      username,
      displayName: username.toUpperCase(),
      role: existing?.role ?? role,
      personId: null,
    });
  }
  return {
    ctx(username) {
      const actor = actors.get(username);
      if (!actor) throw new Error(`no user ${username}`);
      return { ...ts.ctx, actor, ...(clock ? { now: clock } : {}) };
    },
    id(username) {
      const actor = actors.get(username);
      if (!actor) throw new Error(`no user ${username}`);
      return actor.userId;
    },
  };
}

export const importXml = (ctx: Context, xml: string) => inTransaction(ctx, (c) => definitionImporter(c, xml));

export const start = (ctx: Context, key: string, variables: Record<string, unknown> = {}) =>
  inTransaction(ctx, (c) => instanceStarter(c, key, { variables }));

export async function openTasks(ctx: Context, instanceId: string): Promise<TaskRow[]> {
  return ctx.store.db
    .selectFrom('tasks')
    .selectAll()
    .where('instance_id', '=', instanceId)
    .where('status', 'in', ['open', 'supplementing'])
    .orderBy('activity_id')
    .orderBy('created_at')
    .execute();
}

/** The one open task at `activityId` (fails the test when there is none or several). */
export async function taskAt(ctx: Context, instanceId: string, activityId: string): Promise<TaskRow> {
  const all = (await openTasks(ctx, instanceId)).filter(
    (t) => t.activity_id === activityId && t.status === 'open',
  );
  if (all.length !== 1) {
    const where = (await openTasks(ctx, instanceId)).map((t) => `${t.activity_id}:${t.status}`).join(', ');
    throw new Error(
      `expected one open task at ${activityId}, found ${all.length} (open: ${where || 'none'})`,
    );
  }
  return all[0] as TaskRow;
}

export const complete = (
  ctx: Context,
  taskId: string,
  outcome?: string,
  opinion?: string,
  variables?: Record<string, unknown>,
) =>
  taskCompleter(ctx, taskId, {
    outcome: outcome ?? null,
    opinion: opinion ?? null,
    variables: variables ?? {},
  });

export async function instanceStatus(ctx: Context, id: string): Promise<string> {
  const row = await ctx.store.db
    .selectFrom('process_instances')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.status;
}

export async function historyOf(ctx: Context, instanceId: string) {
  return ctx.store.db
    .selectFrom('flow_history')
    .selectAll()
    .where('root_instance_id', '=', instanceId)
    .orderBy('step')
    .orderBy('seq')
    .execute();
}

export async function variable(ctx: Context, instanceId: string, name: string): Promise<unknown> {
  const row = await ctx.store.db
    .selectFrom('variables')
    .select('value')
    .where('scope_id', '=', instanceId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? JSON.parse(row.value) : undefined;
}
