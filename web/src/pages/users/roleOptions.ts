import type { Role, User } from '../../api/types';
import { ROLES } from '../../api/types';

/** Roles the current user may hand out; the server still checks. */
export function grantableRoles(user: User): Role[] {
  if (user.roles.some((r) => r.role === 'system_admin')) return [...ROLES];
  return ['resident', 'volunteer', 'social_worker', 'data_officer'];
}

export type Scope = 'station' | 'county' | 'none';

export function scopeOf(role: Role | undefined): Scope {
  if (role === 'county_supervisor') return 'county';
  if (role === 'system_admin' || role === undefined) return 'none';
  return 'station';
}
