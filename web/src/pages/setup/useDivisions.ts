import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client';
import type { Division } from '../../api/types';

/**
 * Children of an administrative division; `parent` undefined → provinces, null → not yet chosen.
 * "Not yet chosen" keeps its own cache key: sharing the provinces' key once showed the province list in the
 * county box before a city was picked.
 */
export function useDivisions(parent: string | null | undefined) {
  return useQuery({
    queryKey: ['setup', 'divisions', parent === undefined ? 'root' : parent],
    queryFn: ({ signal }) =>
      apiGet<{ items: Division[] }>('/api/setup/divisions', { parent: parent ?? undefined }, signal),
    enabled: parent !== null,
    staleTime: Infinity,
  });
}
