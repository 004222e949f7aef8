import { describe, expect, it } from 'vitest';
import { addOfficeMinutes, addWorkingDays } from './office-time.js';
import { DEFAULT_SETTINGS } from './settings.js';

const cal = new Map<string, 'holiday' | 'workday'>([
  ['2026-10-01', 'holiday'],
  ['2026-10-10', 'workday'],
]);
const h = DEFAULT_SETTINGS.officeHours;
const at = (iso: string) => new Date(iso);

describe('office time (Asia/Shanghai, default hours 8:30–12:00 and 14:00–17:30 on weekdays)', () => {
  it('skips evenings, lunch and weekends', () => {
    // Friday 18:00 + one office day (420 min) → Monday 17:30.
    expect(addOfficeMinutes(h, cal, at('2026-11-27T10:00:00Z'), 420)?.toISOString()).toBe('2026-11-30T09:30:00.000Z');
    // Monday 9:00 + 60 → 10:00.
    expect(addOfficeMinutes(h, cal, at('2026-11-30T01:00:00Z'), 60)?.toISOString()).toBe('2026-11-30T02:00:00.000Z');
    // 11:30 + 60 → 14:30 (lunch does not count).
    expect(addOfficeMinutes(h, cal, at('2026-11-30T03:30:00Z'), 60)?.toISOString()).toBe('2026-11-30T06:30:00.000Z');
  });

  it('counts a make-up working day (调休) and skips holidays', () => {
    // Friday 17:00 + 60: 30 minutes on Friday, 30 on the make-up Saturday → 9:00.
    expect(addOfficeMinutes(h, cal, at('2026-10-09T09:00:00Z'), 60)?.toISOString()).toBe('2026-10-10T01:00:00.000Z');
    // Wednesday 30 September 17:00 + 60 → 1 October is a holiday, 2–4 are ordinary weekdays here.
    expect(addOfficeMinutes(h, cal, at('2026-09-30T09:00:00Z'), 60)?.toISOString()).toBe('2026-10-02T01:00:00.000Z');
  });

  it('adds working days to the end of the day', () => {
    expect(addWorkingDays(cal, at('2026-11-27T10:00:00Z'), 5).toISOString()).toBe('2026-12-04T16:00:00.000Z');
  });

  it('minutes that run out at the end of a span stay there, and adding nothing more keeps it', () => {
    // Found by the property below: Friday 11:09 is the end of a morning span; adding 0 once moved it to 14:08.
    const hours: OfficeHours = { '4': [[393, 1274]], '5': [[75, 669], [848, 871]] };
    const from = at('2026-11-20T03:09:00Z');
    const first = addOfficeMinutes(hours, new Map(), from, 1498)!;
    expect(first.toISOString()).toBe('2026-11-27T03:09:00.000Z');
    expect(addOfficeMinutes(hours, new Map(), first, 0)?.toISOString()).toBe(first.toISOString());
    expect(addOfficeMinutes(hours, new Map(), first, 1)?.toISOString()).toBe('2026-11-27T06:09:00.000Z');
  });

  it('gives no deadline when a station has no office hours', () => {
    expect(addOfficeMinutes({}, cal, at('2026-11-27T10:00:00Z'), 60)).toBeNull();
  });
});

// Property tests: whatever the hours, calendar, start and amounts, the arithmetic keeps its promises.
import fc from 'fast-check';
import { officeSpansOn } from './office-time.js';
import { wallClock } from '../scheduling/zoned.js';
import type { OfficeHours } from './settings.js';

/** Up to three non-overlapping spans per weekday, on a 30-minute grid (plus odd minutes). */
const spansArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 1440 }), { minLength: 0, maxLength: 6 })
  .map((xs) => xs.sort((a, b) => a - b))
  .map((xs) => {
    const out: [number, number][] = [];
    for (let i = 0; i + 1 < xs.length; i += 2) out.push([xs[i]!, xs[i + 1]!]);
    return out;
  });
const hoursArb: fc.Arbitrary<OfficeHours> = fc
  .tuple(spansArb, spansArb, spansArb, spansArb, spansArb, spansArb, spansArb)
  .map((days) => Object.fromEntries(days.map((d, i) => [String(i + 1), d]).filter(([, d]) => (d as unknown[]).length > 0)) as OfficeHours)
  .filter((h) => Object.keys(h).length > 0);
const calendarArb = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.constantFrom<'holiday' | 'workday'>('holiday', 'workday')), { maxLength: 12 })
  .map((xs) => new Map(xs.map(([d, k]) => [new Date(Date.UTC(2026, 10, 20 + d)).toISOString().slice(0, 10), k] as [string, 'holiday' | 'workday'])));
/** A start between 20 November 2026 and early January 2027, to the millisecond. */
const fromArb = fc.integer({ min: Date.parse('2026-11-20T00:00:00Z'), max: Date.parse('2027-01-05T00:00:00Z') }).map((ms) => new Date(ms));
const minutesArb = fc.integer({ min: 0, max: 3000 });

/** Whether an instant lies in office time (a span's end counts: the deadline is the end of the last minute). */
function inOffice(hours: OfficeHours, cal: ReadonlyMap<string, 'holiday' | 'workday'>, d: Date): boolean {
  const wc = wallClock(d);
  const m = wc.minute + wc.subMinuteMs / 60_000;
  return officeSpansOn(hours, wc.date, cal).some(([s, e]) => m >= s && m <= e);
}

describe('office time properties', () => {
  it('is never earlier than from, and positive minutes land inside office hours on a non-holiday', () => {
    fc.assert(
      fc.property(hoursArb, calendarArb, fromArb, minutesArb, (hours, cal, from, minutes) => {
        const r = addOfficeMinutes(hours, cal, from, minutes);
        if (r === null) return true;
        expect(r.getTime()).toBeGreaterThanOrEqual(from.getTime());
        if (minutes > 0) {
          expect(inOffice(hours, cal, r)).toBe(true);
          expect(cal.get(wallClock(r).date)).not.toBe('holiday');
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('is monotone in minutes', () => {
    fc.assert(
      fc.property(hoursArb, calendarArb, fromArb, minutesArb, minutesArb, (hours, cal, from, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const x = addOfficeMinutes(hours, cal, from, lo);
        const y = addOfficeMinutes(hours, cal, from, hi);
        if (x && y) expect(x.getTime()).toBeLessThanOrEqual(y.getTime());
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('adding a + b is adding a, then b (for a > 0)', () => {
    fc.assert(
      fc.property(hoursArb, calendarArb, fromArb, fc.integer({ min: 1, max: 1500 }), fc.integer({ min: 0, max: 1500 }), (hours, cal, from, a, b) => {
        const once = addOfficeMinutes(hours, cal, from, a + b);
        const first = addOfficeMinutes(hours, cal, from, a);
        if (!once || !first) return true;
        const twice = addOfficeMinutes(hours, cal, first, b);
        expect(twice?.toISOString()).toBe(once.toISOString());
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('working days: end of a working day, after from, monotone and additive', () => {
    fc.assert(
      fc.property(calendarArb, fromArb, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), (cal, from, a, b) => {
        const r = addWorkingDays(cal, from, a);
        expect(r.getTime()).toBeGreaterThan(from.getTime());
        const lastDay = wallClock(new Date(r.getTime() - 1)).date;
        expect(wallClock(r).minute).toBe(0);
        expect(cal.get(lastDay) === 'workday' || (cal.get(lastDay) !== 'holiday' && new Date(`${lastDay}T12:00:00Z`).getUTCDay() % 6 !== 0)).toBe(true);
        expect(addWorkingDays(cal, from, a + b).getTime()).toBeGreaterThan(r.getTime());
        // The end of day a, plus b working days from (a moment before) that end, is a + b.
        expect(addWorkingDays(cal, new Date(r.getTime() - 1), b).toISOString()).toBe(addWorkingDays(cal, from, a + b).toISOString());
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
