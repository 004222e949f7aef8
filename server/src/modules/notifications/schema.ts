import { Type } from 'typebox';
import { Id, Instant, Nullable, Obj, Page, PageQuery, StringEnum } from '../../lib/schema.js';
import { EXTRA_CHANNELS } from './outbox.js';

export const NotificationItem = Type.Object({
  id: Id,
  title: Type.String(),
  body: Type.String(),
  /** An in-app path to open (e.g. /appointments), or null. */
  link: Nullable(Type.String()),
  createdAt: Instant,
  readAt: Nullable(Instant),
});

export const ListQuery = Obj({
  ...PageQuery,
  unread: Type.Optional(Type.Boolean({ description: 'Only unread notifications' })),
});

export const ListResponse = Page(NotificationItem);
export const IdParams = Obj({ id: Id });
export const CountResponse = Type.Object({ count: Type.Integer() });

const Channel = StringEnum(EXTRA_CHANNELS);

export const PreferencesBody = Obj({
  channels: Type.Array(Channel, { maxItems: 2, uniqueItems: true, description: 'Channels beyond in-app (always on)' }),
});

export const PreferencesResponse = Type.Object({
  channels: Type.Array(Channel),
  /** Whether each channel reaches a real platform. Both false here: logged only (未接入短信/微信平台). */
  connected: Type.Object({ sms: Type.Boolean(), wechat: Type.Boolean() }),
});
