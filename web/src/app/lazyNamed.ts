import { lazy } from 'react';
import type { ComponentType } from 'react';

/** React.lazy for a named export, so page modules need no default export. */
export function lazyNamed<K extends string, M extends Record<K, ComponentType>>(
  load: () => Promise<M>,
  name: K,
) {
  return lazy(async () => ({ default: (await load())[name] }));
}
