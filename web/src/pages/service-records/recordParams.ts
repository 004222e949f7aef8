import type { ServiceMethod } from '../../../../server/src/db/tables';

/** Ledger filters live in the URL; these turn them into the API's query. */
export const METHODS: readonly ServiceMethod[] = ['casework', 'group', 'community', 'visit', 'phone', 'online', 'station'];
export const RECORD_FILTER_KEYS = ['residentId', 'workerId', 'from', 'to', 'method', 'followUp', 'activity'] as const;
export type RecordFilterKey = (typeof RECORD_FILTER_KEYS)[number];
export type RecordFilters = Partial<Record<RecordFilterKey, string>>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isMethod = (v: string): v is ServiceMethod => (METHODS as readonly string[]).includes(v);

export function readFilters(params: URLSearchParams): RecordFilters {
  const out: RecordFilters = {};
  for (const k of RECORD_FILTER_KEYS) {
    const v = params.get(k)?.trim();
    if (!v) continue;
    if ((k === 'from' || k === 'to') && !DAY.test(v)) continue;
    if (k === 'method' && !isMethod(v)) continue;
    if (k === 'followUp' && v !== '1') continue;
    out[k] = v;
  }
  return out;
}

/** China-time days: the API gets the start of `from` and the start of the day after `to`. */
export function toApiQuery(f: RecordFilters): Record<string, string | undefined> {
  const dayAfter = (d: string) => {
    const x = new Date(`${d}T00:00:00Z`);
    x.setUTCDate(x.getUTCDate() + 1);
    return x.toISOString().slice(0, 10);
  };
  return {
    residentId: f.residentId,
    workerId: f.workerId,
    method: f.method,
    followUpNeeded: f.followUp === '1' ? 'true' : undefined,
    activityId: f.activity,
    from: f.from ? `${f.from}T00:00:00.000+08:00` : undefined,
    to: f.to ? `${dayAfter(f.to)}T00:00:00.000+08:00` : undefined,
  };
}
