import { PostgresAdapter, sql, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { AppointmentStatus, AppointmentTable, DB, ServiceTypeTable } from '../../db/tables.js';
import { AppError, conflict, unprocessable } from '../../lib/errors.js';
import { decodeCursorParts, encodeCursor, parseInstant } from '../../lib/pagination.js';
import type { Principal } from '../../lib/policy.js';
import { cancelNotificationsForAppointment, enqueueNotification, type EnqueueInput } from '../notifications/outbox.js';
import type { TemplateId } from '../notifications/templates.js';
import { checkBookable, type NotBookable } from '../scheduling/slots.js';
import { visibleSql } from './access.js';
import type { AppointmentView } from './schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Reminders go out this long before the start (when that is still ahead). */
export const REMINDER_OFFSETS_MS = [24 * 60 * 60 * 1000, 2 * 60 * 60 * 1000];

/** Which states each action may start from: the state machine in one table. */
export const TRANSITIONS = {
  confirm: { from: ['requested'], to: 'confirmed' },
  'check-in': { from: ['confirmed'], to: 'checked_in' },
  complete: { from: ['checked_in'], to: 'completed' },
  'no-show': { from: ['requested', 'confirmed'], to: 'no_show' },
  cancel: { from: ['requested', 'confirmed'], to: 'cancelled' },
  reschedule: { from: ['requested', 'confirmed'], to: null },
} as const satisfies Record<string, { from: readonly AppointmentStatus[]; to: AppointmentStatus | null }>;
export type Action = keyof typeof TRANSITIONS;

/** 422 not_bookable with the reason the one bookability function gave; 409 slot_taken when the time is taken. */
export function notBookableError(reason: NotBookable | 'staff_only' | 'resident_inactive'): AppError {
  return reason === 'slot_taken' ? conflict('slot_taken') : unprocessable('not_bookable', { reason });
}

/** The database refused an overlapping active appointment (exclusion constraint or SQLite trigger). */
export function isOverlapError(e: unknown): boolean {
  const msg = e instanceof Error ? `${e.message} ${(e as { constraint?: string }).constraint ?? ''}` : String(e);
  return msg.includes('appointments_no_overlap');
}

/**
 * Queue the bookings of one worker (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises every
 * write). Without it, many transactions inserting the same time would all wait inside the
 * exclusion constraint's index for each other and PostgreSQL would abort them as deadlocks; with
 * it, each checks the worker's time after the previous booking committed and gets a clean answer.
 * The constraint stays the final word. Locks are taken in candidate order, the same for everyone.
 */
export async function lockWorkerTime(trx: Transaction<DB>, workerId: string): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select pg_advisory_xact_lock(7262202, hashtext(${`appointments:${workerId}`}))`.execute(trx);
}

/**
 * Find a worker free at `start`: the one asked for, or the first assigned worker the bookability
 * function accepts (by name, so the choice is stable). Throws 409 slot_taken when the time is valid
 * but taken for every candidate, 422 not_bookable otherwise.
 */
export async function chooseWorker(trx: Transaction<DB>, serviceTypeId: string, start: Date, workerId: string | undefined, now: Date, excludeAppointmentId?: string) {
  const candidates = workerId
    ? [workerId]
    : (
        await trx
          .selectFrom('service_type_workers as sw')
          .innerJoin('users as u', 'u.id', 'sw.user_id')
          .select('sw.user_id')
          .where('sw.service_type_id', '=', serviceTypeId)
          .orderBy('u.display_name')
          .orderBy('u.id')
          .execute()
      ).map((r) => r.user_id);
  const reasons: NotBookable[] = [];
  for (const w of candidates) {
    await lockWorkerTime(trx, w);
    const r = await checkBookable(trx, { serviceTypeId, workerId: w, start, ...(excludeAppointmentId ? { excludeAppointmentId } : {}) }, now);
    if (r.ok) return { workerId: w, ...r };
    reasons.push(r.reason);
  }
  if (reasons.includes('slot_taken')) throw conflict('slot_taken');
  throw notBookableError(reasons[0] ?? 'worker_not_assigned');
}

/** Who hears about an appointment on the resident's side: their linked accounts, else an SMS to the resident. */
async function residentRecipients(trx: Db, residentId: string): Promise<Pick<EnqueueInput, 'recipientUserId' | 'recipientResidentId'>[]> {
  const accounts = await trx.selectFrom('resident_accounts').select('user_id').where('resident_id', '=', residentId).orderBy('user_id').execute();
  if (accounts.length === 0) return [{ recipientResidentId: residentId }];
  return accounts.map((a) => ({ recipientUserId: a.user_id, recipientResidentId: residentId }));
}

async function payloadOf(trx: Db, a: Pick<AppointmentTable, 'id' | 'station_id' | 'start_at'>, type: Pick<ServiceTypeTable, 'name' | 'mode'>, reason?: string | null) {
  const station = type.mode === 'station' ? await trx.selectFrom('stations').select('name').where('id', '=', a.station_id).executeTakeFirst() : undefined;
  return { appointmentId: a.id, serviceName: type.name, start: a.start_at, ...(station ? { place: station.name } : {}), ...(reason ? { reason } : {}) };
}

export type Party = 'worker' | 'resident';

/** One message to the worker or the resident side, now. `linked` false: not cancelled with the appointment. */
export async function notify(trx: Transaction<DB>, a: AppointmentTable, type: Pick<ServiceTypeTable, 'name' | 'mode'>, to: Party, template: TemplateId, now: Date, opts: { linked?: boolean; reason?: string | null } = {}) {
  const payload = await payloadOf(trx, a, type, opts.reason);
  const recipients = to === 'worker' ? [{ recipientUserId: a.worker_id }] : await residentRecipients(trx, a.resident_id);
  for (const r of recipients) {
    await enqueueNotification(trx, { stationId: a.station_id, ...r, template, payload, dueAt: now, appointmentId: opts.linked === false ? null : a.id }, now);
  }
}

/**
 * The reminders of an appointment (24 h and 2 h before, for the worker and the resident side), as
 * outbox rows written in the booking's transaction; a cancellation or move cancels them in its own.
 */
export async function scheduleReminders(trx: Transaction<DB>, a: AppointmentTable, type: Pick<ServiceTypeTable, 'name' | 'mode'>, now: Date): Promise<number> {
  const start = Date.parse(a.start_at);
  const dues = REMINDER_OFFSETS_MS.map((ms) => new Date(start - ms)).filter((d) => d.getTime() > now.getTime());
  if (dues.length === 0) return 0;
  const payload = await payloadOf(trx, a, type);
  const recipients = [{ recipientUserId: a.worker_id }, ...(await residentRecipients(trx, a.resident_id))];
  let n = 0;
  // One call per recipient for all reminder times: the channel lookups run once, the rows go in one insert.
  for (const r of recipients) {
    n += (await enqueueNotification(trx, { stationId: a.station_id, ...r, template: 'appointment_reminder', payload, dueAt: dues, appointmentId: a.id }, now)).length;
  }
  return n;
}

export { cancelNotificationsForAppointment };

/**
 * Compare-and-swap on status and version in one UPDATE: it applies only to the version the client
 * read and only from an allowed state. 409 version_conflict if someone changed it meanwhile, 422
 * invalid_transition if the state does not allow the action.
 */
export async function casUpdate(
  trx: Transaction<DB>,
  id: string,
  version: number,
  from: readonly AppointmentStatus[],
  set: Updateable<AppointmentTable>,
  now: Date,
): Promise<AppointmentTable> {
  const res = await trx
    .updateTable('appointments')
    .set({ ...set, version: sql<number>`version + 1`, updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', 'in', from)
    .executeTakeFirst();
  const row = await trx.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  if (Number(res.numUpdatedRows) === 1) return row;
  throw transitionError(row, version, from);
}

export function transitionError(row: Pick<AppointmentTable, 'status' | 'version'>, version: number, from: readonly AppointmentStatus[]): AppError {
  if (row.version !== version) return new AppError(409, 'version_conflict', undefined, { currentVersion: row.version, status: row.status });
  return unprocessable('invalid_transition', { status: row.status, allowedFrom: [...from] });
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

function baseQuery(db: Db) {
  return db
    .selectFrom('appointments as a')
    .innerJoin('service_types as st', 'st.id', 'a.service_type_id')
    .innerJoin('residents as r', 'r.id', 'a.resident_id')
    .innerJoin('users as w', 'w.id', 'a.worker_id')
    .innerJoin('users as b', 'b.id', 'a.booked_by')
    .leftJoin('service_records as sr', (j) => j.onRef('sr.source_id', '=', 'a.id').on('sr.source', '=', 'appointment'))
    .selectAll('a')
    .select(['st.name as st_name', 'st.mode as st_mode', 'st.duration_minutes as st_duration', 'r.name as resident_name', 'w.display_name as worker_name', 'b.display_name as booker_name', 'sr.id as record_id']);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function view(r: Row): AppointmentView {
  return {
    id: r.id,
    stationId: r.station_id,
    serviceType: { id: r.service_type_id, name: r.st_name, mode: r.st_mode, durationMinutes: r.st_duration },
    resident: { id: r.resident_id, name: r.resident_name },
    worker: { id: r.worker_id, name: r.worker_name },
    start: r.start_at,
    end: r.end_at,
    status: r.status,
    channel: r.channel,
    note: r.note,
    bookedBy: { id: r.booked_by, name: r.booker_name },
    cancelReason: r.cancel_reason,
    serviceRecordId: r.record_id,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function appointmentView(db: Db, id: string): Promise<AppointmentView> {
  return view(await baseQuery(db).where('a.id', '=', id).executeTakeFirstOrThrow());
}

export interface AppointmentFilters {
  from?: string;
  to?: string;
  workerId?: string;
  residentId?: string;
  status?: AppointmentStatus[];
  mine?: boolean;
}

/** In time order (a calendar reads forwards); the cursor is the last row's start and id. */
export async function listAppointments(db: Kysely<DB>, p: Principal, linked: string[], f: AppointmentFilters, limit: number, cursor: string | undefined) {
  let q = baseQuery(db).where(visibleSql(p, linked));
  if (f.from) q = q.where('a.start_at', '>=', parseInstant(f.from, 'from').toISOString());
  if (f.to) q = q.where('a.start_at', '<', parseInstant(f.to, 'to').toISOString());
  if (f.workerId) q = q.where('a.worker_id', '=', f.workerId);
  if (f.residentId) q = q.where('a.resident_id', '=', f.residentId);
  if (f.status && f.status.length > 0) q = q.where('a.status', 'in', f.status);
  if (f.mine) q = q.where((eb) => eb.or([eb('a.worker_id', '=', p.userId), ...(linked.length > 0 ? [eb('a.resident_id', 'in', linked)] : [])]));
  // Parts checked: PostgreSQL refuses junk compared with a timestamptz (a 500), SQLite would not.
  const after = decodeCursorParts(cursor, ['instant', 'id'] as const);
  if (after) {
    const [at, id] = after;
    q = q.where((eb) => eb.or([eb('a.start_at', '>', at), eb.and([eb('a.start_at', '=', at), eb('a.id', '>', id)])]));
  }
  const rows = await q.orderBy('a.start_at').orderBy('a.id').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(view), nextCursor: rows.length > limit && last ? encodeCursor(`${last.start_at}|${last.id}`) : null };
}
