import { formatDate } from '../../../components/format';

/** A calendar date (YYYY-MM-DD) in words: `1948年3月15日` / `15 Mar 1948`. */
export function formatDay(day: string | null | undefined, lang: string): string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return day ?? '';
  // Noon UTC is the same calendar day in China time, whatever the year's offset was.
  return formatDate(`${day}T12:00:00Z`, lang);
}
