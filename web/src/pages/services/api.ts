import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client';
import type { Page } from '../../api/types';
import type { User } from '../../api/types';
import type { ServiceArea, ServiceMode } from '../../../../server/src/db/tables';
import type { ServiceTypeView, ExceptionView, HoursItem } from '../../../../server/src/modules/scheduling/schema';

/** Shapes and reads of the scheduling API (server/src/modules/scheduling). */

export type ServiceType = ServiceTypeView;
export type WorkerException = ExceptionView;
export type Hours = HoursItem;
export type { ServiceArea, ServiceMode };
export const AREAS: ServiceArea[] = ['elderly_care', 'child_care', 'social_assistance', 'disability', 'counselling', 'policy', 'legal_aid', 'employment', 'other'];
export const MODES: ServiceMode[] = ['station', 'home_visit', 'phone', 'online'];

export interface StationWorker {
  id: string;
  displayName: string;
  roles: string[];
}
export interface CalendarDay {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
  source: string | null;
}

/** The station this page works on: the first where the user is staff, and whether they run it. */
export function stationOf(user: User): { stationId: string | undefined; isHead: boolean } {
  const staff = user.roles.filter((r) => (r.role === 'station_head' || r.role === 'social_worker') && r.stationId);
  const head = staff.find((r) => r.role === 'station_head');
  return { stationId: (head ?? staff[0])?.stationId ?? undefined, isHead: !!head };
}

export const SERVICE_TYPES_KEY = ['scheduling', 'service-types'] as const;

export function useServiceTypeList(stationId: string | undefined) {
  return useQuery({
    queryKey: [...SERVICE_TYPES_KEY, stationId ?? ''],
    queryFn: async ({ signal }) => {
      const out: ServiceType[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<ServiceType> = await apiGet<Page<ServiceType>>('/api/service-types', { stationId, limit: 100, cursor }, signal);
        out.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && out.length < 1000);
      return out;
    },
    enabled: !!stationId,
  });
}

export function useStationWorkers(stationId: string | undefined) {
  return useQuery({
    queryKey: ['scheduling', 'workers', stationId ?? ''],
    queryFn: ({ signal }) => apiGet<{ items: StationWorker[] }>('/api/service-workers', { stationId }, signal).then((r) => r.items),
    enabled: !!stationId,
    staleTime: 60_000,
  });
}

export function useHours(userId: string | undefined, stationId: string | undefined) {
  return useQuery({
    queryKey: ['scheduling', 'hours', userId ?? '', stationId ?? ''],
    queryFn: ({ signal }) => apiGet<{ items: Hours[] }>(`/api/workers/${userId}/hours`, { stationId }, signal).then((r) => r.items),
    enabled: !!userId,
  });
}

export function useExceptions(userId: string | undefined) {
  return useQuery({
    queryKey: ['scheduling', 'exceptions', userId ?? ''],
    queryFn: ({ signal }) => apiGet<{ items: WorkerException[] }>(`/api/workers/${userId}/exceptions`, undefined, signal).then((r) => r.items),
    enabled: !!userId,
  });
}

export function useCalendar(year: number) {
  return useQuery({
    queryKey: ['scheduling', 'calendar', year],
    queryFn: ({ signal }) => apiGet<{ items: CalendarDay[] }>('/api/calendar', { year }, signal).then((r) => r.items),
  });
}

export function useSlotPreview(serviceTypeId: string | undefined, workerId: string | undefined, from: string, to: string) {
  return useQuery({
    queryKey: ['scheduling', 'slots', serviceTypeId ?? '', workerId ?? '', from],
    queryFn: ({ signal }) => apiGet<{ items: { start: string; end: string; workerId: string }[] }>('/api/slots', { serviceTypeId, workerId, from, to }, signal).then((r) => r.items),
    enabled: !!serviceTypeId && !!workerId,
  });
}

/** `08:30` from minutes after midnight (1440 → `24:00`). */
export function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** Minutes after midnight from `HH:mm`, or null. */
export function minuteOf(v: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(v);
  if (!m) return null;
  const n = Number(m[1]) * 60 + Number(m[2]);
  return n >= 0 && n <= 1440 ? n : null;
}
