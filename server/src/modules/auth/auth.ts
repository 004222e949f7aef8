import type { Kysely } from 'kysely';
import type { DB, UserTable } from '../../db/tables.js';
import { writeAudit, writeAuditAlone, type AuditActor } from '../../lib/audit.js';
import type { Deps } from '../../lib/deps.js';
import { forbidden, unauthenticated } from '../../lib/errors.js';
import { needsTotp } from '../../lib/guard.js';
import { burnVerifyTime, verifyPassword } from '../../lib/passwords.js';
import { modulesFor, type Principal } from '../../lib/policy.js';
import { createSession, csrfFor, loadPrincipal } from '../../lib/session.js';
import { decryptField } from '../../lib/crypto.js';
import { verifyTotp } from '../../lib/totp.js';
import { findUserByUsername } from '../users/users.js';
import type { UserView } from './schema.js';

type UserRow = Omit<UserTable, 'password_hash'>;

export async function userView(deps: Deps, user: UserRow, principal: Principal): Promise<UserView> {
  const totpEnabled = !!user.totp_secret_enc;
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    roles: principal.assignments.map((a) => ({ role: a.role, stationId: a.stationId, countyId: a.countyId })),
    modules: modulesFor(principal),
    mustChangePassword: user.must_change_password === 1,
    totpEnabled,
    totpSetupRequired: !deps.config.demo && needsTotp({ principal }) && !totpEnabled,
    elderMode: user.elder_mode === 1,
    locale: user.locale,
    stations: principal.stations,
  };
}

export interface LoginInput {
  username: string;
  password: string;
  otp?: string;
  ip: string | null;
  userAgent: string | null;
}

export interface LoginOk {
  token: string;
  csrfToken: string;
  user: UserView;
}

/**
 * Check credentials (and the second factor), count failures towards the lockout, and open a
 * session. Every outcome is audited; the failure counter and its audit entry commit together.
 */
export async function login(deps: Deps, input: LoginInput, baseActor: AuditActor): Promise<LoginOk> {
  const { db, clock, config } = deps;
  const now = clock.now();
  const user = await findUserByUsername(db, input.username);
  const actor: AuditActor = { ...baseActor, actorId: user?.id ?? null, actorUsername: input.username.trim().toLowerCase().slice(0, 64) };

  if (!user) {
    await burnVerifyTime(input.password);
    await writeAuditAlone(db, actor, { action: 'auth.login', result: 'denied', detail: { reason: 'unknown_user' } }, now);
    throw unauthenticated('invalid_credentials');
  }
  if (user.disabled || (user.locked_until && Date.parse(user.locked_until) > now.getTime())) {
    // No password check while locked: a locked account cannot be used to test guesses.
    await writeAuditAlone(db, actor, { action: 'auth.login', result: 'denied', entityType: 'user', entityId: user.id, detail: { reason: 'locked' } }, now);
    throw forbidden('account_locked', user.disabled ? {} : { lockedUntil: user.locked_until });
  }

  const passwordOk = await verifyPassword(user.password_hash, input.password);
  let otpStep: number | null = null;
  if (passwordOk && user.totp_secret_enc) {
    if (!input.otp) {
      // Not a failure: the client asks for the code next.
      throw unauthenticated('otp_required');
    }
    const check = verifyTotp(decryptField(deps.keys, user.totp_secret_enc), input.otp, now.getTime(), {
      window: 1,
      lastUsedStep: user.totp_last_step,
    });
    if (check.ok) otpStep = check.step;
  }
  const success = passwordOk && (!user.totp_secret_enc || otpStep !== null);

  if (!success) {
    const why = passwordOk ? 'otp_invalid' : 'wrong_password';
    const lockedUntil = await db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('users')
        .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
        .where('id', '=', user.id)
        .returning('failed_logins')
        .executeTakeFirstOrThrow();
      let until: string | null = null;
      if (r.failed_logins >= config.login.maxFailures) {
        until = new Date(now.getTime() + config.login.lockMinutes * 60_000).toISOString();
        // The counter restarts, so after the lock ends the user has a fresh five tries.
        await trx.updateTable('users').set({ locked_until: until, failed_logins: 0 }).where('id', '=', user.id).execute();
      }
      await writeAudit(
        trx,
        actor,
        { action: 'auth.login', result: 'denied', entityType: 'user', entityId: user.id, detail: { reason: why, locked: !!until } },
        now,
      );
      return until;
    });
    if (lockedUntil) throw forbidden('account_locked', { lockedUntil });
    throw unauthenticated(passwordOk ? 'otp_invalid' : 'invalid_credentials');
  }

  const principal = await loadPrincipal(db, user.id, user.username);
  const session = await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null, last_login_at: now.toISOString(), ...(otpStep !== null ? { totp_last_step: otpStep } : {}) })
      .where('id', '=', user.id)
      .execute();
    const s = await createSession(trx, { userId: user.id, ip: input.ip, userAgent: input.userAgent, now, absoluteHours: config.session.absoluteHours });
    await writeAudit(
      trx,
      { ...actor, role: principal.assignments[0]?.role ?? null, stationId: principal.assignments[0]?.stationId ?? null },
      { action: 'auth.login', result: 'ok', entityType: 'session', entityId: s.id },
      now,
    );
    return s;
  });
  const { password_hash: _h, ...rest } = user;
  return { token: session.token, csrfToken: csrfFor(session.token), user: await userView(deps, rest, principal) };
}

export async function listSessions(db: Kysely<DB>, userId: string, now: Date, currentId: string, idleMinutes: number) {
  const idleCutoff = new Date(now.getTime() - idleMinutes * 60_000).toISOString();
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .where('last_seen_at', '>', idleCutoff)
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    ip: r.ip,
    userAgent: r.user_agent,
    current: r.id === currentId,
  }));
}

