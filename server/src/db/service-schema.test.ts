import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app.js';
import { createResident } from '../test/residents.js';

// The no-double-booking rule lives in the database (exclusion constraint on PostgreSQL, triggers on
// SQLite): a direct insert that overlaps an active appointment of the same worker is refused.
let t: TestApp;
let residentId: string;
let stationId: string;
let workerId: string;
let typeId: string;
beforeAll(async () => {
  t = await createTestApp();
  const w = await t.login('shegong1');
  residentId = (await createResident(t, w)).id;
  const s = await t.deps.db.selectFrom('stations').select('id').executeTakeFirstOrThrow();
  stationId = s.id;
  workerId = (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'shegong1').executeTakeFirstOrThrow()).id;
  typeId = 'st-1';
  const now = new Date().toISOString();
  await t.deps.db.insertInto('service_types').values({ id: typeId, station_id: stationId, name: '政策咨询', area: 'policy', mode: 'station', duration_minutes: 30, buffer_minutes: 0, travel_minutes: 0, resident_bookable: 1, description: null, active: 1, created_at: now, updated_at: now }).execute();
});
afterAll(() => t.close());

const appt = (id: string, start: string, end: string, status: 'confirmed' | 'cancelled' | 'completed' = 'confirmed') => ({
  id, station_id: stationId, service_type_id: typeId, resident_id: residentId, worker_id: workerId,
  start_at: start, end_at: end, block_start_at: start, block_end_at: end, status, channel: 'staff' as const,
  note: null, booked_by: workerId, cancel_reason: null, version: 1, created_at: start, updated_at: start,
});

describe('appointments in the database', () => {
  it('refuses an overlapping active appointment for the same worker, allows touching and cancelled ones', async () => {
    const db = t.deps.db;
    await db.insertInto('appointments').values(appt('a1', '2026-12-01T01:00:00.000Z', '2026-12-01T01:30:00.000Z')).execute();
    await expect(db.insertInto('appointments').values(appt('a2', '2026-12-01T01:15:00.000Z', '2026-12-01T01:45:00.000Z')).execute()).rejects.toThrow(/appointments_no_overlap/);
    // Half-open intervals: the next one may start when this one ends.
    await db.insertInto('appointments').values(appt('a3', '2026-12-01T01:30:00.000Z', '2026-12-01T02:00:00.000Z')).execute();
    await db.insertInto('appointments').values(appt('a4', '2026-12-01T01:10:00.000Z', '2026-12-01T01:20:00.000Z', 'cancelled')).execute();
    // Re-activating a cancelled one that overlaps is refused too.
    await expect(db.updateTable('appointments').set({ status: 'confirmed' }).where('id', '=', 'a4').execute()).rejects.toThrow(/appointments_no_overlap/);
    // Cancelling frees the time.
    await db.updateTable('appointments').set({ status: 'cancelled' }).where('id', '=', 'a1').execute();
    await db.insertInto('appointments').values(appt('a5', '2026-12-01T01:00:00.000Z', '2026-12-01T01:30:00.000Z')).execute();
  });

  it('a service record is written once per source', async () => {
    const db = t.deps.db;
    const rec = (id: string) => ({ id, station_id: stationId, resident_id: residentId, worker_id: workerId, service_type_id: typeId, method: 'station' as const, start_at: '2026-12-01T01:30:00.000Z', end_at: '2026-12-01T02:00:00.000Z', place: null, summary: '政策咨询', outcome: null, follow_up_needed: 0 as const, source: 'appointment' as const, source_id: 'a3', created_by: workerId, created_at: '2026-12-01T02:00:00.000Z' });
    await db.insertInto('service_records').values(rec('r1')).execute();
    await expect(db.insertInto('service_records').values(rec('r2')).execute()).rejects.toThrow();
  });
});
