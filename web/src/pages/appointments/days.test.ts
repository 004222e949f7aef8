import { describe, expect, it } from 'vitest';
import { addDays, clockOf, dayOf, dayStartIso, instantOf, isDay, isoWeekday, shortDay, weekdayLabel, weekStart } from './days';

describe('China-time days', () => {
  it('takes the day of an instant in Asia/Shanghai, not UTC', () => {
    // 2026-11-29 17:30 UTC is already 01:30 on the 30th in Shanghai.
    expect(dayOf('2026-11-29T17:30:00Z')).toBe('2026-11-30');
    expect(dayOf('2026-11-29T15:59:59Z')).toBe('2026-11-29');
    expect(clockOf('2026-11-29T01:30:00Z')).toBe('09:30');
  });

  it('counts days across months and years, weeks from Monday', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(weekStart('2026-11-29')).toBe('2026-11-23');
    expect(weekStart('2026-11-30')).toBe('2026-11-30');
  });

  it('turns a day and a clock time into the right instant', () => {
    expect(instantOf('2026-11-30', '09:00')).toBe('2026-11-30T01:00:00.000Z');
    expect(new Date(dayStartIso('2026-11-30')).toISOString()).toBe('2026-11-29T16:00:00.000Z');
  });

  it('checks and labels days', () => {
    expect(isDay('2026-11-30')).toBe(true);
    expect(isDay('2026-13-01')).toBe(false);
    expect(isDay('30/11/2026')).toBe(false);
    expect(weekdayLabel('2026-11-30', 'zh-CN')).toBe('周一');
    expect(weekdayLabel('2026-11-30', 'en')).toBe('Mon');
    expect(shortDay('2026-11-30', 'zh-CN')).toBe('11月30日');
    expect(shortDay('2026-11-30', 'en')).toBe('30 Nov');
  });
});
