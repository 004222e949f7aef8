import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, apiGet, readCookie } from '../../api/client';
import { currentLocale } from '../../i18n';
import type { ServiceArea } from '../../../../server/src/db/tables';
import type { ConsultationDetail, ConsultationView, FaqEntryView } from '../../../../server/src/modules/consultations/schema';

/** Shapes and calls of the consultations API (server/src/modules/consultations). */
export type Consultation = ConsultationView;
export type Thread = ConsultationDetail;
export type FaqEntry = FaqEntryView;
export type { ServiceArea };
export const AREAS: ServiceArea[] = ['elderly_care', 'child_care', 'social_assistance', 'disability', 'counselling', 'policy', 'legal_aid', 'employment', 'other'];
export const LIST_KEY = ['consultations', 'list'] as const;
export const threadKey = (id: string) => ['consultations', 'thread', id] as const;

export function useThread(id: string | undefined) {
  return useQuery({
    queryKey: threadKey(id ?? ''),
    queryFn: ({ signal }) => apiGet<{ consultation: Thread }>(`/api/consultations/${id}`, undefined, signal).then((r) => r.consultation),
    enabled: !!id,
    // Staff watch the inbox; answers arrive without a reload.
    refetchInterval: 30_000,
  });
}

/** After any change: the thread and every list view. */
export function useRefresh() {
  const qc = useQueryClient();
  return (thread?: Thread) => {
    if (thread) qc.setQueryData(threadKey(thread.id), thread);
    void qc.invalidateQueries({ queryKey: ['consultations'] });
  };
}

export const postAction = <T,>(path: string, body: unknown, idempotencyKey?: string) => api<T>(path, { method: 'POST', body, ...(idempotencyKey ? { idempotencyKey } : {}) });

/** Multipart upload of one photo about a resident (the JSON client sends JSON only). */
export async function uploadPhoto(residentId: string, file: Blob, filename: string): Promise<string> {
  const body = new FormData();
  body.append('file', file, filename);
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLocale() };
  const csrf = readCookie('xq_csrf');
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let res: Response;
  try {
    res = await fetch(`/api/residents/${residentId}/photos`, { method: 'POST', headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError({ id: 'network_error', message: '', status: 0 });
  }
  const json = (await res.json().catch(() => null)) as { photo?: { id: string }; error?: { id?: string; message?: string; fields?: Record<string, string> } } | null;
  if (!res.ok || !json?.photo) {
    const e = json?.error;
    throw new ApiError({ id: e?.id ?? (res.status >= 500 ? 'server_unavailable' : 'unknown_error'), message: e?.message ?? '', status: res.status, fields: e?.fields ?? {} });
  }
  return json.photo.id;
}

export const photoUrl = (id: string) => `/api/photos/${id}`;

/** "2小时15分" / "2 h 15 min" for a span of milliseconds (days above 48 hours). */
export function spanText(ms: number, lang: string): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const zh = !lang.startsWith('en');
  if (d >= 2) return zh ? `${d}天${h ? `${h}小时` : ''}` : `${d} d${h ? ` ${h} h` : ''}`;
  const hours = d * 24 + h;
  if (hours === 0) return zh ? `${m}分钟` : `${m} min`;
  return zh ? `${hours}小时${m ? `${m}分` : ''}` : `${hours} h${m ? ` ${m} min` : ''}`;
}
