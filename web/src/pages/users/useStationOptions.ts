import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client';
import type { Page, Station } from '../../api/types';
import { useUser } from '../../app/auth';

interface Option {
  value: string;
  label: string;
}

/** Stations (and their counties) the user can assign people to. */
export function useStationOptions(): { stations: Option[]; counties: Option[]; loading: boolean } {
  const user = useUser();
  const canListAll = user.modules.includes('organisation');
  const q = useQuery({
    queryKey: ['stations', 'options'],
    queryFn: ({ signal }) => apiGet<Page<Station>>('/api/stations', { limit: 100 }, signal),
    enabled: canListAll,
  });
  if (!canListAll || !q.data) {
    return {
      stations: user.stations.map((s) => ({ value: s.id, label: s.name })),
      counties: [],
      loading: canListAll && q.isPending,
    };
  }
  const counties = new Map<string, string>();
  for (const s of q.data.items) if (s.countyId) counties.set(s.countyId, s.countyName ?? s.countyId);
  return {
    stations: q.data.items.map((s) => ({ value: s.id, label: s.name })),
    counties: [...counties].map(([value, label]) => ({ value, label })),
    loading: false,
  };
}
