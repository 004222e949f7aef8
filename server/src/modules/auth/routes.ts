import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import { writeAudit } from '../../lib/audit.js';
import { decryptField, encryptField } from '../../lib/crypto.js';
import type { App, Deps } from '../../lib/deps.js';
import { AppError, badRequest, notFound, unprocessable } from '../../lib/errors.js';
import { needsTotp } from '../../lib/guard.js';
import { verifyPassword } from '../../lib/passwords.js';
import { publicRoute, selfRoute } from '../../lib/policy.js';
import { errors } from '../../lib/schema.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../lib/session.js';
import { generateSecret, otpauthUrl, verifyTotp } from '../../lib/totp.js';
import { revokeSessions, setPassword } from '../users/users.js';
import { listSessions, login, userView } from './auth.js';
import {
  DisableTotpBody,
  LoginBody,
  MeResponse,
  OtpBody,
  PasswordBody,
  PreferencesBody,
  SessionItem,
  TotpSetupResponse,
  UserSchema,
} from './schema.js';

function setSessionCookies(reply: FastifyReply, deps: Deps, token: string, csrfToken: string): void {
  const base = { path: '/', sameSite: 'lax' as const, secure: deps.config.secureCookies, maxAge: deps.config.session.absoluteHours * 3600 };
  reply.setCookie(SESSION_COOKIE, token, { ...base, httpOnly: true });
  // Readable by the page on purpose: it is the double-submit half the page echoes in X-CSRF-Token.
  reply.setCookie(CSRF_COOKIE, csrfToken, { ...base, httpOnly: false });
}

const tags = ['auth'];

export async function authRoutes(app: App): Promise<void> {
  const deps = app.xq;

  app.post(
    '/login',
    {
      config: {
        policy: publicRoute,
        rateLimit: { max: deps.config.login.perIpPerMinute, timeWindow: 60_000 },
      },
      schema: { tags, summary: 'Sign in with username, password and (when enabled) a TOTP code', body: LoginBody, response: { 200: MeResponse, ...errors } },
    },
    async (req, reply) => {
      const r = await login(
        deps,
        { ...req.body, ip: req.ip, userAgent: req.headers['user-agent'] ?? null },
        req.actor(),
      );
      setSessionCookies(reply, deps, r.token, r.csrfToken);
      return { user: r.user, csrfToken: r.csrfToken };
    },
  );

  app.post(
    '/logout',
    { config: { policy: selfRoute }, schema: { tags, summary: 'End this session', response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      const auth = req.auth!;
      const now = deps.clock.now();
      await deps.db.transaction().execute(async (trx) => {
        await trx.updateTable('sessions').set({ revoked_at: now.toISOString() }).where('id', '=', auth.sessionId).execute();
        await writeAudit(trx, req.actor(), { action: 'auth.logout', result: 'ok', entityType: 'session', entityId: auth.sessionId }, now);
      });
      reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    { config: { policy: selfRoute }, schema: { tags, summary: 'The signed-in user', response: { 200: MeResponse, ...errors } } },
    async (req) => {
      const auth = req.auth!;
      return { user: await userView(deps, auth.user, auth.principal), csrfToken: auth.csrfToken };
    },
  );

  app.post(
    '/password',
    {
      config: { policy: selfRoute },
      schema: { tags, summary: 'Change my password (ends my other sessions)', body: PasswordBody, response: { 204: Type.Null(), ...errors } },
    },
    async (req, reply) => {
      const auth = req.auth!;
      const row = await deps.db.selectFrom('users').select('password_hash').where('id', '=', auth.user.id).executeTakeFirstOrThrow();
      if (!(await verifyPassword(row.password_hash, req.body.currentPassword))) {
        throw new AppError(400, 'wrong_password', { currentPassword: 'wrong_password' });
      }
      if (req.body.newPassword === req.body.currentPassword) throw badRequest('validation_failed', { newPassword: 'invalid' });
      const now = deps.clock.now();
      await deps.db.transaction().execute(async (trx) => {
        await setPassword(trx, auth.user.id, auth.user.username, req.body.newPassword, { forceChange: false, keepSessionId: auth.sessionId, now });
        await writeAudit(trx, req.actor(), { action: 'user.password_change', result: 'ok', entityType: 'user', entityId: auth.user.id }, now);
      });
      return reply.status(204).send(null);
    },
  );

  app.patch(
    '/preferences',
    {
      config: { policy: selfRoute },
      schema: { tags, summary: 'Elder mode and language', body: PreferencesBody, response: { 200: Type.Object({ user: UserSchema }), ...errors } },
    },
    async (req) => {
      const auth = req.auth!;
      const now = deps.clock.now();
      const set = {
        ...(req.body.elderMode !== undefined ? { elder_mode: req.body.elderMode ? (1 as const) : (0 as const) } : {}),
        ...(req.body.locale ? { locale: req.body.locale } : {}),
        updated_at: now.toISOString(),
      };
      await deps.db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set(set).where('id', '=', auth.user.id).execute();
        await writeAudit(trx, req.actor(), { action: 'user.preferences', result: 'ok', entityType: 'user', entityId: auth.user.id, detail: req.body }, now);
      });
      const user = { ...auth.user, ...set };
      return { user: await userView(deps, user, auth.principal) };
    },
  );

  app.get(
    '/sessions',
    {
      config: { policy: selfRoute },
      schema: { tags, summary: 'My open sessions', response: { 200: Type.Object({ items: Type.Array(SessionItem), nextCursor: Type.Null() }), ...errors } },
    },
    async (req) => {
      const auth = req.auth!;
      const items = await listSessions(deps.db, auth.user.id, deps.clock.now(), auth.sessionId, deps.config.session.idleMinutes);
      return { items, nextCursor: null };
    },
  );

  app.delete(
    '/sessions/:id',
    {
      config: { policy: selfRoute },
      schema: { tags, summary: 'End one of my sessions', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: { 204: Type.Null(), ...errors } },
    },
    async (req, reply) => {
      const auth = req.auth!;
      const now = deps.clock.now();
      await deps.db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('sessions')
          .set({ revoked_at: now.toISOString() })
          .where('id', '=', req.params.id)
          .where('user_id', '=', auth.user.id) // someone else's session is "not found"
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw notFound('session');
        await writeAudit(trx, req.actor(), { action: 'auth.session_revoke', result: 'ok', entityType: 'session', entityId: req.params.id }, now);
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/totp/setup',
    { config: { policy: selfRoute }, schema: { tags, summary: 'Start two-step set-up: a new secret', response: { 200: TotpSetupResponse, ...errors } } },
    async (req) => {
      const auth = req.auth!;
      const secret = generateSecret();
      await deps.db
        .updateTable('users')
        .set({ totp_pending_enc: encryptField(deps.keys, secret), updated_at: deps.clock.now().toISOString() })
        .where('id', '=', auth.user.id)
        .execute();
      return { secret, otpauthUrl: otpauthUrl({ secretBase32: secret, account: auth.user.username, issuer: '乡桥 Xiangqiao' }) };
    },
  );

  app.post(
    '/totp/enable',
    { config: { policy: selfRoute }, schema: { tags, summary: 'Confirm a code and turn two-step on', body: OtpBody, response: { 200: Type.Object({ user: UserSchema }), ...errors } } },
    async (req) => {
      const auth = req.auth!;
      const now = deps.clock.now();
      const row = await deps.db.selectFrom('users').select('totp_pending_enc').where('id', '=', auth.user.id).executeTakeFirstOrThrow();
      if (!row.totp_pending_enc) throw unprocessable('totp_not_pending');
      const check = verifyTotp(decryptField(deps.keys, row.totp_pending_enc), req.body.otp, now.getTime(), { window: 1 });
      if (!check.ok) throw new AppError(400, 'otp_invalid', { otp: 'otp_invalid' });
      const set = { totp_secret_enc: row.totp_pending_enc, totp_pending_enc: null, totp_last_step: check.step, updated_at: now.toISOString() };
      await deps.db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set(set).where('id', '=', auth.user.id).execute();
        await writeAudit(trx, req.actor(), { action: 'user.totp_enable', result: 'ok', entityType: 'user', entityId: auth.user.id }, now);
      });
      return { user: await userView(deps, { ...auth.user, ...set }, auth.principal) };
    },
  );

  app.post(
    '/totp/disable',
    { config: { policy: selfRoute }, schema: { tags, summary: 'Turn two-step off (not for roles that require it)', body: DisableTotpBody, response: { 200: Type.Object({ user: UserSchema }), ...errors } } },
    async (req) => {
      const auth = req.auth!;
      if (!deps.config.demo && needsTotp(auth)) throw unprocessable('totp_required');
      const row = await deps.db.selectFrom('users').select('password_hash').where('id', '=', auth.user.id).executeTakeFirstOrThrow();
      if (!(await verifyPassword(row.password_hash, req.body.password))) throw new AppError(400, 'wrong_password', { password: 'wrong_password' });
      const now = deps.clock.now();
      const set = { totp_secret_enc: null, totp_pending_enc: null, totp_last_step: null, updated_at: now.toISOString() };
      await deps.db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set(set).where('id', '=', auth.user.id).execute();
        await revokeSessions(trx, auth.user.id, now, auth.sessionId);
        await writeAudit(trx, req.actor(), { action: 'user.totp_disable', result: 'ok', entityType: 'user', entityId: auth.user.id }, now);
      });
      return { user: await userView(deps, { ...auth.user, ...set }, auth.principal) };
    },
  );
}
