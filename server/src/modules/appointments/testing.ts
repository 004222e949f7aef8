import { newId } from '../../lib/ids.js';
import type { TestApp } from '../../test/app.js';
import { zonedInstant } from '../scheduling/zoned.js';

// Fixtures for the appointment and service-record tests: a service catalogue and working hours
// written straight into the tables (the scheduling API is tested on its own).

/** Sunday 29 November 2026, 10:00 in Shanghai: the tests' "now". */
export const NOW = new Date('2026-11-29T02:00:00Z');
/** Monday 30 November 2026 in Shanghai: a plain working day. */
export const MONDAY = '2026-11-30';
/** A slot start on a day (Shanghai wall clock, minutes after midnight). */
export const at = (date: string, hh: number, mm = 0) => zonedInstant(date, hh * 60 + mm).toISOString();

export interface Catalogue {
  stationId: string;
  workers: { shegong1: string; shegong2: string };
}

export async function demoStation(t: TestApp): Promise<Catalogue> {
  const db = t.deps.db;
  const stationId = (await db.selectFrom('stations').select('id').orderBy('created_at').executeTakeFirstOrThrow()).id;
  const users = await db.selectFrom('users').select(['id', 'username']).where('username', 'in', ['shegong1', 'shegong2']).execute();
  const id = (u: string) => users.find((x) => x.username === u)!.id;
  const workers = { shegong1: id('shegong1'), shegong2: id('shegong2') };
  for (const w of Object.values(workers)) {
    await db.deleteFrom('worker_hours').where('user_id', '=', w).execute();
    // 08:30–12:00 and 14:00–17:30, Monday to Friday.
    await db
      .insertInto('worker_hours')
      .values([1, 2, 3, 4, 5].flatMap((weekday) => [
        { station_id: stationId, user_id: w, weekday, start_minute: 510, end_minute: 720 },
        { station_id: stationId, user_id: w, weekday, start_minute: 840, end_minute: 1050 },
      ]))
      .execute();
  }
  return { stationId, workers };
}

export async function serviceType(
  t: TestApp,
  c: Catalogue,
  o: { name?: string; mode?: 'station' | 'home_visit' | 'phone' | 'online'; duration?: number; buffer?: number; travel?: number; residentBookable?: boolean; workers?: string[] } = {},
): Promise<string> {
  const id = newId();
  const iso = NOW.toISOString();
  await t.deps.db
    .insertInto('service_types')
    .values({
      id,
      station_id: c.stationId,
      name: o.name ?? `政策咨询${id.slice(-6)}`,
      area: 'policy',
      mode: o.mode ?? 'station',
      duration_minutes: o.duration ?? 30,
      buffer_minutes: o.buffer ?? 0,
      travel_minutes: o.travel ?? 0,
      resident_bookable: o.residentBookable === false ? 0 : 1,
      description: null,
      active: 1,
      created_at: iso,
      updated_at: iso,
    })
    .execute();
  const workers = o.workers ?? Object.values(c.workers);
  await t.deps.db.insertInto('service_type_workers').values(workers.map((w) => ({ station_id: c.stationId, service_type_id: id, user_id: w }))).execute();
  return id;
}

/** Link a resident account to a resident (as the account's own person, a family member or a ward). */
export async function linkAccount(t: TestApp, username: string, residentId: string, relation: 'self' | 'family' | 'guardian') {
  const db = t.deps.db;
  const u = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  const r = await db.selectFrom('residents').select('station_id').where('id', '=', residentId).executeTakeFirstOrThrow();
  // The demo may already link the account to a demo resident as its own person.
  if (relation === 'self') await db.deleteFrom('resident_accounts').where('user_id', '=', u.id).where('relation', '=', 'self').execute();
  await db.insertInto('resident_accounts').values({ user_id: u.id, resident_id: residentId, station_id: r.station_id, relation, created_at: NOW.toISOString() }).execute();
}
