/** Whole days left before a deadline (0 on its last day), negative whole days once past (at least -1). */
export function daysLeft(dueAt: string, now = Date.now()): number {
  const ms = Date.parse(dueAt) - now;
  return ms >= 0 ? Math.floor(ms / 86_400_000) : -Math.max(1, Math.floor(-ms / 86_400_000));
}

/** A deadline is the end (24:00) of a working day: show that day, not the next midnight. */
export const deadlineDay = (dueAt: string) => new Date(Date.parse(dueAt) - 1).toISOString();
