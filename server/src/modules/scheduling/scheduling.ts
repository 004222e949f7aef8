import type { Kysely, Transaction } from 'kysely';
import type { DB, Role, ServiceTypeTable } from '../../db/tables.js';
import { badRequest } from '../../lib/errors.js';
import { inScopeSql } from '../../lib/sql.js';
import { stationScope, type Principal, type StationScope } from '../../lib/policy.js';
import type { HoursItem, ServiceTypeView } from './schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Accounts that can deliver services at a station. */
export const WORKER_ROLES: readonly Role[] = ['social_worker', 'station_head', 'volunteer'];
const STAFF: readonly Role[] = ['social_worker', 'station_head'];

/** Where the user sees the whole catalogue, and where (as a resident) only what they may book. */
export function catalogueScopes(p: Principal): { staff: StationScope; resident: StationScope } {
  return { staff: stationScope(p, STAFF), resident: stationScope(p, ['resident']) };
}

export const headScope = (p: Principal) => stationScope(p, ['station_head']);
export const staffScope = (p: Principal) => stationScope(p, STAFF);

/** The one visibility rule for service types: lists and single reads both filter by it. */
export function visibleServiceTypes(db: Db, p: Principal) {
  const { staff, resident } = catalogueScopes(p);
  return db
    .selectFrom('service_types')
    .selectAll()
    .where((eb) =>
      eb.or([
        inScopeSql(staff, 'service_types.station_id'),
        eb.and([inScopeSql(resident, 'service_types.station_id'), eb('active', '=', 1), eb('resident_bookable', '=', 1)]),
      ]),
    );
}

export async function serviceTypeViews(db: Db, rows: ServiceTypeTable[]): Promise<ServiceTypeView[]> {
  const ids = rows.map((r) => r.id);
  const workers = ids.length
    ? await db
        .selectFrom('service_type_workers as w')
        .innerJoin('users as u', 'u.id', 'w.user_id')
        .select(['w.service_type_id', 'u.id', 'u.display_name'])
        .where('w.service_type_id', 'in', ids)
        .orderBy('u.username')
        .execute()
    : [];
  return rows.map((r) => {
    const mine = workers.filter((w) => w.service_type_id === r.id);
    return {
      id: r.id,
      stationId: r.station_id,
      name: r.name,
      area: r.area,
      mode: r.mode,
      durationMinutes: r.duration_minutes,
      bufferMinutes: r.buffer_minutes,
      travelMinutes: r.travel_minutes,
      residentBookable: r.resident_bookable === 1,
      description: r.description,
      active: r.active === 1,
      workerIds: mine.map((w) => w.id),
      workers: mine.map((w) => ({ id: w.id, displayName: w.display_name })),
    };
  });
}

/** Stations (of the given ones) where the user can deliver services, first by id. */
export async function workerStations(db: Db, userId: string, scope: StationScope): Promise<string[]> {
  const rows = await db
    .selectFrom('role_assignments')
    .select('station_id')
    .distinct()
    .where('user_id', '=', userId)
    .where('role', 'in', [...WORKER_ROLES])
    .where('station_id', 'is not', null)
    .where(inScopeSql(scope, 'station_id'))
    .orderBy('station_id')
    .execute();
  return rows.map((r) => r.station_id!);
}

/** Every account that can deliver services at a station, by name. */
export async function stationWorkers(db: Db, stationId: string): Promise<{ id: string; displayName: string; roles: Role[] }[]> {
  const rows = await db
    .selectFrom('role_assignments as ra')
    .innerJoin('users as u', 'u.id', 'ra.user_id')
    .select(['u.id', 'u.display_name', 'u.username', 'ra.role'])
    .where('ra.station_id', '=', stationId)
    .where('ra.role', 'in', [...WORKER_ROLES])
    .where('u.disabled', '=', 0)
    .orderBy('u.username')
    .execute();
  const out = new Map<string, { id: string; displayName: string; roles: Role[] }>();
  for (const r of rows) {
    const w = out.get(r.id) ?? { id: r.id, displayName: r.display_name, roles: [] };
    w.roles.push(r.role);
    out.set(r.id, w);
  }
  return [...out.values()];
}

/** 400 naming `workerIds` unless every id is a worker of the station. */
export async function assertWorkers(db: Db, stationId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const known = new Set((await stationWorkers(db, stationId)).map((w) => w.id));
  const bad = ids.findIndex((id) => !known.has(id));
  if (bad >= 0) throw badRequest('validation_failed', { [`workerIds.${bad}`]: 'unknown_worker' });
}

export async function setWorkers(trx: Transaction<DB>, stationId: string, serviceTypeId: string, ids: string[]): Promise<void> {
  await trx.deleteFrom('service_type_workers').where('service_type_id', '=', serviceTypeId).execute();
  if (ids.length) await trx.insertInto('service_type_workers').values(ids.map((user_id) => ({ station_id: stationId, service_type_id: serviceTypeId, user_id }))).execute();
}

/** Weekly hours must not overlap within a day; 400 naming the first item that does. */
export function checkHours(items: HoursItem[]): void {
  const fields: Record<string, string> = {};
  items.forEach((h, i) => {
    if (h.endMinute <= h.startMinute) fields[`items.${i}.endMinute`] = 'end_before_start';
  });
  items.forEach((h, i) => {
    if (fields[`items.${i}.endMinute`]) return;
    const clash = items.findIndex((o, j) => j < i && o.weekday === h.weekday && o.startMinute < h.endMinute && h.startMinute < o.endMinute);
    if (clash >= 0) fields[`items.${i}.startMinute`] = 'hours_overlap';
  });
  if (Object.keys(fields).length) throw badRequest('validation_failed', fields);
}
