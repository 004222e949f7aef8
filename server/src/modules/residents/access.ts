import type { FastifyRequest } from 'fastify';
import { auditDenied } from '../../lib/guard.js';
import type { Kysely } from 'kysely';
import type { DB, ResidentTable, Role } from '../../db/tables.js';
import { notFound } from '../../lib/errors.js';
import { MODULES, holdsAny, stationScope, type Principal, type StationScope } from '../../lib/policy.js';
import { inScopeSql } from '../../lib/sql.js';
import type { Clock } from '../../lib/clock.js';
import { REVEALABLE, type RevealableField } from './schema.js';

/** Roles that work with individual resident records (never county supervisors, volunteers or admins). */
export const RESIDENT_ROLES: readonly Role[] = MODULES.residents.roles;

/** Roles that may reveal a masked value, each time with a reason that is audited. */
const REVEAL_ROLES: readonly Role[] = ['social_worker', 'station_head', 'data_officer'];

/** The one scope for resident lists and single reads: the stations where the user holds a resident role. */
export function residentScope(p: Principal): StationScope {
  return stationScope(p, RESIDENT_ROLES);
}

/** Which masked fields this user may reveal on a resident of this station. One function decides. */
export function revealableFields(p: Principal, stationId: string): RevealableField[] {
  const rolesHere = p.assignments.filter((a) => a.stationId === stationId).map((a) => a.role);
  return rolesHere.some((r) => REVEAL_ROLES.includes(r)) ? [...REVEALABLE] : [];
}

export function mayReveal(p: Principal, stationId: string, field: RevealableField): boolean {
  return revealableFields(p, stationId).includes(field);
}

/**
 * Load a resident the user may see, or throw 404 exactly as for a missing id. A real record reached
 * out of scope is recorded as a denied attempt, so probing for people shows in the audit log.
 */
export async function loadResidentInScope(
  deps: { db: Kysely<DB>; clock: Clock },
  req: FastifyRequest,
  id: string,
): Promise<ResidentTable> {
  const p = req.auth!.principal;
  const scope = residentScope(p);
  const row = holdsAny(p, RESIDENT_ROLES)
    ? await deps.db.selectFrom('residents').selectAll().where('id', '=', id).where(inScopeSql(scope, 'station_id')).executeTakeFirst()
    : undefined;
  if (row) return row;
  const exists = await deps.db.selectFrom('residents').select(['id', 'station_id']).where('id', '=', id).executeTakeFirst();
  if (exists) {
    await auditDenied(deps, req, { type: 'resident', id, stationId: exists.station_id });
  }
  throw notFound('resident');
}
