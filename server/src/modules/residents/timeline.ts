import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/tables.js';
import { newId } from '../../lib/ids.js';
import { decodeCursor, pageOf } from '../../lib/pagination.js';

export interface ResidentEvent {
  residentId: string;
  stationId: string;
  actorId: string | null;
  /** created · updated · revealed · consent_given · consent_withdrawn · imported · exported · access_report · deletion_requested · anonymised · … */
  kind: string;
  field?: string | null;
  /** Only for non-sensitive fields; a sensitive change is recorded as "changed" with both null. */
  oldValue?: string | null;
  newValue?: string | null;
  detail?: Record<string, unknown> | null;
}

/** Append to a resident's timeline in the caller's transaction, so it commits with the change. */
export async function recordEvent(trx: Transaction<DB>, e: ResidentEvent, at: Date): Promise<void> {
  await recordEvents(trx, [e], at);
}

export async function recordEvents(trx: Transaction<DB>, events: ResidentEvent[], at: Date): Promise<void> {
  if (events.length === 0) return;
  const iso = at.toISOString();
  await trx
    .insertInto('resident_events')
    .values(
      events.map((e) => ({
        id: newId(at.getTime()),
        station_id: e.stationId,
        resident_id: e.residentId,
        at: iso,
        actor_id: e.actorId,
        kind: e.kind,
        field: e.field ?? null,
        old_value: e.oldValue ?? null,
        new_value: e.newValue ?? null,
        detail: e.detail ? JSON.stringify(e.detail) : null,
      })),
    )
    .execute();
}

/** Newest first; the cursor is the last event id (uuidv7, so id order is time order). */
export async function listTimeline(db: Kysely<DB>, residentId: string, limit: number, cursor: string | undefined) {
  const after = decodeCursor(cursor);
  let q = db
    .selectFrom('resident_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.id', 'e.at', 'e.kind', 'e.field', 'e.old_value', 'e.new_value', 'e.detail', 'e.actor_id', 'u.display_name'])
    .where('e.resident_id', '=', residentId);
  if (after) q = q.where('e.id', '<', after);
  const rows = await q.orderBy('e.id', 'desc').limit(limit + 1).execute();
  const page = pageOf(rows, limit, (r) => r.id);
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
      id: r.id,
      at: r.at,
      kind: r.kind,
      actor: r.actor_id ? { id: r.actor_id, displayName: r.display_name ?? '' } : null,
      field: r.field,
      oldValue: r.old_value,
      newValue: r.new_value,
      detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
    })),
  };
}
