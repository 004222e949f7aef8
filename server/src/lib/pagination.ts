import { badRequest } from './errors.js';

/** Cursors are opaque to clients: base64url of the last item's sort key. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(String(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  const v = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!v || v.length > 100 || encodeCursor(v) !== cursor) throw badRequest('validation_failed', { cursor: 'invalid' });
  return v;
}

/** Fetch one more than asked to know whether a next page exists. */
export function pageOf<T>(rows: T[], limit: number, key: (row: T) => string | number): { items: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(key(items[items.length - 1] as T)) };
}
