import type { ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, openSqlite } from '../db/connect.js';
import { verifyAuditChain } from '../lib/audit.js';
import { freshDatabase } from './db.js';
import { httpLogin, startChildServer, type ChildServer } from './child.js';

/**
 * Crash safety: the real server, as a child process, is killed with SIGKILL in the middle of a
 * burst of audited writes. After a restart on the same database every write it acknowledged with
 * a 2xx must be there (the row and its audit entry), the audit chain must verify, and the SQLite
 * file must pass integrity_check. SIGKILL is a process crash, not a power cut, so the SQLite test
 * also checks that the connection really runs with synchronous=FULL.
 */

const PASSWORD = 'Xiangqiao#2026';
const TOTAL_WRITES = 200;
const IN_FLIGHT = 8;
/** Kill once this many writes have been acknowledged (the rest of the burst is still running). */
const KILL_AFTER = 80;

let fresh: Awaited<ReturnType<typeof freshDatabase>>;
const children: ChildProcess[] = [];

async function startServer(): Promise<ChildServer> {
  // A fixed master key, so the restarted server reads what the first one encrypted.
  const server = await startChildServer(fresh, { XQ_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') });
  children.push(server.child);
  return server;
}

function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function login(url: string, username: string): Promise<{ headers: Record<string, string> }> {
  return { headers: await httpLogin(url, username, PASSWORD) };
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
    const head = await login(first.url, 'zhanzhang');
    const me = (await (await fetch(`${first.url}/api/auth/me`, { headers: head.headers })).json()) as { user: { stations: { id: string }[] } };
    const stationId = me.user.stations[0]!.id;
    const admin = await login(first.url, 'admin');

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
          const r = await fetch(`${first.url}/api/users`, {
            method: 'POST',
            headers: { ...admin.headers, 'content-type': 'application/json' },
            body: JSON.stringify({ username, displayName: `崩溃测试 ${username}`, password: 'Qiao-Mima-7731!', roles: [{ role: 'volunteer', stationId }] }),
          });
          // The status line is the acknowledgement: the server only sends it after the commit.
          if (r.status >= 200 && r.status < 300) acked.push(username);
          else unexpected.push(`${username}: ${r.status} ${await r.text()}`);
          await r.body?.cancel().catch(() => undefined);
        } catch {
          if (!killed) throw new Error(`write ${username} failed before the kill: ${first.output()}`);
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
    const officer = await login(second.url, 'shuju');
    const verify = (await (await fetch(`${second.url}/api/audit/verify`, { headers: officer.headers })).json()) as { ok: boolean; checked: number };
    expect(verify.ok).toBe(true);
    await login(second.url, 'admin');

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
