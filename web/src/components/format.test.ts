import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatMoney,
  formatRelative,
  groupInFours,
  shanghaiDay,
} from './format';

// 06:30 UTC is 14:30 in Shanghai, a Sunday.
const AT = '2026-11-29T06:30:00Z';

describe('formatDateTime', () => {
  it('uses Chinese format in Asia/Shanghai', () => {
    expect(formatDateTime(AT, 'zh-CN')).toBe('2026年11月29日 周日 14:30');
  });
  it('uses English format in Asia/Shanghai', () => {
    expect(formatDateTime(AT, 'en')).toBe('29 Nov 2026 14:30');
  });
  it('respects offsets in the ISO string and crosses midnight', () => {
    expect(formatDateTime('2026-11-29T23:30:00-08:00', 'zh-CN')).toBe('2026年11月30日 周一 15:30');
    expect(formatDateTime('2026-09-01T16:05:00Z', 'en')).toBe('2 Sep 2026 00:05');
  });
  it('returns empty text for bad input', () => {
    expect(formatDateTime('not a date', 'zh-CN')).toBe('');
  });
});

describe('formatDate and shanghaiDay', () => {
  it('formats the day', () => {
    expect(formatDate(AT, 'zh-CN')).toBe('2026年11月29日');
    expect(formatDate(AT, 'en')).toBe('29 Nov 2026');
    expect(shanghaiDay('2026-01-04T17:00:00Z')).toBe('2026-01-05');
  });
});

describe('formatRelative', () => {
  const now = new Date(AT);
  const ago = (sec: number) => new Date(now.getTime() - sec * 1000).toISOString();
  it('says just now', () => {
    expect(formatRelative(ago(10), 'zh-CN', now)).toBe('刚刚');
    expect(formatRelative(ago(10), 'en', now)).toBe('just now');
  });
  it('counts minutes, hours and days', () => {
    expect(formatRelative(ago(5 * 60), 'zh-CN', now)).toBe('5分钟前');
    expect(formatRelative(ago(2 * 3600), 'zh-CN', now)).toBe('2小时前');
    expect(formatRelative(ago(3 * 86400), 'zh-CN', now)).toBe('3天前');
    expect(formatRelative(ago(3 * 86400), 'en', now)).toBe('3 days ago');
  });
  it('handles the future', () => {
    const soon = new Date(now.getTime() + 15 * 60 * 1000);
    expect(formatRelative(soon, 'zh-CN', now)).toBe('15分钟后');
  });
  it('falls back to the full date after a week', () => {
    expect(formatRelative(ago(30 * 86400), 'zh-CN', now)).toBe('2026年10月30日 周五 14:30');
  });
});

describe('formatMoney and groupInFours', () => {
  it('formats fen as yuan', () => {
    expect(formatMoney(123450)).toBe('¥1,234.50');
    expect(formatMoney(5)).toBe('¥0.05');
    expect(formatMoney(-100)).toBe('-¥1.00');
  });
  it('groups secrets', () => {
    expect(groupInFours('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(groupInFours('ABCDE')).toBe('ABCD E');
  });
});
