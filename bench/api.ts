import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { ROOT, startServer, stopServer } from './server.js';

/**
 * The `api` benchmark: the real server as a child process on a fresh data dir (SQLite, or
 * BENCH_DATABASE_URL), then autocannon against a public route (GET /api/health: one `select 1`)
 * and a signed-in one (GET /api/auth/me: session lookup, roles, stations). The gap between the
 * two is what authentication costs per request.
 */

const RESULTS = path.join(ROOT, 'bench', 'results', 'api.json');
const PASSWORD = 'Xiangqiao#2026';
const CONNECTIONS = 50;
const WARMUP_SECONDS = 2;

const TARGETS = { meToHealthRatio: 0.5, meP99Ms: 20, rssMb: 200 };

interface Figures {
  requests: number;
  /** Server CPU time (user + system) per request, from /proc: less sensitive to a busy machine than req/s. */
  serverCpuUsPerReq: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

function seconds(): number {
  const raw = process.env.BENCH_SECONDS;
  if (!raw) return 10;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 600) throw new Error(`BENCH_SECONDS must be a number of seconds from 1 to 600, got "${raw}"`);
  return n;
}

/** Pin when taskset exists, there are two cores, and BENCH_PIN is not 0; then this process takes CPU 0. */
const PINNED = (() => {
  if (process.env.BENCH_PIN === '0' || os.cpus().length < 2) return false;
  try {
    execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Resident set size of a process from /proc (Linux), in MB; VmHWM is the peak. */
function memoryOf(pid: number): { rssMb: number; peakRssMb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
function cpuSecondsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

async function login(base: string, username: string): Promise<string> {
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (r.status !== 200) throw new Error(`login as ${username} failed: ${r.status} ${await r.text()}`);
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  if (!cookie.includes('xq_sid=')) throw new Error('login set no session cookie');
  const me = await fetch(`${base}/api/auth/me`, { headers: { cookie } });
  if (me.status !== 200) throw new Error(`GET /api/auth/me with the session cookie: ${me.status}`);
  return cookie;
}

/** RSS samples taken every 250 ms while autocannon runs: V8 lets the heap grow to ~150 MB between major GCs, so one reading alone is luck. */
const rssSamples: number[] = [];

async function cannon(pid: number, url: string, duration: number, headers: Record<string, string>): Promise<Figures> {
  const cpu0 = cpuSecondsOf(pid);
  const sampler = setInterval(() => {
    const m = memoryOf(pid);
    if (m) rssSamples.push(m.rssMb);
  }, 250);
  let r: autocannon.Result;
  try {
    r = await autocannon({ url, connections: CONNECTIONS, duration, headers, timeout: 10 });
  } finally {
    clearInterval(sampler);
  }
  const cpu = cpuSecondsOf(pid) - cpu0;
  return {
    requests: r.requests.total,
    serverCpuUsPerReq: r.requests.total ? (cpu * 1e6) / r.requests.total : NaN,
    reqPerSec: r.requests.total / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

function pad(s: string, n: number): string {
  return s.padStart(n);
}

export async function runApiBenchmark(): Promise<void> {
  const duration = seconds();
  const dialect = process.env.BENCH_DATABASE_URL ? 'postgres' : 'sqlite';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xq-bench-'));
  let child: ChildProcess | null = null;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    const entry = process.env.BENCH_SERVER_ENTRY ?? 'server/dist/main.js';
    console.log(`api benchmark: ${entry}, ${dialect}, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up then ${duration} s per route (Node ${process.version}, ${os.cpus().length} CPUs${PINNED ? "; server pinned to CPU 1, load generator to CPU 0" : ""})`);
    const server = await startServer(dataDir, { databaseUrl: process.env.BENCH_DATABASE_URL ?? null, pin: PINNED });
    child = server.child;
    const pid = child.pid!;
    const cookie = await login(server.base, 'shegong1');
    const auth = { cookie };
    const rssIdleMb = memoryOf(pid)?.rssMb ?? NaN;

    await cannon(pid, `${server.base}/api/health`, WARMUP_SECONDS, {});
    await cannon(pid, `${server.base}/api/auth/me`, WARMUP_SECONDS, auth);

    rssSamples.length = 0;
    const health = await cannon(pid, `${server.base}/api/health`, duration, {});
    const me = await cannon(pid, `${server.base}/api/auth/me`, duration, auth);
    const mem = memoryOf(pid);
    if (!mem) throw new Error(`could not read /proc/${pid}/status (is the server still running?)`);
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('the server died during the run');

    const ratio = me.reqPerSec / health.reqPerSec;
    const failures = health.non2xx + me.non2xx + health.errors + me.errors;
    const checks = [
      { name: `me throughput ≥ ${TARGETS.meToHealthRatio} × health`, value: `${ratio.toFixed(2)} ×`, pass: ratio >= TARGETS.meToHealthRatio },
      { name: `me p99 < ${TARGETS.meP99Ms} ms`, value: `${me.p99Ms} ms`, pass: me.p99Ms < TARGETS.meP99Ms },
      { name: `server RSS < ${TARGETS.rssMb} MB`, value: `${mem.rssMb.toFixed(1)} MB`, pass: mem.rssMb < TARGETS.rssMb },
      { name: 'no non-2xx responses or errors', value: String(failures), pass: failures === 0 },
    ];

    const row = (label: string, f: Figures) =>
      `${label.padEnd(18)}${pad(f.reqPerSec.toFixed(0), 9)}${pad(f.p50Ms.toFixed(1), 9)}${pad(f.p99Ms.toFixed(1), 9)}${pad(f.maxMs.toFixed(1), 9)}${pad(String(f.requests), 10)}${pad(String(f.non2xx + f.errors), 8)}${pad(f.serverCpuUsPerReq.toFixed(0), 12)}`;
    console.log('');
    console.log(`${'route'.padEnd(18)}${pad('req/s', 9)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('max ms', 9)}${pad('requests', 10)}${pad('non2xx', 8)}${pad('cpu µs/req', 12)}`);
    console.log(row('GET /api/health', health));
    console.log(row('GET /api/auth/me', me));
    console.log('');
    console.log(`me / health throughput: ${ratio.toFixed(2)}   (server CPU per request: me ${me.serverCpuUsPerReq.toFixed(0)} µs, health ${health.serverCpuUsPerReq.toFixed(0)} µs)`);
    console.log(`load average during the run: ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} CPUs (autocannon shares the machine with the server)`);
    const rssDuring = { minMb: Math.min(...rssSamples), meanMb: rssSamples.reduce((a, b) => a + b, 0) / rssSamples.length, maxMb: Math.max(...rssSamples) };
    console.log(`server RSS: ${mem.rssMb.toFixed(1)} MB after the run; ${rssIdleMb.toFixed(1)} MB before it; during it min ${rssDuring.minMb.toFixed(0)} / mean ${rssDuring.meanMb.toFixed(0)} / max ${rssDuring.maxMb.toFixed(0)} MB (peak VmHWM ${mem.peakRssMb.toFixed(1)} MB)`);
    console.log('');
    for (const c of checks) console.log(`${c.pass ? 'PASS' : 'FAIL'}  ${c.name.padEnd(38)} ${c.value}`);
    const pass = checks.every((c) => c.pass);
    console.log(`\n${pass ? 'PASS' : 'FAIL'}: api benchmark ${pass ? 'meets' : 'misses'} its targets`);

    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    const json = {
      benchmark: 'api',
      at: new Date().toISOString(),
      dialect,
      server: process.env.BENCH_SERVER_ENTRY ?? 'server/dist/main.js',
      node: process.version,
      cpus: os.cpus().length,
      loadAverage1m: os.loadavg()[0],
      connections: CONNECTIONS,
      seconds: duration,
      health,
      me,
      meToHealthRatio: ratio,
      rssMb: mem.rssMb,
      peakRssMb: mem.peakRssMb,
      rssBeforeMb: rssIdleMb,
      rssDuringRunMb: rssDuring,
      targets: TARGETS,
      checks: checks.map((c) => ({ name: c.name, value: c.value, pass: c.pass })),
      pass,
    };
    fs.writeFileSync(RESULTS, `${JSON.stringify(json, null, 2)}\n`);
    console.log(`Figures written to ${path.relative(process.cwd(), RESULTS) || RESULTS}`);
    // Errors mean the figures measure failures, not the API: that is a broken run, not a slow one.
    if (failures > 0) throw new Error(`${failures} non-2xx responses or connection errors: the figures are not valid`);
  } finally {
    if (child) await stopServer(child);
    process.removeListener('exit', killOnExit);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
