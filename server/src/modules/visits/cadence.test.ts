import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayToIso, dueOf, lowersTier, planAlerts, shanghaiDay, stateOf, suggestedTier } from './cadence.js';

const DAYS = { high: 7, priority: 30, normal: 90 };

describe('due computation', () => {
  it('counts each tier’s cadence from the last visit', () => {
    const now = new Date('2026-11-29T02:00:00Z'); // 10:00 Sunday in Shanghai
    expect(dueOf('2026-11-20T02:00:00Z', '2020-01-01T00:00:00Z', 'high', DAYS, now)).toEqual({ dueOn: '2026-11-27', daysOverdue: 2 });
    expect(dueOf('2026-11-20T02:00:00Z', '2020-01-01T00:00:00Z', 'priority', DAYS, now)).toEqual({ dueOn: '2026-12-20', daysOverdue: -21 });
    expect(dueOf('2026-09-01T02:00:00Z', '2020-01-01T00:00:00Z', 'normal', DAYS, now)).toEqual({ dueOn: '2026-11-30', daysOverdue: -1 });
  });

  it('a resident never visited is due `days` after the record was created', () => {
    const now = new Date('2026-11-29T02:00:00Z');
    expect(dueOf(null, '2026-11-01T03:00:00Z', 'high', DAYS, now)).toEqual({ dueOn: '2026-11-08', daysOverdue: 21 });
    expect(dueOf(null, '2026-11-29T01:00:00Z', 'normal', DAYS, now).daysOverdue).toBe(-90);
  });

  it('days are Asia/Shanghai calendar days, not UTC days or 24-hour spans', () => {
    // 00:30 on 22 Nov in Shanghai is still 21 Nov in UTC.
    const visit = '2026-11-21T16:30:00Z';
    expect(dayToIso(shanghaiDay(visit))).toBe('2026-11-22');
    // One minute before midnight on 29 Nov in Shanghai: due today, not overdue.
    expect(dueOf(visit, visit, 'high', DAYS, new Date('2026-11-29T15:59:00Z')).daysOverdue).toBe(0);
    // One minute after: 30 Nov, one day overdue, although only 8 h have passed since the UTC day began.
    expect(dueOf(visit, visit, 'high', DAYS, new Date('2026-11-29T16:01:00Z')).daysOverdue).toBe(1);
    // A visit at 23:59 and a check at 00:01 the next morning are a calendar day apart.
    expect(shanghaiDay('2026-11-29T16:01:00Z') - shanghaiDay('2026-11-29T15:59:00Z')).toBe(1);
  });

  it('property: days overdue grows by one per Shanghai day and never depends on the time of day of the visit', () => {
    const start = Date.parse('2020-01-01T00:00:00Z');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3650 }),
        fc.integer({ min: 0, max: 86_399_999 }),
        fc.integer({ min: 0, max: 86_399_999 }),
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom('high' as const, 'priority' as const, 'normal' as const),
        (dayIndex, visitMs, nowMs, later, tier) => {
          // Shanghai midnight of the visit day, then any time that day.
          const midnight = start + dayIndex * 86_400_000 - 8 * 3_600_000;
          const visit = new Date(midnight + visitMs).toISOString();
          const now = new Date(midnight + later * 86_400_000 + nowMs);
          const d = dueOf(visit, visit, tier, DAYS, now);
          expect(d.daysOverdue).toBe(later - DAYS[tier]);
          expect(Date.parse(`${d.dueOn}T00:00:00+08:00`)).toBe(midnight + DAYS[tier] * 86_400_000);
        },
      ),
    );
  });

  it('states: overdue after the due day, due soon within 7 days (today included)', () => {
    expect([1, 0, -7, -8].map(stateOf)).toEqual(['overdue', 'due_soon', 'due_soon', 'later']);
  });
});

describe('tier rules', () => {
  it('abuse, self-harm talk and no food suggest high tier; other flags suggest nothing', () => {
    expect(suggestedTier(['signs_of_abuse'])).toBe('high');
    expect(suggestedTier(['fall_risk', 'self_harm_talk'])).toBe('high');
    expect(suggestedTier(['no_food'])).toBe('high');
    expect(suggestedTier(['fall_risk', 'unpaid_utilities', 'lost_contact'])).toBeNull();
    expect(suggestedTier([])).toBeNull();
  });

  it('lowering is high → priority → normal', () => {
    expect(lowersTier('high', 'priority')).toBe(true);
    expect(lowersTier('priority', 'normal')).toBe(true);
    expect(lowersTier('normal', 'high')).toBe(false);
    expect(lowersTier('high', 'high')).toBe(false);
  });
});

describe('sweep plan', () => {
  it('alerts each overdue resident to the covering workers and the heads, each person once', () => {
    const plan = planAlerts(
      [
        { residentId: 'r1', residentName: '王', stationId: 's1', daysOverdue: 3, coveringWorkerIds: ['w1', 'h1'] },
        { residentId: 'r2', residentName: '李', stationId: 's1', daysOverdue: 0, coveringWorkerIds: ['w1'] },
        { residentId: 'r3', residentName: '赵', stationId: 's2', daysOverdue: 9, coveringWorkerIds: [] },
      ],
      new Map([['s1', ['h1']]]),
    );
    expect(plan.map((a) => [a.residentId, a.recipients])).toEqual([['r1', ['w1', 'h1']]]);
    expect(plan[0]!.body).toContain('3 天');
    expect(plan[0]!.link).toBe('/visits/new?residentId=r1');
  });
});
