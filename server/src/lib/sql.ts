import { sql, type RawBuilder } from 'kysely';
import type { StationScope } from './policy.js';

/** LIKE with user text: its % and _ are literal characters, not wildcards. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `column LIKE '%text%'` on both dialects (SQLite needs the ESCAPE clause spelled out). */
export function contains(column: string, text: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} like ${`%${escapeLike(text)}%`} escape '\\'`;
}

export function startsWith(column: string, text: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} like ${`${escapeLike(text)}%`} escape '\\'`;
}

/**
 * The station scope as a WHERE condition on a station_id column: every list and single read
 * filters through this one function (all stations, these stations, or none).
 */
export function inScopeSql(scope: StationScope, column: string): RawBuilder<boolean> {
  if (scope.all) return sql<boolean>`1 = 1`;
  if (scope.stationIds.length === 0) return sql<boolean>`1 = 0`;
  return sql<boolean>`${sql.ref(column)} in (${sql.join(scope.stationIds)})`;
}
