import type { Kysely, Transaction } from 'kysely';
import type { DB, Role } from '../../db/tables.js';
import { badRequest, conflict } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { checkPassword } from '../../lib/password-policy.js';
import { hashPassword } from '../../lib/passwords.js';
import type { Assignment } from '../../lib/policy.js';

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  roles: Assignment[];
  /** An administrator chose this password: the user must replace it at first login. */
  mustChangePassword: boolean;
  /**
   * Only the demo seed sets this: its published password (Xiangqiao#2026) names the product, which
   * the common-password list rightly refuses for real accounts.
   */
  demoPassword?: boolean;
}

export const USERNAME_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,63}$';

export function normaliseUsername(u: string): string {
  return u.trim().toLowerCase();
}

/** Password rules, as field errors ready for a 400. */
export function passwordFieldErrors(password: string, username: string, field = 'password'): Record<string, string> {
  const problems = checkPassword(password, { username });
  return problems.length ? { [field]: `password_${problems[0]}` } : {};
}

/** Check the roles refer to real stations/counties, so the error names the field instead of a FK failure. */
async function checkScopes(trx: Transaction<DB>, roles: Assignment[]): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  for (const [i, r] of roles.entries()) {
    if (r.stationId) {
      const s = await trx.selectFrom('stations').select('id').where('id', '=', r.stationId).executeTakeFirst();
      if (!s) fields[`roles.${i}.stationId`] = 'unknown_station';
    }
    if (r.countyId) {
      const c = await trx.selectFrom('counties').select('id').where('id', '=', r.countyId).executeTakeFirst();
      if (!c) fields[`roles.${i}.countyId`] = 'unknown_county';
    }
    if (r.role === 'county_supervisor' ? !r.countyId || r.stationId : r.role !== 'system_admin' && (!r.stationId || r.countyId)) {
      fields[`roles.${i}`] = 'invalid';
    }
  }
  return fields;
}

export async function createUser(trx: Transaction<DB>, input: NewUser, now: Date): Promise<string> {
  const username = normaliseUsername(input.username);
  const fields = { ...(input.demoPassword ? {} : passwordFieldErrors(input.password, username)), ...(await checkScopes(trx, input.roles)) };
  if (input.roles.length === 0) fields.roles = 'required';
  if (Object.keys(fields).length) throw badRequest('validation_failed', fields);
  const taken = await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  if (taken) throw conflict('duplicate_username', { username: 'taken' });
  const id = newId(now.getTime());
  const at = now.toISOString();
  await trx
    .insertInto('users')
    .values({
      id,
      username,
      display_name: input.displayName.trim(),
      password_hash: await hashPassword(input.password),
      must_change_password: input.mustChangePassword ? 1 : 0,
      failed_logins: 0,
      locked_until: null,
      disabled: 0,
      totp_secret_enc: null,
      totp_pending_enc: null,
      totp_last_step: null,
      elder_mode: 0,
      locale: 'zh-CN',
      last_login_at: null,
      password_changed_at: at,
      created_at: at,
      updated_at: at,
    })
    .execute();
  for (const r of input.roles) {
    await trx
      .insertInto('role_assignments')
      .values({ id: newId(now.getTime()), user_id: id, role: r.role, station_id: r.stationId, county_id: r.countyId, created_at: at })
      .execute();
  }
  return id;
}

/** Replace a password; an admin reset forces a change at next login. Ends every session of the user. */
export async function setPassword(
  trx: Transaction<DB>,
  userId: string,
  username: string,
  password: string,
  opts: { forceChange: boolean; keepSessionId?: string; now: Date },
): Promise<void> {
  const fields = passwordFieldErrors(password, username, opts.forceChange ? 'password' : 'newPassword');
  if (Object.keys(fields).length) throw badRequest('validation_failed', fields);
  const at = opts.now.toISOString();
  await trx
    .updateTable('users')
    .set({
      password_hash: await hashPassword(password),
      must_change_password: opts.forceChange ? 1 : 0,
      password_changed_at: at,
      updated_at: at,
      failed_logins: 0,
      locked_until: null,
    })
    .where('id', '=', userId)
    .execute();
  await revokeSessions(trx, userId, opts.now, opts.keepSessionId);
}

export async function revokeSessions(trx: Transaction<DB>, userId: string, now: Date, keepSessionId?: string): Promise<void> {
  let q = trx.updateTable('sessions').set({ revoked_at: now.toISOString() }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (keepSessionId) q = q.where('id', '!=', keepSessionId);
  await q.execute();
}

/** Administrative lock (until unlocked) or unlock, which also clears a failed-login lockout. */
export async function setLocked(trx: Transaction<DB>, userId: string, locked: boolean, now: Date): Promise<void> {
  await trx
    .updateTable('users')
    .set(locked ? { disabled: 1, updated_at: now.toISOString() } : { disabled: 0, locked_until: null, failed_logins: 0, updated_at: now.toISOString() })
    .where('id', '=', userId)
    .execute();
  if (locked) await revokeSessions(trx, userId, now);
}

export async function findUserByUsername(db: Kysely<DB> | Transaction<DB>, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', normaliseUsername(username)).executeTakeFirst();
}

export function rolesOf(db: Kysely<DB> | Transaction<DB>, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([] as { user_id: string; role: Role; station_id: string | null; county_id: string | null }[]);
  return db.selectFrom('role_assignments').select(['user_id', 'role', 'station_id', 'county_id']).where('user_id', 'in', userIds).orderBy('created_at').execute();
}
