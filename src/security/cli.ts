import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openStore } from '../store/openStore.ts';
import { auditRows, pruneAudit, verifyAuditChain } from './audit.ts';
import { backupDatabase, restoreDatabase } from './backup.ts';
import { securityConfig } from './config.ts';

/** The security module's commands of `gongkai` (src/cli.ts lists them). */
export const securityUsage = `  audit verify               check the audit trail's hash chain (exit 1 and the broken rows when tampered)
  audit export [file] [--from <ISO>] [--to <ISO>]
                             the audit trail as JSON lines (stdout without a file), then the chain head
  audit prune [--days <n>]   remove audit rows older than the retention (≥ 180 days), keeping a checkpoint
  backup <file>              a consistent backup while the server runs (SQLite online backup / pg_dump)
  restore <file> --yes       replace the database with a backup (stop the server first)`;

type Command = (args: string[]) => Promise<number>;

async function withStore<T>(fn: (store: ReturnType<typeof openStore>) => Promise<T>): Promise<T> {
  const store = openStore(loadConfig().databaseUrl);
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

export const securityCommands: Record<string, Command> = {
  async audit(args) {
    const [sub, ...rest] = args;
    const { values, positionals } = parseArgs({
      args: rest,
      options: { from: { type: 'string' }, to: { type: 'string' }, days: { type: 'string' } },
      allowPositionals: true,
    });
    if (sub === 'verify') {
      return withStore(async (store) => {
        const v = await verifyAuditChain(store.db);
        if (v.ok) {
          console.log(
            `audit chain OK: ${v.rows} rows${v.firstSeq !== null ? ` (seq ${v.firstSeq}–${v.lastSeq})` : ''}, head ${v.headHash}`,
          );
          return 0;
        }
        console.error(`audit chain BROKEN: ${v.problems.length} problem(s)`);
        for (const p of v.problems) console.error(`  seq ${p.seq}: ${p.problem}`);
        return 1;
      });
    }
    if (sub === 'export') {
      return withStore(async (store) => {
        const file = positionals[0];
        const out = file ? createWriteStream(file, { flags: 'wx', mode: 0o600 }) : process.stdout;
        const write = (line: string) =>
          new Promise<void>((resolve, reject) => out.write(`${line}\n`, (e) => (e ? reject(e) : resolve())));
        let n = 0;
        const filter = {
          ...(values.from ? { from: values.from } : {}),
          ...(values.to ? { to: values.to } : {}),
        };
        for await (const row of auditRows(store.db, filter)) {
          await write(JSON.stringify(row));
          n++;
        }
        const v = await verifyAuditChain(store.db);
        await write(JSON.stringify({ head: { seq: v.lastSeq, hash: v.headHash, verified: v.ok } }));
        if (file) {
          await new Promise<void>((resolve) => out.end(resolve));
          console.log(`exported ${n} audit rows to ${file}; chain head ${v.lastSeq} ${v.headHash}`);
        }
        return v.ok ? 0 : 1;
      });
    }
    if (sub === 'prune') {
      const days = values.days ? Number(values.days) : securityConfig().auditRetentionDays;
      if (!Number.isInteger(days) || days < 180) {
        console.error('audit records are kept at least 180 days (6 months)');
        return 2;
      }
      return withStore(async (store) => {
        const removed = await pruneAudit(store, days, new Date(), { actorName: 'cli' });
        console.log(`pruned ${removed} audit rows older than ${days} days; checkpoint recorded`);
        return 0;
      });
    }
    console.error(securityUsage);
    return 2;
  },
  async backup(args) {
    const file = args[0];
    if (!file) {
      console.error('usage: gongkai backup <file>');
      return 2;
    }
    await backupDatabase({ databaseUrl: loadConfig().databaseUrl }, file);
    console.log(`backup written to ${file}`);
    return 0;
  },
  async restore(args) {
    const { values, positionals } = parseArgs({
      args,
      options: { yes: { type: 'boolean' } },
      allowPositionals: true,
    });
    const file = positionals[0];
    if (!file) {
      console.error('usage: gongkai restore <file> --yes');
      return 2;
    }
    if (!values.yes) {
      console.error('restore replaces every row of the database: stop the server, then repeat with --yes');
      return 2;
    }
    await restoreDatabase({ databaseUrl: loadConfig().databaseUrl }, file);
    console.log(`restored from ${file}`);
    return 0;
  },
};
