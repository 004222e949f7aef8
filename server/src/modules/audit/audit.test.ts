import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../lib/audit.js';
import { createTestApp, type TestApp } from '../../test/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

/** What someone with file or superuser access could do: switch the guard off and edit rows. */
async function tamper(statement: string): Promise<void> {
  const { db, dialect } = t.deps;
  if (dialect === 'postgres') {
    await sql.raw('alter table audit_log disable trigger user').execute(db);
    await sql.raw(statement).execute(db);
    await sql.raw('alter table audit_log enable trigger user').execute(db);
  } else {
    await sql.raw('drop trigger audit_log_no_update').execute(db);
    await sql.raw('drop trigger audit_log_no_delete').execute(db);
    await sql.raw(statement).execute(db);
    await sql.raw(`create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'audit_log is append-only'); end`).execute(db);
    await sql.raw(`create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit_log is append-only'); end`).execute(db);
  }
}

describe('audit log', () => {
  it('records logins with actor, role, station, IP and request id', async () => {
    await t.login('shegong1');
    const officer = await t.login('shuju');
    const list = (await officer.get('/api/audit?action=auth.login&actorUsername=shegong1&result=ok')).json();
    expect(list.items[0]).toMatchObject({ action: 'auth.login', result: 'ok', actorUsername: 'shegong1', role: 'social_worker', ip: '127.0.0.1', entityType: 'session' });
    expect(list.items[0].stationId).toBeTruthy();
    expect(list.items[0].requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('records a denied attempt and answers 403', async () => {
    const worker = await t.login('shegong1');
    const r = await worker.get('/api/audit');
    expect(r.statusCode).toBe(403);
    const officer = await t.login('shuju');
    const denied = (await officer.get('/api/audit?result=denied&actorUsername=shegong1')).json();
    expect(denied.items[0]).toMatchObject({ action: expect.stringMatching(/^GET \/api\/audit\/?$/), result: 'denied', role: 'social_worker', entityType: 'audit' });
  });

  it('pages newest first with a cursor', async () => {
    const officer = await t.login('shuju');
    const first = (await officer.get('/api/audit?limit=2')).json();
    expect(first.items).toHaveLength(2);
    expect(first.items[0].seq).toBeGreaterThan(first.items[1].seq);
    const second = (await officer.get(`/api/audit?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].seq).toBe(first.items[1].seq - 1);
    expect((await officer.get('/api/audit?cursor=%%%')).statusCode).toBe(400);
  });

  it('refuses UPDATE and DELETE in the database itself', async () => {
    await expect(sql`update audit_log set action = 'x'`.execute(t.deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(t.deps.db)).rejects.toThrow(/append-only/);
  });

  it('verifies the chain, and names the first broken link after tampering', async () => {
    const officer = await t.login('shuju');
    const good = (await officer.get('/api/audit/verify')).json();
    expect(good).toMatchObject({ ok: true, firstBroken: null });
    expect(good.checked).toBeGreaterThan(5);

    const victim = await t.deps.db.selectFrom('audit_log').select(['seq', 'id']).where('action', '=', 'auth.login').orderBy('seq').offset(2).limit(1).executeTakeFirstOrThrow();
    await tamper(`update audit_log set actor_username = 'someone_else' where id = '${victim.id}'`);
    const bad = (await officer.get('/api/audit/verify')).json();
    expect(bad.ok).toBe(false);
    expect(bad.firstBroken).toEqual({ seq: Number(victim.seq), id: victim.id, problem: 'hash_mismatch' });
    expect(bad.checked).toBe(Number(victim.seq) - 1);
  });

  it('finds a deleted row', async () => {
    const fresh = await createTestApp();
    try {
      await fresh.login('shegong1');
      await fresh.login('shegong2');
      const rows = await fresh.deps.db.selectFrom('audit_log').select(['seq', 'id']).orderBy('seq').execute();
      const target = rows[1]!;
      const saved = t;
      t = fresh;
      await tamper(`delete from audit_log where id = '${target.id}'`);
      t = saved;
      const r = await verifyAuditChain(fresh.deps.db);
      expect(r.ok).toBe(false);
      expect(r.firstBroken).toMatchObject({ seq: Number(target.seq) + 1, problem: 'seq_gap' });
    } finally {
      await fresh.close();
    }
  });

  it('writes the entry in the same transaction as the change', async () => {
    // A failing change leaves no audit entry behind, and a committed one always has its entry.
    const admin = await t.login('admin');
    const before = await t.deps.db.selectFrom('audit_log').select((e) => e.fn.countAll<number>().as('n')).where('action', '=', 'user.create').executeTakeFirstOrThrow();
    const dup = await admin.post('/api/users', { username: 'shegong1', displayName: 'x', password: 'Fine-Password-1', roles: [{ role: 'volunteer', stationId: (await admin.get('/api/auth/me')).json().user.stations[0]?.id ?? null }] });
    expect(dup.statusCode).toBeGreaterThanOrEqual(400);
    const after = await t.deps.db.selectFrom('audit_log').select((e) => e.fn.countAll<number>().as('n')).where('action', '=', 'user.create').executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
