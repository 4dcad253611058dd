import { resolve } from 'node:path';

/**
 * The security settings (等保 2.0 level 3: 身份鉴别 a/b, 安全审计 d, 入侵防范), read once from the environment and
 * documented in the README's configuration table. Every value has a safe default; limits that a level-3
 * assessment requires (6 months of audit records) are floors that configuration cannot go below.
 */
export interface SecurityConfig {
  /** Failed logins before the account is locked (身份鉴别 b: 登录失败处理). */
  maxLoginFailures: number;
  /** How long a locked account stays locked. */
  lockMinutes: number;
  /** A session unused this long ends (身份鉴别 b: 连接超时自动退出). */
  idleMinutes: number;
  /** Audit rows younger than this are never pruned; at least 180 days (网络安全法 第二十一条: 不少于六个月). */
  auditRetentionDays: number;
  /** Login attempts per IP and minute (token bucket). */
  loginPerMinute: number;
  /** Public form submissions (anonymous writes) per IP and minute. */
  publicFormPerMinute: number;
  /** Largest upload accepted by src/security/uploads.ts, in bytes. */
  maxUploadBytes: number;
  /** Where uploads are stored: outside every folder the server serves. */
  uploadDir: string;
  /** Key material for personal data (SM4): the environment variable, or a file. */
  dataKey: string | undefined;
  dataKeyFile: string;
}

const minRetentionDays = 180;

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${raw}`);
  return n;
}

export function loadSecurityConfig(env: NodeJS.ProcessEnv = process.env): SecurityConfig {
  return {
    maxLoginFailures: int(env, 'GONGKAI_LOGIN_MAX_FAILURES', 5, 1),
    lockMinutes: int(env, 'GONGKAI_LOCK_MINUTES', 30, 1),
    idleMinutes: int(env, 'GONGKAI_IDLE_MINUTES', 30, 1),
    auditRetentionDays: int(env, 'GONGKAI_AUDIT_RETENTION_DAYS', minRetentionDays, minRetentionDays),
    loginPerMinute: int(env, 'GONGKAI_RATE_LOGIN', 30, 1),
    publicFormPerMinute: int(env, 'GONGKAI_RATE_PUBLIC_FORMS', 20, 1),
    maxUploadBytes: int(env, 'GONGKAI_MAX_UPLOAD_BYTES', 20 * 1024 * 1024, 1),
    uploadDir: resolve(env.GONGKAI_UPLOAD_DIR ?? resolve('data', 'uploads')),
    dataKey: env.GONGKAI_DATA_KEY || undefined,
    dataKeyFile: resolve(env.GONGKAI_DATA_KEY_FILE ?? resolve('data', 'gongkai-data.key')),
  };
}

let cached: SecurityConfig | undefined;

/** The process's settings, read on first use. */
export function securityConfig(): SecurityConfig {
  cached ??= loadSecurityConfig();
  return cached;
}
