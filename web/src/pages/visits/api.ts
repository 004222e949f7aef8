import { useQuery } from '@tanstack/react-query';
import { ApiError, apiGet, readCookie } from '../../api/client';
import type { DueRowView, SummaryView, VisitView } from '../../../../server/src/modules/visits/schema';

export type { DueRowView, SummaryView, VisitView };
export type Tier = 'high' | 'priority' | 'normal';
export type Tab = 'mine' | 'village' | 'all';
export type DueState = 'due' | 'overdue' | 'due_soon' | 'all';

export const TIERS: readonly Tier[] = ['high', 'priority', 'normal'];
export const TABS: readonly Tab[] = ['mine', 'village', 'all'];
export const STATES: readonly DueState[] = ['due', 'overdue', 'due_soon', 'all'];

export function useSummary(scope: 'mine' | 'all') {
  return useQuery({
    queryKey: ['visits', 'summary', scope],
    queryFn: ({ signal }) => apiGet<SummaryView>('/api/visits/due/summary', { scope }, signal),
  });
}

export function useVisit(id: string | undefined) {
  return useQuery({
    queryKey: ['visits', 'one', id ?? ''],
    queryFn: ({ signal }) => apiGet<{ visit: VisitView }>(`/api/visits/${id}`, undefined, signal).then((r) => r.visit),
    enabled: !!id,
    retry: (n, e) => n < 2 && !(e instanceof ApiError && e.status < 500),
  });
}

/** Multipart upload of one photo of a resident's home (the JSON client sends JSON only). */
export async function uploadPhoto(residentId: string, file: Blob, filename: string, lang: string): Promise<string> {
  const body = new FormData();
  body.append('file', file, filename);
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': lang };
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
    throw new ApiError({ id: e?.id ?? 'unknown_error', message: e?.message ?? '', status: res.status, fields: e?.fields ?? {} });
  }
  return json.photo.id;
}

export const photoUrl = (id: string) => `/api/photos/${id}`;
