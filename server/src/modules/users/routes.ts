import { Type } from 'typebox';
import { auditDenied } from '../../lib/guard.js';
import type { FastifyRequest } from 'fastify';
import { writeAudit } from '../../lib/audit.js';
import type { App } from '../../lib/deps.js';
import { forbidden, notFound } from '../../lib/errors.js';
import { decodeCursor, pageOf } from '../../lib/pagination.js';
import { errors } from '../../lib/schema.js';
import { contains, inScopeSql } from '../../lib/sql.js';
import type { StationScope } from '../../lib/policy.js';
import { UserSchema } from '../auth/schema.js';
import { userView } from '../auth/auth.js';
import { loadPrincipal } from '../../lib/session.js';
import { mayGrant, scopeOf, usersPolicy } from './policy.js';
import { CreateBody, IdParams, ListQuery, ResetBody, UserListItem } from './schema.js';
import { createUser, rolesOf, setLocked, setPassword } from './users.js';

const tags = ['users'];

export async function userRoutes(app: App): Promise<void> {
  const deps = app.xq;
  const { db, clock } = deps;

  /** Accounts holding any role in the scope's stations. */
  const usersOfStations = (scope: StationScope) =>
    db.selectFrom('role_assignments').select('user_id').where(inScopeSql(scope, 'station_id'));

  /**
   * The same scope for lists and single targets: a user outside it is "not found". A real account
   * reached out of scope is still recorded as a denied attempt, so probing shows in the audit log.
   */
  async function targetInScope(req: FastifyRequest, userId: string) {
    const scope = scopeOf(req.auth!.principal);
    let q = db.selectFrom('users').select(['id', 'username']).where('id', '=', userId);
    if (!scope.all) q = q.where('id', 'in', usersOfStations(scope));
    const u = await q.executeTakeFirst();
    if (u) return u;
    const exists = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
    if (exists) {
      await auditDenied({ db, clock }, req, { type: 'user', id: userId });
    }
    throw notFound('user');
  }

  app.get(
    '/',
    { config: { policy: usersPolicy }, schema: { tags, summary: 'Accounts the user administers', querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(UserListItem), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors } } },
    async (req) => {
      const scope = scopeOf(req.auth!.principal);
      const limit = req.query.limit ?? 20;
      const after = decodeCursor(req.query.cursor);
      let q = db.selectFrom('users').selectAll();
      if (!scope.all) q = q.where('id', 'in', usersOfStations(scope));
      const text = req.query.q?.trim().toLowerCase();
      if (text) q = q.where((eb) => eb.or([contains('username', text), contains('display_name', text)]));
      if (req.query.role) q = q.where('id', 'in', db.selectFrom('role_assignments').select('user_id').where('role', '=', req.query.role));
      if (after) q = q.where('username', '>', after);
      const rows = await q.orderBy('username').limit(limit + 1).execute();
      const page = pageOf(rows, limit, (r) => r.username);
      const roles = await rolesOf(db, page.items.map((u) => u.id));
      const now = clock.now().getTime();
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((u) => ({
          id: u.id,
          username: u.username,
          displayName: u.display_name,
          roles: roles.filter((r) => r.user_id === u.id).map((r) => ({ role: r.role, stationId: r.station_id, countyId: r.county_id })),
          locked: u.disabled === 1 || (!!u.locked_until && Date.parse(u.locked_until) > now),
          lockedUntil: u.locked_until && Date.parse(u.locked_until) > now ? u.locked_until : null,
          lastLoginAt: u.last_login_at,
          totpEnabled: !!u.totp_secret_enc,
          createdAt: u.created_at,
        })),
      };
    },
  );

  app.post(
    '/',
    { config: { policy: usersPolicy }, schema: { tags, summary: 'Create an account (the user must change the password at first login)', body: CreateBody, response: { 201: Type.Object({ user: UserSchema }), ...errors } } },
    async (req, reply) => {
      const p = req.auth!.principal;
      const roles = req.body.roles.map((r) => ({ role: r.role, stationId: r.stationId ?? null, countyId: r.countyId ?? null }));
      if (!roles.every((r) => mayGrant(p, r))) throw forbidden();
      const now = clock.now();
      const id = await db.transaction().execute(async (trx) => {
        const userId = await createUser(trx, { ...req.body, roles, mustChangePassword: true }, now);
        await writeAudit(trx, req.actor(), { action: 'user.create', result: 'ok', entityType: 'user', entityId: userId, stationId: roles[0]?.stationId ?? null, detail: { roles: roles.map((r) => r.role) } }, now);
        return userId;
      });
      const user = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const { password_hash: _h, ...rest } = user;
      return reply.status(201).send({ user: await userView(deps, rest, await loadPrincipal(db, id, user.username)) });
    },
  );

  app.post(
    '/:id/reset-password',
    { config: { policy: usersPolicy }, schema: { tags, summary: 'Set a temporary password; the user must change it at next login', params: IdParams, body: ResetBody, response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      const target = await targetInScope(req, req.params.id);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await setPassword(trx, target.id, target.username, req.body.password, { forceChange: true, now });
        await writeAudit(trx, req.actor(), { action: 'user.password_reset', result: 'ok', entityType: 'user', entityId: target.id }, now);
      });
      return reply.status(204).send(null);
    },
  );

  for (const action of ['lock', 'unlock'] as const) {
    app.post(
      `/:id/${action}`,
      { config: { policy: usersPolicy }, schema: { tags, summary: action === 'lock' ? 'Lock an account (ends its sessions)' : 'Unlock an account and clear failed-login lockout', params: IdParams, response: { 204: Type.Null(), ...errors } } },
      async (req, reply) => {
        const target = await targetInScope(req, req.params.id);
        if (target.id === req.auth!.user.id && action === 'lock') throw forbidden();
        const now = clock.now();
        await db.transaction().execute(async (trx) => {
          await setLocked(trx, target.id, action === 'lock', now);
          await writeAudit(trx, req.actor(), { action: `user.${action}`, result: 'ok', entityType: 'user', entityId: target.id }, now);
        });
        return reply.status(204).send(null);
      },
    );
  }
}
