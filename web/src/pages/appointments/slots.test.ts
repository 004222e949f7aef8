import { describe, expect, it } from 'vitest';
import { allowedTransitions } from './api';
import { distinctStarts, slotsByDay } from './slots';

const slot = (start: string, workerId: string) => ({ start, end: new Date(Date.parse(start) + 30 * 60_000).toISOString(), workerId });

describe('free slots on screen', () => {
  it('group by the China-time day, not the UTC one', () => {
    // 2026-11-30 07:30 Shanghai is still the 29th in UTC.
    const by = slotsByDay([slot('2026-11-29T23:30:00.000Z', 'w1'), slot('2026-11-30T01:00:00.000Z', 'w1'), slot('2026-12-01T01:00:00.000Z', 'w2')]);
    expect([...by.keys()]).toEqual(['2026-11-30', '2026-12-01']);
    expect(by.get('2026-11-30')).toHaveLength(2);
  });

  it('show one button per start time whoever is free, earliest first, keeping the first worker', () => {
    const starts = distinctStarts([
      slot('2026-11-30T02:00:00.000Z', 'w2'),
      slot('2026-11-30T01:00:00.000Z', 'w1'),
      slot('2026-11-30T01:00:00.000Z', 'w2'),
      slot('2026-11-30T09:00:00+08:00', 'w3'),
    ]);
    expect(starts.map((s) => [s.start, s.workerId])).toEqual([
      ['2026-11-30T01:00:00.000Z', 'w1'],
      ['2026-11-30T02:00:00.000Z', 'w2'],
    ]);
  });
});

describe('appointment actions', () => {
  it('offer only what the state allows', () => {
    expect(allowedTransitions('requested')).toEqual(['confirm', 'reschedule', 'cancel']);
    expect(allowedTransitions('confirmed')).toEqual(['check-in', 'reschedule', 'no-show', 'cancel']);
    expect(allowedTransitions('checked_in')).toEqual(['complete']);
    for (const s of ['completed', 'cancelled', 'no_show'] as const) expect(allowedTransitions(s)).toEqual([]);
  });
});
