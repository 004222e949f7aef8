import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, openSqlite } from '../db/connect.js';
import { verifyAuditChain } from '../lib/audit.js';
import { freshDatabase } from './db.js';

/**
 * Crash safety: the real server, as a child process, is killed with SIGKILL in the middle of a
 * burst of audited writes. After a restart on the same database every write it acknowledged with
 * a 2xx must be there (the row and its audit entry), the audit chain must verify, and the SQLite
 * file must pass integrity_check. SIGKILL is a process crash, not a power cut, so the SQLite test
 * also checks that the connection really runs with synchronous=FULL.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PASSWORD = 'Xiangqiao#2026';
const TOTAL_WRITES = 200;
const IN_FLIGHT = 8;
/** Kill once this many writes have been acknowledged (the rest of the burst is still running). */
const KILL_AFTER = 80;

interface Server {
  child: ChildProcess;
  base: string;
  stderr: () => string;
}

let fresh: Awaited<ReturnType<typeof freshDatabase>>;
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function startServer(): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    XQ_DATA_DIR: fresh.dataDir,
    XQ_DEMO: '1',
    XQ_SERVE_WEB: '0',
    LOG_LEVEL: 'warn',
    XQ_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    XQ_LOGIN_PER_IP_PER_MINUTE: '10000',
  };
  if (fresh.databaseUrl) env.DATABASE_URL = fresh.databaseUrl;
  else delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited during start: ${err}`);
    try {
      const r = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return { child, base, stderr: () => err };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become healthy: ${err}`);
}

function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

interface Session {
  headers: Record<string, string>;
}

async function login(base: string, username: string): Promise<Session> {
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  expect(cookie).toContain('xq_sid=');
  expect(cookie).toContain('xq_csrf=');
  return { headers: { cookie, 'x-csrf-token': csrfToken } };
}

beforeAll(async () => {
  fresh = await freshDatabase();
});

afterAll(async () => {
  await Promise.all(children.map(killHard));
  await fresh?.drop();
});

describe('crash safety', () => {
  it('keeps every acknowledged write, and an intact audit chain, across a SIGKILL mid-burst', async () => {
    const first = await startServer();
    const head = await login(first.base, 'zhanzhang');
    const me = (await (await fetch(`${first.base}/api/auth/me`, { headers: head.headers })).json()) as { user: { stations: { id: string }[] } };
    const stationId = me.user.stations[0]!.id;
    const admin = await login(first.base, 'admin');

    const run = Date.now().toString(36);
    const acked: string[] = [];
    const unexpected: string[] = [];
    let next = 0;
    let killed = false;
    let afterKillErrors = 0;
    let killing: Promise<void> | null = null;

    async function worker(): Promise<void> {
      while (!killed && next < TOTAL_WRITES) {
        const username = `crash_${run}_${next++}`;
        try {
          const r = await fetch(`${first.base}/api/users`, {
            method: 'POST',
            headers: { ...admin.headers, 'content-type': 'application/json' },
            body: JSON.stringify({ username, displayName: `崩溃测试 ${username}`, password: 'Qiao-Mima-7731!', roles: [{ role: 'volunteer', stationId }] }),
          });
          // The status line is the acknowledgement: the server only sends it after the commit.
          if (r.status >= 200 && r.status < 300) acked.push(username);
          else unexpected.push(`${username}: ${r.status} ${await r.text()}`);
          await r.body?.cancel().catch(() => undefined);
        } catch {
          if (!killed) throw new Error(`write ${username} failed before the kill: ${first.stderr()}`);
          afterKillErrors += 1;
        }
        if (!killed && acked.length >= KILL_AFTER) {
          killed = true;
          killing = killHard(first.child);
        }
      }
    }
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    await killing;

    expect(unexpected).toEqual([]);
    expect(killed).toBe(true);
    expect(first.child.signalCode).toBe('SIGKILL');
    // The kill landed mid-burst: the burst was cut short with requests still in flight.
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acked.length).toBeLessThan(TOTAL_WRITES);

    // Restart on the same database: it must come up (recovering the WAL) and still work.
    const second = await startServer();
    const officer = await login(second.base, 'shuju');
    const verify = (await (await fetch(`${second.base}/api/audit/verify`, { headers: officer.headers })).json()) as { ok: boolean; checked: number };
    expect(verify.ok).toBe(true);
    await login(second.base, 'admin');

    // Check every acknowledged write, one by one, straight from the database.
    const database = connect({ databaseUrl: fresh.databaseUrl, dataDir: fresh.dataDir, poolSize: 2 });
    try {
      const { db } = database;
      const users = await db.selectFrom('users').select(['id', 'username']).where('username', 'like', `crash_${run}_%`).execute();
      const idOf = new Map(users.map((u) => [u.username, u.id]));
      const audited = new Set(
        (await db.selectFrom('audit_log').select('entity_id').where('action', '=', 'user.create').where('result', '=', 'ok').execute()).map((a) => a.entity_id),
      );
      const missingUser = acked.filter((u) => !idOf.has(u));
      const missingAudit = acked.filter((u) => idOf.has(u) && !audited.has(idOf.get(u)!));
      // Writes in flight at the kill may or may not have committed, but never a user without its audit entry.
      const unaudited = users.filter((u) => !audited.has(u.id)).map((u) => u.username);
      console.log(
        `[crash ${database.dialect}] acknowledged ${acked.length}/${TOTAL_WRITES}, present ${acked.length - missingUser.length - missingAudit.length}, ` +
          `rows after restart ${users.length}, requests cut off by the kill ${afterKillErrors}, audit entries checked ${verify.checked}`,
      );
      expect(missingUser).toEqual([]);
      expect(missingAudit).toEqual([]);
      expect(unaudited).toEqual([]);

      const chain = await verifyAuditChain(db);
      expect(chain).toMatchObject({ ok: true, firstBroken: null });
      expect(chain.checked).toBeGreaterThanOrEqual(acked.length);

      if (database.dialect === 'sqlite') {
        const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
        expect(integrity.rows.map((r) => r.integrity_check)).toEqual(['ok']);
        // A process kill cannot lose what the OS already holds, so also check the setting that
        // makes a commit durable against power loss before it is acknowledged (2 = FULL).
        const probe = openSqlite(database.file!);
        try {
          expect(probe.pragma('synchronous', { simple: true })).toBe(2);
          expect(probe.pragma('journal_mode', { simple: true })).toBe('wal');
        } finally {
          probe.close();
        }
      }
    } finally {
      await database.db.destroy();
    }
  });
});
