/**
 * Progress of running imports, for the wizard's progress bar. Kept in this process's memory, keyed
 * by user and the id the browser chose (header X-Import-Id), and forgotten ten minutes after the
 * last update. With several server processes behind a balancer a poll may reach another process and
 * see nothing: the bar then stays in its "processing" state until the upload's own response ends it.
 */

export type ImportPhase = 'reading' | 'checking' | 'writing' | 'done' | 'failed';
export interface ImportProgress {
  phase: ImportPhase;
  done: number;
  total: number;
}

const TTL_MS = 10 * 60_000;
const entries = new Map<string, ImportProgress & { at: number }>();

const keyOf = (userId: string, importId: string) => `${userId}\u0000${importId}`;

function sweep(now: number): void {
  for (const [k, v] of entries) if (now - v.at > TTL_MS) entries.delete(k);
}

export function setProgress(userId: string, importId: string | null, p: ImportProgress, now = Date.now()): void {
  if (!importId) return;
  sweep(now);
  entries.set(keyOf(userId, importId), { ...p, at: now });
}

export function getProgress(userId: string, importId: string, now = Date.now()): ImportProgress | null {
  const e = entries.get(keyOf(userId, importId));
  if (!e || now - e.at > TTL_MS) return null;
  return { phase: e.phase, done: e.done, total: e.total };
}
