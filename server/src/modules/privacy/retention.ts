import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import { dateInTimeZone } from '../../lib/identity.js';
import { badRequest } from '../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../lib/pagination.js';
import type { StationScope } from '../../lib/policy.js';
import { inScopeSql } from '../../lib/sql.js';
import type { RetentionItemView } from './schema.js';

/**
 * Status dates before this day are due for review: the same calendar day `years` ago in China time
 * (PIPL Art. 19: keep personal data no longer than the purpose needs). Text comparison of
 * YYYY-MM-DD is date order, so 29 February simply means "up to the 28th" in a common year.
 */
export function retentionCutoff(now: Date, years: number): string {
  const today = dateInTimeZone(now);
  const y = Number(today.slice(0, 4)) - years;
  return `${String(y).padStart(4, '0')}${today.slice(4)}`;
}

/** The one condition for "due for review", used by the list and by the record of processing. */
export function dueForReview(db: Kysely<DB>, scope: StationScope, cutoff: string) {
  return db
    .selectFrom('residents as r')
    .where(inScopeSql(scope, 'r.station_id'))
    .where('r.status', 'in', ['moved', 'deceased'])
    .where('r.status_date', 'is not', null)
    .where('r.status_date', '<', cutoff)
    .where('r.anonymised_at', 'is', null);
}

export async function countDue(db: Kysely<DB>, scope: StationScope, cutoff: string, stationId?: string): Promise<number> {
  let q = dueForReview(db, scope, cutoff);
  if (stationId) q = q.where('r.station_id', '=', stationId);
  const row = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Oldest first, so the longest-kept records are reviewed first; the cursor is (status date, id). */
export async function listDue(
  db: Kysely<DB>,
  scope: StationScope,
  cutoff: string,
  f: { stationId?: string; limit: number; cursor?: string },
): Promise<{ items: RetentionItemView[]; nextCursor: string | null }> {
  const after = decodeCursor(f.cursor);
  let q = dueForReview(db, scope, cutoff)
    .innerJoin('villages as v', 'v.id', 'r.village_id')
    .innerJoin('stations as s', 's.id', 'r.station_id')
    .leftJoin('deletion_requests as d', (j) =>
      j.onRef('d.resident_id', '=', 'r.id').on('d.executed_at', 'is', null).on('d.rejected_at', 'is', null),
    )
    .select(['r.id', 'r.station_id', 's.name as station_name', 'r.name', 'r.gender', 'v.name as village_name', 'r.status', 'r.status_date', 'd.id as request_id']);
  if (f.stationId) q = q.where('r.station_id', '=', f.stationId);
  if (after) {
    const [date, id] = after.split('|');
    if (!date || !id) throw badRequest('validation_failed', { cursor: 'invalid' });
    q = q.where(sql<boolean>`(r.status_date > ${date} or (r.status_date = ${date} and r.id > ${id}))`);
  }
  const rows = await q.orderBy('r.status_date').orderBy('r.id').limit(f.limit + 1).execute();
  const more = rows.length > f.limit;
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    nextCursor: more && last ? encodeCursor(`${last.status_date}|${last.id}`) : null,
    items: page.map((r) => ({
      id: r.id,
      stationId: r.station_id,
      stationName: r.station_name,
      name: r.name,
      gender: r.gender,
      villageName: r.village_name,
      status: r.status === 'deceased' ? 'deceased' : 'moved',
      statusDate: r.status_date ?? '',
      openRequestId: r.request_id ?? null,
    })),
  };
}
