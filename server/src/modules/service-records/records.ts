import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, ServiceMethod, ServiceMode, ServiceRecordTable } from '../../db/tables.js';
import { newId } from '../../lib/ids.js';
import { decodeCursorParts, encodeCursor, parseInstant } from '../../lib/pagination.js';
import type { StationScope } from '../../lib/policy.js';
import { inScopeSql } from '../../lib/sql.js';
import { recordEvent } from '../residents/timeline.js';
import type { ServiceRecordView } from './schema.js';

/** How a service of each mode is recorded in the ledger. */
export const METHOD_OF_MODE: Record<ServiceMode, ServiceMethod> = { station: 'station', home_visit: 'visit', phone: 'phone', online: 'online' };

export interface NewServiceRecord {
  stationId: string;
  residentId: string;
  workerId: string;
  serviceTypeId: string | null;
  method: ServiceMethod;
  start: Date;
  end: Date;
  place: string | null;
  summary: string;
  outcome: string | null;
  followUpNeeded: boolean;
  source: ServiceRecordTable['source'];
  /** The appointment, visit or request it records; null for a manual record. */
  sourceId: string | null;
  createdBy: string;
  /** Shared by the rows of one group or community session (one per resident served). */
  activityId?: string | null;
  /** Workers who delivered it besides the lead `workerId`. */
  coWorkerIds?: readonly string[];
}

/**
 * Write one service record and its timeline entry in the caller's transaction. The ledger is the
 * single source for reports: an appointment, visit or request yields at most one record (the unique
 * index on source and source_id is the final word).
 */
export async function insertServiceRecord(trx: Transaction<DB>, r: NewServiceRecord, now: Date): Promise<string> {
  const id = newId(now.getTime());
  await trx
    .insertInto('service_records')
    .values({
      id,
      station_id: r.stationId,
      resident_id: r.residentId,
      worker_id: r.workerId,
      service_type_id: r.serviceTypeId,
      method: r.method,
      start_at: r.start.toISOString(),
      end_at: r.end.toISOString(),
      place: r.place,
      summary: r.summary,
      outcome: r.outcome,
      follow_up_needed: r.followUpNeeded ? 1 : 0,
      source: r.source,
      source_id: r.sourceId,
      activity_id: r.activityId ?? null,
      created_by: r.createdBy,
      created_at: now.toISOString(),
    })
    .execute();
  const coWorkers = [...new Set(r.coWorkerIds ?? [])].filter((u) => u !== r.workerId);
  if (coWorkers.length) await trx.insertInto('service_record_workers').values(coWorkers.map((u) => ({ service_record_id: id, user_id: u }))).execute();
  const type = r.serviceTypeId ? await trx.selectFrom('service_types').select('name').where('id', '=', r.serviceTypeId).executeTakeFirst() : undefined;
  await recordEvent(
    trx,
    {
      residentId: r.residentId,
      stationId: r.stationId,
      actorId: r.createdBy,
      kind: 'service',
      detail: {
        serviceRecordId: id,
        serviceTypeId: r.serviceTypeId,
        serviceName: type?.name ?? null,
        method: r.method,
        start: r.start.toISOString(),
        end: r.end.toISOString(),
        workerId: r.workerId,
        ...(coWorkers.length ? { coWorkerIds: coWorkers } : {}),
        ...(r.activityId ? { activityId: r.activityId } : {}),
        source: r.source,
        sourceId: r.sourceId,
        summary: r.summary.length > 200 ? `${r.summary.slice(0, 199)}…` : r.summary,
        followUpNeeded: r.followUpNeeded,
      },
    },
    now,
  );
  return id;
}

export interface RecordFilters {
  residentId?: string;
  workerId?: string;
  serviceTypeId?: string;
  method?: ServiceMethod;
  from?: string;
  to?: string;
  followUpNeeded?: boolean;
  activityId?: string;
}

function baseQuery(db: Kysely<DB>) {
  return db
    .selectFrom('service_records as r')
    .innerJoin('residents as res', 'res.id', 'r.resident_id')
    .innerJoin('users as w', 'w.id', 'r.worker_id')
    .innerJoin('users as c', 'c.id', 'r.created_by')
    .leftJoin('service_types as st', 'st.id', 'r.service_type_id')
    .selectAll('r')
    .select(['res.name as resident_name', 'w.display_name as worker_name', 'c.display_name as creator_name', 'st.name as service_type_name']);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

/** What the rows alone do not say: the other workers of each record, and how many residents each session served. */
async function extras(db: Kysely<DB>, rows: readonly Row[]): Promise<{ coWorkers: Map<string, { id: string; name: string }[]>; participants: Map<string, number> }> {
  const coWorkers = new Map<string, { id: string; name: string }[]>();
  const participants = new Map<string, number>();
  const ids = rows.map((r) => r.id);
  const activities = [...new Set(rows.map((r) => r.activity_id).filter((a): a is string => !!a))];
  if (ids.length) {
    const cw = await db
      .selectFrom('service_record_workers as sw')
      .innerJoin('users as u', 'u.id', 'sw.user_id')
      .select(['sw.service_record_id', 'u.id', 'u.display_name'])
      .where('sw.service_record_id', 'in', ids)
      .orderBy('u.display_name')
      .execute();
    for (const w of cw) coWorkers.set(w.service_record_id, [...(coWorkers.get(w.service_record_id) ?? []), { id: w.id, name: w.display_name }]);
  }
  if (activities.length) {
    const counts = await db.selectFrom('service_records').select(['activity_id', sql<number>`count(*)`.as('n')]).where('activity_id', 'in', activities).groupBy('activity_id').execute();
    for (const c of counts) participants.set(c.activity_id!, Number(c.n));
  }
  return { coWorkers, participants };
}

async function views(db: Kysely<DB>, rows: readonly Row[]): Promise<ServiceRecordView[]> {
  const { coWorkers, participants } = await extras(db, rows);
  return rows.map((r) => ({ ...view(r), coWorkers: coWorkers.get(r.id) ?? [], participants: r.activity_id ? (participants.get(r.activity_id) ?? 1) : 1 }));
}

function view(r: Row): Omit<ServiceRecordView, 'coWorkers' | 'participants'> {
  return {
    id: r.id,
    stationId: r.station_id,
    resident: { id: r.resident_id, name: r.resident_name },
    worker: { id: r.worker_id, name: r.worker_name },
    serviceType: r.service_type_id ? { id: r.service_type_id, name: r.service_type_name ?? '' } : null,
    method: r.method,
    start: r.start_at,
    end: r.end_at,
    place: r.place,
    summary: r.summary,
    outcome: r.outcome,
    followUpNeeded: r.follow_up_needed === 1,
    source: r.source,
    sourceId: r.source_id,
    activityId: r.activity_id,
    createdBy: { id: r.created_by, name: r.creator_name },
    createdAt: r.created_at,
  };
}

/** Newest first (by when the service happened); the cursor is the last row's start and id. */
export async function listServiceRecords(db: Kysely<DB>, scope: StationScope, f: RecordFilters, limit: number, cursor: string | undefined) {
  let q = baseQuery(db).where(inScopeSql(scope, 'r.station_id'));
  if (f.residentId) q = q.where('r.resident_id', '=', f.residentId);
  // A worker's services include those they delivered alongside the lead worker.
  if (f.workerId) {
    const w = f.workerId;
    q = q.where((eb) => eb.or([eb('r.worker_id', '=', w), eb.exists(eb.selectFrom('service_record_workers as sw').select('sw.user_id').whereRef('sw.service_record_id', '=', 'r.id').where('sw.user_id', '=', w))]));
  }
  if (f.activityId) q = q.where('r.activity_id', '=', f.activityId);
  if (f.serviceTypeId) q = q.where('r.service_type_id', '=', f.serviceTypeId);
  if (f.method) q = q.where('r.method', '=', f.method);
  if (f.from) q = q.where('r.start_at', '>=', parseInstant(f.from, 'from').toISOString());
  if (f.to) q = q.where('r.start_at', '<', parseInstant(f.to, 'to').toISOString());
  if (f.followUpNeeded !== undefined) q = q.where('r.follow_up_needed', '=', f.followUpNeeded ? 1 : 0);
  // Parts checked: PostgreSQL refuses junk compared with a timestamptz (a 500), SQLite would not.
  const after = decodeCursorParts(cursor, ['instant', 'id'] as const);
  if (after) {
    const [at, id] = after;
    q = q.where((eb) => eb.or([eb('r.start_at', '<', at), eb.and([eb('r.start_at', '=', at), eb('r.id', '<', id)])]));
  }
  const rows = await q.orderBy('r.start_at', 'desc').orderBy('r.id', 'desc').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: await views(db, items), nextCursor: rows.length > limit && last ? encodeCursor(`${last.start_at}|${last.id}`) : null };
}

export async function serviceRecordById(db: Kysely<DB>, id: string): Promise<ServiceRecordView | null> {
  const r = await baseQuery(db).where('r.id', '=', id).executeTakeFirst();
  return r ? (await views(db, [r]))[0]! : null;
}

/** Several records in the order of `ids` (the rows one entry wrote), in one query. */
export async function serviceRecordsByIds(db: Kysely<DB>, ids: readonly string[]): Promise<ServiceRecordView[]> {
  if (ids.length === 0) return [];
  const rows = await baseQuery(db).where('r.id', 'in', ids).execute();
  const byId = new Map((await views(db, rows)).map((v) => [v.id, v]));
  return ids.map((id) => byId.get(id)!);
}

/** Count of records for an appointment, visit or request (tests and checks). */
export async function recordsForSource(db: Kysely<DB>, source: ServiceRecordTable['source'], sourceId: string): Promise<number> {
  const r = await db.selectFrom('service_records').select(sql<number>`count(*)`.as('n')).where('source', '=', source).where('source_id', '=', sourceId).executeTakeFirstOrThrow();
  return Number(r.n);
}
