import { createHash } from 'node:crypto';
import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import type { DB, Role, UserTable } from '../db/tables.js';
import { newId, newToken } from './ids.js';
import type { Principal } from './policy.js';

export const SESSION_COOKIE = 'xq_sid';
export const CSRF_COOKIE = 'xq_csrf';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The CSRF token is derived from the session token, so a cookie planted by another site (or a
 * sibling subdomain) can never match: only a page that could read our responses knows it.
 */
export function csrfFor(sessionToken: string): string {
  return createHash('sha256').update(`xq-csrf:${sessionToken}`).digest('base64url');
}

export async function createSession(
  trx: Transaction<DB>,
  input: { userId: string; ip: string | null; userAgent: string | null; now: Date; absoluteHours: number },
): Promise<{ id: string; token: string }> {
  const token = newToken();
  const id = newId(input.now.getTime());
  const at = input.now.toISOString();
  await trx
    .insertInto('sessions')
    .values({
      id,
      token_hash: hashToken(token),
      user_id: input.userId,
      created_at: at,
      last_seen_at: at,
      expires_at: new Date(input.now.getTime() + input.absoluteHours * 3600_000).toISOString(),
      ip: input.ip,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
      revoked_at: null,
    })
    .execute();
  return { id, token };
}

export interface AuthContext {
  sessionId: string;
  csrfToken: string;
  user: Omit<UserTable, 'password_hash'>;
  principal: Principal;
}

export type LoadResult = { status: 'ok'; auth: AuthContext } | { status: 'expired' } | { status: 'none' };

/** The session, its user and the user's role assignments (one row per assignment). */
function buildSessionQuery(db: Kysely<DB>, tokenHash: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('role_assignments as ra', 'ra.user_id', 'u.id')
    .leftJoin('stations as st', 'st.id', 'ra.station_id')
    .select([
      's.id as session_id',
      's.last_seen_at',
      's.expires_at',
      's.revoked_at',
      'u.id',
      'u.username',
      'u.display_name',
      'u.must_change_password',
      'u.failed_logins',
      'u.locked_until',
      'u.disabled',
      'u.totp_secret_enc',
      'u.totp_pending_enc',
      'u.totp_last_step',
      'u.elder_mode',
      'u.locale',
      'u.last_login_at',
      'u.password_changed_at',
      'u.created_at',
      'u.updated_at',
      'ra.role as ra_role',
      'ra.station_id as ra_station_id',
      'ra.county_id as ra_county_id',
      'st.name as ra_station_name',
    ])
    .where('s.token_hash', '=', tokenHash)
    // The same order as loadPrincipal.
    .orderBy('ra.created_at')
    .orderBy('ra.id');
}

type SessionRow = Awaited<ReturnType<ReturnType<typeof buildSessionQuery>['execute']>>[number];

const compiledSessionQuery = new WeakMap<Kysely<DB>, CompiledQuery<SessionRow>>();

/**
 * This lookup runs before every signed-in request, so it is compiled to SQL once per database and
 * only its one parameter (the token hash) changes.
 */
function sessionQuery(db: Kysely<DB>, tokenHash: string): CompiledQuery<SessionRow> {
  let compiled = compiledSessionQuery.get(db);
  if (!compiled) {
    compiled = buildSessionQuery(db, '').compile();
    compiledSessionQuery.set(db, compiled);
  }
  return { ...compiled, parameters: [tokenHash] };
}

/** Don't write last_seen_at on every request: once a minute keeps idle expiry exact enough. */
const TOUCH_EVERY_MS = 60_000;

/** `touch: false` reads the session without extending its idle timer (background polling). */
export async function loadSession(db: Kysely<DB>, token: string, now: Date, idleMinutes: number, touch = true, readDb: Kysely<DB> = db): Promise<LoadResult> {
  // One query for the session, its user and the user's role assignments (one row per assignment):
  // this runs before every signed-in request, so it avoids a second round trip for the roles. It
  // goes to the reader so a request does not wait for other requests' write transactions.
  const rows = await readDb.executeQuery<SessionRow>(sessionQuery(readDb, hashToken(token))).then((r) => r.rows);
  const row = rows[0];
  if (!row) return { status: 'none' };
  const nowMs = now.getTime();
  const idleDeadline = Date.parse(row.last_seen_at) + idleMinutes * 60_000;
  if (row.revoked_at || row.disabled || nowMs >= Date.parse(row.expires_at) || nowMs >= idleDeadline) {
    return { status: 'expired' };
  }
  if (touch && nowMs - Date.parse(row.last_seen_at) >= TOUCH_EVERY_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id', '=', row.session_id).execute();
  }
  // Spelled out rather than a rest destructure: this runs on every signed-in request.
  const user: AuthContext['user'] = {
    id: row.id,
    username: row.username,
    display_name: row.display_name,
    must_change_password: row.must_change_password,
    failed_logins: row.failed_logins,
    locked_until: row.locked_until,
    disabled: row.disabled,
    totp_secret_enc: row.totp_secret_enc,
    totp_pending_enc: row.totp_pending_enc,
    totp_last_step: row.totp_last_step,
    elder_mode: row.elder_mode,
    locale: row.locale,
    last_login_at: row.last_login_at,
    password_changed_at: row.password_changed_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
  const assignments: AssignmentRow[] = [];
  for (const r of rows) {
    if (r.ra_role !== null) assignments.push({ role: r.ra_role, station_id: r.ra_station_id, county_id: r.ra_county_id, station_name: r.ra_station_name });
  }
  const principal = await principalOf(db, user.id, user.username, assignments);
  return { status: 'ok', auth: { sessionId: row.session_id, csrfToken: csrfFor(token), user, principal } };
}

type AssignmentRow = { role: string; station_id: string | null; county_id: string | null; station_name: string | null };

export async function loadPrincipal(db: Kysely<DB>, userId: string, username: string): Promise<Principal> {
  const assignments = await db
    .selectFrom('role_assignments as ra')
    .leftJoin('stations as st', 'st.id', 'ra.station_id')
    .select(['ra.role', 'ra.station_id', 'ra.county_id', 'st.name as station_name'])
    .where('ra.user_id', '=', userId)
    .orderBy('ra.created_at')
    .orderBy('ra.id')
    .execute();
  return principalOf(db, userId, username, assignments);
}

function principalOf(db: Kysely<DB>, userId: string, username: string, assignments: AssignmentRow[]): Principal | Promise<Principal> {
  const countyIds = assignments.filter((a) => a.role === 'county_supervisor' && a.county_id).map((a) => a.county_id as string);
  // Only county supervisors need a second query; everyone else is answered without awaiting.
  if (countyIds.length === 0) return buildPrincipal(userId, username, assignments, []);
  return db
    .selectFrom('stations')
    .select(['id', 'name'])
    .where('county_id', 'in', countyIds)
    .execute()
    .then((countyStations) => buildPrincipal(userId, username, assignments, countyStations));
}

/** One collator for the process: localeCompare with a locale builds a new one on every call. */
const zhCollator = new Intl.Collator('zh-CN');

function buildPrincipal(userId: string, username: string, assignments: AssignmentRow[], countyStations: { id: string; name: string }[]): Principal {
  const stations = new Map<string, string>();
  for (const a of assignments) if (a.station_id && a.station_name) stations.set(a.station_id, a.station_name);
  for (const st of countyStations) stations.set(st.id, st.name);
  return {
    userId,
    username,
    assignments: assignments.map((a) => ({ role: a.role as Role, stationId: a.station_id, countyId: a.county_id })),
    countyStationIds: countyStations.map((st) => st.id),
    stations: [...stations].map(([id, name]) => ({ id, name })).sort((a, b) => zhCollator.compare(a.name, b.name)),
  };
}
