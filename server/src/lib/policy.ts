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
  | { kind: 'roles'; module: ModuleId; roles: readonly Role[] };

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
