import { parseArgs } from 'node:util';
import pino from 'pino';
import { roles } from './accounts/tables.ts';
import { userCreator } from './accounts/userCreator.ts';
import { loadConfig } from './config.ts';
import { inTransaction, systemContext } from './context.ts';
import { securityCommands, securityUsage } from './security/cli.ts';
import { prepareStore, serve } from './server/start.ts';
import { openStore } from './store/openStore.ts';

const usage = `gongkai <command>

  serve                      start the platform (migrates, creates admin, loads the demo district when empty)
  migrate                    bring the database schema up to date
  import <file.xlsx> --unit <id>
                             import a 定岗定责定流程表 spreadsheet into a unit (all rows or none)
  export <file.xlsx> --unit <id>
                             export a unit's 定岗定责定流程表
  user add <username> --role <role> --name <显示名> --password <pw>
                             create an account (roles: ${roles.join(', ')})
  user list                  list accounts
${securityUsage}

Environment: DATABASE_URL, PORT, GONGKAI_ADMIN_PASSWORD, GONGKAI_DEMO_PASSWORD (see README).`;

type Command = (args: string[]) => Promise<number>;

export const commands: Record<string, Command> = {
  async serve() {
    await serve();
    return -1; // keeps running
  },
  async migrate() {
    const store = openStore(loadConfig().databaseUrl);
    await store.migrate();
    await store.close();
    console.log(`migrated ${store.description}`);
    return 0;
  },
  async import(args) {
    const { values, positionals } = parseArgs({
      args,
      options: { unit: { type: 'string' } },
      allowPositionals: true,
    });
    const file = positionals[0];
    if (!file || !values.unit) return fail('usage: gongkai import <file.xlsx> --unit <id>');
    const { importDutyTable } = await import('./registry/spreadsheet/dutyTableImport.ts');
    const store = await prepareStore({ ...loadConfig(), loadDemo: false }, pino({ level: 'warn' }));
    try {
      const result = await importDutyTable(systemContext(store), values.unit, await readFileBuffer(file));
      if (!result.ok) {
        console.error(`导入失败，未做任何更改。共 ${result.errors.length} 处错误：`);
        for (const e of result.errors) console.error(`  第 ${e.row} 行 ${e.column}：${e.reason}`);
        return 1;
      }
      console.log(`导入完成：${result.positions} 个岗位，${result.workItems} 项工作事项`);
      return 0;
    } finally {
      await store.close();
    }
  },
  async export(args) {
    const { values, positionals } = parseArgs({
      args,
      options: { unit: { type: 'string' } },
      allowPositionals: true,
    });
    const file = positionals[0];
    if (!file || !values.unit) return fail('usage: gongkai export <file.xlsx> --unit <id>');
    const { exportDutyTable } = await import('./registry/spreadsheet/dutyTableExport.ts');
    const store = await prepareStore({ ...loadConfig(), loadDemo: false }, pino({ level: 'warn' }));
    try {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(file, await exportDutyTable(systemContext(store), values.unit));
      console.log(`exported ${file}`);
      return 0;
    } finally {
      await store.close();
    }
  },
  async user(args) {
    const [sub, ...rest] = args;
    const store = await prepareStore({ ...loadConfig(), loadDemo: false }, pino({ level: 'warn' }));
    try {
      if (sub === 'list') {
        const rows = await store.db
          .selectFrom('users')
          .select(['username', 'display_name', 'role'])
          .orderBy('username')
          .execute();
        for (const r of rows) console.log(`${r.username}\t${r.role}\t${r.display_name}`);
        return 0;
      }
      if (sub === 'add') {
        const { values, positionals } = parseArgs({
          args: rest,
          options: { role: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } },
          allowPositionals: true,
        });
        const username = positionals[0];
        const role = roles.find((r) => r === values.role);
        if (!username || !role || !values.password) return fail(usage);
        await inTransaction(systemContext(store), (c) =>
          userCreator(c, {
            username,
            role,
            displayName: values.name ?? username,
            password: values.password!,
            mustChangePassword: true,
          }),
        );
        console.log(`created ${username} (${role})`);
        return 0;
      }
      return fail(usage);
    } finally {
      await store.close();
    }
  },
};

// audit verify|export|prune, backup, restore (issue 7)
Object.assign(commands, securityCommands);

async function readFileBuffer(path: string): Promise<Buffer> {
  const { readFile } = await import('node:fs/promises');
  return readFile(path);
}

function fail(message: string): number {
  console.error(message);
  return 2;
}

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.log(usage);
    process.exitCode = name ? 2 : 0;
    return;
  }
  try {
    const code = await command(args);
    if (code >= 0) process.exitCode = code;
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}

await main(process.argv.slice(2));
