import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOOKING_WINDOW_DAYS, blockOf, gridStarts, hoursForDate, slotProblem, type ServiceRule, type WorkerDay } from './slots.js';
import { addDays, datesBetween, isoWeekday, wallClock, zonedInstant, zoneOffsetMinutes } from './zoned.js';

// Pure rules: no database. The DB-backed checks (listSlots ⊆ checkBookable, reschedule) are in slots.db.test.ts.

const WEEK = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, start: 8 * 60 + 30, end: 12 * 60 },
  { weekday, start: 14 * 60, end: 17 * 60 + 30 },
]);
const rule = (o: Partial<ServiceRule> = {}): ServiceRule => ({ stationId: 's', mode: 'station', durationMinutes: 30, bufferMinutes: 0, travelMinutes: 0, ...o });
const day = (date: string, o: Partial<WorkerDay> = {}): WorkerDay => ({ date, holiday: false, hours: hoursForDate(WEEK, isoWeekday(date), null), absences: [], ...o });
const at = (date: string, hhmm: string) => zonedInstant(date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));
const NOW = new Date('2026-11-29T00:00:00Z');

describe('Asia/Shanghai wall clock', () => {
  it('08:30 in Shanghai is 00:30Z, and back', () => {
    expect(zonedInstant('2026-12-01', 8 * 60 + 30).toISOString()).toBe('2026-12-01T00:30:00.000Z');
    expect(wallClock(new Date('2026-12-01T00:30:00Z'))).toEqual({ date: '2026-12-01', minute: 510, subMinuteMs: 0, weekday: 2 });
    // Shanghai's 1 a.m. is the previous day in UTC.
    expect(zonedInstant('2026-12-01', 60).toISOString()).toBe('2026-11-30T17:00:00.000Z');
    expect(wallClock(new Date('2026-11-30T17:00:00Z')).date).toBe('2026-12-01');
    expect(zoneOffsetMinutes(new Date('2026-07-01T00:00:00Z'))).toBe(480);
  });

  it('takes offsets from the zone database, not a constant (Shanghai kept summer time 1986–91)', () => {
    expect(zoneOffsetMinutes(new Date('1988-07-01T00:00:00Z'))).toBe(540);
    expect(zonedInstant('1988-07-01', 720).toISOString()).toBe('1988-07-01T03:00:00.000Z');
    expect(wallClock(new Date('1988-07-01T03:00:00Z')).minute).toBe(720);
    // A zone with DST today: 03:30 on the spring-forward day is 07:30Z.
    expect(zonedInstant('2026-03-08', 210, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    // …and 01:30 happens twice on the fall-back day.
    expect(wallClock(new Date('2026-11-01T05:30:00Z'), 'America/New_York')).toMatchObject({ date: '2026-11-01', minute: 90 });
    expect(wallClock(new Date('2026-11-01T06:30:00Z'), 'America/New_York')).toMatchObject({ date: '2026-11-01', minute: 90 });
  });

  it('round-trips every minute of any date (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3650 }), fc.integer({ min: 0, max: 1439 }), (d, m) => {
        const date = addDays('2024-01-01', d);
        const w = wallClock(zonedInstant(date, m));
        expect([w.date, w.minute, w.subMinuteMs]).toEqual([date, m, 0]);
      }),
    );
  });

  it('knows weekdays and walks dates across months and years', () => {
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(isoWeekday('2026-11-30')).toBe(1);
    expect(datesBetween('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  });
});

describe('hours of a date', () => {
  it('weekdays have their hours, weekends none, holidays none', () => {
    expect(hoursForDate(WEEK, 1, null)).toEqual([{ start: 510, end: 720 }, { start: 840, end: 1050 }]);
    expect(hoursForDate(WEEK, 6, null)).toEqual([]);
    expect(hoursForDate(WEEK, 3, 'holiday')).toEqual([]);
  });

  it('a make-up workday (调休) uses the first weekday the worker works, whatever weekday it is', () => {
    // 2026-02-14 is a Saturday and a working day (春节调休).
    expect(hoursForDate(WEEK, isoWeekday('2026-02-14'), 'workday')).toEqual(hoursForDate(WEEK, 1, null));
    const tueOnly = [{ weekday: 2, start: 600, end: 660 }, { weekday: 6, start: 0, end: 60 }];
    expect(hoursForDate(tueOnly, 6, 'workday')).toEqual([{ start: 600, end: 660 }]);
    expect(hoursForDate([{ weekday: 6, start: 0, end: 60 }], 6, 'workday')).toEqual([]);
  });

  it('grid: every duration from each block start, ending inside the block', () => {
    expect(gridStarts([{ start: 510, end: 720 }], 60)).toEqual([510, 570, 630]);
    expect(gridStarts([{ start: 510, end: 720 }, { start: 840, end: 1050 }], 45).length).toBe(4 + 4);
    expect(gridStarts([{ start: 510, end: 530 }], 30)).toEqual([]);
  });
});

describe('slotProblem', () => {
  const d = '2026-12-01'; // Tuesday
  it('books a grid slot inside hours', () => {
    expect(slotProblem(rule(), day(d), at(d, '08:30'), [], NOW)).toBeNull();
    expect(slotProblem(rule(), day(d), at(d, '11:30'), [], NOW)).toBeNull();
    expect(slotProblem(rule(), day(d), at(d, '14:00'), [], NOW)).toBeNull();
  });

  it('refuses off-grid, outside hours, overrunning the block', () => {
    expect(slotProblem(rule(), day(d), at(d, '08:45'), [], NOW)).toBe('not_on_grid');
    expect(slotProblem(rule(), day(d), new Date(at(d, '09:00').getTime() + 1000), [], NOW)).toBe('not_on_grid');
    expect(slotProblem(rule(), day(d), at(d, '12:00'), [], NOW)).toBe('outside_hours');
    expect(slotProblem(rule(), day(d), at(d, '07:00'), [], NOW)).toBe('outside_hours');
    // 45 min from 08:30: 11:30 is on the grid but would end at 12:15.
    expect(slotProblem(rule({ durationMinutes: 45 }), day(d), at(d, '11:30'), [], NOW)).toBe('outside_hours');
    expect(slotProblem(rule(), day('2026-12-05'), at('2026-12-05', '09:00'), [], NOW)).toBe('outside_hours');
  });

  it('refuses the past and beyond the booking window', () => {
    expect(slotProblem(rule(), day('2026-11-27'), at('2026-11-27', '09:00'), [], NOW)).toBe('in_past');
    const far = addDays('2026-11-29', BOOKING_WINDOW_DAYS + 2);
    expect(slotProblem(rule(), day(far), at(far, '09:00'), [], NOW)).toBe('too_far_ahead');
  });

  it('holidays are off; a make-up Saturday works', () => {
    const before = new Date('2026-09-15T00:00:00Z');
    expect(slotProblem(rule(), day('2026-10-02', { holiday: true, hours: [] }), at('2026-10-02', '09:00'), [], before)).toBe('holiday');
    const sat = '2026-10-10';
    expect(slotProblem(rule(), day(sat, { hours: hoursForDate(WEEK, isoWeekday(sat), 'workday') }), at(sat, '09:00'), [], new Date('2026-09-01T00:00:00Z'))).toBeNull();
  });

  it('leave: a whole day, or a span the block touches', () => {
    expect(slotProblem(rule(), day(d, { absences: [{ start: null, end: null }] }), at(d, '09:00'), [], NOW)).toBe('on_leave');
    const afternoon = day(d, { absences: [{ start: 14 * 60, end: 16 * 60 }] });
    expect(slotProblem(rule(), afternoon, at(d, '09:00'), [], NOW)).toBeNull();
    expect(slotProblem(rule(), afternoon, at(d, '15:30'), [], NOW)).toBe('on_leave');
    expect(slotProblem(rule(), afternoon, at(d, '16:00'), [], NOW)).toBeNull();
    // Travel to a home visit at 16:00 would start in the leave.
    expect(slotProblem(rule({ mode: 'home_visit', travelMinutes: 20 }), afternoon, at(d, '16:00'), [], NOW)).toBe('on_leave');
  });

  it('buffers and travel widen the block that must be free', () => {
    const taken = blockOf(rule({ bufferMinutes: 15 }), at(d, '09:00')); // 09:00–09:45
    const busy = [{ start: taken.blockStart.getTime(), end: taken.blockEnd.getTime() }];
    expect(slotProblem(rule(), day(d), at(d, '09:30'), busy, NOW)).toBe('slot_taken');
    expect(slotProblem(rule(), day(d), at(d, '08:30'), busy, NOW)).toBeNull(); // ends 09:00, half-open
    expect(slotProblem(rule(), day(d), at(d, '10:00'), busy, NOW)).toBeNull();
    // A home visit at 10:00 with 20 min travel leaves at 09:40, still inside the buffer.
    const visit = rule({ mode: 'home_visit', travelMinutes: 20 });
    expect(slotProblem(visit, day(d), at(d, '10:00'), busy, NOW)).toBe('slot_taken');
    expect(slotProblem(visit, day(d), at(d, '10:30'), busy, NOW)).toBeNull();
    // Travel counts only for home visits.
    expect(blockOf(rule({ travelMinutes: 20 }), at(d, '10:00')).blockStart.getTime()).toBe(at(d, '10:00').getTime());
  });

  it('a slot is free exactly when its block overlaps no busy block (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ServiceRule['mode']>('station', 'home_visit'),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.tuple(fc.integer({ min: 400, max: 1100 }), fc.integer({ min: 5, max: 120 })), { maxLength: 4 }),
        (mode, buffer, travel, blocks) => {
          const r = rule({ mode, bufferMinutes: buffer, travelMinutes: travel });
          const busy = blocks.map(([s, len]) => ({ start: at(d, '00:00').getTime() + s * 60_000, end: at(d, '00:00').getTime() + (s + len) * 60_000 }));
          for (const m of gridStarts(day(d).hours, 30)) {
            const start = zonedInstant(d, m);
            const b = blockOf(r, start);
            const overlaps = busy.some((x) => x.start < b.blockEnd.getTime() && b.blockStart.getTime() < x.end);
            expect(slotProblem(r, day(d), start, busy, NOW)).toBe(overlaps ? 'slot_taken' : null);
          }
        },
      ),
    );
  });
});
