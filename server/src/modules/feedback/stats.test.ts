import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { average, monthsBetween, summarise, type ScoreRow } from './stats.js';

const row = fc.record({
  score: fc.integer({ min: 1, max: 5 }),
  workerId: fc.constantFrom('w1', 'w2', 'w3'),
  workerName: fc.constant('x'),
  serviceTypeId: fc.constantFrom('a', 'b', null),
  serviceTypeName: fc.constant('y'),
  month: fc.constantFrom('2026-10', '2026-11', '2026-12'),
}) satisfies fc.Arbitrary<ScoreRow>;

describe('satisfaction summary', () => {
  it('counts add up everywhere and averages lie between 1 and 5', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows) => {
        const s = summarise(rows, ['2026-10', '2026-11', '2026-12']);
        expect(s.overall.count).toBe(rows.length);
        expect(s.overall.distribution.reduce((a, b) => a + b, 0)).toBe(rows.length);
        for (const g of [s.byServiceType, s.byWorker]) expect(g.reduce((a, x) => a + x.count, 0)).toBe(rows.length);
        expect(s.monthly.reduce((a, m) => a + m.count, 0)).toBe(rows.length);
        for (const x of [s.overall, ...s.byWorker, ...s.byServiceType]) {
          expect(x.distribution.reduce((a, b) => a + b, 0)).toBe(x.count);
          if (x.count === 0) expect(x.average).toBeNull();
          else {
            expect(x.average!).toBeGreaterThanOrEqual(1);
            expect(x.average!).toBeLessThanOrEqual(5);
            const exact = x.distribution.reduce((a, n, i) => a + n * (i + 1), 0) / x.count;
            expect(Math.abs(x.average! - exact)).toBeLessThanOrEqual(0.005 + 1e-9);
          }
        }
      }),
    );
  });

  it('rounds to two decimals and lists months across a year end', () => {
    expect(average(10, 3)).toBe(3.33);
    expect(average(8, 3)).toBe(2.67);
    expect(average(0, 0)).toBeNull();
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2026-11', '2026-11')).toEqual(['2026-11']);
  });
});
