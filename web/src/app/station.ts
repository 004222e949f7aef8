import { useSyncExternalStore } from 'react';
import type { StationRef, User } from '../api/types';
import { readStored, STORAGE_KEYS, writeStored } from './storage';

/** The station the user is working for right now (a user may serve several). */
const listeners = new Set<() => void>();
let selected = typeof window === 'undefined' ? null : readStored(STORAGE_KEYS.station);

function subscribe(cb: () => void) {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

export function selectStation(id: string): void {
  selected = id;
  writeStored(STORAGE_KEYS.station, id);
  listeners.forEach((l) => l());
}

export function useCurrentStation(user: User | null): StationRef | null {
  const id = useSyncExternalStore(subscribe, () => selected, () => null);
  const stations = user?.stations ?? [];
  return stations.find((s) => s.id === id) ?? stations[0] ?? null;
}
