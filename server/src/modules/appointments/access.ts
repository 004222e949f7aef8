import type { FastifyRequest } from 'fastify';
import { auditDenied } from '../../lib/guard.js';
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { AppointmentTable, DB, ResidentTable, Role } from '../../db/tables.js';
import type { Clock } from '../../lib/clock.js';
import { notFound } from '../../lib/errors.js';
import { holdsAny, inScope, stationScope, type Principal, type StationScope } from '../../lib/policy.js';
import { inScopeSql } from '../../lib/sql.js';

/** Staff who book on residents' behalf and run the day: the appointments module minus residents. */
export const STAFF_ROLES: readonly Role[] = ['social_worker', 'station_head'];

export function staffScope(p: Principal): StationScope {
  return stationScope(p, STAFF_ROLES);
}

export const isStaffOf = (p: Principal, stationId: string) => holdsAny(p, STAFF_ROLES) && inScope(staffScope(p), stationId);

/** Residents a resident account may act for (itself, family members, children in its care). */
export async function linkedResidentIds(db: Kysely<DB>, p: Principal): Promise<string[]> {
  if (!holdsAny(p, ['resident'])) return [];
  const rows = await db.selectFrom('resident_accounts').select('resident_id').where('user_id', '=', p.userId).execute();
  return rows.map((r) => r.resident_id);
}

/**
 * The one visibility rule for appointments, as a WHERE condition on table alias `a`: staff see their
 * stations' appointments, a resident account those of the residents it is linked to.
 */
export function visibleSql(p: Principal, linked: string[]): Expression<SqlBool> {
  const staff = holdsAny(p, STAFF_ROLES) ? inScopeSql(staffScope(p), 'a.station_id') : sql<boolean>`1 = 0`;
  const mine = linked.length > 0 ? sql<boolean>`${sql.ref('a.resident_id')} in (${sql.join(linked)})` : sql<boolean>`1 = 0`;
  return sql<SqlBool>`(${staff} or ${mine})`;
}

type Deps = { db: Kysely<DB>; clock: Clock };

const denied = (deps: Deps, req: FastifyRequest, type: string, id: string, stationId: string) => auditDenied(deps, req, { type, id, stationId });

/**
 * An appointment the user may see, and whether they act on it as staff; 404 (and a denied audit
 * entry for a real record) otherwise, exactly as for a missing id.
 */
export async function loadAppointmentInScope(deps: Deps, req: FastifyRequest, id: string): Promise<{ row: AppointmentTable; asStaff: boolean }> {
  const p = req.auth!.principal;
  const row = await deps.db.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('appointment');
  if (isStaffOf(p, row.station_id)) return { row, asStaff: true };
  if ((await linkedResidentIds(deps.db, p)).includes(row.resident_id)) return { row, asStaff: false };
  await denied(deps, req, 'appointment', id, row.station_id);
  throw notFound('appointment');
}

/**
 * The resident a booking is for: staff of the resident's station book for anyone there; a resident
 * account only for the people it is linked to. Everyone else gets 404 as for a missing resident.
 */
export async function residentForBooking(deps: Deps, req: FastifyRequest, residentId: string): Promise<{ resident: ResidentTable; asStaff: boolean }> {
  const p = req.auth!.principal;
  const resident = await deps.db.selectFrom('residents').selectAll().where('id', '=', residentId).executeTakeFirst();
  if (!resident) throw notFound('resident');
  if (isStaffOf(p, resident.station_id)) return { resident, asStaff: true };
  if ((await linkedResidentIds(deps.db, p)).includes(resident.id)) return { resident, asStaff: false };
  await denied(deps, req, 'resident', residentId, resident.station_id);
  throw notFound('resident');
}
