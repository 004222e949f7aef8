import { useCallback, useEffect, useMemo, useRef } from 'react';
import { readStored, writeStored } from '../../../app/storage';

/** Drafts older than this are dropped unread (a shared station computer must not hoard them). */
const MAX_AGE_MS = 7 * 24 * 3600_000;

export interface Draft<T> {
  values: T;
  savedAt: string;
}

/** A form draft in localStorage, per user and per record; written at most every `delayMs`. */
export function useDraft<T>(key: string, delayMs = 600) {
  const timer = useRef<number | null>(null);

  const initial = useMemo((): Draft<T> | null => {
    const raw = readStored(key);
    if (!raw) return null;
    try {
      const d = JSON.parse(raw) as Draft<T>;
      if (!d || typeof d !== 'object' || !d.values || Date.now() - Date.parse(d.savedAt) > MAX_AGE_MS) {
        writeStored(key, null);
        return null;
      }
      return d;
    } catch {
      writeStored(key, null);
      return null;
    }
  }, [key]);

  const cancel = useCallback(() => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = null;
  }, []);

  const save = useCallback(
    (values: T) => {
      cancel();
      timer.current = window.setTimeout(() => {
        writeStored(key, JSON.stringify({ values, savedAt: new Date().toISOString() } satisfies Draft<T>));
        timer.current = null;
      }, delayMs);
    },
    [key, delayMs, cancel],
  );

  const clear = useCallback(() => {
    cancel();
    writeStored(key, null);
  }, [key, cancel]);

  useEffect(() => cancel, [cancel]);

  return { initial, save, clear };
}
