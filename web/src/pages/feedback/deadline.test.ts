import { describe, expect, it } from 'vitest';
import { daysLeft, deadlineDay } from './deadline';

const DAY = 86_400_000;
const due = '2026-12-04T16:00:00.000Z'; // end of Friday 4 Dec, Beijing time

describe('complaint countdown', () => {
  it('counts whole days left, 0 on the last day, and at least one day once overdue', () => {
    expect(daysLeft(due, Date.parse(due) - 5.06 * DAY)).toBe(5);
    expect(daysLeft(due, Date.parse(due) - 0.5 * DAY)).toBe(0);
    expect(daysLeft(due, Date.parse(due))).toBe(0);
    expect(daysLeft(due, Date.parse(due) + 60_000)).toBe(-1);
    expect(daysLeft(due, Date.parse(due) + 2.5 * DAY)).toBe(-2);
  });
  it('shows the working day that ends at the deadline, not the next midnight', () => {
    expect(deadlineDay(due)).toBe('2026-12-04T15:59:59.999Z');
  });
});
