import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generatePassword, hashPassword } from '../accounts/passwords.ts';
import { userCreator } from '../accounts/userCreator.ts';
import { disambiguate, usernameFromName } from '../accounts/usernames.ts';
import { type Context, inTransaction } from '../context.ts';
import { disclosureDemoLoader } from '../disclosure/demoDisclosure.ts';
import { demoFlowsLoader } from '../flows/demoFlows.ts';
import { requestsDemoLoader } from '../requests/demo.ts';
import { loadRegistryFile } from './loadRegistry.ts';
import { readRegistryFile } from './registryFile.ts';

export const demoDir = resolve(import.meta.dirname, '..', '..', 'demo');

/** A module's demo data: loaded after the registry, in the order listed in `demoLoaders`. */
export interface DemoLoader {
  name: string;
  load(ctx: Context): Promise<string>;
}

/** Modules add their loaders here (flows, disclosure, …). */
export const demoLoaders: DemoLoader[] = [];
demoLoaders.push(demoFlowsLoader);
demoLoaders.push(disclosureDemoLoader);
demoLoaders.push(requestsDemoLoader);

const leaderKinds = new Set(['head', 'deputy', 'groupLeader', 'groupFirstDeputy', 'groupDeputy']);

export interface DemoResult {
  loaded: boolean;
  summary: string[];
  /** Set when the password was generated here: print it once. */
  generatedDemoPassword?: string;
}

/**
 * Load the demo district into an empty database, in one transaction: either all of it is there or none.
 * Every person gets an account named by the pinyin of their name; they share the demo password.
 */
export async function loadDemo(ctx: Context, demoPassword: string | undefined): Promise<DemoResult> {
  const existing = await ctx.db.selectFrom('units').select('id').limit(1).execute();
  if (existing.length)
    return { loaded: false, summary: ['demo data skipped: the database already holds units'] };
  const password = demoPassword ?? generatePassword();
  // One hash for all demo accounts: they share one password by design, and hashing ~200 times would add
  // seconds to the first start.
  const hash = await hashPassword(password);
  const files = readdirSync(join(demoDir, 'registry'))
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const registries = files.map((f) => readRegistryFile(join(demoDir, 'registry', f)));
  const summary: string[] = [];
  await inTransaction(ctx, async (c) => {
    for (const [i, file] of registries.entries()) {
      const { workItems } = await loadRegistryFile(c, file);
      summary.push(
        `${files[i]}: ${file.people.length} people, ${file.positions.length} positions, ${workItems} work items`,
      );
    }
    const taken = new Set(
      (await c.db.selectFrom('users').select('username').execute()).map((u) => u.username),
    );
    const people = await c.db.selectFrom('people').select(['id', 'name']).orderBy('id').execute();
    const leading = new Set(
      (
        await c.db
          .selectFrom('appointments')
          .innerJoin('positions', 'positions.id', 'appointments.position_id')
          .select(['appointments.person_id', 'positions.kind'])
          .execute()
      )
        .filter((a) => leaderKinds.has(a.kind))
        .map((a) => a.person_id),
    );
    for (const p of people) {
      await userCreator(c, {
        username: disambiguate(usernameFromName(p.name), taken),
        displayName: p.name,
        role: leading.has(p.id) ? 'leader' : 'staff',
        personId: p.id,
        passwordHash: hash,
      });
    }
    summary.push(`${people.length} demo accounts`);
    for (const loader of demoLoaders) summary.push(`${loader.name}: ${await loader.load(c)}`);
  });
  return { loaded: true, summary, ...(demoPassword ? {} : { generatedDemoPassword: password }) };
}
