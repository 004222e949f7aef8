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

/**
 * A decoded cursor made of `|`-separated parts, each checked before it reaches SQL: a forged cursor
 * must answer 400, never a database type error (PostgreSQL refuses junk compared with a timestamptz).
 */
export function decodeCursorParts<K extends readonly CursorPart[]>(cursor: string | undefined, kinds: K): { [I in keyof K]: K[I] extends 'int' ? number : string } | null {
  const v = decodeCursor(cursor);
  if (v === null) return null;
  const parts = v.split('|');
  const bad = () => badRequest('validation_failed', { cursor: 'invalid' });
  if (parts.length !== kinds.length) throw bad();
  const out = parts.map((p, i) => {
    switch (kinds[i]) {
      case 'int': {
        const n = Number(p);
        if (!/^-?\d{1,15}$/.test(p) || !Number.isSafeInteger(n)) throw bad();
        return n;
      }
      case 'instant':
        if (!isIsoInstant(p)) throw bad();
        return p;
      default:
        if (p.length === 0 || p.length > 64) throw bad();
        return p;
    }
  });
  return out as { [I in keyof K]: K[I] extends 'int' ? number : string };
}
export type CursorPart = 'int' | 'instant' | 'id';

/** An ISO-8601 UTC instant as this app writes them (toISOString), and nothing else. */
export function isIsoInstant(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(s)) return false;
  const t = Date.parse(s);
  return !Number.isNaN(t) && new Date(t).toISOString() === s;
}

/**
 * A date-time from a request as a Date, or a 400 naming the field. The schema's `date-time` format
 * admits a leap second (23:59:60) that JavaScript cannot represent; without this it becomes an
 * Invalid Date and a 500 further on.
 */
export function parseInstant(value: string, field: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw badRequest('validation_failed', { [field]: 'date_invalid' });
  return d;
}
