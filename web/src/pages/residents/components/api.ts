import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../api/client';
import type { Page, Village } from '../../../api/types';
import type {
  ResidentDetailView,
  ResidentListItemView,
} from '../../../../../server/src/modules/residents/schema';
import type { Static } from 'typebox';
import type { HouseholdView, TimelineEvent } from '../../../../../server/src/modules/residents/schema';

export type { ResidentDetailView, ResidentListItemView };
export type Household = Static<typeof HouseholdView>;
export type TimelineItem = Static<typeof TimelineEvent>;
export interface DuplicateMatch {
  id: string;
  name: string;
  birthDate: string;
  villageName: string;
}

export const residentKey = (id: string) => ['resident', id] as const;
export const householdKey = (id: string) => ['household', id] as const;

export function useResident(id: string | undefined) {
  return useQuery({
    queryKey: residentKey(id ?? ''),
    queryFn: ({ signal }) => apiGet<{ resident: ResidentDetailView }>(`/api/residents/${id}`, undefined, signal).then((r) => r.resident),
    enabled: !!id,
    // A 404 is an answer, not a hiccup to retry.
    retry: (n, e) => n < 2 && !(e && typeof e === 'object' && 'status' in e && (e as { status: number }).status < 500),
  });
}

export function useHousehold(id: string | null | undefined) {
  return useQuery({
    queryKey: householdKey(id ?? ''),
    queryFn: ({ signal }) => apiGet<{ household: Household }>(`/api/households/${id}`, undefined, signal).then((r) => r.household),
    enabled: !!id,
  });
}

/** Every village of a station (a township has ~15; a few pages at most). */
export function useVillages(stationId: string | undefined) {
  return useQuery({
    queryKey: ['villages', 'all', stationId ?? ''],
    queryFn: async ({ signal }) => {
      const out: Village[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 10; i++) {
        const page: Page<Village> = await apiGet<Page<Village>>('/api/villages', { stationId, limit: 100, cursor }, signal);
        out.push(...page.items);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return out;
    },
    staleTime: 5 * 60_000,
  });
}

/** A value that settles `ms` after the last change (type-ahead search). */
export function useDebounced<T>(value: T, ms = 300): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return v;
}

/** Residents found by name or pinyin, for pickers (guardian, household). */
export function useResidentSearch(q: string, extra: Record<string, string | undefined> = {}) {
  const text = useDebounced(q.trim());
  return useQuery({
    queryKey: ['residents', 'pick', text, extra],
    queryFn: ({ signal }) => apiGet<Page<ResidentListItemView>>('/api/residents', { q: text, limit: 10, ...extra }, signal),
    enabled: text.length > 0,
    staleTime: 30_000,
  });
}
