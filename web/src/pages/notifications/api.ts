import { api, apiGet, apiPost } from '../../api/client';

export interface NotificationItem {
  id: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationPage {
  items: NotificationItem[];
  nextCursor: string | null;
}

export type ExtraChannel = 'sms' | 'wechat';

export interface Preferences {
  channels: ExtraChannel[];
  connected: { sms: boolean; wechat: boolean };
}

export const NOTIFICATIONS_KEY = ['notifications'] as const;
export const UNREAD_KEY = ['notifications', 'unread-count'] as const;
export const PREFS_KEY = ['notifications', 'preferences'] as const;

export const fetchUnread = (signal?: AbortSignal) => apiGet<{ count: number }>('/api/notifications/unread-count', undefined, signal);
export const fetchPage = (unread: boolean, cursor: string | null, signal?: AbortSignal) =>
  apiGet<NotificationPage>('/api/notifications', { limit: 20, unread: unread || undefined, cursor: cursor ?? undefined }, signal);
export const markRead = (id: string) => api<null>(`/api/notifications/${encodeURIComponent(id)}/read`, { method: 'POST', body: {} });
export const markAllRead = () => apiPost<{ count: number }>('/api/notifications/read-all');
export const fetchPrefs = (signal?: AbortSignal) => apiGet<Preferences>('/api/notifications/preferences', undefined, signal);
export const savePrefs = (channels: ExtraChannel[]) => api<Preferences>('/api/notifications/preferences', { method: 'PUT', body: { channels } });
