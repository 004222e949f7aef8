// Wall-clock time in the station's zone ↔ UTC instants. Rules (opening hours, leave) live in
// Asia/Shanghai; instants are stored in UTC. The offset comes from the zone database, never a
// constant, so this stays right for any zone (and for Shanghai's 1986–91 summer time).

export const SERVICE_TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', calendar: 'gregory', numberingSystem: 'latn' });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface WallClock {
  /** YYYY-MM-DD in the zone. */
  date: string;
  /** Minutes since local midnight (0–1439). */
  minute: number;
  /** Seconds and milliseconds past the minute (a slot start has none). */
  subMinuteMs: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const HOUR = 3_600_000;
// Asking Intl costs ~30 µs; a 31-day slot list asks thousands of times. Offsets change only on
// whole UTC hours (true of Asia/Shanghai and nearly every zone), so one answer per zone and UTC
// hour is exact; the cache is bounded.
const offsets = new Map<string, Map<number, number>>();

/** Offset of the zone from UTC at an instant, in minutes (Shanghai: +480). */
export function zoneOffsetMinutes(at: Date, timeZone = SERVICE_TIME_ZONE): number {
  const hour = Math.floor(at.getTime() / HOUR);
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map()));
  let off = zone.get(hour);
  if (off === undefined) {
    const probe = new Date(hour * HOUR);
    const parts = formatter(timeZone).formatToParts(probe);
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    off = Math.round((asUtc - probe.getTime()) / 60_000);
    if (zone.size > 50_000) zone.clear();
    zone.set(hour, off);
  }
  return off;
}

/** The wall clock in the zone at an instant. */
export function wallClock(at: Date, timeZone = SERVICE_TIME_ZONE): WallClock {
  const local = new Date(at.getTime() + zoneOffsetMinutes(at, timeZone) * 60_000);
  const day = local.getUTCDay();
  return {
    date: local.toISOString().slice(0, 10),
    minute: local.getUTCHours() * 60 + local.getUTCMinutes(),
    subMinuteMs: local.getUTCSeconds() * 1000 + local.getUTCMilliseconds(),
    weekday: day === 0 ? 7 : day,
  };
}

/** The instant at which the zone's wall clock shows `minute` minutes after midnight of `date`. */
export function zonedInstant(date: string, minute: number, timeZone = SERVICE_TIME_ZONE): Date {
  const naive = Date.parse(`${date}T00:00:00Z`) + minute * 60_000;
  // Two passes settle the offset even next to a transition (none in China since 1991).
  let t = naive - zoneOffsetMinutes(new Date(naive), timeZone) * 60_000;
  t = naive - zoneOffsetMinutes(new Date(t), timeZone) * 60_000;
  return new Date(t);
}

/** ISO weekday of a calendar date (1 = Monday). */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The calendar date `days` after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Every calendar date from `first` to `last`, both included. */
export function datesBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) out.push(d);
  return out;
}

/** A real calendar date written YYYY-MM-DD (not 2026-02-30). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}
