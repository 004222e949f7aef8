import { ROLES, type Role } from '../db/tables.js';

/**
 * The modules of the product and the roles that may open them. The sidebar and the route
 * policies both read this table, so a menu entry and the API behind it cannot disagree.
 */
export const MODULES = {
  home: { roles: ROLES },
  villages: { roles: ['social_worker', 'station_head', 'data_officer', 'system_admin'] },
  organisation: { roles: ['system_admin', 'station_head', 'county_supervisor'] },
  users: { roles: ['system_admin', 'station_head'] },
  audit: { roles: ['data_officer'] },
  // System administrators run the deployment but do not read personal data (separation of duties,
  // 等保 2.0 三员分立); volunteers see residents only through the tasks they are given.
  residents: { roles: ['social_worker', 'station_head', 'data_officer'] },
  privacy: { roles: ['data_officer', 'station_head'] },
  // Residents book for themselves and their household; staff book on their behalf and run the day.
  appointments: { roles: ['social_worker', 'station_head', 'resident'] },
  // The service catalogue and who works when (station heads change them; workers read them).
  services: { roles: ['social_worker', 'station_head'] },
  // The service ledger (服务台账): the single source of every report.
  service_records: { roles: ['social_worker', 'station_head', 'data_officer'] },
  // Questions from residents (咨询): residents ask, staff answer within office-hours deadlines.
  consultations: { roles: ['social_worker', 'station_head', 'resident'] },
  // Needs without a fixed time (服务需求): volunteers see only the ones assigned to them.
  requests: { roles: ['social_worker', 'station_head', 'resident', 'volunteer'] },
  // Home visits (走访) by risk-tier cadence.
  visits: { roles: ['social_worker', 'station_head'] },
  // Ratings, suggestions and complaints (回访 · 意见建议 · 投诉).
  feedback: { roles: ['social_worker', 'station_head', 'resident'] },
} as const satisfies Record<string, { roles: readonly Role[] }>;

export type ModuleId = keyof typeof MODULES;

/**
 * What a route requires. Every route declares one (`config.policy`); a route without one stops the
 * app from starting, so nothing is reachable by accident.
 */
export type Policy =
  | { kind: 'public' }
  /** Any signed-in user acting on their own account. */
  | { kind: 'self' }
  /** A signed-in user holding one of these roles (by default the module's roles). */
  | {
      kind: 'roles';
      module: ModuleId;
      roles: readonly Role[];
      /** Answer 404 instead of 403 to users without the roles (routes about one person's record). */
      outsiders?: 'not_found';
    };

export const publicRoute: Policy = { kind: 'public' };
export const selfRoute: Policy = { kind: 'self' };

/** A policy for a module, optionally narrowed to some of its roles (e.g. only heads may write). */
export type RolesPolicy = Extract<Policy, { kind: 'roles' }>;

export function allow(module: ModuleId, roles?: readonly Role[]): RolesPolicy {
  const allowed = roles ?? MODULES[module].roles;
  for (const r of allowed) {
    if (!(MODULES[module].roles as readonly Role[]).includes(r)) {
      throw new Error(`policy for ${module} names role ${r}, which the module does not grant`);
    }
  }
  return { kind: 'roles', module, roles: allowed };
}

/** A policy for routes about one record: users without the roles get 404, as for a missing record. */
export function allowRecord(module: ModuleId, roles?: readonly Role[]): RolesPolicy {
  return { ...allow(module, roles), outsiders: 'not_found' };
}

export interface Assignment {
  role: Role;
  stationId: string | null;
  countyId: string | null;
}

export interface Principal {
  userId: string;
  username: string;
  assignments: Assignment[];
  /** Stations inside the counties of the user's county_supervisor assignments. */
  countyStationIds: string[];
  /** Every station the user works in or supervises, with its name (for menus and headers). */
  stations: { id: string; name: string }[];
}

export function holdsAny(p: Principal, roles: readonly Role[]): boolean {
  return p.assignments.some((a) => roles.includes(a.role));
}

export function modulesFor(p: Principal): ModuleId[] {
  return (Object.keys(MODULES) as ModuleId[]).filter((m) => holdsAny(p, MODULES[m].roles));
}

/** Which stations a user reaches through the given roles: every one, or a list (maybe empty). */
export type StationScope = { all: true } | { all: false; stationIds: string[] };

/**
 * The one scope function: lists filter by it and single reads check against it, so a record a
 * user cannot list is a record they cannot open (they get 404, as if it did not exist).
 */
export function stationScope(p: Principal, roles: readonly Role[]): StationScope {
  const ids = new Set<string>();
  for (const a of p.assignments) {
    if (!roles.includes(a.role)) continue;
    if (a.role === 'system_admin' && a.stationId === null) return { all: true };
    if (a.role === 'county_supervisor') p.countyStationIds.forEach((s) => ids.add(s));
    else if (a.stationId) ids.add(a.stationId);
  }
  return { all: false, stationIds: [...ids] };
}

export function inScope(scope: StationScope, stationId: string): boolean {
  return scope.all || scope.stationIds.includes(stationId);
}

/** The role to record in the audit log for an action: the first role that granted it. */
export function actingRole(p: Principal, roles: readonly Role[]): Role | null {
  return p.assignments.find((a) => roles.includes(a.role))?.role ?? p.assignments[0]?.role ?? null;
}
