import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiGet, apiPost, newIdempotencyKey } from '../../api/client';
import type { ItemInput, ItemView, RatingView, SatisfactionView, ToRateView } from '../../../../server/src/modules/feedback/schema';

/** Shapes of the feedback API (docs/feedback.md). */
export type { ItemView, RatingView, SatisfactionView, ToRateView };
export type FeedbackKind = ItemView['kind'];
export type FeedbackStatus = ItemView['status'];
export type ItemAction = 'start' | 'respond' | 'close' | 'escalate';

export const FEEDBACK_KEY = ['feedback'] as const;

export function useInvalidateFeedback() {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: FEEDBACK_KEY });
}

export function useRateTarget(serviceRecordId: string) {
  return useQuery({
    queryKey: [...FEEDBACK_KEY, 'target', serviceRecordId],
    queryFn: ({ signal }) => apiGet<{ record: ToRateView; rated: boolean; rating: RatingView | null }>(`/api/feedback/to-rate/${encodeURIComponent(serviceRecordId)}`, undefined, signal),
  });
}

export interface NamableWorker {
  id: string;
  name: string;
  /** Served the resident's household in the last 90 days. */
  served: boolean;
}

/** Whom a complaint can name (针对哪位工作人员). */
export function useNamableWorkers(enabled: boolean) {
  return useQuery({
    queryKey: [...FEEDBACK_KEY, 'workers'],
    queryFn: ({ signal }) => apiGet<{ items: NamableWorker[] }>('/api/feedback/workers', undefined, signal),
    enabled,
    staleTime: 5 * 60_000,
  });
}

export function useSatisfaction(from?: string, to?: string) {
  return useQuery({
    queryKey: [...FEEDBACK_KEY, 'satisfaction', from ?? '', to ?? ''],
    queryFn: ({ signal }) => apiGet<SatisfactionView>('/api/feedback/satisfaction', { from, to }, signal),
  });
}

export interface RateInput {
  serviceRecordId: string;
  score: number;
  comment?: string | null;
  channel?: RatingView['channel'];
}

/** One rating; the Idempotency-Key is kept per submission so a retry on a weak signal is not a second one. */
export function useRate() {
  const refresh = useInvalidateFeedback();
  return useMutation({
    mutationFn: (input: RateInput & { key: string }) => {
      const { key, ...body } = input;
      return api<{ rating: RatingView }>('/api/ratings', { method: 'POST', body, idempotencyKey: key });
    },
    onSuccess: refresh,
  });
}

export function useSubmitItem() {
  const refresh = useInvalidateFeedback();
  return useMutation({
    mutationFn: (input: ItemInput & { key: string }) => {
      const { key, ...body } = input;
      return api<{ item: ItemView }>('/api/feedback-items', { method: 'POST', body, idempotencyKey: key });
    },
    onSuccess: refresh,
  });
}

export function itemAction(item: Pick<ItemView, 'id' | 'version'>, action: ItemAction, extra: Record<string, unknown> = {}) {
  return apiPost<{ item: ItemView }>(`/api/feedback-items/${item.id}/${action}`, { version: item.version, ...extra });
}

export const newKey = newIdempotencyKey;

export { daysLeft, deadlineDay } from './deadline';
