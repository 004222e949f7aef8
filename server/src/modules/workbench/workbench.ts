import { sql, type Kysely } from 'kysely';
import { ACTIVE_APPOINTMENT_STATUSES, type DB } from '../../db/tables.js';
import { zonedInstant, wallClock, addDays } from '../scheduling/zoned.js';
import { countToRate } from '../feedback/feedback.js';
import { dueSummary } from '../visits/due.js';

/** What needs doing today at a worker's stations, as counts the workbench turns into links. */
export interface Workbench {
  appointmentsToday: number;
  myAppointmentsToday: number;
  consultationsWaiting: number;
  consultationsOverdue: number;
  requestsUnassigned: number;
  myRequests: number;
  visitsOverdue: number;
  visitsDueSoon: number;
  visitsOverdueHighTier: number;
  myVisitsOverdue: number;
  complaintsOpen: number;
  complaintsOverdue: number;
  toRate: number;
}

const n = (x: unknown) => Number(x ?? 0);

/**
 * Counts, each by the same rule its own list uses: consultations waiting for a staff reply (overdue
 * past the office-hours deadline), requests nobody has taken, visits due by tier cadence, open
 * complaints (a complaint naming a worker counts only for station heads, as only they see it), and
 * services of the last 7 days nobody has asked the resident to rate.
 */
export async function workbench(db: Kysely<DB>, pg: boolean, stationIds: string[], userId: string, headStationIds: string[], now: Date): Promise<Workbench> {
  const zero: Workbench = {
    appointmentsToday: 0, myAppointmentsToday: 0, consultationsWaiting: 0, consultationsOverdue: 0, requestsUnassigned: 0, myRequests: 0,
    visitsOverdue: 0, visitsDueSoon: 0, visitsOverdueHighTier: 0, myVisitsOverdue: 0, complaintsOpen: 0, complaintsOverdue: 0, toRate: 0,
  };
  if (stationIds.length === 0) return zero;
  const iso = now.toISOString();
  const today = wallClock(now).date;
  const dayStart = zonedInstant(today, 0).toISOString();
  const dayEnd = zonedInstant(addDays(today, 1), 0).toISOString();

  const [appts, consults, requests, complaints, toRate, visits] = await Promise.all([
    db
      .selectFrom('appointments')
      .select([(eb) => eb.fn.countAll().as('all'), sql<number>`sum(case when worker_id = ${userId} then 1 else 0 end)`.as('mine')])
      .where('station_id', 'in', stationIds)
      .where('status', 'in', [...ACTIVE_APPOINTMENT_STATUSES])
      .where('start_at', '>=', dayStart)
      .where('start_at', '<', dayEnd)
      .executeTakeFirst(),
    db
      .selectFrom('consultations')
      .select([(eb) => eb.fn.countAll().as('all'), sql<number>`sum(case when first_response_at is null and first_response_due_at < ${iso} then 1 else 0 end)`.as('overdue')])
      .where('station_id', 'in', stationIds)
      .where('status', '=', 'open')
      .executeTakeFirst(),
    db
      .selectFrom('service_requests')
      .select([
        sql<number>`sum(case when status = 'open' then 1 else 0 end)`.as('open'),
        sql<number>`sum(case when status in ('assigned','in_progress') and assignee_id = ${userId} then 1 else 0 end)`.as('mine'),
      ])
      .where('station_id', 'in', stationIds)
      .where('status', 'in', ['open', 'assigned', 'in_progress'])
      .executeTakeFirst(),
    db
      .selectFrom('feedback_items')
      .select([(eb) => eb.fn.countAll().as('all'), sql<number>`sum(case when due_at < ${iso} then 1 else 0 end)`.as('overdue')])
      .where('station_id', 'in', stationIds)
      .where('kind', '=', 'complaint')
      .where('status', 'in', ['open', 'in_progress'])
      // Heads see every complaint of the stations they head; elsewhere a complaint naming a worker is hidden.
      // Its subjects never see it, head or not: the worker it names and whoever led the service it is about
      // (feedback's complaintSubjects and itemsVisibleSql).
      .where((eb) =>
        eb.and([
          eb.or([eb('about_worker_id', 'is', null), ...(headStationIds.length ? [eb('station_id', 'in', headStationIds)] : [])]),
          eb.or([eb('about_worker_id', 'is', null), eb('about_worker_id', '<>', userId)]),
          sql<boolean>`not exists (select 1 from service_records sr where sr.id = feedback_items.service_record_id and sr.worker_id = ${userId})`,
          sql<boolean>`not exists (select 1 from service_record_workers srw where srw.service_record_id = feedback_items.service_record_id and srw.user_id = ${userId})`,
        ]),
      )
      .executeTakeFirst(),
    countToRate(db, stationIds, now),
    dueSummary(db, pg, { stationIds }, now),
  ]);
  return {
    appointmentsToday: n(appts?.all),
    myAppointmentsToday: n(appts?.mine),
    consultationsWaiting: n(consults?.all),
    consultationsOverdue: n(consults?.overdue),
    requestsUnassigned: n(requests?.open),
    myRequests: n(requests?.mine),
    visitsOverdue: visits.overdue,
    visitsDueSoon: visits.dueSoon,
    visitsOverdueHighTier: visits.overdueHighTier,
    // A worker's count is the sum over the villages they cover, as the summary's scope=mine computes it.
    myVisitsOverdue: visits.byWorker.find((w) => w.workerId === userId)?.overdue ?? 0,
    complaintsOpen: n(complaints?.all),
    complaintsOverdue: n(complaints?.overdue),
    toRate,
  };
}
