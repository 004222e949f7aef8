import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiGet, readCookie } from '../../../api/client';
import { formatDate } from '../../../components/format';
import { currentLocale } from '../../../i18n';
import type { ResidentDetailView } from '../../../../../server/src/modules/residents/schema';
import type {
  ConsentDocumentView, ConsentStatusView, ConsentView, PurposeStatusView, WitnessView,
} from '../../../../../server/src/modules/consents/schema';

export type { ConsentDocumentView, ConsentStatusView, ConsentView, PurposeStatusView, ResidentDetailView, WitnessView };

/** The same key and shape as the resident detail page, so both share one cached read. */
export const residentKey = (id: string) => ['resident', id] as const;
export const consentStatusKey = (id: string) => ['consent-status', id] as const;
export const consentListKey = (id: string) => ['consents', id] as const;

export function useResidentDetail(id: string | undefined) {
  return useQuery({
    queryKey: residentKey(id ?? ''),
    queryFn: ({ signal }) => apiGet<{ resident: ResidentDetailView }>(`/api/residents/${id}`, undefined, signal).then((r) => r.resident),
    enabled: !!id,
    retry: (n, e) => n < 2 && !(e instanceof ApiError && e.status < 500),
  });
}

export function useConsentStatus(residentId: string) {
  return useQuery({
    queryKey: consentStatusKey(residentId),
    queryFn: ({ signal }) => apiGet<ConsentStatusView>(`/api/residents/${residentId}/consent-status`, undefined, signal),
  });
}

export function useWitnesses(residentId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['consent-witnesses', residentId],
    queryFn: ({ signal }) => apiGet<{ items: WitnessView[] }>(`/api/residents/${residentId}/consent-witnesses`, undefined, signal).then((r) => r.items),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** After a consent write: the status, the list and the resident's timeline all changed. */
export function useConsentsChanged(residentId: string) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: consentStatusKey(residentId) });
    void qc.invalidateQueries({ queryKey: consentListKey(residentId) });
    void qc.invalidateQueries({ queryKey: ['resident-timeline', residentId] });
  };
}

export const MAX_SCAN_BYTES = 10 * 1024 * 1024;
export const SCAN_TYPES = ['image/jpeg', 'image/png', 'application/pdf'];

/** Multipart upload of a scanned form (the JSON client sends JSON only). Errors come back as ApiError. */
export async function uploadScan(residentId: string, file: Blob, filename: string): Promise<ConsentDocumentView> {
  const body = new FormData();
  body.append('file', file, filename);
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLocale() };
  const csrf = readCookie('xq_csrf');
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let res: Response;
  try {
    res = await fetch(`/api/residents/${residentId}/consent-documents`, { method: 'POST', headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError({ id: 'network_error', message: '', status: 0 });
  }
  const json = (await res.json().catch(() => null)) as { document?: ConsentDocumentView; error?: { id?: string; message?: string; fields?: Record<string, string> } } | null;
  if (!res.ok || !json?.document) {
    const e = json?.error;
    throw new ApiError({ id: e?.id ?? (res.status >= 500 ? 'server_unavailable' : 'unknown_error'), message: e?.message ?? '', status: res.status, fields: e?.fields ?? {} });
  }
  return json.document;
}

export const scanUrl = (documentId: string) => `/api/consent-documents/${documentId}`;

/** A calendar date (YYYY-MM-DD) in words: `2026年11月29日` / `29 Nov 2026`. */
export function formatDay(day: string | null | undefined, lang: string): string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return day ?? '';
  // Noon UTC is the same calendar day in China time.
  return formatDate(`${day}T12:00:00Z`, lang);
}

/** Noon in Shanghai on a calendar day: ageOn then reads that same day back. */
export const dayInstant = (day: string) => new Date(`${day}T12:00:00+08:00`);

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
