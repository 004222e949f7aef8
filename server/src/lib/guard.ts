import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { writeAuditAlone } from './audit.js';
import type { Deps } from './deps.js';
import { AppError, forbidden, notFound, unauthenticated } from './errors.js';
import { localeOf } from './i18n.js';
import { actingRole, holdsAny } from './policy.js';
import { CSRF_COOKIE, SESSION_COOKIE, loadSession } from './session.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Runs before body parsing and validation on every request: who is this, and may they call this
 * route? So an anonymous caller learns nothing from validation errors, only 401.
 */
export function guard(deps: Deps) {
  return async function onRequest(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    req.locale = localeOf(req.headers['accept-language']);
    req.auth = null;
    const policy = req.routeOptions.config.policy;
    if (!policy) return; // not an API route (static files, 404)

    const token = req.cookies[SESSION_COOKIE];
    let expired = false;
    if (token) {
      // Background polls (the notification bell) must not keep an unattended screen signed in.
      const touch = req.routeOptions.config.passive !== true;
      const r = await loadSession(deps.db, token, deps.clock.now(), deps.config.session.idleMinutes, touch, deps.readDb);
      if (r.status === 'ok') req.auth = r.auth;
      else {
        expired = r.status === 'expired';
        reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
      }
    }
    if (policy.kind === 'public') return;
    const auth = req.auth;
    if (!auth) throw unauthenticated(expired ? 'session_expired' : 'unauthenticated');

    if (!SAFE.has(req.method)) {
      const header = req.headers['x-csrf-token'];
      const cookie = req.cookies[CSRF_COOKIE];
      if (typeof header !== 'string' || !sameToken(header, auth.csrfToken) || !sameToken(cookie, auth.csrfToken)) {
        throw forbidden('csrf_failed');
      }
    }
    // Until a forced password change or second-factor set-up is done, only the account routes work.
    if (policy.kind !== 'self') {
      if (auth.user.must_change_password) throw new AppError(403, 'password_change_required');
      if (deps.config.demo === false && needsTotp(auth) && !auth.user.totp_secret_enc) {
        throw new AppError(403, 'totp_setup_required');
      }
    }
    if (policy.kind === 'roles' && !holdsAny(auth.principal, policy.roles)) {
      await writeAuditAlone(
        deps.db,
        req.actor(),
        { action: `${req.method} ${req.routeOptions.url ?? req.url}`, result: 'denied', entityType: policy.module },
        deps.clock.now(),
      );
      throw policy.outsiders === 'not_found' ? notFound() : forbidden();
    }
  };
}

/** Privileged roles must use a second factor outside demo mode (等保 2.0 level 3). */
export const TOTP_ROLES = ['system_admin', 'data_officer'] as const;

export function needsTotp(auth: { principal: { assignments: { role: string }[] } }): boolean {
  return auth.principal.assignments.some((a) => (TOTP_ROLES as readonly string[]).includes(a.role));
}

export function actorOf(req: FastifyRequest) {
  const auth = req.auth;
  const policy = req.routeOptions.config.policy;
  const roles = policy?.kind === 'roles' ? policy.roles : undefined;
  const role = auth ? (roles ? actingRole(auth.principal, roles) : auth.principal.assignments[0]?.role ?? null) : null;
  const stationId = auth?.principal.assignments.find((a) => a.role === role)?.stationId ?? null;
  return {
    actorId: auth?.user.id ?? null,
    actorUsername: auth?.user.username ?? null,
    role,
    stationId,
    ip: req.ip ?? null,
    requestId: req.id,
  };
}

/**
 * A real record was reached outside the user's scope: record the denial (the route then answers 404,
 * exactly as for a missing record, so the user learns nothing). The one way every module does it.
 */
export async function auditDenied(
  deps: Pick<Deps, 'db' | 'clock'>,
  req: FastifyRequest,
  entity: { type: string; id: string; stationId?: string | null },
): Promise<void> {
  await writeAuditAlone(
    deps.db,
    req.actor(),
    { action: `${req.method} ${req.routeOptions.url ?? req.url}`, result: 'denied', entityType: entity.type, entityId: entity.id, stationId: entity.stationId ?? null },
    deps.clock.now(),
  );
}
