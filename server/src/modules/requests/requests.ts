import type { FastifyRequest } from 'fastify';
import { auditDenied } from '../../lib/guard.js';
import { sql, type Expression, type Kysely, type SqlBool, type Transaction, type Updateable } from 'kysely';
import type { DB, RequestStatus, ServiceArea, ServiceRequestTable } from '../../db/tables.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, badRequest, notFound, unprocessable } from '../../lib/errors.js';
import { decodeCursorParts, encodeCursor } from '../../lib/pagination.js';
import { holdsAny, inScope, stationScope, type Principal } from '../../lib/policy.js';
import { inScopeSql } from '../../lib/sql.js';
import { isStaffOf, linkedResidentIds, staffScope } from '../appointments/access.js';
import { enqueueNotification } from '../notifications/outbox.js';
import { say } from '../notifications/templates.js';
import { addDays, isoWeekday, wallClock } from '../scheduling/zoned.js';
import type { CandidateFacts, CandidateRole } from './scoring.js';
import type { CoverageWorker, RequestView } from './schema.js';

type Db = Kysely<DB> | Transaction<DB>;
type Deps = { db: Kysely<DB>; clock: Clock };

/** Who may be given a request: the station's workers, its head and its volunteers. */
export const ASSIGNABLE_ROLES = ['social_worker', 'station_head', 'volunteer'] as const;

/** Which states each action may start from: the state machine in one table. */
export const TRANSITIONS = {
  assign: { from: ['open', 'assigned'], to: 'assigned' },
  start: { from: ['assigned'], to: 'in_progress' },
  fulfil: { from: ['assigned', 'in_progress'], to: 'fulfilled' },
  cancel: { from: ['open', 'assigned', 'in_progress'], to: 'cancelled' },
  /** The resident side withdrawing a need nobody has taken yet. */
  cancelOpen: { from: ['open'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly RequestStatus[]; to: RequestStatus }>;
export type Action = keyof typeof TRANSITIONS;

/** How the user relates to one request: staff of its station, its assignee, or the resident side. */
export type Relation = 'staff' | 'assignee' | 'resident';

/**
 * The one visibility rule, as a WHERE condition on alias `q`: staff see their stations' requests, a
 * resident account those of its linked residents, anyone else (volunteers) only those assigned to them.
 */
export function visibleSql(p: Principal, linked: string[]): Expression<SqlBool> {
  const staff = holdsAny(p, ['social_worker', 'station_head']) ? inScopeSql(staffScope(p), 'q.station_id') : sql<boolean>`1 = 0`;
  const mine = linked.length > 0 ? sql<boolean>`${sql.ref('q.resident_id')} in (${sql.join(linked)})` : sql<boolean>`1 = 0`;
  // The assignee sees its task only while it still holds an assignable role at that station: a
  // volunteer removed from the station loses the requests it had been given.
  const assignee = sql<boolean>`(${sql.ref('q.assignee_id')} = ${p.userId} and ${inScopeSql(assigneeScope(p), 'q.station_id')})`;
  return sql<SqlBool>`(${staff} or ${mine} or ${assignee})`;
}

/** The stations where the user may be given (and so work on) a request. */
export const assigneeScope = (p: Principal) => stationScope(p, ASSIGNABLE_ROLES);

/** The user is the request's assignee and may still act as one at its station. */
export const isAssigneeOf = (p: Principal, row: Pick<ServiceRequestTable, 'station_id' | 'assignee_id'>) => row.assignee_id === p.userId && inScope(assigneeScope(p), row.station_id);

/** The same rule for one row (staff first: a worker who is also the assignee acts as staff). */
export async function relationTo(db: Db, p: Principal, row: Pick<ServiceRequestTable, 'station_id' | 'resident_id' | 'assignee_id'>): Promise<Relation | null> {
  if (isStaffOf(p, row.station_id)) return 'staff';
  if (isAssigneeOf(p, row)) return 'assignee';
  if ((await linkedResidentIds(db as Kysely<DB>, p)).includes(row.resident_id)) return 'resident';
  return null;
}

/** A request the user may see and how they see it; 404 (with a denied audit entry for a real one) otherwise. */
export async function loadRequestInScope(deps: Deps, req: FastifyRequest, id: string): Promise<{ row: ServiceRequestTable; as: Relation }> {
  const p = req.auth!.principal;
  const row = await deps.db.selectFrom('service_requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('service_request');
  const as = await relationTo(deps.db, p, row);
  if (as) return { row, as };
  await auditDenied(deps, req, { type: 'service_request', id, stationId: row.station_id });
  throw notFound('service_request');
}

/**
 * Compare-and-swap on status and version in one UPDATE. 409 version_conflict if someone changed it
 * since the client read it, 422 invalid_transition if its state does not allow the action.
 */
export async function casUpdate(trx: Transaction<DB>, id: string, version: number, action: Action, set: Updateable<ServiceRequestTable>, now: Date): Promise<ServiceRequestTable> {
  const from = TRANSITIONS[action].from;
  const res = await trx
    .updateTable('service_requests')
    .set({ ...set, status: TRANSITIONS[action].to, version: sql<number>`version + 1`, updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', 'in', from)
    .executeTakeFirst();
  const row = await trx.selectFrom('service_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  if (Number(res.numUpdatedRows) === 1) return row;
  throw transitionError(row, version, from);
}

export function transitionError(row: Pick<ServiceRequestTable, 'status' | 'version'>, version: number, from: readonly RequestStatus[]): AppError {
  if (row.version !== version) return new AppError(409, 'version_conflict', undefined, { currentVersion: row.version, status: row.status });
  return unprocessable('invalid_transition', { status: row.status, allowedFrom: [...from] });
}

/** In-app messages: to the assignee on assignment, to the resident's linked accounts on every change. */
export async function notifyAssignee(trx: Transaction<DB>, r: ServiceRequestTable, now: Date): Promise<void> {
  if (!r.assignee_id) return;
  await enqueueNotification(
    trx,
    { stationId: r.station_id, recipientUserId: r.assignee_id, template: 'generic', payload: { ...say({ title: '新的服务需求任务', body: `您被分派了服务需求「${r.title}」，请尽快处理。` }, { title: 'A need assigned to you', body: `You were assigned "${r.title}"; please see to it soon.` }), link: `/requests/${r.id}` }, dueAt: now },
    now,
  );
}

const STATUS_WORDS: Record<RequestStatus, string> = { open: '待分派', assigned: '已分派', in_progress: '处理中', fulfilled: '已完成', cancelled: '已取消' };
const STATUS_WORDS_EN: Record<RequestStatus, string> = { open: 'waiting to be assigned', assigned: 'assigned', in_progress: 'in progress', fulfilled: 'done', cancelled: 'cancelled' };

export async function notifyResident(trx: Transaction<DB>, r: ServiceRequestTable, now: Date): Promise<void> {
  const accounts = await trx.selectFrom('resident_accounts').select('user_id').where('resident_id', '=', r.resident_id).orderBy('user_id').execute();
  for (const a of accounts) {
    await enqueueNotification(
      trx,
      {
        stationId: r.station_id,
        recipientUserId: a.user_id,
        template: 'generic',
        payload: {
          ...say({ title: `服务需求${STATUS_WORDS[r.status]}`, body: `您的服务需求「${r.title}」状态更新为：${STATUS_WORDS[r.status]}。` }, { title: `Your need: ${STATUS_WORDS_EN[r.status]}`, body: `Your need "${r.title}" is now ${STATUS_WORDS_EN[r.status]}.` }),
          link: `/requests/${r.id}`,
        },
        dueAt: now,
      },
      now,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

const URGENCY_RANK = sql<number>`case ${sql.ref('q.urgency')} when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;

function baseQuery(db: Db) {
  return db
    .selectFrom('service_requests as q')
    .innerJoin('residents as r', 'r.id', 'q.resident_id')
    .innerJoin('villages as v', 'v.id', 'r.village_id')
    .leftJoin('users as w', 'w.id', 'q.assignee_id')
    .leftJoin('service_records as sr', (j) => j.onRef('sr.source_id', '=', 'q.id').on('sr.source', '=', 'request'))
    .selectAll('q')
    .select(['r.name as resident_name', 'v.id as village_id', 'v.name as village_name', 'w.display_name as assignee_name', 'sr.id as record_id', URGENCY_RANK.as('rank')]);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

/** The view for the user's relation: volunteers (and other non-staff assignees) get the task only. */
function view(r: Row, as: Relation): RequestView {
  return {
    id: r.id,
    stationId: r.station_id,
    resident: { id: as === 'assignee' ? null : r.resident_id, name: r.resident_name },
    village: { id: r.village_id, name: r.village_name },
    area: r.area,
    title: r.title,
    description: r.description,
    urgency: r.urgency,
    status: r.status,
    source: r.source,
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
    assignedAt: r.assigned_at,
    fulfilledAt: r.fulfilled_at,
    outcome: r.outcome,
    cancelReason: r.cancel_reason,
    serviceRecordId: r.record_id,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function requestView(db: Db, id: string, as: Relation): Promise<RequestView> {
  return view(await baseQuery(db).where('q.id', '=', id).executeTakeFirstOrThrow(), as);
}

const ACTION_STATUS: Record<string, RequestStatus> = {
  'service_request.create': 'open',
  'service_request.assign': 'assigned',
  'service_request.start': 'in_progress',
  'service_request.fulfil': 'fulfilled',
  'service_request.cancel': 'cancelled',
};

/** The status steps with their times, from the request's audit entries (written with each change). */
export async function requestHistory(db: Db, id: string): Promise<{ status: RequestStatus; at: string }[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['action', 'at'])
    .where('entity_type', '=', 'service_request')
    .where('entity_id', '=', id)
    .where('result', '=', 'ok')
    .where('action', 'in', Object.keys(ACTION_STATUS))
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ status: ACTION_STATUS[r.action]!, at: r.at }));
}

export interface RequestFilters {
  status?: RequestStatus[];
  urgency?: ServiceRequestTable['urgency'][];
  area?: ServiceArea;
  assigneeId?: string;
  villageId?: string;
  residentId?: string;
}

/** Urgent first, then the oldest need first; the cursor is the last row's (rank, created_at, id). */
export async function listRequests(db: Kysely<DB>, p: Principal, linked: string[], f: RequestFilters, limit: number, cursor: string | undefined) {
  let q = baseQuery(db).where(visibleSql(p, linked));
  if (f.status && f.status.length > 0) q = q.where('q.status', 'in', f.status);
  if (f.urgency && f.urgency.length > 0) q = q.where('q.urgency', 'in', f.urgency);
  if (f.area) q = q.where('q.area', '=', f.area);
  if (f.assigneeId) q = q.where('q.assignee_id', '=', f.assigneeId);
  if (f.villageId) q = q.where('r.village_id', '=', f.villageId);
  if (f.residentId) q = q.where('q.resident_id', '=', f.residentId);
  const after = decodeCursorParts(cursor, ['int', 'instant', 'id'] as const);
  if (after) {
    const [n, at, id] = after;
    if (n < 0 || n > 3) throw badRequest('validation_failed', { cursor: 'invalid' });
    q = q.where(
      sql<SqlBool>`(${URGENCY_RANK} > ${n} or (${URGENCY_RANK} = ${n} and (${sql.ref('q.created_at')} > ${at} or (${sql.ref('q.created_at')} = ${at} and ${sql.ref('q.id')} > ${id}))))`,
    );
  }
  const rows = await q.orderBy(URGENCY_RANK).orderBy('q.created_at').orderBy('q.id').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const views = [];
  for (const r of items) views.push(view(r, isStaffOf(p, r.station_id) ? 'staff' : isAssigneeOf(p, r) ? 'assignee' : 'resident'));
  return { items: views, nextCursor: rows.length > limit && last ? encodeCursor(`${Number(last.rank)}|${last.created_at}|${last.id}`) : null };
}

// ---------------------------------------------------------------------------------------------
// Who may take a request, and the facts the scorer ranks them on
// ---------------------------------------------------------------------------------------------

/** The station's active workers, head(s) and volunteers, each with the role they would act in. */
export async function stationPeople(db: Db, stationId: string): Promise<{ id: string; name: string; role: CandidateRole }[]> {
  const rows = await db
    .selectFrom('role_assignments as ra')
    .innerJoin('users as u', 'u.id', 'ra.user_id')
    .select(['u.id', 'u.display_name', 'ra.role'])
    .where('ra.station_id', '=', stationId)
    .where('ra.role', 'in', [...ASSIGNABLE_ROLES])
    .where('u.disabled', '=', 0)
    .orderBy('u.display_name')
    .orderBy('u.id')
    .execute();
  const byUser = new Map<string, { id: string; name: string; role: CandidateRole }>();
  const rank: Record<CandidateRole, number> = { station_head: 0, social_worker: 1, volunteer: 2 };
  for (const r of rows) {
    const role = r.role as CandidateRole;
    const had = byUser.get(r.id);
    if (!had || rank[role] < rank[had.role]) byUser.set(r.id, { id: r.id, name: r.display_name, role });
  }
  return [...byUser.values()];
}

const DAY_MS = 86_400_000;

/** Working minutes of each user over the next `days` Shanghai dates from `now` (today counts from now). */
export async function availableMinutes(db: Db, stationId: string, userIds: string[], now: Date, days = 3): Promise<{ minutes: Map<string, number>; withHours: Set<string> }> {
  const minutes = new Map<string, number>(userIds.map((u) => [u, 0]));
  const withHours = new Set<string>();
  if (userIds.length === 0) return { minutes, withHours };
  const today = wallClock(now);
  const dates = Array.from({ length: days }, (_, i) => addDays(today.date, i));
  const [hours, exceptions, calendar] = await Promise.all([
    db.selectFrom('worker_hours').selectAll().where('station_id', '=', stationId).where('user_id', 'in', userIds).execute(),
    db.selectFrom('worker_exceptions').selectAll().where('user_id', 'in', userIds).where('date', 'in', dates).execute(),
    db.selectFrom('calendar_days').selectAll().where('date', 'in', dates).execute(),
  ]);
  for (const h of hours) withHours.add(h.user_id);
  const holiday = new Set(calendar.filter((c) => c.kind === 'holiday').map((c) => c.date));
  for (const u of userIds) {
    let total = 0;
    for (const date of dates) {
      if (holiday.has(date)) continue;
      const floor = date === today.date ? today.minute : 0;
      const spans = hours.filter((h) => h.user_id === u && h.weekday === isoWeekday(date)).map((h): [number, number] => [Math.max(h.start_minute, floor), h.end_minute]);
      const off = exceptions.filter((e) => e.user_id === u && e.date === date);
      for (const [s, e] of spans) {
        if (e <= s) continue;
        let free = e - s;
        for (const x of off) {
          if (x.start_minute === null || x.end_minute === null) {
            free = 0;
            break;
          }
          free -= Math.max(0, Math.min(e, x.end_minute) - Math.max(s, x.start_minute));
        }
        total += Math.max(0, free);
      }
    }
    minutes.set(u, total);
  }
  return { minutes, withHours };
}

const countBy = (rows: { k: string | null; n: number | string | bigint }[]) => new Map(rows.map((r) => [r.k ?? '', Number(r.n)]));

/** Everything the scorer needs about each person who could take this request. */
export async function candidateFacts(db: Db, r: ServiceRequestTable, villageId: string, now: Date): Promise<CandidateFacts[]> {
  const people = await stationPeople(db, r.station_id);
  if (people.length === 0) return [];
  const ids = people.map((p) => p.id);
  const since = new Date(now.getTime() - 90 * DAY_MS).toISOString();
  const weekAhead = new Date(now.getTime() + 7 * DAY_MS).toISOString();
  const [skills, villages, recent, open, appts, avail] = await Promise.all([
    db.selectFrom('worker_skills').select('user_id').where('station_id', '=', r.station_id).where('area', '=', r.area).where('user_id', 'in', ids).execute(),
    db.selectFrom('worker_villages').select('user_id').where('station_id', '=', r.station_id).where('village_id', '=', villageId).where('user_id', 'in', ids).execute(),
    db
      .selectFrom('service_records as sr')
      .innerJoin('residents as res', 'res.id', 'sr.resident_id')
      .select(['sr.worker_id as k', sql<number>`count(*)`.as('n')])
      .where('res.village_id', '=', villageId)
      .where('sr.worker_id', 'in', ids)
      .where('sr.start_at', '>=', since)
      .where('sr.start_at', '<', now.toISOString())
      .groupBy('sr.worker_id')
      .execute(),
    db
      .selectFrom('service_requests')
      .select(['assignee_id as k', sql<number>`count(*)`.as('n')])
      .where('assignee_id', 'in', ids)
      .where('status', 'in', ['open', 'assigned', 'in_progress'])
      .where('id', '<>', r.id)
      .groupBy('assignee_id')
      .execute(),
    db
      .selectFrom('appointments')
      .select(['worker_id as k', sql<number>`count(*)`.as('n')])
      .where('worker_id', 'in', ids)
      .where('status', 'in', ['requested', 'confirmed'])
      .where('start_at', '>=', now.toISOString())
      .where('start_at', '<', weekAhead)
      .groupBy('worker_id')
      .execute(),
    availableMinutes(db, r.station_id, ids, now),
  ]);
  const skilled = new Set(skills.map((s) => s.user_id));
  const covering = new Set(villages.map((s) => s.user_id));
  const recentBy = countBy(recent);
  const openBy = countBy(open);
  const apptBy = countBy(appts);
  return people.map((p) => ({
    userId: p.id,
    name: p.name,
    role: p.role,
    hasSkill: skilled.has(p.id),
    coversVillage: covering.has(p.id),
    recentServicesInVillage: recentBy.get(p.id) ?? 0,
    openRequests: openBy.get(p.id) ?? 0,
    upcomingAppointments: apptBy.get(p.id) ?? 0,
    availableMinutes: avail.minutes.get(p.id) ?? 0,
    onRequest: p.role === 'volunteer' && !avail.withHours.has(p.id),
  }));
}

// ---------------------------------------------------------------------------------------------
// Coverage (包村 and skills)
// ---------------------------------------------------------------------------------------------

export async function coverageOf(db: Db, stationId: string): Promise<{ villages: { id: string; name: string }[]; workers: CoverageWorker[] }> {
  const [villages, people, wv, ws] = await Promise.all([
    db.selectFrom('villages').select(['id', 'name']).where('station_id', '=', stationId).orderBy('code').execute(),
    stationPeople(db, stationId),
    db.selectFrom('worker_villages').select(['user_id', 'village_id']).where('station_id', '=', stationId).execute(),
    db.selectFrom('worker_skills').select(['user_id', 'area']).where('station_id', '=', stationId).execute(),
  ]);
  const order = new Map(villages.map((v, i) => [v.id, i]));
  const workers = people.map((p) => ({
    id: p.id,
    name: p.name,
    role: p.role,
    villageIds: wv.filter((x) => x.user_id === p.id).map((x) => x.village_id).sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)),
    areas: ws.filter((x) => x.user_id === p.id).map((x) => x.area),
  }));
  return { villages, workers };
}
