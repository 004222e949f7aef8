import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client';
import type { Division } from '../../api/types';

/** Children of an administrative division; `parent` undefined → provinces, null → not yet chosen. */
export function useDivisions(parent: string | null | undefined) {
  return useQuery({
    queryKey: ['setup', 'divisions', parent ?? 'root'],
    queryFn: ({ signal }) =>
      apiGet<{ items: Division[] }>('/api/setup/divisions', { parent: parent ?? undefined }, signal),
    enabled: parent !== null,
    staleTime: Infinity,
  });
}
