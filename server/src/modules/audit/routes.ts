import { Type } from 'typebox';
import { verifyAuditChain } from '../../lib/audit.js';
import type { App } from '../../lib/deps.js';
import { decodeCursor, pageOf } from '../../lib/pagination.js';
import { allow, stationScope } from '../../lib/policy.js';
import { errors, Nullable, Page, PageQuery } from '../../lib/schema.js';
import { inScopeSql } from '../../lib/sql.js';

const policy = allow('audit');
const tags = ['audit'];

const Entry = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  at: Type.String(),
  actorId: Nullable(Type.String()),
  actorUsername: Nullable(Type.String()),
  role: Nullable(Type.String()),
  stationId: Nullable(Type.String()),
  action: Type.String(),
  entityType: Nullable(Type.String()),
  entityId: Nullable(Type.String()),
  result: Type.String(),
  ip: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  field: Nullable(Type.String()),
  reason: Nullable(Type.String()),
});

const Query = Type.Object(
  {
    ...PageQuery,
    action: Type.Optional(Type.String({ maxLength: 100 })),
    actorUsername: Type.Optional(Type.String({ maxLength: 64 })),
    result: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('denied'), Type.Literal('error')])),
    entityType: Type.Optional(Type.String({ maxLength: 64 })),
    entityId: Type.Optional(Type.String({ maxLength: 64 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export async function auditRoutes(app: App): Promise<void> {
  const { db } = app.xq;

  app.get(
    '/',
    { config: { policy }, schema: { tags, summary: 'The audit log of the user’s stations, newest first', querystring: Query, response: { 200: Page(Entry), ...errors } } },
    async (req) => {
      const scope = stationScope(req.auth!.principal, policy.roles);
      const { limit = 20, cursor, action, actorUsername, result, entityType, entityId, from, to } = req.query;
      const before = decodeCursor(cursor);
      let q = db.selectFrom('audit_log').selectAll();
      // Entries without a station (logins of deployment-wide accounts) are visible to every data officer.
      q = q.where((eb) => eb.or([eb('station_id', 'is', null), inScopeSql(scope, 'station_id')]));
      if (action) q = q.where('action', '=', action);
      if (actorUsername) q = q.where('actor_username', '=', actorUsername.trim().toLowerCase());
      if (result) q = q.where('result', '=', result);
      if (entityType) q = q.where('entity_type', '=', entityType);
      if (entityId) q = q.where('entity_id', '=', entityId);
      if (from) q = q.where('at', '>=', new Date(from).toISOString());
      if (to) q = q.where('at', '<', new Date(to).toISOString());
      if (before) q = q.where('seq', '<', Number(before));
      const rows = await q.orderBy('seq', 'desc').limit(limit + 1).execute();
      const page = pageOf(rows, limit, (r) => r.seq);
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((r) => ({
          id: r.id,
          seq: Number(r.seq),
          at: r.at,
          actorId: r.actor_id,
          actorUsername: r.actor_username,
          role: r.role,
          stationId: r.station_id,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          result: r.result,
          ip: r.ip,
          requestId: r.request_id,
          field: r.field,
          reason: r.reason,
        })),
      };
    },
  );

  app.get(
    '/verify',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'Walk the hash chain and name the first broken link',
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            checked: Type.Integer(),
            firstBroken: Nullable(Type.Object({ seq: Type.Integer(), id: Type.String(), problem: Type.String() })),
          }),
          ...errors,
        },
      },
    },
    async () => verifyAuditChain(db),
  );
}
