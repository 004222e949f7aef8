import type { RiskTier } from '../../db/tables.js';

// The visit cadence, as pure functions. The due list computes the same arithmetic in SQL (due.ts);
// the unit tests hold both to these definitions.

/** China has kept UTC+8 all year since 1991, so an Asia/Shanghai calendar day is a fixed offset from UTC. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of the Asia/Shanghai calendar date of an instant. */
export function shanghaiDay(at: Date | string): number {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** A day number as YYYY-MM-DD. */
export function dayToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export type VisitDays = Record<RiskTier, number>;

/** High tier first: the order used to break ties between residents equally overdue. */
export const TIER_RANK: Record<RiskTier, number> = { high: 0, priority: 1, normal: 2 };

/** How far ahead "due soon" looks, in days. */
export const DUE_SOON_DAYS = 7;

export interface Due {
  /** The Asia/Shanghai date the next visit is due. */
  dueOn: string;
  /** Calendar days past dueOn (negative: days left; 0: due today). */
  daysOverdue: number;
}

/**
 * When a resident's next visit is due: `days` (by tier) after the Asia/Shanghai date of the latest
 * visit, or of the day the record was created if they were never visited.
 */
export function dueOf(lastVisitAt: string | null, createdAt: string, tier: RiskTier, days: VisitDays, now: Date): Due {
  const due = shanghaiDay(lastVisitAt ?? createdAt) + days[tier];
  return { dueOn: dayToIso(due), daysOverdue: shanghaiDay(now) - due };
}

export type DueState = 'overdue' | 'due_soon' | 'later';

export function stateOf(daysOverdue: number): DueState {
  if (daysOverdue > 0) return 'overdue';
  if (daysOverdue >= -DUE_SOON_DAYS) return 'due_soon';
  return 'later';
}

/** Risk flags a worker can tick on the visit form. */
export const RISK_FLAGS = ['fall_risk', 'no_food', 'unpaid_utilities', 'untreated_illness', 'signs_of_abuse', 'self_harm_talk', 'caregiver_absent', 'unsafe_housing', 'lost_contact'] as const;
export type RiskFlag = (typeof RISK_FLAGS)[number];

/** Flags serious enough that the resident should be high tier (the web pre-selects it; the worker decides). */
export const HIGH_TIER_FLAGS: readonly RiskFlag[] = ['signs_of_abuse', 'self_harm_talk', 'no_food'];

export function suggestedTier(flags: readonly RiskFlag[]): RiskTier | null {
  return flags.some((f) => HIGH_TIER_FLAGS.includes(f)) ? 'high' : null;
}

/** The living-condition checklist of the visit form. */
export const CHECKLIST_ITEMS = ['housing_safety', 'heating_cooling', 'food', 'water', 'hygiene', 'medication', 'mobility', 'mental_state', 'caregiver', 'utilities'] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];
export const CHECK_VALUES = ['ok', 'concern', 'na'] as const;

/** True when the new tier is lower than the old one (only a station head may do that). */
export const lowersTier = (from: RiskTier, to: RiskTier): boolean => TIER_RANK[to] > TIER_RANK[from];

export interface OverdueHigh {
  residentId: string;
  residentName: string;
  stationId: string;
  daysOverdue: number;
  coveringWorkerIds: string[];
}

export interface PlannedAlert {
  residentId: string;
  stationId: string;
  /** Covering workers and station heads, each once. */
  recipients: string[];
  title: string;
  body: string;
  /** The same in English, for recipients who use it. */
  en: { title: string; body: string };
  link: string;
}

/**
 * The sweep's decision, without the database: every overdue high-tier resident gets one alert,
 * sent to the workers covering their village and to the station's heads (each person once).
 */
export function planAlerts(rows: readonly OverdueHigh[], headsByStation: ReadonlyMap<string, readonly string[]>): PlannedAlert[] {
  return rows
    .filter((r) => r.daysOverdue > 0)
    .map((r) => ({
      residentId: r.residentId,
      stationId: r.stationId,
      recipients: [...new Set([...r.coveringWorkerIds, ...(headsByStation.get(r.stationId) ?? [])])],
      title: `高风险对象走访逾期：${r.residentName}`,
      body: `${r.residentName}（高风险）走访已逾期 ${r.daysOverdue} 天，请尽快安排走访。`,
      en: { title: `High-tier visit overdue: ${r.residentName}`, body: `${r.residentName} (high tier) is ${r.daysOverdue} ${r.daysOverdue === 1 ? 'day' : 'days'} overdue for a visit; please arrange one soon.` },
      link: `/visits/new?residentId=${r.residentId}`,
    }))
    .filter((a) => a.recipients.length > 0);
}
