import type { ConsentPurpose, LawfulBasis } from '../../db/tables.js';

/**
 * The consent rules as pure functions, shared by the server (requireConsent, consentStatus) and the
 * browser (the status tags), so the two can never disagree. No node or database imports here.
 *
 * Which purposes need a consent (see docs/consent.md):
 * - lawful basis `consent`: every purpose, each on its own. `sensitive_data` is the separate consent
 *   PIPL Art. 29 demands before sensitive data (health, 低保/残疾 status, all data of a child under
 *   14, Art. 28) is processed; a `service` consent does not imply it.
 * - lawful basis `statutory_duty` (Art. 13(3), e.g. 特困/低保 work the station is charged with) or
 *   `vital_interest` (Art. 13(4)): no consent for `service`, nor for the sensitive data that service
 *   needs, since Art. 29's separate consent applies only where processing rests on consent. The
 *   person must still be told (Art. 17). Everything beyond the duty does need consent:
 *   `referral_sharing` (passing data to other organisations), `volunteer_contact` and
 *   `publicity_photos`.
 */
export function consentNeeded(basis: LawfulBasis, purpose: ConsentPurpose): boolean {
  if (basis === 'consent') return true;
  return purpose !== 'service' && purpose !== 'sensitive_data';
}

/** Persons under this age consent only through a guardian (PIPL Art. 31). */
export const GUARDIAN_AGE = 14;

export interface ConsentWindow {
  /** YYYY-MM-DD, the first day the consent covers. */
  givenOn: string;
  /** YYYY-MM-DD, the first day it no longer covers (half-open [givenOn, expiresOn)); null for no expiry. */
  expiresOn: string | null;
  withdrawn: boolean;
}

/** Whether a consent stands on a calendar day (YYYY-MM-DD in Asia/Shanghai): the one window rule. */
export function coversDay(c: ConsentWindow, today: string): boolean {
  return !c.withdrawn && c.givenOn <= today && (c.expiresOn === null || today < c.expiresOn);
}

export type ConsentState = 'given' | 'expired' | 'withdrawn' | 'missing';

/**
 * A purpose's state from its consents, newest first: `given` if one covers today; otherwise what
 * became of the newest one (`withdrawn`, `expired`), or `missing` when there is none (or the newest
 * starts only later, which the API does not let anyone record).
 */
export function purposeState(newestFirst: readonly ConsentWindow[], today: string): ConsentState {
  if (newestFirst.some((c) => coversDay(c, today))) return 'given';
  const latest = newestFirst[0];
  if (!latest) return 'missing';
  if (latest.withdrawn) return 'withdrawn';
  if (latest.expiresOn !== null && latest.expiresOn <= today) return 'expired';
  return 'missing';
}

/** What a caller may do: the answer requireConsent enforces and the status page shows. */
export function decide(basis: LawfulBasis, purpose: ConsentPurpose, state: ConsentState): { required: boolean; allowed: boolean } {
  const required = consentNeeded(basis, purpose);
  return { required, allowed: !required || state === 'given' };
}
