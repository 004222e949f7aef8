import type { Kysely, Transaction } from 'kysely';
import { ACTIVE_APPOINTMENT_STATUSES, type DB, type ServiceMode } from '../../db/tables.js';
import { datesBetween, isoWeekday, wallClock, zonedInstant } from './zoned.js';

// THE rule for "may this worker be booked for this service at this time?". Booking, rescheduling
// and the slot list all end in `slotProblem`, so a slot that is listed is a slot that books
// (the database's no-overlap constraint then settles races between two bookings).
//
// Rules, all in Asia/Shanghai wall-clock time:
// - Slots lie on a grid of the service's duration from the start of each block of working hours,
//   and the appointment [start, end) lies inside that block.
// - A public holiday has no hours. A make-up working day (调休上班, a weekend day the State Council
//   turns into a working day) uses the worker's hours of the first weekday Monday–Friday they work,
//   usually Monday: the day stands in for a normal working day, whatever weekday it falls on.
// - The worker's time an appointment takes (its block) is [start − travel (home visits only),
//   end + buffer); it may not overlap leave, training, or another active appointment's block.
// - Not in the past, and not more than BOOKING_WINDOW_DAYS ahead.

/** How far ahead residents and staff may book. */
export const BOOKING_WINDOW_DAYS = 60;

export interface BookableQuery {
  serviceTypeId: string;
  workerId: string;
  start: Date;
  excludeAppointmentId?: string;
}
export type NotBookable =
  | 'unknown_service_type'
  | 'inactive'
  | 'worker_not_assigned'
  | 'outside_hours'
  | 'holiday'
  | 'on_leave'
  | 'in_past'
  | 'too_far_ahead'
  | 'not_on_grid'
  | 'slot_taken';
export type Bookable = { ok: true; stationId: string; end: Date; blockStart: Date; blockEnd: Date } | { ok: false; reason: NotBookable };

/** What the rule needs to know about a service type. */
export interface ServiceRule {
  stationId: string;
  mode: ServiceMode;
  durationMinutes: number;
  bufferMinutes: number;
  travelMinutes: number;
}

/** A worker's day as the rule sees it. */
export interface WorkerDay {
  date: string;
  /** The day's working hours (already resolved for holidays and make-up days), minutes of the day. */
  hours: Span[];
  holiday: boolean;
  /** Leave, training and other absences; null span = the whole day. */
  absences: { start: number | null; end: number | null }[];
}
export interface Span {
  start: number;
  end: number;
}
export interface Interval {
  start: number;
  end: number;
}

type Db = Kysely<DB> | Transaction<DB>;

/** The worker's time an appointment at `start` takes: travel before a home visit, buffer after. */
export function blockOf(rule: ServiceRule, start: Date): { end: Date; blockStart: Date; blockEnd: Date } {
  const end = new Date(start.getTime() + rule.durationMinutes * 60_000);
  const travel = rule.mode === 'home_visit' ? rule.travelMinutes : 0;
  return { end, blockStart: new Date(start.getTime() - travel * 60_000), blockEnd: new Date(end.getTime() + rule.bufferMinutes * 60_000) };
}

/** Weekly hours → the hours of one date, given what the national calendar says about it. */
export function hoursForDate(weekly: { weekday: number; start: number; end: number }[], weekday: number, calendar: 'holiday' | 'workday' | null): Span[] {
  if (calendar === 'holiday') return [];
  let day = weekday;
  if (calendar === 'workday') {
    const stand = [1, 2, 3, 4, 5].find((w) => weekly.some((h) => h.weekday === w));
    if (stand === undefined) return [];
    day = stand;
  }
  return weekly.filter((h) => h.weekday === day).map((h) => ({ start: h.start, end: h.end })).sort((a, b) => a.start - b.start);
}

/** Start minutes of the grid for a day: every `duration` from each block's start, ending inside it. */
export function gridStarts(hours: Span[], durationMinutes: number): number[] {
  const out: number[] = [];
  for (const h of hours) for (let m = h.start; m + durationMinutes <= h.end; m += durationMinutes) out.push(m);
  return out;
}

/**
 * The one pure decision: null when `start` is bookable for this worker, otherwise why not.
 * `day` must be the worker's day for the Shanghai date of `start`; `busy` the blocks of the
 * worker's other active appointments (any that overlap are enough).
 */
export function slotProblem(rule: ServiceRule, day: WorkerDay, start: Date, busy: readonly Interval[], now: Date): NotBookable | null {
  if (start.getTime() < now.getTime()) return 'in_past';
  if (start.getTime() > now.getTime() + BOOKING_WINDOW_DAYS * 86_400_000) return 'too_far_ahead';
  const w = wallClock(start);
  if (w.date !== day.date) throw new Error(`slotProblem: day ${day.date} is not the date of ${start.toISOString()}`);
  if (day.holiday) return 'holiday';
  if (day.absences.some((a) => a.start === null)) return 'on_leave';
  const block = day.hours.find((h) => w.minute >= h.start && w.minute < h.end);
  if (!block) return 'outside_hours';
  if (w.subMinuteMs !== 0 || (w.minute - block.start) % rule.durationMinutes !== 0) return 'not_on_grid';
  if (w.minute + rule.durationMinutes > block.end) return 'outside_hours';
  const b = blockOf(rule, start);
  const bs = b.blockStart.getTime();
  const be = b.blockEnd.getTime();
  for (const a of day.absences) {
    const as = zonedInstant(day.date, a.start!).getTime();
    const ae = zonedInstant(day.date, a.end!).getTime();
    if (as < be && bs < ae) return 'on_leave';
  }
  if (busy.some((x) => x.start < be && bs < x.end)) return 'slot_taken';
  return null;
}

interface ServiceRow extends ServiceRule {
  id: string;
  active: boolean;
}

async function loadService(db: Db, id: string): Promise<ServiceRow | null> {
  const s = await db.selectFrom('service_types').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s) return null;
  return { id: s.id, stationId: s.station_id, mode: s.mode, durationMinutes: s.duration_minutes, bufferMinutes: s.buffer_minutes, travelMinutes: s.travel_minutes, active: s.active === 1 };
}

/** Each worker's days from `first` to `last` (Shanghai dates): hours at the service's station, calendar, absences. */
export async function loadWorkerDays(db: Db, stationId: string, workerIds: string[], first: string, last: string): Promise<Map<string, Map<string, WorkerDay>>> {
  const out = new Map<string, Map<string, WorkerDay>>();
  if (workerIds.length === 0) return out;
  const [hours, calendar, absences] = await Promise.all([
    db.selectFrom('worker_hours').select(['user_id', 'weekday', 'start_minute', 'end_minute']).where('station_id', '=', stationId).where('user_id', 'in', workerIds).execute(),
    db.selectFrom('calendar_days').select(['date', 'kind']).where('date', '>=', first).where('date', '<=', last).execute(),
    // Leave is personal: an absence recorded at any station keeps the worker away from all of them.
    db.selectFrom('worker_exceptions').select(['user_id', 'date', 'start_minute', 'end_minute']).where('user_id', 'in', workerIds).where('date', '>=', first).where('date', '<=', last).execute(),
  ]);
  const cal = new Map(calendar.map((c) => [c.date, c.kind]));
  const dates = datesBetween(first, last);
  for (const w of workerIds) {
    const weekly = hours.filter((h) => h.user_id === w).map((h) => ({ weekday: h.weekday, start: h.start_minute, end: h.end_minute }));
    const days = new Map<string, WorkerDay>();
    for (const date of dates) {
      const kind = cal.get(date) ?? null;
      days.set(date, {
        date,
        holiday: kind === 'holiday',
        hours: hoursForDate(weekly, isoWeekday(date), kind),
        absences: absences.filter((a) => a.user_id === w && a.date === date).map((a) => ({ start: a.start_minute, end: a.end_minute })),
      });
    }
    out.set(w, days);
  }
  return out;
}

/** Who delivers a service type (optionally: is this one of them); a disabled account delivers nothing. */
async function assignedWorkers(db: Db, serviceTypeId: string, workerId?: string): Promise<string[]> {
  let q = db
    .selectFrom('service_type_workers as w')
    .innerJoin('users as u', 'u.id', 'w.user_id')
    .select('w.user_id')
    .where('w.service_type_id', '=', serviceTypeId)
    .where('u.disabled', '=', 0);
  if (workerId) q = q.where('w.user_id', '=', workerId);
  return (await q.orderBy('w.user_id').execute()).map((r) => r.user_id);
}

/** Blocks of the workers' active appointments overlapping [from, to), except one being moved. */
async function busyBlocks(db: Db, workerIds: string[], from: Date, to: Date, excludeAppointmentId?: string): Promise<Map<string, Interval[]>> {
  const out = new Map<string, Interval[]>(workerIds.map((w) => [w, []]));
  if (workerIds.length === 0) return out;
  let q = db
    .selectFrom('appointments')
    .select(['worker_id', 'block_start_at', 'block_end_at'])
    .where('worker_id', 'in', workerIds)
    .where('status', 'in', [...ACTIVE_APPOINTMENT_STATUSES])
    .where('block_start_at', '<', to.toISOString())
    .where('block_end_at', '>', from.toISOString());
  if (excludeAppointmentId) q = q.where('id', '<>', excludeAppointmentId);
  for (const r of await q.execute()) out.get(r.worker_id)!.push({ start: Date.parse(r.block_start_at), end: Date.parse(r.block_end_at) });
  return out;
}

/** Whether `q.start` is bookable; call it inside the booking transaction. */
export async function checkBookable(db: Db, q: BookableQuery, now: Date): Promise<Bookable> {
  const rule = await loadService(db, q.serviceTypeId);
  if (!rule) return { ok: false, reason: 'unknown_service_type' };
  if (!rule.active) return { ok: false, reason: 'inactive' };
  if ((await assignedWorkers(db, rule.id, q.workerId)).length === 0) return { ok: false, reason: 'worker_not_assigned' };
  const date = wallClock(q.start).date;
  const day = (await loadWorkerDays(db, rule.stationId, [q.workerId], date, date)).get(q.workerId)!.get(date)!;
  const b = blockOf(rule, q.start);
  const busy = (await busyBlocks(db, [q.workerId], b.blockStart, b.blockEnd, q.excludeAppointmentId)).get(q.workerId)!;
  const problem = slotProblem(rule, day, q.start, busy, now);
  if (problem) return { ok: false, reason: problem };
  return { ok: true, stationId: rule.stationId, ...b };
}

/** Free slots of a service in [from, to) (by start), per assigned worker, sorted by start. */
export async function listSlots(db: Kysely<DB>, q: { serviceTypeId: string; from: Date; to: Date; workerId?: string }, now: Date): Promise<{ start: string; end: string; workerId: string }[]> {
  const rule = await loadService(db, q.serviceTypeId);
  if (!rule || !rule.active) return [];
  const workers = await assignedWorkers(db, rule.id, q.workerId);
  if (workers.length === 0 || q.to <= q.from) return [];
  const first = wallClock(q.from).date;
  const last = wallClock(new Date(q.to.getTime() - 1)).date;
  const days = await loadWorkerDays(db, rule.stationId, workers, first, last);
  // Wide enough for any block of a slot starting in the range.
  const margin = (rule.travelMinutes + rule.durationMinutes + rule.bufferMinutes) * 60_000;
  const busy = await busyBlocks(db, workers, new Date(q.from.getTime() - margin), new Date(q.to.getTime() + margin));
  const out: { start: string; end: string; workerId: string }[] = [];
  for (const w of workers) {
    for (const day of days.get(w)!.values()) {
      for (const m of gridStarts(day.hours, rule.durationMinutes)) {
        const start = zonedInstant(day.date, m);
        if (start < q.from || start >= q.to) continue;
        if (slotProblem(rule, day, start, busy.get(w)!, now) !== null) continue;
        out.push({ start: start.toISOString(), end: blockOf(rule, start).end.toISOString(), workerId: w });
      }
    }
  }
  return out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.workerId < b.workerId ? -1 : 1));
}
