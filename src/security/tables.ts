/** The security module's tables (migration 0007_security). */
export interface SecurityTables {
  /**
   * The audit trail (等保 2.0 安全审计): append-only (database triggers refuse UPDATE and DELETE above the
   * pruning checkpoint) and hash-chained: `hash` = SHA-256 over the row's content and the previous row's hash.
   */
  audit_log: {
    seq: number;
    at: string;
    actor_id: string | null;
    actor_name: string | null;
    actor_role: string | null;
    ip: string | null;
    /** What was done: `POST /api/v1/units`, `login`, `logout`, `audit.checkpoint` … */
    action: string;
    target: string | null;
    outcome: 'success' | 'failure';
    status: number | null;
    detail: string | null;
    prev_hash: string;
    hash: string;
  };
  /**
   * One row (id 1): the head of the chain. Every append updates it first, which serialises appenders across
   * processes (the row lock on PostgreSQL, the write lock on SQLite), so the chain never forks. `base_*` is
   * the last pruned row: verification starts there.
   */
  audit_chain: {
    id: number;
    last_seq: number;
    last_hash: string;
    base_seq: number;
    base_hash: string;
  };
  /** Idempotency keys (a retried public POST gets the first answer instead of doing the work twice). */
  idempotency_keys: {
    /** SHA-256 of who ‖ Idempotency-Key header: keys of different callers never meet. */
    key_hash: string;
    route: string;
    body_hash: string;
    status: number;
    response: string;
    created_at: string;
  };
  /** Single-use TOTP recovery codes, stored as SHA-256 only. */
  totp_recovery_codes: {
    user_id: string;
    code_hash: string;
    used_at: string | null;
  };
}

/** The hash the chain starts from. */
export const genesisHash = '0'.repeat(64);
