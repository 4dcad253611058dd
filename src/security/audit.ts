import { createHash } from 'node:crypto';
import type { Context } from '../context.ts';
import { nowIso } from '../ids.ts';
import type { Db, Store } from '../store/store.ts';
import { genesisHash, type SecurityTables } from './tables.ts';

/**
 * The audit trail (等保 2.0 安全审计 a–d): every write, login, logout and failure, with who, when, from where,
 * on what, and the outcome. Rows are hash-chained (each row's hash covers its content and the previous hash)
 * and the table refuses UPDATE and DELETE, so a changed or removed row is detected by `verifyAuditChain`.
 */
export interface AuditEvent {
  action: string;
  outcome: 'success' | 'failure';
  actorId?: string | null;
  actorName?: string | null;
  actorRole?: string | null;
  ip?: string | null;
  target?: string | null;
  status?: number | null;
  detail?: string | null;
  /** Defaults to the context's clock. */
  at?: Date;
}

export type AuditRow = SecurityTables['audit_log'];

/** The bytes a row's hash covers: every column but `hash`, in a fixed order, as JSON (unambiguous). */
export function auditRowContent(row: Omit<AuditRow, 'hash'>): string {
  return JSON.stringify([
    row.seq,
    row.at,
    row.actor_id,
    row.actor_name,
    row.actor_role,
    row.ip,
    row.action,
    row.target,
    row.outcome,
    row.status,
    row.detail,
    row.prev_hash,
  ]);
}

export function auditRowHash(row: Omit<AuditRow, 'hash'>): string {
  return createHash('sha256').update(auditRowContent(row)).digest('hex');
}

const clip = (s: string | null | undefined, n: number) =>
  s == null ? null : s.length > n ? s.slice(0, n) : s;

/**
 * Append one event in the caller's transaction (`db` must be a transaction). The head row is updated
 * first: that takes the write lock (SQLite) or the row lock (PostgreSQL) before the head is read, so two
 * processes appending at once queue up and the chain never forks.
 */
export async function appendAuditInTransaction(db: Db, event: AuditEvent, now: Date): Promise<AuditRow> {
  await db
    .updateTable('audit_chain')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
    .where('id', '=', 1)
    .execute();
  const head = await db
    .selectFrom('audit_chain')
    .select(['last_seq', 'last_hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  const content: Omit<AuditRow, 'hash'> = {
    seq: head.last_seq,
    at: nowIso(event.at ?? now),
    actor_id: event.actorId ?? null,
    actor_name: clip(event.actorName, 100),
    actor_role: event.actorRole ?? null,
    ip: clip(event.ip, 64),
    action: clip(event.action, 200) ?? '',
    target: clip(event.target, 200),
    outcome: event.outcome,
    status: event.status ?? null,
    detail: clip(event.detail, 1000),
    prev_hash: head.last_hash,
  };
  const row: AuditRow = { ...content, hash: auditRowHash(content) };
  await db.insertInto('audit_log').values(row).execute();
  await db.updateTable('audit_chain').set({ last_hash: row.hash }).where('id', '=', 1).execute();
  return row;
}

/** Append one event in its own transaction. */
export function appendAudit(store: Store, event: AuditEvent, now: Date = new Date()): Promise<AuditRow> {
  return store.transaction((trx) => appendAuditInTransaction(trx, event, now));
}

/** Append with the actor and address of a context. */
export function auditFromContext(
  ctx: Context,
  event: Omit<AuditEvent, 'actorId' | 'actorName' | 'actorRole' | 'ip'>,
): Promise<AuditRow> {
  return appendAudit(
    ctx.store,
    {
      ...event,
      actorId: ctx.actor?.userId ?? null,
      actorName: ctx.actor?.username ?? null,
      actorRole: ctx.actor?.role ?? null,
      ip: ctx.ip,
    },
    ctx.now(),
  );
}

export interface AuditProblem {
  seq: number;
  problem: string;
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  firstSeq: number | null;
  lastSeq: number;
  headHash: string;
  problems: AuditProblem[];
}

const batch = 2000;

/**
 * Walk the chain from the pruning checkpoint to the head: every row's hash must match its content, link to
 * the previous row, and the sequence must have no gap, ending at the head. A changed row breaks its own hash;
 * a deleted row leaves a gap (or, at the end, a head that points past the last row).
 */
export async function verifyAuditChain(db: Db): Promise<AuditVerification> {
  const head = await db.selectFrom('audit_chain').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  const problems: AuditProblem[] = [];
  let expectedSeq = head.base_seq + 1;
  let prevHash = head.base_hash;
  let rows = 0;
  let firstSeq: number | null = null;
  let lastCheckpoint: { seq: number; hash: string } | null = null;
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(batch)
      .execute();
    if (!page.length) break;
    for (const row of page) {
      firstSeq ??= row.seq;
      rows++;
      if (row.seq !== expectedSeq) {
        problems.push({ seq: expectedSeq, problem: `missing rows ${expectedSeq}–${row.seq - 1}` });
      } else if (row.prev_hash !== prevHash) {
        problems.push({ seq: row.seq, problem: 'does not link to the previous row' });
      }
      const { hash, ...content } = row;
      if (auditRowHash(content) !== hash) problems.push({ seq: row.seq, problem: 'content changed' });
      if (row.action === 'audit.checkpoint') {
        const m = /base (\d+) ([0-9a-f]{64})/.exec(row.detail ?? '');
        if (m) lastCheckpoint = { seq: Number(m[1]), hash: m[2]! };
      }
      expectedSeq = row.seq + 1;
      prevHash = hash;
    }
    if (page.length < batch) break;
  }
  if (expectedSeq - 1 !== head.last_seq) {
    problems.push({ seq: expectedSeq, problem: `rows ${expectedSeq}–${head.last_seq} missing at the end` });
  } else if (prevHash !== head.last_hash) {
    problems.push({ seq: head.last_seq, problem: 'the last row does not match the chain head' });
  }
  // the base verification starts from must be the one the newest checkpoint row recorded (itself chained)
  if (
    head.base_seq > 0 &&
    (!lastCheckpoint || lastCheckpoint.seq !== head.base_seq || lastCheckpoint.hash !== head.base_hash)
  ) {
    problems.push({ seq: head.base_seq, problem: 'the pruning base does not match the last checkpoint row' });
  }
  return {
    ok: problems.length === 0,
    rows,
    firstSeq,
    lastSeq: head.last_seq,
    headHash: head.last_hash,
    problems,
  };
}

/**
 * Remove rows older than the retention period (at least 6 months), keeping the chain verifiable: the last
 * removed row's sequence and hash become the base, and a checkpoint row (itself chained) records them.
 * Returns the number of rows removed.
 */
export async function pruneAudit(
  store: Store,
  retentionDays: number,
  now: Date = new Date(),
  actor: Pick<AuditEvent, 'actorId' | 'actorName' | 'actorRole' | 'ip'> = {},
): Promise<number> {
  if (retentionDays < 180) throw new Error('audit records are kept at least 180 days (6 months)');
  const cutoff = nowIso(new Date(now.getTime() - retentionDays * 86_400_000));
  return store.transaction(async (trx) => {
    const last = await trx
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .where('at', '<', cutoff)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!last) return 0;
    // rows are appended in time order, so everything up to `last` is older than the cutoff
    const count = await trx
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('seq', '<=', last.seq)
      .executeTakeFirstOrThrow();
    // the base moves first: the delete trigger allows removing rows at or below it only
    await trx
      .updateTable('audit_chain')
      .set({ base_seq: last.seq, base_hash: last.hash })
      .where('id', '=', 1)
      .execute();
    await trx.deleteFrom('audit_log').where('seq', '<=', last.seq).execute();
    await appendAuditInTransaction(
      trx,
      {
        ...actor,
        action: 'audit.checkpoint',
        outcome: 'success',
        detail: `pruned ${Number(count.n)} rows before ${cutoff}; base ${last.seq} ${last.hash}`,
      },
      now,
    );
    return Number(count.n);
  });
}

/** Rows in sequence order, for export (JSON lines) and the auditor's view. */
export async function* auditRows(
  db: Db,
  filter: { from?: string; to?: string } = {},
): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    let q = db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(batch);
    if (filter.from) q = q.where('at', '>=', filter.from);
    if (filter.to) q = q.where('at', '<', filter.to);
    const page = await q.execute();
    for (const row of page) yield row;
    if (page.length < batch) return;
    after = page[page.length - 1]!.seq;
  }
}

export { genesisHash };
