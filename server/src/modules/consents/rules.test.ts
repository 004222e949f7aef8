import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONSENT_PURPOSES, LAWFUL_BASES } from '../../db/tables.js';
import { consentNeeded, coversDay, decide, purposeState, type ConsentWindow } from './rules.js';

const DAY = 86_400_000;
const BASE = Date.UTC(1870, 0, 1);
/** Day numbers from 1870-01-01 to about 2200, as YYYY-MM-DD strings. */
const dayStr = (n: number) => new Date(BASE + n * DAY).toISOString().slice(0, 10);
const dayN = fc.integer({ min: 0, max: 120_000 });

describe('the consent window [givenOn, expiresOn)', () => {
  it('string comparison of YYYY-MM-DD days agrees with calendar order', () => {
    fc.assert(fc.property(dayN, dayN, (a, b) => (dayStr(a) < dayStr(b)) === (a < b) && (dayStr(a) === dayStr(b)) === (a === b)));
  });

  it('covers exactly the days from givenOn up to, not including, expiresOn', () => {
    fc.assert(
      fc.property(dayN, fc.option(fc.integer({ min: 1, max: 20_000 })), dayN, fc.boolean(), (g, len, today, withdrawn) => {
        const w: ConsentWindow = { givenOn: dayStr(g), expiresOn: len === null ? null : dayStr(g + len), withdrawn };
        const expected = !withdrawn && g <= today && (len === null || today < g + len);
        expect(coversDay(w, dayStr(today))).toBe(expected);
      }),
    );
  });

  it('a renewal starting on the old expiry leaves no gap and no overlap', () => {
    fc.assert(
      fc.property(dayN, fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: -10, max: 6010 }), (g, l1, l2, off) => {
        const first: ConsentWindow = { givenOn: dayStr(g), expiresOn: dayStr(g + l1), withdrawn: false };
        const second: ConsentWindow = { givenOn: dayStr(g + l1), expiresOn: dayStr(g + l1 + l2), withdrawn: false };
        const d = g + off;
        const covered = [first, second].filter((w) => coversDay(w, dayStr(d))).length;
        expect(covered).toBe(d >= g && d < g + l1 + l2 ? 1 : 0);
      }),
    );
  });
});

describe('purpose state and the decision', () => {
  const windowArb = fc.record({
    givenOn: dayN.map(dayStr),
    expiresOn: fc.option(dayN.map(dayStr)),
    withdrawn: fc.boolean(),
  });

  it('is given exactly when some consent covers today, and a withdrawn newest one never counts', () => {
    fc.assert(
      fc.property(fc.array(windowArb, { maxLength: 5 }), dayN.map(dayStr), (ws, today) => {
        const state = purposeState(ws, today);
        expect(state === 'given').toBe(ws.some((w) => coversDay(w, today)));
        if (ws.length === 0) expect(state).toBe('missing');
        if (state !== 'given' && ws[0]?.withdrawn) expect(state).toBe('withdrawn');
      }),
    );
  });

  it('allows a purpose only if consent is not needed or one is given', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LAWFUL_BASES),
        fc.constantFrom(...CONSENT_PURPOSES),
        fc.constantFrom('given' as const, 'expired' as const, 'withdrawn' as const, 'missing' as const),
        (basis, purpose, state) => {
          const d = decide(basis, purpose, state);
          expect(d.required).toBe(consentNeeded(basis, purpose));
          expect(d.allowed).toBe(!d.required || state === 'given');
        },
      ),
    );
  });

  it('statutory duty and vital interest cover service and its sensitive data, nothing else', () => {
    for (const basis of ['statutory_duty', 'vital_interest'] as const) {
      expect(CONSENT_PURPOSES.filter((p) => !consentNeeded(basis, p))).toEqual(['service', 'sensitive_data']);
    }
    expect(CONSENT_PURPOSES.filter((p) => !consentNeeded('consent', p))).toEqual([]);
  });
});
