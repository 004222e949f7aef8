import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../lib/ids.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { createResident } from '../../test/residents.js';
import { blockOf, checkBookable, listSlots } from './slots.js';
import { wallClock, zonedInstant } from './zoned.js';

// The rule against a real database: the slot list and the booking check agree, existing
// appointments block their travel and buffer too, and moving an appointment ignores itself.

let t: TestApp;
let stationId: string;
let workers: string[];
let residentId: string;
const NOW = new Date('2026-11-29T02:00:00Z'); // Sunday 10:00 in Shanghai

async function serviceType(o: { mode?: 'station' | 'home_visit'; duration?: number; buffer?: number; travel?: number; active?: 0 | 1 } = {}) {
  const id = newId();
  const iso = NOW.toISOString();
  await t.deps.db
    .insertInto('service_types')
    .values({ id, station_id: stationId, name: `测试服务${id.slice(-6)}`, area: 'policy', mode: o.mode ?? 'station', duration_minutes: o.duration ?? 30, buffer_minutes: o.buffer ?? 0, travel_minutes: o.travel ?? 0, resident_bookable: 1, description: null, active: o.active ?? 1, created_at: iso, updated_at: iso })
    .execute();
  await t.deps.db.insertInto('service_type_workers').values(workers.map((w) => ({ station_id: stationId, service_type_id: id, user_id: w }))).execute();
  return id;
}

async function appointment(serviceTypeId: string, workerId: string, start: Date, rule: { mode: 'station' | 'home_visit'; durationMinutes: number; bufferMinutes: number; travelMinutes: number }) {
  const b = blockOf({ stationId, ...rule }, start);
  const id = newId();
  await t.deps.db
    .insertInto('appointments')
    .values({ id, station_id: stationId, service_type_id: serviceTypeId, resident_id: residentId, worker_id: workerId, start_at: start.toISOString(), end_at: b.end.toISOString(), block_start_at: b.blockStart.toISOString(), block_end_at: b.blockEnd.toISOString(), status: 'confirmed', channel: 'staff', note: null, booked_by: workerId, cancel_reason: null, version: 1, created_at: NOW.toISOString(), updated_at: NOW.toISOString() })
    .execute();
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.deps.db;
  stationId = (await db.selectFrom('stations').select('id').executeTakeFirstOrThrow()).id;
  workers = (await db.selectFrom('users').select('id').where('username', 'in', ['shegong1', 'shegong2']).orderBy('username').execute()).map((u) => u.id);
  for (const w of workers) {
    await db.deleteFrom('worker_hours').where('user_id', '=', w).execute();
    await db
      .insertInto('worker_hours')
      .values([1, 2, 3, 4, 5].flatMap((weekday) => [
        { station_id: stationId, user_id: w, weekday, start_minute: 510, end_minute: 720 },
        { station_id: stationId, user_id: w, weekday, start_minute: 840, end_minute: 1050 },
      ]))
      .execute();
  }
  residentId = (await createResident(t, await t.login('shegong1'))).id;
});
afterAll(() => t.close());

describe('the national calendar', () => {
  it('is seeded for 2026 with holidays and make-up working days', async () => {
    const days = await t.deps.db.selectFrom('calendar_days').selectAll().where('date', 'like', '2026-%').orderBy('date').execute();
    expect(days.filter((d) => d.kind === 'holiday').length).toBe(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect(days.filter((d) => d.kind === 'workday').map((d) => d.date)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });

  it('no slots on 国庆 holidays, slots on the make-up Saturday 10/10', async () => {
    const st = await serviceType();
    const before = new Date('2026-09-15T00:00:00Z');
    const slots = await listSlots(t.deps.db, { serviceTypeId: st, workerId: workers[0], from: zonedInstant('2026-10-01', 0), to: zonedInstant('2026-10-12', 0) }, before);
    const dates = slots.map((s) => wallClock(new Date(s.start)).date);
    expect([...new Set(dates)]).toEqual(['2026-10-08', '2026-10-09', '2026-10-10']);
    expect(dates.filter((d) => d === '2026-10-10').length).toBe(14);
    expect(await checkBookable(t.deps.db, { serviceTypeId: st, workerId: workers[0]!, start: zonedInstant('2026-10-05', 9 * 60) }, before)).toEqual({ ok: false, reason: 'holiday' });
    expect((await checkBookable(t.deps.db, { serviceTypeId: st, workerId: workers[0]!, start: zonedInstant('2026-10-10', 9 * 60) }, before)).ok).toBe(true);
  });
});

describe('checkBookable', () => {
  it('names the reason', async () => {
    const st = await serviceType();
    const off = await serviceType({ active: 0 });
    const tue = (m: number) => zonedInstant('2026-12-01', m);
    const check = (q: Partial<Parameters<typeof checkBookable>[1]>) => checkBookable(t.deps.db, { serviceTypeId: st, workerId: workers[0]!, start: tue(540), ...q }, NOW);
    expect(await check({})).toMatchObject({ ok: true, stationId, end: tue(570), blockStart: tue(540), blockEnd: tue(570) });
    expect(await check({ serviceTypeId: 'nope' })).toEqual({ ok: false, reason: 'unknown_service_type' });
    expect(await check({ serviceTypeId: off })).toEqual({ ok: false, reason: 'inactive' });
    const head = (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'zhanzhang').executeTakeFirstOrThrow()).id;
    expect(await check({ workerId: head })).toEqual({ ok: false, reason: 'worker_not_assigned' });
    // A disabled account delivers nothing, in the list and in the check alike.
    await t.deps.db.updateTable('users').set({ disabled: 1 }).where('id', '=', workers[1]!).execute();
    expect(await check({ workerId: workers[1]! })).toEqual({ ok: false, reason: 'worker_not_assigned' });
    expect((await listSlots(t.deps.db, { serviceTypeId: st, from: tue(0), to: tue(1440) }, NOW)).every((s) => s.workerId === workers[0])).toBe(true);
    await t.deps.db.updateTable('users').set({ disabled: 0 }).where('id', '=', workers[1]!).execute();
    expect(await check({ start: tue(555) })).toEqual({ ok: false, reason: 'not_on_grid' });
    expect(await check({ start: tue(780) })).toEqual({ ok: false, reason: 'outside_hours' });
    expect(await check({ start: new Date(NOW.getTime() - 3600_000) })).toEqual({ ok: false, reason: 'in_past' });
    expect(await check({ start: zonedInstant('2027-03-01', 540) })).toEqual({ ok: false, reason: 'too_far_ahead' });
  });

  it('leave removes slots; reschedule ignores the appointment itself', async () => {
    const st = await serviceType({ buffer: 10 });
    const rule = { mode: 'station' as const, durationMinutes: 30, bufferMinutes: 10, travelMinutes: 0 };
    const d = '2026-12-02';
    const w = workers[1]!;
    await t.deps.db.insertInto('worker_exceptions').values({ id: newId(), station_id: stationId, user_id: w, date: d, start_minute: 14 * 60, end_minute: 1050, kind: 'leave', note: null, created_at: NOW.toISOString() }).execute();
    const slots = await listSlots(t.deps.db, { serviceTypeId: st, workerId: w, from: zonedInstant(d, 0), to: zonedInstant(d, 1440) }, NOW);
    expect(slots.length).toBe(7); // mornings only
    expect(await checkBookable(t.deps.db, { serviceTypeId: st, workerId: w, start: zonedInstant(d, 900) }, NOW)).toEqual({ ok: false, reason: 'on_leave' });

    const apptId = await appointment(st, w, zonedInstant(d, 540), rule);
    expect(await checkBookable(t.deps.db, { serviceTypeId: st, workerId: w, start: zonedInstant(d, 540) }, NOW)).toEqual({ ok: false, reason: 'slot_taken' });
    // The buffer (09:30–09:40) blocks 09:30 too; 10:00 is free.
    expect(await checkBookable(t.deps.db, { serviceTypeId: st, workerId: w, start: zonedInstant(d, 570) }, NOW)).toEqual({ ok: false, reason: 'slot_taken' });
    expect((await checkBookable(t.deps.db, { serviceTypeId: st, workerId: w, start: zonedInstant(d, 600) }, NOW)).ok).toBe(true);
    // Moving it half an hour later overlaps only itself.
    expect((await checkBookable(t.deps.db, { serviceTypeId: st, workerId: w, start: zonedInstant(d, 570), excludeAppointmentId: apptId }, NOW)).ok).toBe(true);
    const after = await listSlots(t.deps.db, { serviceTypeId: st, workerId: w, from: zonedInstant(d, 0), to: zonedInstant(d, 1440) }, NOW);
    // 08:30 would need its own buffer until 09:10, and 09:30 starts inside the buffer: 10:00–11:30 remain.
    expect(after.length).toBe(4);
    // A cancelled appointment frees its time.
    await t.deps.db.updateTable('appointments').set({ status: 'cancelled' }).where('id', '=', apptId).execute();
    expect((await listSlots(t.deps.db, { serviceTypeId: st, workerId: w, from: zonedInstant(d, 0), to: zonedInstant(d, 1440) }, NOW)).length).toBe(7);
  });
});

describe('listSlots and checkBookable agree (properties)', () => {
  it('every listed slot is bookable, and no listed slot overlaps an active block', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<'station' | 'home_visit'>('station', 'home_visit'),
        fc.constantFrom(15, 30, 45, 60),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 30 }).map((q) => 480 + q * 15), fc.constantFrom(0, 1)), { maxLength: 5 }),
        async (mode, duration, buffer, travel, booked) => {
          const st = await serviceType({ mode, duration, buffer, travel });
          const rule = { mode, durationMinutes: duration, bufferMinutes: buffer, travelMinutes: travel };
          const days = ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11'];
          const blocks: { w: string; s: number; e: number }[] = [];
          for (const [di, minute, wi] of booked) {
            const w = workers[wi]!;
            const b = blockOf({ stationId, ...rule }, zonedInstant(days[di]!, minute));
            if (blocks.some((x) => x.w === w && x.s < b.blockEnd.getTime() && b.blockStart.getTime() < x.e)) continue;
            await appointment(st, w, zonedInstant(days[di]!, minute), rule);
            blocks.push({ w, s: b.blockStart.getTime(), e: b.blockEnd.getTime() });
          }
          const slots = await listSlots(t.deps.db, { serviceTypeId: st, from: zonedInstant(days[0]!, 0), to: zonedInstant(days[4]!, 1440) }, NOW);
          expect(slots.length).toBeGreaterThan(0);
          for (const s of slots) {
            const c = await checkBookable(t.deps.db, { serviceTypeId: st, workerId: s.workerId, start: new Date(s.start) }, NOW);
            expect(c.ok, `${s.start} ${JSON.stringify(c)}`).toBe(true);
            const b = blockOf({ stationId, ...rule }, new Date(s.start));
            expect(blocks.some((x) => x.w === s.workerId && x.s < b.blockEnd.getTime() && b.blockStart.getTime() < x.e)).toBe(false);
          }
          // Clean up so runs do not see each other's appointments.
          await t.deps.db.deleteFrom('appointments').where('service_type_id', '=', st).execute();
        },
      ),
      { numRuns: 15 },
    );
  });

  it('every bookable grid time is listed (the converse)', async () => {
    const st = await serviceType({ duration: 45, buffer: 5 });
    const d = '2026-12-03';
    const listed = new Set((await listSlots(t.deps.db, { serviceTypeId: st, workerId: workers[0], from: zonedInstant(d, 0), to: zonedInstant(d, 1440) }, NOW)).map((s) => s.start));
    for (let m = 0; m < 1440; m += 15) {
      const start = zonedInstant(d, m);
      const c = await checkBookable(t.deps.db, { serviceTypeId: st, workerId: workers[0]!, start }, NOW);
      expect(c.ok, `${m}`).toBe(listed.has(start.toISOString()));
    }
  });
});
