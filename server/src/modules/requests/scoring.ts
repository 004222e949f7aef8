// Ranked matching (精准对接): a pure scorer, so its rules can be tested exhaustively (scoring.test.ts)
// and explained on the web from the structured reasons it returns. Weights: docs/requests.md.

export type CandidateRole = 'social_worker' | 'station_head' | 'volunteer';

/** What the server knows about one candidate for one request. */
export interface CandidateFacts {
  userId: string;
  name: string;
  role: CandidateRole;
  /** worker_skills holds the request's area. */
  hasSkill: boolean;
  /** worker_villages covers the resident's village. */
  coversVillage: boolean;
  /** Service records by this person in the resident's village in the last 90 days. */
  recentServicesInVillage: number;
  /** Requests assigned to them that are still open, assigned or in progress. */
  openRequests: number;
  /** Their requested or confirmed appointments in the next 7 days. */
  upcomingAppointments: number;
  /** Working minutes in the next 3 days, leave and exceptions taken out. */
  availableMinutes: number;
  /** No weekly hours at all: a volunteer who helps on request (counts as available). */
  onRequest: boolean;
}

export const WEIGHTS = {
  /** The request's area is one of their skills. */
  skill: 40,
  /** They cover (包村) the resident's village. */
  village: 25,
  /** Per recent service in the village, up to `recentCap` services. */
  recentPerService: 2,
  recentCap: 5,
  /** Full marks with no open work; falls linearly to 0 at `workloadZeroAt` items. */
  workload: 20,
  workloadZeroAt: 10,
  /** Full marks from `availabilityFullAt` minutes of working time in the next 3 days. */
  availability: 15,
  availabilityFullAt: 8 * 60,
} as const;

export interface ScoreParts {
  skill: number;
  village: number;
  workload: number;
  availability: number;
}

export interface Scored extends CandidateFacts {
  score: number;
  parts: ScoreParts;
}

/** Largest possible score: 40 + 25 + 10 + 20 + 15 = 110. */
export const MAX_SCORE = WEIGHTS.skill + WEIGHTS.village + WEIGHTS.recentPerService * WEIGHTS.recentCap + WEIGHTS.workload + WEIGHTS.availability;

const clampCount = (n: number) => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);

/** The score of one candidate and its four parts (integers, so ties are exact). */
export function scoreCandidate(f: CandidateFacts): Scored {
  const skill = f.hasSkill ? WEIGHTS.skill : 0;
  const village = (f.coversVillage ? WEIGHTS.village : 0) + WEIGHTS.recentPerService * Math.min(clampCount(f.recentServicesInVillage), WEIGHTS.recentCap);
  const load = clampCount(f.openRequests) + clampCount(f.upcomingAppointments);
  const workload = Math.round((WEIGHTS.workload * Math.max(0, WEIGHTS.workloadZeroAt - load)) / WEIGHTS.workloadZeroAt);
  const minutes = f.onRequest ? WEIGHTS.availabilityFullAt : Math.min(clampCount(f.availableMinutes), WEIGHTS.availabilityFullAt);
  const availability = Math.round((WEIGHTS.availability * minutes) / WEIGHTS.availabilityFullAt);
  const parts = { skill, village, workload, availability };
  return { ...f, parts, score: skill + village + workload + availability };
}

/**
 * Candidates best first. Ties: less open work first, then name, then id, so the order never
 * depends on the order the database returned them in.
 */
export function rankCandidates(facts: readonly CandidateFacts[]): Scored[] {
  const load = (s: Scored) => clampCount(s.openRequests) + clampCount(s.upcomingAppointments);
  return facts
    .map(scoreCandidate)
    .sort((a, b) => b.score - a.score || load(a) - load(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}
