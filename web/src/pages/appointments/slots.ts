import type { Slot } from './api';
import { dayOf } from './days';

/** Free slots per China-time day. */
export function slotsByDay(slots: Slot[]): Map<string, Slot[]> {
  const out = new Map<string, Slot[]>();
  for (const s of slots) {
    const d = dayOf(s.start);
    const list = out.get(d);
    if (list) list.push(s);
    else out.set(d, [s]);
  }
  return out;
}

/** One button per start time: several free workers at 09:00 are one choice (the first is booked). */
export function distinctStarts(slots: Slot[]): Slot[] {
  const seen = new Set<string>();
  return [...slots]
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
    .filter((s) => {
      const k = String(new Date(s.start).getTime());
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}
