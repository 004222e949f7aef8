import { useMemo } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { apiGet } from './client';
import type { Page } from './types';

type Params = Record<string, string | undefined>;

/** A `{items, nextCursor}` list read page by page ("加载更多"). */
export function useCursorList<T>(key: readonly string[], path: string, params: Params, limit = 20) {
  const q = useInfiniteQuery({
    queryKey: [...key, params],
    queryFn: ({ pageParam, signal }) =>
      apiGet<Page<T>>(path, { ...params, limit, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? null,
  });
  const items = useMemo(() => q.data?.pages.flatMap((p) => p.items) ?? [], [q.data]);
  return {
    items,
    error: q.error,
    isLoading: q.isPending,
    isFetching: q.isFetching,
    hasMore: q.hasNextPage,
    loadingMore: q.isFetchingNextPage,
    loadMore: () => void q.fetchNextPage(),
    refetch: () => void q.refetch(),
  };
}
