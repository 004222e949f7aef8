import type { FastifyRequest } from 'fastify';
import { auditDenied } from '../../lib/guard.js';
import { sql, type Expression, type Kysely, type SqlBool, type Transaction, type Updateable } from 'kysely';
import type { DB, FeedbackItemTable, FeedbackStatus, Role, ServiceRecordTable } from '../../db/tables.js';
import { writeAudit, type AuditActor } from '../../lib/audit.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, notFound, unprocessable } from '../../lib/errors.js';
import { decodeCursorParts, encodeCursor, parseInstant } from '../../lib/pagination.js';
import { holdsAny, inScope, stationScope, type Principal } from '../../lib/policy.js';
import { inScopeSql } from '../../lib/sql.js';
import { STAFF_ROLES, isStaffOf, linkedResidentIds, staffScope } from '../appointments/access.js';
import { enqueueNotification } from '../notifications/outbox.js';
import { isStationStaff, stationWorkerIds } from '../consultations/consultations.js';
import { say, type Said } from '../notifications/templates.js';
import { wallClock } from '../scheduling/zoned.js';
import { addWorkingDays, loadCalendar } from '../settings/office-time.js';
import type { ItemView, RatingView, ToRateView } from './schema.js';

type Db = Kysely<DB> | Transaction<DB>;
type Deps = { db: Kysely<DB>; clock: Clock };

const DAY = 86_400_000;
/** A resident is asked about services of the last 30 days. */
export const RESIDENT_WINDOW_DAYS = 30;
/** The follow-up list's default window (days) for staff. */
export const STAFF_WINDOW_DAYS = 7;
/** Scores at or below this notify the station head. */
export const LOW_SCORE = 2;

const HEAD: readonly Role[] = ['station_head'];
export const headScope = (p: Principal) => stationScope(p, HEAD);

/** The station heads of a station, earliest assignment first (the first one receives escalations). */
export async function stationHeads(db: Db, stationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_assignments as ra')
    .innerJoin('users as u', 'u.id', 'ra.user_id')
    .select('ra.user_id')
    .where('ra.station_id', '=', stationId)
    .where('ra.role', '=', 'station_head')
    .where('u.disabled', '=', 0)
    .orderBy('ra.created_at')
    .orderBy('ra.user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/** Whom a complaint is escalated to: the station's first head who is not one of its subjects. */
export async function escalationHead(db: Db, stationId: string, subjects: readonly string[]): Promise<string | undefined> {
  return (await stationHeads(db, stationId)).find((h) => !subjects.includes(h));
}

/**
 * The people a complaint is about, who may never see or handle it as staff: the worker it names and,
 * for a complaint about a service, everyone who led that service — the lead and, for a group or
 * community session, each co-leader (a complaint about a session concerns all who ran it).
 */
export async function complaintSubjects(db: Db, row: Pick<FeedbackItemTable, 'kind' | 'about_worker_id' | 'service_record_id'>): Promise<string[]> {
  if (row.kind !== 'complaint') return [];
  const ids = row.about_worker_id ? [row.about_worker_id] : [];
  if (row.service_record_id) {
    const lead = await db.selectFrom('service_records').select('worker_id').where('id', '=', row.service_record_id).executeTakeFirst();
    const co = await db.selectFrom('service_record_workers').select('user_id').where('service_record_id', '=', row.service_record_id).execute();
    for (const u of [lead?.worker_id, ...co.map((c) => c.user_id)]) if (u && !ids.includes(u)) ids.push(u);
  }
  return ids;
}

const denied = (deps: Deps, req: FastifyRequest, type: string, id: string, stationId: string) => auditDenied(deps, req, { type, id, stationId });

// ---------------------------------------------------------------------------------------------
// Asking for a rating

/**
 * Ask the resident accounts linked to a resident to rate a completed service (in the bell), in the
 * caller's transaction: called where an appointment is completed.
 */
export async function askForRating(trx: Transaction<DB>, r: { stationId: string; residentId: string; serviceRecordId: string; serviceName: string }, now: Date): Promise<void> {
  const accounts = await trx.selectFrom('resident_accounts').select('user_id').where('resident_id', '=', r.residentId).execute();
  for (const a of accounts) {
    await enqueueNotification(
      trx,
      {
        stationId: r.stationId,
        recipientUserId: a.user_id,
        template: 'generic',
        payload: { ...say({ title: '请为本次服务评价', body: `「${r.serviceName}」已完成，请花一分钟给这次服务打个分。` }, { title: 'Please rate this service', body: `"${r.serviceName}" is done; please take a minute to rate it.` }), link: `/feedback/rate/${r.serviceRecordId}` },
        dueAt: now,
      },
      now,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Ratings

/**
 * A service record the user may rate or look at for rating: staff of its station, or a resident
 * account linked to its resident. 404 (with a denied audit entry for a real record) otherwise.
 */
export async function recordForRating(deps: Deps, req: FastifyRequest, id: string): Promise<{ record: ServiceRecordTable; asStaff: boolean }> {
  const p = req.auth!.principal;
  const record = await deps.db.selectFrom('service_records').selectAll().where('id', '=', id).executeTakeFirst();
  if (!record) throw notFound('service_record');
  if (isStaffOf(p, record.station_id)) return { record, asStaff: true };
  if ((await linkedResidentIds(deps.db, p)).includes(record.resident_id)) return { record, asStaff: false };
  await denied(deps, req, 'service_record', id, record.station_id);
  throw notFound('service_record');
}

function ratingQuery(db: Db) {
  return db
    .selectFrom('ratings as g')
    .innerJoin('service_records as sr', 'sr.id', 'g.service_record_id')
    .innerJoin('residents as res', 'res.id', 'g.resident_id')
    .innerJoin('users as w', 'w.id', 'g.worker_id')
    .innerJoin('users as rb', 'rb.id', 'g.recorded_by')
    .leftJoin('service_types as st', 'st.id', 'g.service_type_id')
    .selectAll('g')
    .select(['res.name as resident_name', 'w.display_name as worker_name', 'rb.display_name as recorder_name', 'st.name as service_type_name', 'sr.start_at as service_start']);
}
type RatingRow = Awaited<ReturnType<ReturnType<typeof ratingQuery>['executeTakeFirstOrThrow']>>;

function ratingView(r: RatingRow): RatingView {
  return {
    id: r.id,
    stationId: r.station_id,
    serviceRecordId: r.service_record_id,
    resident: { id: r.resident_id, name: r.resident_name },
    worker: { id: r.worker_id, name: r.worker_name },
    serviceType: r.service_type_id ? { id: r.service_type_id, name: r.service_type_name ?? '' } : null,
    score: r.score,
    comment: r.comment,
    channel: r.channel,
    recordedBy: { id: r.recorded_by, name: r.recorder_name },
    serviceStart: r.service_start,
    createdAt: r.created_at,
  };
}

export async function ratingById(db: Db, id: string): Promise<RatingView | null> {
  const r = await ratingQuery(db).where('g.id', '=', id).executeTakeFirst();
  return r ? ratingView(r) : null;
}

export async function ratingOfRecord(db: Db, serviceRecordId: string): Promise<RatingView | null> {
  const r = await ratingQuery(db).where('g.service_record_id', '=', serviceRecordId).executeTakeFirst();
  return r ? ratingView(r) : null;
}

/**
 * Whose ratings a staff member sees, as a WHERE condition on table alias `g`: a station head every
 * rating of their stations, a social worker only ratings of services they delivered (the same rule
 * as the satisfaction report).
 */
export function ratingsVisibleSql(p: Principal): Expression<SqlBool> {
  const head = inScopeSql(headScope(p), 'g.station_id');
  const own = sql<boolean>`(${inScopeSql(staffScope(p), 'g.station_id')} and ${sql.ref('g.worker_id')} = ${p.userId})`;
  return sql<SqlBool>`(${head} or ${own})`;
}

/**
 * The rating of a service record as the user may see it: a resident account linked to the resident
 * sees it whole; staff only under ratingsVisibleSql (a head every rating of their stations, a worker
 * the ratings of their own services). `rated` tells whether one exists at all, so the rating page can
 * say "already rated" without showing someone else's score.
 */
export async function ratingForViewer(db: Db, p: Principal, serviceRecordId: string, asStaff: boolean): Promise<{ rating: RatingView | null; rated: boolean }> {
  const exists = await db.selectFrom('ratings').select('id').where('service_record_id', '=', serviceRecordId).executeTakeFirst();
  if (!exists) return { rating: null, rated: false };
  if (!asStaff) return { rating: await ratingOfRecord(db, serviceRecordId), rated: true };
  const r = await ratingQuery(db).where('g.service_record_id', '=', serviceRecordId).where(ratingsVisibleSql(p)).executeTakeFirst();
  return { rating: r ? ratingView(r) : null, rated: true };
}

/** How far back a resident's "who served you" list reaches when naming a worker in a complaint. */
export const SERVED_WINDOW_DAYS = 90;

/**
 * The workers a user can name in a complaint. A resident account: the workers who served its linked
 * residents in the last 90 days (served: true), then the other staff of those residents' stations.
 * Staff: their stations' staff. Names only.
 */
export async function namableWorkers(db: Kysely<DB>, p: Principal, linked: string[], now: Date): Promise<{ id: string; name: string; served: boolean }[]> {
  const staff = holdsAny(p, STAFF_ROLES);
  let stationIds: string[];
  let served: { id: string; name: string }[] = [];
  if (staff) {
    const scope = staffScope(p);
    stationIds = scope.all ? [] : [...scope.stationIds];
    if (stationIds.length === 0) return [];
  } else {
    if (linked.length === 0) return [];
    stationIds = (await db.selectFrom('residents').select('station_id').distinct().where('id', 'in', linked).execute()).map((r) => r.station_id);
    served = await db
      .selectFrom('service_records as sr')
      .innerJoin('users as u', 'u.id', 'sr.worker_id')
      .select(['u.id', 'u.display_name as name'])
      .distinct()
      .where('sr.resident_id', 'in', linked)
      .where('sr.start_at', '>=', new Date(now.getTime() - SERVED_WINDOW_DAYS * DAY).toISOString())
      .where('u.disabled', '=', 0)
      .orderBy('u.display_name')
      .execute();
  }
  const others = stationIds.length
    ? await db
        .selectFrom('role_assignments as ra')
        .innerJoin('users as u', 'u.id', 'ra.user_id')
        .select(['u.id', 'u.display_name as name'])
        .distinct()
        .where('ra.station_id', 'in', stationIds)
        .where('ra.role', 'in', staff ? ['social_worker', 'station_head', 'volunteer'] : ['social_worker', 'station_head'])
        .where('u.disabled', '=', 0)
        .orderBy('u.display_name')
        .execute()
    : [];
  const seen = new Set(served.map((w) => w.id));
  return [...served.map((w) => ({ ...w, served: true })), ...others.filter((w) => !seen.has(w.id)).map((w) => ({ ...w, served: false }))];
}

export interface RatingFilters {
  workerId?: string;
  serviceTypeId?: string;
  from?: string;
  to?: string;
  score?: number;
}

/** Newest first; the cursor is the last row's created_at and id. */
export async function listRatings(db: Kysely<DB>, p: Principal, f: RatingFilters, limit: number, cursor: string | undefined) {
  let q = ratingQuery(db).where(ratingsVisibleSql(p));
  if (f.workerId) q = q.where('g.worker_id', '=', f.workerId);
  if (f.serviceTypeId) q = q.where('g.service_type_id', '=', f.serviceTypeId);
  if (f.from) q = q.where('g.created_at', '>=', parseInstant(f.from, 'from').toISOString());
  if (f.to) q = q.where('g.created_at', '<', parseInstant(f.to, 'to').toISOString());
  if (f.score) q = q.where('g.score', '=', f.score);
  const after = decodeCursorParts(cursor, ['instant', 'id'] as const);
  if (after) {
    const [at, id] = after;
    q = q.where((eb) => eb.or([eb('g.created_at', '<', at), eb.and([eb('g.created_at', '=', at), eb('g.id', '<', id)])]));
  }
  const rows = await q.orderBy('g.created_at', 'desc').orderBy('g.id', 'desc').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(ratingView), nextCursor: rows.length > limit && last ? encodeCursor(`${last.created_at}|${last.id}`) : null };
}

// ---------------------------------------------------------------------------------------------
// What waits for a rating

function toRateQuery(db: Db) {
  return db
    .selectFrom('service_records as sr')
    .innerJoin('residents as res', 'res.id', 'sr.resident_id')
    .innerJoin('users as w', 'w.id', 'sr.worker_id')
    .leftJoin('service_types as st', 'st.id', 'sr.service_type_id')
    .leftJoin('ratings as g', 'g.service_record_id', 'sr.id')
    .select(['sr.id', 'sr.resident_id', 'res.name as resident_name', 'sr.worker_id', 'w.display_name as worker_name', 'sr.service_type_id', 'st.name as service_type_name', 'sr.method', 'sr.start_at', 'sr.end_at']);
}
type ToRateRow = Awaited<ReturnType<ReturnType<typeof toRateQuery>['executeTakeFirstOrThrow']>>;

function toRateView(r: ToRateRow): ToRateView {
  return {
    serviceRecordId: r.id,
    resident: { id: r.resident_id, name: r.resident_name },
    worker: { id: r.worker_id, name: r.worker_name },
    serviceType: r.service_type_id ? { id: r.service_type_id, name: r.service_type_name ?? '' } : null,
    method: r.method,
    start: r.start_at,
    end: r.end_at,
  };
}

export async function rateTarget(db: Db, serviceRecordId: string): Promise<ToRateView> {
  return toRateView(await toRateQuery(db).where('sr.id', '=', serviceRecordId).executeTakeFirstOrThrow());
}

/**
 * Services still waiting for a rating, newest first. A resident account: its linked residents'
 * services of the last 30 days. Staff: the follow-up list (回访清单) of their stations' services of
 * the last `days` days, for phone calls.
 */
/** Services of the last `days` days still waiting for a rating: the one rule of the list and of its count. */
function unrated(db: Db, days: number, now: Date) {
  return (
    toRateQuery(db)
      .where('g.id', 'is', null)
      .where('res.anonymised_at', 'is', null)
      .where('res.status', '=', 'active')
      // No upper bound: a record exists once the service is done, even when it finished before its booked start.
      .where('sr.start_at', '>=', new Date(now.getTime() - days * DAY).toISOString())
  );
}

/** How long the staff follow-up list (回访清单) of these stations is (the workbench shows it). */
export async function countToRate(db: Kysely<DB>, stationIds: string[], now: Date): Promise<number> {
  if (stationIds.length === 0) return 0;
  const r = await unrated(db, STAFF_WINDOW_DAYS, now).clearSelect().select((eb) => eb.fn.countAll().as('n')).where('sr.station_id', 'in', stationIds).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function listToRate(db: Kysely<DB>, p: Principal, linked: string[], o: { days?: number; workerId?: string }, now: Date, limit: number, cursor: string | undefined) {
  const staff = holdsAny(p, STAFF_ROLES);
  const days = staff ? (o.days ?? STAFF_WINDOW_DAYS) : RESIDENT_WINDOW_DAYS;
  let q = unrated(db, days, now);
  if (staff) q = q.where(inScopeSql(staffScope(p), 'sr.station_id'));
  else if (linked.length > 0) q = q.where('sr.resident_id', 'in', linked);
  else return { items: [], nextCursor: null };
  if (o.workerId) q = q.where('sr.worker_id', '=', o.workerId);
  const after = decodeCursorParts(cursor, ['instant', 'id'] as const);
  if (after) {
    const [at, id] = after;
    q = q.where((eb) => eb.or([eb('sr.start_at', '<', at), eb.and([eb('sr.start_at', '=', at), eb('sr.id', '<', id)])]));
  }
  const rows = await q.orderBy('sr.start_at', 'desc').orderBy('sr.id', 'desc').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(toRateView), nextCursor: rows.length > limit && last ? encodeCursor(`${last.start_at}|${last.id}`) : null };
}

// ---------------------------------------------------------------------------------------------
// Suggestions and complaints

/**
 * The one visibility rule for suggestions and complaints, on table alias `f`. Everyone sees what
 * they submitted. Staff see their stations' items, except that a complaint about a named worker is
 * seen only by the station head(s) other than its subjects (complaintSubjects): the worker complained about must not
 * handle or read it (not even as a head), and other workers do not need to. A complaint naming
 * nobody is seen by all the station's staff. A resident account sees items of the residents it is linked to.
 */
export function itemsVisibleSql(p: Principal, linked: string[]): Expression<SqlBool> {
  const mine = sql<boolean>`${sql.ref('f.submitted_by')} = ${p.userId}`;
  // A complaint naming a worker: the heads only, and never one of its subjects (even a head): the named
  // worker, or anyone who led the service it is about (complaintSubjects says the same for one row).
  const ledIt = sql<boolean>`exists (select 1 from service_records sr where sr.id = ${sql.ref('f.service_record_id')} and sr.worker_id = ${p.userId})
    or exists (select 1 from service_record_workers srw where srw.service_record_id = ${sql.ref('f.service_record_id')} and srw.user_id = ${p.userId})`;
  const named = sql<boolean>`(${inScopeSql(headScope(p), 'f.station_id')} and ${sql.ref('f.about_worker_id')} <> ${p.userId} and not (${ledIt}))`;
  const staff = holdsAny(p, STAFF_ROLES)
    ? sql<boolean>`(${inScopeSql(staffScope(p), 'f.station_id')} and (${sql.ref('f.kind')} <> 'complaint' or ${sql.ref('f.about_worker_id')} is null or ${named}))`
    : sql<boolean>`1 = 0`;
  const family = linked.length > 0 ? sql<boolean>`${sql.ref('f.resident_id')} in (${sql.join(linked)})` : sql<boolean>`1 = 0`;
  return sql<SqlBool>`(${mine} or ${staff} or ${family})`;
}

function itemQuery(db: Db) {
  return db
    .selectFrom('feedback_items as f')
    .leftJoin('residents as res', 'res.id', 'f.resident_id')
    .leftJoin('users as sb', 'sb.id', 'f.submitted_by')
    .leftJoin('users as aw', 'aw.id', 'f.about_worker_id')
    .leftJoin('users as h', 'h.id', 'f.handler_id')
    .leftJoin('users as et', 'et.id', 'f.escalated_to')
    .selectAll('f')
    .select(['res.name as resident_name', 'sb.display_name as submitter_name', 'aw.display_name as about_worker_name', 'h.display_name as handler_name', 'et.display_name as escalated_to_name']);
}
type ItemRow = Awaited<ReturnType<ReturnType<typeof itemQuery>['executeTakeFirstOrThrow']>>;

const OPEN: readonly FeedbackStatus[] = ['open', 'in_progress'];

/** Whether a complaint is still open past its deadline. */
export const isOverdue = (r: Pick<FeedbackItemTable, 'kind' | 'status' | 'due_at'>, now: Date) =>
  r.kind === 'complaint' && OPEN.includes(r.status) && !!r.due_at && Date.parse(r.due_at) <= now.getTime();

const ref = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null);

function itemView(r: ItemRow, now: Date): ItemView {
  return {
    id: r.id,
    stationId: r.station_id,
    kind: r.kind,
    resident: ref(r.resident_id, r.resident_name),
    submittedBy: ref(r.submitted_by, r.submitter_name),
    channel: r.channel,
    subject: r.subject,
    body: r.body,
    aboutWorker: ref(r.about_worker_id, r.about_worker_name),
    serviceRecordId: r.service_record_id,
    status: r.status,
    handler: ref(r.handler_id, r.handler_name),
    dueAt: r.due_at,
    overdue: isOverdue(r, now),
    escalatedAt: r.escalated_at,
    escalatedTo: ref(r.escalated_to, r.escalated_to_name),
    response: r.response,
    resolvedAt: r.resolved_at,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function itemById(db: Db, id: string, now: Date): Promise<ItemView> {
  return itemView(await itemQuery(db).where('f.id', '=', id).executeTakeFirstOrThrow(), now);
}

/** An item the user may see (404 with a denied audit entry for a real one otherwise). */
export async function loadItemInScope(deps: Deps, req: FastifyRequest, id: string): Promise<{ row: FeedbackItemTable; asStaff: boolean }> {
  const p = req.auth!.principal;
  const linked = await linkedResidentIds(deps.db, p);
  const row = await deps.db.selectFrom('feedback_items as f').selectAll('f').where('f.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('feedback_item');
  const visible = await deps.db.selectFrom('feedback_items as f').select('f.id').where('f.id', '=', id).where(itemsVisibleSql(p, linked)).executeTakeFirst();
  if (!visible) {
    await denied(deps, req, 'feedback_item', id, row.station_id);
    throw notFound('feedback_item');
  }
  return { row, asStaff: isStaffOf(p, row.station_id) && !(await complaintSubjects(deps.db, row)).includes(p.userId) };
}

/**
 * An item the user may act on as staff (start, respond, close, escalate): 404 for a resident
 * account, and 404 with a denied audit entry for a subject of a complaint — even when they
 * registered it themselves or head the station.
 */
export async function loadItemForAction(deps: Deps, req: FastifyRequest, id: string): Promise<FeedbackItemTable> {
  const { row, asStaff } = await loadItemInScope(deps, req, id);
  if (asStaff) return row;
  if ((await complaintSubjects(deps.db, row)).includes(req.auth!.principal.userId)) await denied(deps, req, 'feedback_item', id, row.station_id);
  throw notFound('feedback_item');
}

export interface ItemFilters {
  kind?: FeedbackItemTable['kind'];
  status?: FeedbackStatus[];
  overdue?: boolean;
  settled?: boolean;
}

/** Newest first; complaints past their deadline first when `overdue` is asked for. */
export async function listItems(db: Kysely<DB>, p: Principal, linked: string[], f: ItemFilters, now: Date, limit: number, cursor: string | undefined) {
  let q = itemQuery(db).where(itemsVisibleSql(p, linked));
  if (f.kind) q = q.where('f.kind', '=', f.kind);
  if (f.status && f.status.length > 0) q = q.where('f.status', 'in', f.status);
  if (f.settled !== undefined) q = q.where('f.status', f.settled ? 'not in' : 'in', OPEN);
  if (f.overdue !== undefined) {
    const overdue = sql<SqlBool>`(${sql.ref('f.kind')} = 'complaint' and ${sql.ref('f.status')} in ('open','in_progress') and ${sql.ref('f.due_at')} <= ${now.toISOString()})`;
    q = q.where(f.overdue ? overdue : sql<SqlBool>`not ${overdue}`);
  }
  const after = decodeCursorParts(cursor, ['instant', 'id'] as const);
  if (after) {
    const [at, id] = after;
    q = q.where((eb) => eb.or([eb('f.created_at', '<', at), eb.and([eb('f.created_at', '=', at), eb('f.id', '<', id)])]));
  }
  const rows = await q.orderBy('f.created_at', 'desc').orderBy('f.id', 'desc').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map((r) => itemView(r, now)), nextCursor: rows.length > limit && last ? encodeCursor(`${last.created_at}|${last.id}`) : null };
}

/**
 * Compare-and-swap on version and status: 409 version_conflict when someone changed it since it was
 * read, 422 invalid_transition when its state does not allow the step.
 */
export async function casItem(
  trx: Transaction<DB>,
  id: string,
  version: number,
  from: readonly FeedbackStatus[],
  set: Updateable<FeedbackItemTable>,
  now: Date,
  opts: { notEscalated?: boolean } = {},
): Promise<FeedbackItemTable> {
  let q = trx
    .updateTable('feedback_items')
    .set({ ...set, version: sql<number>`version + 1`, updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', 'in', from);
  if (opts.notEscalated) q = q.where('escalated_at', 'is', null);
  const res = await q.executeTakeFirst();
  const row = await trx.selectFrom('feedback_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  if (Number(res.numUpdatedRows) === 1) return row;
  if (row.version !== version) throw new AppError(409, 'version_conflict', undefined, { currentVersion: row.version, status: row.status });
  throw unprocessable('invalid_transition', { status: row.status, allowedFrom: [...from], escalated: row.escalated_at !== null });
}

export async function notifyUsers(trx: Db, stationId: string, userIds: string[], words: Said, link: string, now: Date): Promise<void> {
  for (const u of new Set(userIds)) {
    await enqueueNotification(trx, { stationId, recipientUserId: u, template: 'generic', payload: { ...words, link }, dueAt: now }, now);
  }
}

const SYSTEM: AuditActor = { actorId: null, actorUsername: 'system', role: null, stationId: null, ip: null, requestId: null };

/**
 * Escalate complaints past their deadline to the station head, once: the update only takes
 * complaints not yet escalated, and alert_log (one row per complaint and day) keeps two nodes
 * sweeping at the same moment from both notifying. Returns how many were escalated. Audited as
 * `actor`: the system for the timer, the head who pressed the button for a manual run.
 */
export async function sweepOverdueComplaints(db: Kysely<DB>, now: Date, stationIds?: readonly string[], actor: AuditActor = SYSTEM): Promise<number> {
  if (stationIds && stationIds.length === 0) return 0;
  let q = db
    .selectFrom('feedback_items')
    .select(['id', 'kind', 'station_id', 'subject', 'due_at', 'about_worker_id', 'service_record_id'])
    .where('kind', '=', 'complaint')
    .where('status', 'in', OPEN)
    .where('escalated_at', 'is', null)
    .where('due_at', '<=', now.toISOString());
  if (stationIds) q = q.where('station_id', 'in', stationIds);
  const due = await q.orderBy('due_at').limit(500).execute();
  let escalated = 0;
  const day = wallClock(now).date;
  for (const c of due) {
    const done = await db.transaction().execute(async (trx) => {
      const head = await escalationHead(trx, c.station_id, await complaintSubjects(trx, c));
      // Without a station head there is nobody to escalate to; it stays overdue (red) in the list.
      if (!head) return false;
      const res = await trx
        .updateTable('feedback_items')
        .set({ escalated_at: now.toISOString(), escalated_to: head, version: sql<number>`version + 1`, updated_at: now.toISOString() })
        .where('id', '=', c.id)
        .where('escalated_at', 'is', null)
        .where('status', 'in', OPEN)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return false;
      const alert = await trx
        .insertInto('alert_log')
        .values({ kind: 'complaint_overdue', subject_id: c.id, day, station_id: c.station_id, created_at: now.toISOString() })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(alert.numInsertedOrUpdatedRows ?? 0) === 1) {
        await notifyUsers(trx, c.station_id, [head], say({ title: '投诉已超期，已转交站长', body: `投诉「${c.subject}」已超过办理期限，请尽快处理。` }, { title: 'Complaint overdue: escalated to you', body: `The complaint "${c.subject}" is past its deadline; please deal with it.` }), `/feedback/complaints?item=${c.id}`, now);
      }
      await writeAudit(trx, actor, { action: 'feedback_item.escalate', result: 'ok', entityType: 'feedback_item', entityId: c.id, stationId: c.station_id, detail: { automatic: true, to: head, dueAt: c.due_at } }, now);
      return true;
    });
    if (done) escalated += 1;
  }
  return escalated;
}

/**
 * Remind whoever handles an open complaint a working day before its deadline (the handler once someone
 * has taken it, else the station heads; never the worker it names), once per complaint — alert_log
 * again. "A working day before": the deadline falls no later than the end of the next working day.
 * Returns how many were reminded.
 */
export async function remindComplaintsDueSoon(db: Kysely<DB>, now: Date, stationIds?: readonly string[]): Promise<number> {
  if (stationIds && stationIds.length === 0) return 0;
  const horizon = addWorkingDays(await loadCalendar(db, now), now, 1);
  let q = db
    .selectFrom('feedback_items')
    .select(['id', 'kind', 'station_id', 'subject', 'due_at', 'about_worker_id', 'service_record_id', 'handler_id'])
    .where('kind', '=', 'complaint')
    .where('status', 'in', OPEN)
    .where('escalated_at', 'is', null)
    .where('due_at', '>', now.toISOString())
    .where('due_at', '<=', horizon.toISOString());
  if (stationIds) q = q.where('station_id', 'in', stationIds);
  const soon = await q.orderBy('due_at').limit(500).execute();
  let reminded = 0;
  for (const c of soon) {
    const done = await db.transaction().execute(async (trx) => {
      // Still open, not escalated, not yet due: it may have been answered since the list was read.
      const still = await trx.selectFrom('feedback_items').select('id').where('id', '=', c.id).where('status', 'in', OPEN).where('escalated_at', 'is', null).where('due_at', '>', now.toISOString()).executeTakeFirst();
      if (!still) return false;
      const to = await reminderRecipients(trx, c);
      // Nobody to tell: no alert row either, so the reminder goes out once someone can take it.
      if (to.length === 0) return false;
      const ins = await trx
        .insertInto('alert_log')
        .values({ kind: 'complaint_due_soon', subject_id: c.id, day: wallClock(new Date(c.due_at!)).date, station_id: c.station_id, created_at: now.toISOString() })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(ins.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      const due = wallClock(new Date(Date.parse(c.due_at!) - 1));
      await notifyUsers(trx, c.station_id, to, say({ title: '投诉即将到期', body: `投诉「${c.subject}」将于 ${due.date} 到期，请在期限内答复。` }, { title: 'Complaint due soon', body: `The complaint "${c.subject}" is due on ${due.date}; please answer it in time.` }), `/feedback/complaints?item=${c.id}`, now);
      return true;
    });
    if (done) reminded += 1;
  }
  return reminded;
}

/**
 * Who is reminded of a complaint's deadline: its handler while they are still enabled staff of the
 * station; else the station heads; else (a complaint about the only head) the station's workers —
 * never one of its subjects.
 */
async function reminderRecipients(db: Db, c: Pick<FeedbackItemTable, 'kind' | 'station_id' | 'handler_id' | 'about_worker_id' | 'service_record_id'>): Promise<string[]> {
  const subjects = await complaintSubjects(db, c);
  const notNamed = (ids: string[]) => ids.filter((u) => !subjects.includes(u));
  if (c.handler_id && !subjects.includes(c.handler_id) && (await isStationStaff(db, c.station_id, c.handler_id))) return [c.handler_id];
  const heads = notNamed(await stationHeads(db, c.station_id));
  return heads.length ? heads : notNamed(await stationWorkerIds(db, c.station_id));
}

/** Run the complaint sweep and the reminders every `intervalMs` (default 5 minutes) beside the outbox worker. */
export function startComplaintSweep(deps: { db: Kysely<DB>; clock: Clock }, opts: { intervalMs?: number; onError?: (e: unknown) => void } = {}): { stop(): void } {
  const timer = setInterval(() => {
    const now = deps.clock.now();
    sweepOverdueComplaints(deps.db, now)
      .then(() => remindComplaintsDueSoon(deps.db, now))
      .catch((e: unknown) => opts.onError?.(e));
  }, opts.intervalMs ?? 300_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Whether the user acts on a station as its head. */
export const isHeadOf = (p: Principal, stationId: string) => inScope(headScope(p), stationId);
