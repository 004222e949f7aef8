import { Type } from 'typebox';
import { writeAudit } from '../../lib/audit.js';
import type { App } from '../../lib/deps.js';
import { notFound } from '../../lib/errors.js';
import { decodeCursor, pageOf } from '../../lib/pagination.js';
import { selfRoute } from '../../lib/policy.js';
import { errors } from '../../lib/schema.js';
import { preferredChannels } from './outbox.js';
import { CountResponse, IdParams, ListQuery, ListResponse, PreferencesBody, PreferencesResponse } from './schema.js';

const tags = ['notifications'];
/** The SMS and WeChat adapters only write a local log; the UI says so. */
const CONNECTED = { sms: false, wechat: false };

/** The bell: every signed-in user reads and clears their own notifications, nobody else's. */
export async function notificationRoutes(app: App): Promise<void> {
  const { db, clock } = app.xq;

  app.get(
    '/notifications',
    { config: { policy: selfRoute }, schema: { tags, summary: 'My notifications, newest first', querystring: ListQuery, response: { 200: ListResponse, ...errors } } },
    async (req) => {
      const userId = req.auth!.user.id;
      const limit = req.query.limit ?? 20;
      const after = decodeCursor(req.query.cursor);
      let q = db.selectFrom('notifications').select(['id', 'title', 'body', 'link', 'created_at', 'read_at']).where('user_id', '=', userId);
      if (req.query.unread) q = q.where('read_at', 'is', null);
      // Ids are time-ordered (UUIDv7), so they are the cursor.
      if (after) q = q.where('id', '<', after);
      const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
      const page = pageOf(rows, limit, (r) => r.id);
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((r) => ({ id: r.id, title: r.title, body: r.body, link: r.link, createdAt: r.created_at, readAt: r.read_at })),
      };
    },
  );

  app.get(
    '/notifications/unread-count',
    { config: { policy: selfRoute, passive: true }, schema: { tags, summary: 'How many of my notifications are unread (the bell badge)', response: { 200: CountResponse, ...errors } } },
    async (req) => {
      const row = await db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', req.auth!.user.id)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow();
      return { count: Number(row.n) };
    },
  );

  app.post(
    '/notifications/:id/read',
    { config: { policy: selfRoute }, schema: { tags, summary: 'Mark one of my notifications read', params: IdParams, response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      const userId = req.auth!.user.id;
      const now = clock.now().toISOString();
      // Someone else's notification is "not found", exactly like a missing one.
      const row = await db.selectFrom('notifications').select(['id', 'read_at']).where('id', '=', req.params.id).where('user_id', '=', userId).executeTakeFirst();
      if (!row) throw notFound('notification');
      if (!row.read_at) {
        await db.updateTable('notifications').set({ read_at: now }).where('id', '=', row.id).where('read_at', 'is', null).execute();
      }
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/notifications/read-all',
    { config: { policy: selfRoute }, schema: { tags, summary: 'Mark all my notifications read', response: { 200: CountResponse, ...errors } } },
    async (req) => {
      const res = await db
        .updateTable('notifications')
        .set({ read_at: clock.now().toISOString() })
        .where('user_id', '=', req.auth!.user.id)
        .where('read_at', 'is', null)
        .executeTakeFirst();
      return { count: Number(res.numUpdatedRows) };
    },
  );

  app.get(
    '/notifications/preferences',
    { config: { policy: selfRoute }, schema: { tags, summary: 'Channels I receive notifications on besides in-app', response: { 200: PreferencesResponse, ...errors } } },
    async (req) => ({ channels: await preferredChannels(db, req.auth!.user.id), connected: CONNECTED }),
  );

  app.put(
    '/notifications/preferences',
    { config: { policy: selfRoute }, schema: { tags, summary: 'Choose channels besides in-app (SMS, WeChat: logged only, not connected to a platform)', body: PreferencesBody, response: { 200: PreferencesResponse, ...errors } } },
    async (req) => {
      const userId = req.auth!.user.id;
      const now = clock.now();
      const channels = [...new Set(req.body.channels)].sort();
      await db.transaction().execute(async (trx) => {
        const before = await preferredChannels(trx, userId);
        await trx
          .insertInto('notification_preferences')
          .values({ user_id: userId, channels: JSON.stringify(channels), updated_at: now.toISOString() })
          .onConflict((oc) => oc.column('user_id').doUpdateSet({ channels: JSON.stringify(channels), updated_at: now.toISOString() }))
          .execute();
        await writeAudit(trx, req.actor(), { action: 'notification.preferences', result: 'ok', entityType: 'user', entityId: userId, detail: { before, after: channels } }, now);
      });
      return { channels, connected: CONNECTED };
    },
  );
}
