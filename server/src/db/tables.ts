/**
 * Row types as the app sees them on both dialects: instants are ISO-8601 UTC strings, booleans
 * are 0/1 integers (SQLite has no boolean type and better-sqlite3 refuses to bind JS booleans).
 */
export type Role =
  | 'resident'
  | 'volunteer'
  | 'social_worker'
  | 'station_head'
  | 'data_officer'
  | 'county_supervisor'
  | 'system_admin';

export const ROLES: readonly Role[] = [
  'resident',
  'volunteer',
  'social_worker',
  'station_head',
  'data_officer',
  'county_supervisor',
  'system_admin',
];

export type Flag = 0 | 1;

export interface CountyTable {
  id: string;
  code: string;
  name: string;
  created_at: string;
}

export interface StationTable {
  id: string;
  county_id: string;
  code: string;
  name: string;
  /** government: staffed by the government itself; ngo: services bought from a social organisation. */
  operator_model: 'government' | 'ngo';
  /** The organisation that employs the workers (an NGO is an entrusted processor under PIPL Art. 21). */
  operator_name: string | null;
  created_at: string;
}

export interface VillageTable {
  id: string;
  station_id: string;
  code: string;
  name: string;
  created_at: string;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  must_change_password: Flag;
  failed_logins: number;
  locked_until: string | null;
  /** Locked by an administrator until unlocked by one. */
  disabled: Flag;
  totp_secret_enc: string | null;
  totp_pending_enc: string | null;
  totp_last_step: number | null;
  elder_mode: Flag;
  locale: 'zh-CN' | 'en';
  last_login_at: string | null;
  password_changed_at: string;
  created_at: string;
  updated_at: string;
}

export interface RoleAssignmentTable {
  id: string;
  user_id: string;
  role: Role;
  station_id: string | null;
  county_id: string | null;
  created_at: string;
}

export interface SessionTable {
  id: string;
  /** SHA-256 of the cookie token: a copy of the database does not let anyone log in. */
  token_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  revoked_at: string | null;
}

export type AuditResult = 'ok' | 'denied' | 'error';

export interface AuditLogTable {
  id: string;
  seq: number;
  at: string;
  actor_id: string | null;
  actor_username: string | null;
  role: string | null;
  station_id: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  result: AuditResult;
  ip: string | null;
  request_id: string | null;
  field: string | null;
  reason: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export interface AppMetaTable {
  key: string;
  value: string;
}

export interface DB {
  counties: CountyTable;
  stations: StationTable;
  villages: VillageTable;
  users: UserTable;
  role_assignments: RoleAssignmentTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  app_meta: AppMetaTable;
}
