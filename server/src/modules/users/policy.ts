import type { Role } from '../../db/tables.js';
import { allow, stationScope, type Principal } from '../../lib/policy.js';

export const usersPolicy = allow('users');

/** Roles a station head may hand out, always within their own station. */
const HEAD_GRANTS: readonly Role[] = ['resident', 'volunteer', 'social_worker', 'data_officer'];

export function scopeOf(p: Principal) {
  return stationScope(p, usersPolicy.roles);
}

/** May this user grant this role there? A system admin anything; a station head only staff of their station. */
export function mayGrant(p: Principal, grant: { role: Role; stationId: string | null }): boolean {
  const scope = scopeOf(p);
  if (scope.all) return true;
  return HEAD_GRANTS.includes(grant.role) && grant.stationId !== null && scope.stationIds.includes(grant.stationId);
}
