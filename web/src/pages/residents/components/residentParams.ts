import { isCategory, isRiskTier, isStatus } from './options';

/** Resident list filters live in the URL (shareable, the back button works); these read and clean them. */
export const RESIDENT_FILTER_KEYS = ['q', 'villageId', 'category', 'riskTier', 'status', 'ageMin', 'ageMax'] as const;
export type ResidentFilterKey = (typeof RESIDENT_FILTER_KEYS)[number];
export type ResidentFilters = Partial<Record<ResidentFilterKey, string>>;

const AGE = /^\d{1,3}$/;

const valid: Record<ResidentFilterKey, (v: string) => boolean> = {
  q: (v) => v.length <= 40,
  villageId: (v) => v.length <= 64,
  category: isCategory,
  riskTier: isRiskTier,
  status: isStatus,
  ageMin: (v) => AGE.test(v) && Number(v) <= 150,
  ageMax: (v) => AGE.test(v) && Number(v) <= 150,
};

/** Known, non-empty, well-formed params only: a hand-edited URL never turns into a 400. */
export function readFilters(params: URLSearchParams): ResidentFilters {
  const out: ResidentFilters = {};
  for (const k of RESIDENT_FILTER_KEYS) {
    const v = params.get(k)?.trim();
    if (v && valid[k](v)) out[k] = v;
  }
  return out;
}

/** The API query; an age range given upside down is put the right way round. */
export function toApiQuery(f: ResidentFilters, stationId?: string): Record<string, string | undefined> {
  let { ageMin, ageMax } = f;
  if (ageMin && ageMax && Number(ageMin) > Number(ageMax)) [ageMin, ageMax] = [ageMax, ageMin];
  return {
    q: f.q,
    villageId: f.villageId,
    category: f.category,
    riskTier: f.riskTier,
    status: f.status,
    ageMin,
    ageMax,
    stationId,
  };
}

/** The URL search string for a set of filters (keys in a stable order). */
export function filtersToSearch(f: ResidentFilters, extra: Record<string, string> = {}): string {
  const next = new URLSearchParams(extra);
  for (const k of RESIDENT_FILTER_KEYS) {
    const v = f[k];
    if (v) next.set(k, v);
  }
  return next.toString();
}

/** A search text made only of digits (and X) that is not a whole ID or phone number finds nothing. */
export function isPartialNumber(q: string): boolean {
  const s = q.replace(/[\s-]/g, '');
  if (!/^\d+[\dxX]*$/.test(s)) return false;
  return !(s.length === 18 || s.length === 11 || (s.length >= 10 && s.startsWith('0')));
}
