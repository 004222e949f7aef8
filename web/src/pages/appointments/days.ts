/**
 * Calendar days in China time (Asia/Shanghai, UTC+8 all year, no daylight saving).
 * A day is a `YYYY-MM-DD` string; instants go to the API as ISO strings with +08:00.
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const OFFSET_MS = 8 * 3600_000;

export const isDay = (v: string | null | undefined): v is string => !!v && DAY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

/** The China-time day of an instant. */
export function dayOf(at: Date | string | number): string {
  const d = new Date(new Date(at).getTime() + OFFSET_MS);
  return d.toISOString().slice(0, 10);
}

export const today = (now: Date = new Date()) => dayOf(now);

/** Midnight at the start of a China-time day, as an ISO instant the API accepts. */
export const dayStartIso = (day: string) => `${day}T00:00:00.000+08:00`;

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** ISO weekday of a day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const w = new Date(`${day}T00:00:00Z`).getUTCDay();
  return w === 0 ? 7 : w;
}

/** The Monday of the week holding `day`. */
export const weekStart = (day: string) => addDays(day, 1 - isoWeekday(day));

/** `count` consecutive days from `first`. */
export const daysFrom = (first: string, count: number) => Array.from({ length: count }, (_, i) => addDays(first, i));

/** `14:30` in China time. */
export function clockOf(at: Date | string | number): string {
  return new Date(new Date(at).getTime() + OFFSET_MS).toISOString().slice(11, 16);
}

/** A China-time day and `HH:mm` as an ISO instant. */
export const instantOf = (day: string, clock: string) => new Date(`${day}T${clock}:00+08:00`).toISOString();

const WEEKDAY_ZH = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const WEEKDAY_EN = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTH_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const isEn = (lang: string) => lang.toLowerCase().startsWith('en');

export function weekdayLabel(day: string, lang: string): string {
  return (isEn(lang) ? WEEKDAY_EN : WEEKDAY_ZH)[isoWeekday(day)] ?? '';
}

/** `11月30日` / `30 Nov` */
export function shortDay(day: string, lang: string): string {
  const m = DAY.exec(day);
  if (!m) return day;
  const month = Number(m[2]);
  const date = Number(m[3]);
  return isEn(lang) ? `${date} ${MONTH_EN[month - 1]}` : `${month}月${date}日`;
}
