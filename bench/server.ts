import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The real server as a child process, as `npm start` runs it, for the benchmarks that measure it.

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Start the server on a fresh data dir (SQLite) or the given PostgreSQL database and wait until it
 * answers. `pin` puts it on CPU 1 (the caller has taken CPU 0) so the two do not share cores.
 */
export async function startServer(dataDir: string, opts: { databaseUrl: string | null; pin: boolean }): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    XQ_DATA_DIR: dataDir,
    XQ_DEMO: '1',
    XQ_SERVE_WEB: '0',
    LOG_LEVEL: 'warn',
    XQ_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    XQ_LOGIN_PER_IP_PER_MINUTE: '10000',
  };
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  else delete env.DATABASE_URL;
  // BENCH_NODE_ARGS: extra flags for the server's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  // The same V8 flag as `npm start`: a 16 MB young generation keeps RSS ~50 MB lower than V8's
  // default on a machine with much memory, at a small cost in scavenges.
  const extra = (process.env.BENCH_NODE_ARGS ?? '--max-semi-space-size=16').split(/\s+/).filter(Boolean);
  // Measure what production runs: the tsc build (npm start). BENCH_SERVER_ENTRY=src runs from
  // source with tsx instead (its in-process compiler adds about 45 MB).
  const entry = process.env.BENCH_SERVER_ENTRY ?? 'server/dist/main.js';
  const args = entry === 'src' ? [...extra, '--import', 'tsx', 'server/src/main.ts'] : [...extra, path.resolve(ROOT, entry)];
  if (entry === 'server/dist/main.js') {
    const built = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'server/tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('building the server failed');
  }
  // With two or more cores, give the server one core and the load generator another, so the
  // figures measure the server rather than how the two processes happened to share the CPUs.
  const child = opts.pin
    ? spawn('taskset', ['-c', '1', process.execPath, ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
    process.stderr.write(d);
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited during start: ${err}`);
    try {
      const r = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return { child, base };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become healthy within 30 s: ${err}`);
}

/** SIGTERM (a graceful shutdown), SIGKILL after 5 s. */
export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
