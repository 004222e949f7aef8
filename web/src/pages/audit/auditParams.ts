/** Audit filters live in the URL; these turn them into the API's query. */
export const AUDIT_FILTER_KEYS = ['action', 'actorUsername', 'result', 'entityType', 'from', 'to'] as const;
export type AuditFilterKey = (typeof AUDIT_FILTER_KEYS)[number];
export type AuditFilters = Partial<Record<AuditFilterKey, string>>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function readFilters(params: URLSearchParams): AuditFilters {
  const out: AuditFilters = {};
  for (const k of AUDIT_FILTER_KEYS) {
    const v = params.get(k)?.trim();
    if (v) out[k] = v;
  }
  return out;
}

/** Dates in the URL are China-time days; the API gets the start of `from` and the end of `to`. */
export function toApiQuery(f: AuditFilters): Record<string, string | undefined> {
  return {
    action: f.action,
    actorUsername: f.actorUsername,
    result: f.result,
    entityType: f.entityType,
    from: f.from && DAY.test(f.from) ? `${f.from}T00:00:00.000+08:00` : undefined,
    to: f.to && DAY.test(f.to) ? `${f.to}T23:59:59.999+08:00` : undefined,
  };
}
