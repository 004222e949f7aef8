export type Locale = 'zh-CN' | 'en';

// One truth for the role list and the user shape: the server's own definitions.
export { ROLES, type Role } from '../../../server/src/db/tables';
import type { Role } from '../../../server/src/db/tables';
import type { UserView } from '../../../server/src/modules/auth/schema';

export interface RoleGrant {
  role: Role;
  stationId: string | null;
  countyId: string | null;
}

export interface StationRef {
  id: string;
  name: string;
}

export type User = UserView;

export interface AuthResponse {
  user: User;
  csrfToken?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface SetupStatus {
  needsSetup: boolean;
  demo: boolean;
}

export interface Division {
  code: string;
  name: string;
}

export interface Village {
  id: string;
  code: string;
  name: string;
  stationId: string;
  stationName: string;
}

export type OperatorModel = 'government' | 'ngo';

export interface Station {
  id: string;
  code: string;
  name: string;
  countyId: string | null;
  countyName: string | null;
  operatorModel: OperatorModel;
  operatorName: string | null;
  villageCount: number;
}

export interface ManagedUser {
  id: string;
  username: string;
  displayName: string;
  roles: RoleGrant[];
  locked: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  totpEnabled: boolean;
  createdAt: string;
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export type AuditResult = 'ok' | 'denied' | 'error';

export interface AuditEntry {
  id: string;
  seq: number;
  at: string;
  actorId: string | null;
  actorUsername: string | null;
  role: string | null;
  stationId: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  result: AuditResult;
  ip: string | null;
  requestId: string | null;
  field: string | null;
  reason: string | null;
}

export interface AuditVerify {
  ok: boolean;
  checked: number;
  firstBroken: null | { seq: number; id: string; problem: string };
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}
