import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIVE_APPOINTMENT_STATUSES } from '../../db/tables.js';
import { newId } from '../../lib/ids.js';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { createResident } from '../../test/residents.js';
import { MONDAY, NOW, at, demoStation, linkAccount, serviceType, type Catalogue } from './testing.js';

// THE proof the issue asks for: many people booking one worker's slot at the same moment get
// exactly one appointment. On PostgreSQL the requests run as truly parallel transactions over the
// pool's connections (they queue per worker on an advisory lock, and the exclusion constraint is
// the final word); on SQLite the write lock (BEGIN IMMEDIATE) serialises them and the trigger is
// the backstop. The last test shows the database refusing overlaps with no application check.

let t: TestApp;
let c: Catalogue;
let st: string;
let residents: string[];
let agents: Agent[];

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(NOW);
  c = await demoStation(t);
  st = await serviceType(t, c, { name: '临时救助申请指导', buffer: 10, mode: 'station' });
  const w1 = await t.login('shegong1');
  residents = [];
  for (let i = 0; i < 5; i++) residents.push((await createResident(t, w1, { name: `并发测试${'甲乙丙丁戊'[i]}`, birthDate: `194${i}-01-0${i + 1}` })).id);
  await linkAccount(t, 'jumin1', residents[4]!, 'self');
  agents = [w1, await t.login('shegong2'), await t.login('zhanzhang'), await t.login('shegong1'), await t.login('jumin1')];
});
afterAll(async () => t?.close());

const activeFor = (workerId: string) =>
  t.deps.db.selectFrom('appointments').select(['id', 'block_start_at', 'block_end_at']).where('worker_id', '=', workerId).where('status', 'in', [...ACTIVE_APPOINTMENT_STATUSES]).execute();

describe('no double booking under concurrency', () => {
  it('50 concurrent requests for one worker’s slot: exactly one 201, 49 × 409 slot_taken', async () => {
    const start = at(MONDAY, 9);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const who = i % agents.length;
        return agents[who]!.post('/api/appointments', { serviceTypeId: st, residentId: residents[who], start, workerId: c.workers.shegong1 });
      }),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((s) => s === 201)).toHaveLength(1);
    expect(codes.filter((s) => s === 409)).toHaveLength(49);
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().error.id === 'slot_taken')).toBe(true);
    const rows = await activeFor(c.workers.shegong1);
    expect(rows).toHaveLength(1);
    // Only the winner's reminders and audit entry exist: the losers rolled back whole.
    expect(await t.deps.db.selectFrom('notification_outbox').select('appointment_id').where('appointment_id', 'is not', null).distinct().execute()).toEqual([{ appointment_id: rows[0]!.id }]);
    expect(await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'appointment.book').execute()).toHaveLength(1);
  });

  it('50 concurrent requests over overlapping times (home-visit travel, buffers): the worker’s blocks never overlap', async () => {
    const visit = await serviceType(t, c, { name: '上门探访', mode: 'home_visit', duration: 30, travel: 30, buffer: 15, workers: [c.workers.shegong2] });
    const starts = [9, 9.5, 10, 10.5, 11].map((h) => at(MONDAY, Math.floor(h), (h % 1) * 60));
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => agents[i % 4]!.post('/api/appointments', { serviceTypeId: visit, residentId: residents[i % 4], start: starts[i % starts.length], workerId: c.workers.shegong2 })),
    );
    const codes = results.map((r) => r.statusCode);
    expect(results.filter((r) => r.statusCode !== 201 && r.statusCode !== 409).map((r) => r.body)).toEqual([]);
    const rows = await activeFor(c.workers.shegong2);
    expect(rows.length).toBe(codes.filter((s) => s === 201).length);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    for (const a of rows) for (const b of rows) if (a.id !== b.id) expect(a.block_start_at < b.block_end_at && b.block_start_at < a.block_end_at).toBe(false);
  });

  it('the database itself refuses an overlapping active appointment, whatever the code checked', async () => {
    const db = t.deps.db;
    const base = await db.selectFrom('appointments').selectAll().where('worker_id', '=', c.workers.shegong1).where('status', '=', 'confirmed').executeTakeFirstOrThrow();
    const copy = (startMin: number) => ({
      ...base,
      id: newId(),
      start_at: at(MONDAY, 9, startMin),
      end_at: at(MONDAY, 9, startMin + 30),
      block_start_at: at(MONDAY, 9, startMin),
      block_end_at: at(MONDAY, 9, startMin + 40),
    });
    // Overlapping an existing appointment's block.
    const onTop = await Promise.allSettled([copy(5), copy(20)].map((row) => db.insertInto('appointments').values(row).execute()));
    expect(onTop.every((a) => a.status === 'rejected')).toBe(true);
    for (const a of onTop) expect(String((a as PromiseRejectedResult).reason)).toContain('appointments_no_overlap');
    // Two transactions racing for a free time (truly in parallel on PostgreSQL): exactly one commits.
    const race = await Promise.allSettled([copy(60), copy(70)].map((row) => db.transaction().execute((trx) => trx.insertInto('appointments').values(row).execute())));
    expect(race.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    // (PostgreSQL may instead abort the loser as a deadlock when both index entries went in at once.)
    expect(String((race.find((a) => a.status === 'rejected') as PromiseRejectedResult).reason)).toMatch(/appointments_no_overlap|deadlock detected/);
    // Cancelled and completed appointments do not hold the time.
    await db.insertInto('appointments').values({ ...copy(10), status: 'cancelled' }).execute();
    const n = await db.selectFrom('appointments').select(sql<number>`count(*)`.as('n')).where('worker_id', '=', c.workers.shegong1).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(3);
  });
});
