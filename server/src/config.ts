import path from 'node:path';

/** Everything the server reads from its environment, validated once at start. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** PostgreSQL connection string; absent means embedded SQLite in dataDir. */
  databaseUrl: string | null;
  demo: boolean;
  /** With demo: also seed three months of service history on first run (XQ_DEMO_HISTORY, default on). */
  demoHistory: boolean;
  demoPassword: string;
  masterKey: string | undefined;
  /** Serve the built web app from web/dist (production). */
  serveWeb: boolean;
  /** Behind a TLS-terminating proxy: trust X-Forwarded-* and mark cookies Secure. */
  trustProxy: boolean;
  secureCookies: boolean;
  logLevel: string;
  session: { idleMinutes: number; absoluteHours: number };
  login: { maxFailures: number; lockMinutes: number; perIpPerMinute: number };
  bodyLimitBytes: number;
  /** Residents who moved or died more than this many years ago are listed for review (PIPL Art. 19). */
  retentionYears: number;
  /** Run the notification outbox worker in this process (XQ_OUTBOX_WORKER, default on). */
  outboxWorker: boolean;
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be 1 or 0, got "${raw}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// (leave it unset for embedded SQLite)');
  }
  const trustProxy = bool(env, 'XQ_TRUST_PROXY', false);
  return {
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 3000, 0, 65535),
    dataDir: path.resolve(env.XQ_DATA_DIR || 'data'),
    databaseUrl,
    demo: bool(env, 'XQ_DEMO', true),
    demoHistory: bool(env, 'XQ_DEMO_HISTORY', true),
    demoPassword: env.XQ_DEMO_PASSWORD || 'Xiangqiao#2026',
    masterKey: env.XQ_MASTER_KEY || undefined,
    serveWeb: bool(env, 'XQ_SERVE_WEB', true),
    trustProxy,
    secureCookies: bool(env, 'XQ_SECURE_COOKIES', trustProxy),
    logLevel: env.LOG_LEVEL || 'info',
    session: {
      idleMinutes: int(env, 'XQ_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
      absoluteHours: int(env, 'XQ_SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 7),
    },
    login: {
      maxFailures: 5,
      lockMinutes: 15,
      perIpPerMinute: int(env, 'XQ_LOGIN_PER_IP_PER_MINUTE', 30, 1, 10_000),
    },
    bodyLimitBytes: int(env, 'XQ_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    retentionYears: int(env, 'XQ_RETENTION_YEARS', 3, 1, 100),
    outboxWorker: bool(env, 'XQ_OUTBOX_WORKER', true),
  };
}
