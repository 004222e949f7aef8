import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/tables.js';
import { addDays, isoWeekday, wallClock, zonedInstant } from '../scheduling/zoned.js';
import type { OfficeHours } from './settings.js';

/** What the national calendar says about a date: a public holiday, a make-up working day (调休) or nothing. */
export type CalendarKind = 'holiday' | 'workday';
export type CalendarLookup = ReadonlyMap<string, CalendarKind>;

/** How far ahead deadlines may reach; beyond it a station with no office hours gets no deadline at all. */
const MAX_DAYS = 400;

/**
 * The office spans of one date. A holiday has none; a make-up working day (a Saturday or Sunday the
 * State Council turns into a working day) has the hours of the first weekday that has any.
 */
export function officeSpansOn(hours: OfficeHours, date: string, calendar: CalendarLookup): [number, number][] {
  const kind = calendar.get(date);
  if (kind === 'holiday') return [];
  let day = isoWeekday(date);
  if (kind === 'workday') {
    const stand = [1, 2, 3, 4, 5].find((w) => (hours[String(w)] ?? []).length > 0);
    if (stand === undefined) return [];
    day = stand;
  }
  return [...(hours[String(day)] ?? [])].sort((a, b) => a[0] - b[0]);
}

/**
 * The instant `minutes` office minutes after `from` (pure). Time outside office hours, on holidays and
 * on ordinary weekends does not count; a make-up working day counts. A question asked on Friday
 * evening with an 8-hour deadline is due at the end of Monday's hours. Returns null when no office
 * time exists within MAX_DAYS (a station with no hours configured). Minutes that run out exactly at the
 * end of a span give that end, not the next span's start.
 */
export function addOfficeMinutes(hours: OfficeHours, calendar: CalendarLookup, from: Date, minutes: number): Date | null {
  let left = Math.max(0, Math.round(minutes));
  // Zero minutes is `from` itself, even at the end of a span: moving on to the next span's start would
  // make "add a, then 0" differ from "add a" (a property test found it).
  if (left === 0) return new Date(from.getTime());
  const wc = wallClock(from);
  let date = wc.date;
  let minuteOfDay = wc.minute + wc.subMinuteMs / 60_000;
  for (let i = 0; i < MAX_DAYS; i++) {
    for (const [start, end] of officeSpansOn(hours, date, calendar)) {
      const begin = Math.max(start, minuteOfDay);
      if (begin >= end) continue;
      const available = end - begin;
      if (left <= available) {
        return new Date(zonedInstant(date, 0).getTime() + (begin + left) * 60_000);
      }
      left -= available;
    }
    date = addDays(date, 1);
    minuteOfDay = 0;
  }
  return null;
}

/** Whether a date is a working day: a weekday that is not a holiday, or a make-up working day. */
export function isWorkingDay(date: string, calendar: CalendarLookup): boolean {
  const kind = calendar.get(date);
  if (kind === 'holiday') return false;
  if (kind === 'workday') return true;
  return isoWeekday(date) <= 5;
}

/**
 * The end (24:00, Asia/Shanghai) of the `days`-th working day after the date of `from` (pure).
 * A complaint received on Friday with 5 working days is due at the end of the next Friday,
 * later when holidays fall in between, earlier when a make-up working day does.
 */
export function addWorkingDays(calendar: CalendarLookup, from: Date, days: number): Date {
  let date = wallClock(from).date;
  let counted = 0;
  while (counted < days) {
    date = addDays(date, 1);
    if (isWorkingDay(date, calendar)) counted += 1;
  }
  return zonedInstant(addDays(date, 1), 0);
}

/** The national calendar entries from `from` for the next MAX_DAYS days, for the pure functions above. */
export async function loadCalendar(db: Kysely<DB> | Transaction<DB>, from: Date): Promise<CalendarLookup> {
  const first = wallClock(from).date;
  const rows = await db.selectFrom('calendar_days').select(['date', 'kind']).where('date', '>=', first).where('date', '<=', addDays(first, MAX_DAYS)).execute();
  return new Map(rows.map((r) => [r.date, r.kind]));
}
