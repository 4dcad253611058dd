import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { isPostgresUrl } from '../config.ts';

/**
 * Backup and restore (等保 2.0 数据备份恢复 a: 应提供重要数据的本地数据备份与恢复功能). Both run while the platform
 * keeps writing: SQLite's online backup API copies a consistent snapshot page by page; pg_dump reads in one
 * repeatable-read transaction. Neither stops the server. Restore replaces the database: stop the server first.
 */

export interface BackupTarget {
  databaseUrl: string;
  /** PostgreSQL: only this schema (tests use one schema per store). */
  schema?: string;
}

function sqlitePath(url: string): string {
  return url.replace(/^sqlite:(\/\/)?/, '');
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${cmd} failed (exit ${code}): ${err.trim().slice(0, 2000)}`)),
    );
  });
}

/** Write a backup of the database to `file` (SQLite: a database file; PostgreSQL: a pg_dump custom archive). */
export async function backupDatabase(target: BackupTarget, file: string): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  if (isPostgresUrl(target.databaseUrl)) {
    await run('pg_dump', [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      ...(target.schema ? [`--schema=${target.schema}`] : []),
      `--file=${partial}`,
      `--dbname=${target.databaseUrl}`,
    ]);
  } else {
    const db = new SQLite(sqlitePath(target.databaseUrl), { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      // online backup API: after a first empty step, copy every page in one step — a single read transaction,
      // so the copy is one consistent moment and writers (WAL) go on; in small steps a steady stream of writes
      // from the server would restart the copy again and again
      await db.backup(partial, { progress: () => 0x7fffffff });
    } finally {
      db.close();
    }
    const check = new SQLite(partial, { readonly: true });
    try {
      const result = check.pragma('integrity_check', { simple: true });
      if (result !== 'ok') throw new Error(`backup failed its integrity check: ${String(result)}`);
    } finally {
      check.close();
    }
  }
  // the backup appears under its name only when complete
  renameSync(partial, file);
}

/** Replace the database with a backup. The server must be stopped. */
export async function restoreDatabase(target: BackupTarget, file: string): Promise<void> {
  if (!existsSync(file)) throw new Error(`no such backup: ${file}`);
  if (isPostgresUrl(target.databaseUrl)) {
    await run('pg_restore', [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      `--dbname=${target.databaseUrl}`,
      file,
    ]);
    return;
  }
  const source = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const result = source.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`the backup is damaged: ${String(result)}`);
    const path = sqlitePath(target.databaseUrl);
    mkdirSync(dirname(path), { recursive: true });
    // through the backup API into the live file, so its WAL is handled by SQLite and not left stale
    await source.backup(path);
  } finally {
    source.close();
  }
}
