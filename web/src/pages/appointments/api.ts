import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, apiGet, newIdempotencyKey } from '../../api/client';
import type { Page } from '../../api/types';
import type { AppointmentChannel, AppointmentStatus, ServiceArea, ServiceMode } from '../../../../server/src/db/tables';
import type { AppointmentView } from '../../../../server/src/modules/appointments/schema';
import { addDays, dayStartIso } from './days';

/** Shapes of the scheduling and appointments API (docs: notes/issue4-contract.md). */

export type { AppointmentStatus, AppointmentChannel, ServiceArea, ServiceMode };
export type Transition = 'confirm' | 'check-in' | 'complete' | 'no-show' | 'cancel' | 'reschedule';

export interface ServiceType {
  id: string;
  stationId: string;
  name: string;
  area: ServiceArea;
  mode: ServiceMode;
  durationMinutes: number;
  bufferMinutes: number;
  travelMinutes: number;
  residentBookable: boolean;
  description: string | null;
  active: boolean;
  workerIds: string[];
}

export interface Slot {
  start: string;
  end: string;
  workerId: string;
}

export type Appointment = AppointmentView;

export const serviceName = (a: Appointment) => a.serviceType.name;
export const residentName = (a: Appointment) => a.resident.name;
export const workerName = (a: Appointment) => a.worker.name;

/** What each state allows, in the order the buttons show. */
export function allowedTransitions(status: AppointmentStatus): Transition[] {
  switch (status) {
    case 'requested':
      return ['confirm', 'reschedule', 'cancel'];
    case 'confirmed':
      return ['check-in', 'reschedule', 'no-show', 'cancel'];
    case 'checked_in':
      return ['complete'];
    default:
      return [];
  }
}

export const isActive = (s: AppointmentStatus) => s === 'requested' || s === 'confirmed' || s === 'checked_in';

/** Every page of a `{items,nextCursor}` list up to `max` items (a station's week of appointments). */
async function allPages<T>(path: string, query: Record<string, string | undefined>, signal: AbortSignal, max = 1000): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await apiGet<Page<T>>(path, { ...query, limit: 100, cursor }, signal);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out;
}

export function useServiceTypes(stationId: string | undefined, bookableOnly = false) {
  return useQuery({
    queryKey: ['service-types', stationId ?? '', bookableOnly],
    queryFn: ({ signal }) =>
      allPages<ServiceType>('/api/service-types', { stationId, bookable: bookableOnly ? 'true' : undefined }, signal, 500).then((xs) =>
        xs.filter((s) => s.active && (!bookableOnly || s.residentBookable)),
      ),
    staleTime: 60_000,
  });
}

/** Free slots of a service over `days` days from `firstDay` (China time). */
export function useSlots(serviceTypeId: string | undefined, firstDay: string | undefined, days: number, workerId?: string) {
  return useQuery({
    queryKey: ['slots', serviceTypeId ?? '', firstDay ?? '', days, workerId ?? ''],
    queryFn: ({ signal }) =>
      apiGet<{ items: Slot[] }>(
        '/api/slots',
        { serviceTypeId, from: dayStartIso(firstDay!), to: dayStartIso(addDays(firstDay!, days)), workerId },
        signal,
      ).then((r) => r.items),
    enabled: !!serviceTypeId && !!firstDay,
    staleTime: 10_000,
  });
}

export const APPOINTMENTS_KEY = ['appointments'] as const;

export function useAppointments(query: Record<string, string | undefined>, enabled = true) {
  return useQuery({
    queryKey: [...APPOINTMENTS_KEY, query],
    queryFn: ({ signal }) => allPages<Appointment>('/api/appointments', query, signal),
    enabled,
  });
}

export interface BookInput {
  serviceTypeId: string;
  residentId: string;
  start: string;
  workerId?: string;
  note?: string;
  channel?: AppointmentChannel;
}

export const bookAppointment = (input: BookInput, idempotencyKey: string) =>
  api<{ appointment: Appointment }>('/api/appointments', { method: 'POST', body: input, idempotencyKey });

export function transition(a: Appointment, action: Transition, body: Record<string, unknown> = {}) {
  return api<{ appointment: Appointment }>(`/api/appointments/${a.id}/${action}`, {
    method: 'POST',
    body: { version: a.version, ...body },
    idempotencyKey: newIdempotencyKey(),
  });
}

/** After any booking or transition: lists, slots, the resident's timeline and the ledger changed. */
export function useInvalidateAfterChange() {
  const qc = useQueryClient();
  return (residentId?: string) => {
    void qc.invalidateQueries({ queryKey: APPOINTMENTS_KEY });
    void qc.invalidateQueries({ queryKey: ['slots'] });
    void qc.invalidateQueries({ queryKey: ['service-records'] });
    if (residentId) void qc.invalidateQueries({ queryKey: ['resident-timeline', residentId] });
  };
}

export interface BookableResident {
  id: string;
  name: string;
  relation?: 'self' | 'family' | 'guardian';
}

/**
 * Whom a resident account may book for: GET /api/appointments/residents, plus anyone its own
 * appointments are for (so an older server without that list still works for returning residents).
 */
export function useBookableResidents(enabled = true) {
  return useQuery({
    queryKey: ['appointments', 'bookable-residents'],
    enabled,
    queryFn: async ({ signal }) => {
      const out = new Map<string, BookableResident>();
      let listed = false;
      try {
        const r = await apiGet<{ items: BookableResident[] }>('/api/appointments/residents', undefined, signal);
        for (const p of r.items) out.set(p.id, p);
        listed = true;
      } catch (e) {
        if (!(e instanceof ApiError) || (e.status !== 404 && e.status !== 400)) throw e;
      }
      if (!listed) {
        const mine = await apiGet<Page<Appointment>>('/api/appointments', { limit: 100 }, signal);
        for (const a of mine.items) if (!out.has(a.resident.id)) out.set(a.resident.id, { id: a.resident.id, name: a.resident.name });
      }
      return [...out.values()].sort((a, b) => (a.relation === 'self' ? -1 : b.relation === 'self' ? 1 : 0));
    },
    staleTime: 5 * 60_000,
  });
}

export interface StationWorker {
  id: string;
  displayName: string;
}

/** Who can deliver services at the station (for worker filters); empty for roles not allowed to list them. */
export function useStationWorkers(stationId: string | undefined) {
  return useQuery({
    queryKey: ['service-workers', stationId ?? ''],
    queryFn: async ({ signal }) => {
      try {
        return (await apiGet<{ items: StationWorker[] }>('/api/service-workers', { stationId }, signal)).items;
      } catch (e) {
        if (e instanceof ApiError && (e.status === 403 || e.status === 404)) return [];
        throw e;
      }
    },
    staleTime: 5 * 60_000,
  });
}
