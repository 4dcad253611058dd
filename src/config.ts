import { resolve } from 'node:path';
import { parseSecurityContact } from './server/securityTxt.ts';

/** Everything the platform reads from the environment, in one place (documented in the README). */
export interface Config {
  /** `postgres://…` selects PostgreSQL; anything else (or nothing) is a SQLite file path. */
  databaseUrl: string;
  port: number;
  host: string;
  adminPassword: string | undefined;
  demoPassword: string | undefined;
  /** Load the demo district into an empty database at start. */
  loadDemo: boolean;
  logLevel: string;
  /** Seconds a rendered public page is reused by this process (0: off). */
  portalCacheSeconds: number;
  /** Where vulnerabilities of this installation are reported: published at /.well-known/security.txt. */
  securityContact: string | null;
  /**
   * How long a flow timer claimed by a process stays that process's own. A process killed between the claim and
   * the firing leaves the claim behind; this long after the claim another process, or the restarted one, fires it.
   */
  timerLeaseSeconds: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got ${env.PORT}`);
  }
  return {
    databaseUrl: env.DATABASE_URL?.trim() || resolve('data', 'gongkai.db'),
    port,
    host: env.HOST ?? '0.0.0.0',
    adminPassword: env.GONGKAI_ADMIN_PASSWORD || undefined,
    demoPassword: env.GONGKAI_DEMO_PASSWORD || undefined,
    loadDemo: env.GONGKAI_DEMO !== '0',
    logLevel: env.LOG_LEVEL ?? 'info',
    portalCacheSeconds: Math.max(0, Number(env.GONGKAI_PORTAL_CACHE_SECONDS ?? 5) || 0),
    securityContact: parseSecurityContact(env.GONGKAI_SECURITY_CONTACT),
    timerLeaseSeconds: Math.max(1, Number(env.GONGKAI_TIMER_LEASE_SECONDS ?? 60) || 60),
  };
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}
