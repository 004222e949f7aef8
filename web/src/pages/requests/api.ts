import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiGet, newIdempotencyKey } from '../../api/client';
import type { Page, User } from '../../api/types';
import type { RequestStatus, ServiceArea, ServiceMethod, Urgency } from '../../../../server/src/db/tables';
import type { CandidateView, CoverageWorker, RequestView } from '../../../../server/src/modules/requests/schema';

/** Shapes of the service requests API (docs/requests.md). */

export type { RequestStatus, ServiceArea, ServiceMethod, Urgency, CandidateView, CoverageWorker };
export type ServiceRequest = RequestView;
export type RequestAction = 'assign' | 'start' | 'fulfil' | 'cancel';

export const AREAS: readonly ServiceArea[] = ['elderly_care', 'child_care', 'social_assistance', 'disability', 'counselling', 'policy', 'legal_aid', 'employment', 'other'];
export const URGENCIES: readonly Urgency[] = ['urgent', 'high', 'normal', 'low'];
/** The triage board's columns, in order. */
export const BOARD: readonly RequestStatus[] = ['open', 'assigned', 'in_progress', 'fulfilled'];

export type Side = 'staff' | 'volunteer' | 'resident';

/** How this account uses the requests pages: staff triage, a volunteer's tasks, or a resident's needs. */
export function sideOf(user: Pick<User, 'roles'>): Side {
  if (user.roles.some((r) => r.role === 'social_worker' || r.role === 'station_head')) return 'staff';
  if (user.roles.some((r) => r.role === 'volunteer')) return 'volunteer';
  return 'resident';
}

export const REQUESTS_KEY = ['service-requests'] as const;

/** Every page of a list up to `max` (a board column, a resident's needs). */
async function allPages(query: Record<string, string | undefined>, signal: AbortSignal, max = 500): Promise<ServiceRequest[]> {
  const out: ServiceRequest[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<ServiceRequest> = await apiGet<Page<ServiceRequest>>('/api/service-requests', { ...query, limit: 100, cursor }, signal);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out;
}

export function useRequests(query: Record<string, string | undefined>) {
  return useQuery({ queryKey: [...REQUESTS_KEY, 'list', query], queryFn: ({ signal }) => allPages(query, signal) });
}

export function useRequest(id: string | undefined) {
  return useQuery({
    queryKey: [...REQUESTS_KEY, 'one', id ?? ''],
    queryFn: ({ signal }) => apiGet<{ request: ServiceRequest; history: { status: RequestStatus; at: string }[] }>(`/api/service-requests/${id}`, undefined, signal),
    enabled: !!id,
  });
}

export function useCandidates(id: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: [...REQUESTS_KEY, 'candidates', id ?? ''],
    queryFn: ({ signal }) => apiGet<{ area: ServiceArea; village: { id: string; name: string }; items: CandidateView[] }>(`/api/service-requests/${id}/candidates`, undefined, signal),
    enabled: !!id && enabled,
  });
}

export interface NewRequest {
  residentId: string;
  area: ServiceArea;
  title: string;
  description: string;
  urgency: Urgency;
}

export const createRequest = (input: NewRequest, idempotencyKey: string) =>
  api<{ request: ServiceRequest }>('/api/service-requests', { method: 'POST', body: input, idempotencyKey });

export function act(r: Pick<ServiceRequest, 'id' | 'version'>, action: RequestAction, body: Record<string, unknown> = {}) {
  return api<{ request: ServiceRequest }>(`/api/service-requests/${r.id}/${action}`, { method: 'POST', body: { version: r.version, ...body }, idempotencyKey: newIdempotencyKey() });
}

/** After any change: every list, the request itself, its candidates and the ledger. */
export function useRefresh() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: REQUESTS_KEY });
    void qc.invalidateQueries({ queryKey: ['service-records'] });
  };
}

/** What each state lets staff (or the assignee) do, in button order. */
export function actionsFor(status: RequestStatus, side: Side): RequestAction[] {
  switch (status) {
    case 'open':
      return side === 'staff' ? ['assign', 'cancel'] : side === 'resident' ? ['cancel'] : [];
    case 'assigned':
      return side === 'staff' ? ['start', 'fulfil', 'assign', 'cancel'] : side === 'volunteer' ? ['start', 'fulfil'] : [];
    case 'in_progress':
      return side === 'staff' ? ['fulfil', 'cancel'] : side === 'volunteer' ? ['fulfil'] : [];
    default:
      return [];
  }
}

export const COVERAGE_KEY = ['workers', 'coverage'] as const;

export function useCoverage(stationId: string | undefined) {
  return useQuery({
    queryKey: [...COVERAGE_KEY, stationId ?? ''],
    queryFn: ({ signal }) => apiGet<{ stationId: string; villages: { id: string; name: string }[]; workers: CoverageWorker[] }>('/api/workers/coverage', { stationId }, signal),
    enabled: !!stationId,
  });
}

export const saveCoverage = (stationId: string, workerId: string, body: { villageIds: string[]; areas: ServiceArea[] }) =>
  api<{ worker: CoverageWorker }>(`/api/workers/${workerId}/coverage?stationId=${encodeURIComponent(stationId)}`, { method: 'PUT', body });
