import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ChildServer {
  child: ChildProcess;
  url: string;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

/**
 * The real server, started from source as `npm start` runs it (tsx instead of the tsc build), on
 * the given data folder or database. Resolves once /api/health answers and the banner is printed.
 */
export async function startChildServer(
  db: { dataDir: string; databaseUrl: string | null },
  env: Record<string, string> = {},
): Promise<ChildServer> {
  const { dataDir, databaseUrl } = db;
  const port = await freePort();
  let log = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      XQ_DATA_DIR: dataDir,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: '' }),
      XQ_DEMO: '1',
      // Browser tests start from the demo accounts, residents and catalogue only; a test that wants
      // the three months of history passes XQ_DEMO_HISTORY: '1' (useStack({ XQ_DEMO_HISTORY: '1' })).
      XQ_DEMO_HISTORY: '0',
      XQ_SERVE_WEB: '0',
      LOG_LEVEL: 'warn',
      XQ_LOGIN_PER_IP_PER_MINUTE: '10000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  // Generous: tsx compiles the whole server from source, and on a loaded 2-core machine (two browser
  // files at once, each with a server and Chromium) that took over 30 s once (a CI failure).
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${log}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok && log.includes('is running')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    child,
    url,
    output: () => log,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Sign in over real HTTP; returns headers that carry the session and the CSRF token. */
export async function httpLogin(url: string, username: string, password: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}
