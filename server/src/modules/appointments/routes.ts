import type { TSchema } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { AppointmentTable, DB, ServiceTypeTable } from '../../db/tables.js';
import type { Transaction } from 'kysely';
import { writeAudit } from '../../lib/audit.js';
import type { App } from '../../lib/deps.js';
import { badRequest, notFound, unprocessable } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { parseInstant } from '../../lib/pagination.js';
import { allow, allowRecord } from '../../lib/policy.js';
import { Page, StringEnum, errors } from '../../lib/schema.js';
import { Type } from 'typebox';
import { sql } from 'kysely';
import { requireConsent } from '../consents/consents.js';
import { recordEvent } from '../residents/timeline.js';
import { askForRating } from '../feedback/feedback.js';
import { METHOD_OF_MODE, insertServiceRecord } from '../service-records/records.js';
import { STAFF_ROLES, linkedResidentIds, loadAppointmentInScope, residentForBooking } from './access.js';
import {
  TRANSITIONS, appointmentView, cancelNotificationsForAppointment, casUpdate, chooseWorker, isOverlapError, listAppointments, notBookableError, notify,
  scheduleReminders, transitionError,
} from './appointments.js';
import { AppointmentResponse, AppointmentSchema, BookBody, CancelBody, CompleteBody, IdParams, ListQuery, RescheduleBody, VersionBody } from './schema.js';

const tags = ['appointments'];

/**
 * Run a booking write; the database's no-overlap rule (exclusion constraint or trigger) answers 409
 * slot_taken. Bookings of one worker queue on a lock first (chooseWorker), so the constraint is the
 * backstop rather than the queue; should PostgreSQL still abort one as a deadlock or serialization
 * failure, nothing was written and it runs again from the start.
 */
async function guardOverlap<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (isOverlapError(e)) throw notBookableError('slot_taken');
      if (isRetryable(e) && attempt < 3) continue;
      throw e;
    }
  }
}

/** PostgreSQL deadlock_detected or serialization_failure: nothing was written; the transaction may run again. */
const isRetryable = (e: unknown) => {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
};

export async function appointmentRoutes(app: App): Promise<void> {
  const deps = app.xq;
  const { db, clock } = deps;

  const serviceTypeOf = (trx: Transaction<DB>, id: string) => trx.selectFrom('service_types').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  app.post(
    '/appointments',
    {
      config: { policy: allow('appointments'), idempotent: true },
      schema: {
        tags,
        summary: 'Book a slot for a resident: by the resident (for themselves or a linked household member) or by staff on their behalf. 409 slot_taken if taken; honours Idempotency-Key',
        body: BookBody,
        response: { 201: AppointmentResponse, ...errors },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const now = clock.now();
      const userId = req.auth!.user.id;
      const { resident, asStaff } = await residentForBooking(deps, req, b.residentId);
      if (!asStaff && b.channel) throw badRequest('validation_failed', { channel: 'not_allowed_value' });
      const type = await db.selectFrom('service_types').selectAll().where('id', '=', b.serviceTypeId).executeTakeFirst();
      if (!type || type.station_id !== resident.station_id) throw badRequest('validation_failed', { serviceTypeId: 'unknown_service_type' });
      if (resident.status !== 'active') throw notBookableError('resident_inactive');
      if (!asStaff && type.resident_bookable !== 1) throw notBookableError('staff_only');
      const start = parseInstant(b.start, 'start');
      const id = await guardOverlap(() =>
        db.transaction().execute(async (trx) => {
          // The one bookability function decides, inside the write transaction; the database's
          // no-overlap rule is the last word when two bookings race past it together.
          const slot = await chooseWorker(trx, type.id, start, b.workerId, now);
          await requireConsent(trx, resident.id, 'service', now);
          const row: AppointmentTable = {
            id: newId(now.getTime()),
            station_id: resident.station_id,
            service_type_id: type.id,
            resident_id: resident.id,
            worker_id: slot.workerId,
            start_at: start.toISOString(),
            end_at: slot.end.toISOString(),
            block_start_at: slot.blockStart.toISOString(),
            block_end_at: slot.blockEnd.toISOString(),
            status: asStaff ? 'confirmed' : 'requested',
            channel: asStaff ? (b.channel ?? 'staff') : 'self',
            note: b.note?.trim() || null,
            booked_by: userId,
            cancel_reason: null,
            version: 1,
            created_at: now.toISOString(),
            updated_at: now.toISOString(),
          };
          await trx.insertInto('appointments').values(row).execute();
          await scheduleReminders(trx, row, type, now);
          if (asStaff) await notify(trx, row, type, 'resident', 'appointment_confirmed', now);
          else await notify(trx, row, type, 'worker', 'appointment_requested', now);
          await recordEvent(
            trx,
            { residentId: resident.id, stationId: row.station_id, actorId: userId, kind: 'appointment_booked', detail: { appointmentId: row.id, serviceTypeId: type.id, serviceName: type.name, start: row.start_at, workerId: row.worker_id, status: row.status } },
            now,
          );
          // Last: on PostgreSQL the audit chain's lock is held from here to the commit.
          await writeAudit(trx, req.actor(), { action: 'appointment.book', result: 'ok', entityType: 'appointment', entityId: row.id, stationId: row.station_id, detail: { residentId: resident.id, workerId: row.worker_id, start: row.start_at, channel: row.channel } }, now);
          return row.id;
        }),
      );
      return reply.status(201).send({ appointment: await appointmentView(db, id) });
    },
  );

  app.get(
    '/appointments',
    { config: { policy: allow('appointments') }, schema: { tags, summary: "Appointments in time order: a station's for staff, the linked residents' for a resident account", querystring: ListQuery, response: { 200: Page(AppointmentSchema), ...errors } } },
    async (req) => {
      const { limit, cursor, ...filters } = req.query;
      if (filters.from && filters.to && Date.parse(filters.from) > Date.parse(filters.to)) throw badRequest('validation_failed', { to: 'end_before_start' });
      const p = req.auth!.principal;
      return listAppointments(db, p, await linkedResidentIds(db, p), filters, limit ?? 20, cursor);
    },
  );

  app.get(
    '/appointments/residents',
    {
      config: { policy: allow('appointments') },
      schema: {
        tags,
        summary: 'Whom this resident account may book for: itself and linked household members (empty for staff)',
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), relation: StringEnum(['self', 'family', 'guardian'] as const) })) }), ...errors },
      },
    },
    async (req) => {
      const items = await db
        .selectFrom('resident_accounts as ra')
        .innerJoin('residents as r', 'r.id', 'ra.resident_id')
        .select(['r.id', 'r.name', 'ra.relation'])
        .where('ra.user_id', '=', req.auth!.user.id)
        .where('r.status', '=', 'active')
        .where('r.anonymised_at', 'is', null)
        // The account holder first, then the family members they look after.
        .orderBy(sql`case when ra.relation = 'self' then 0 else 1 end`)
        .orderBy('r.name')
        .execute();
      return { items };
    },
  );

  app.get(
    '/appointments/:id',
    { config: { policy: allowRecord('appointments') }, schema: { tags, summary: 'One appointment', params: IdParams, response: { 200: AppointmentResponse, ...errors } } },
    async (req) => {
      const { row } = await loadAppointmentInScope(deps, req, req.params.id);
      return { appointment: await appointmentView(db, row.id) };
    },
  );

  /** Staff-only actions answer 404 to a resident, as for an appointment they cannot act on. */
  async function loadForAction(req: FastifyRequest, id: string, staffOnly: boolean) {
    const loaded = await loadAppointmentInScope(deps, req, id);
    if (staffOnly && !loaded.asStaff) throw notFound('appointment');
    return loaded;
  }

  const audit = (trx: Transaction<DB>, req: FastifyRequest, action: string, a: AppointmentTable, now: Date, detail?: Record<string, unknown>) =>
    writeAudit(trx, req.actor(), { action: `appointment.${action}`, result: 'ok', entityType: 'appointment', entityId: a.id, stationId: a.station_id, detail: detail ?? null }, now);

  const event = (trx: Transaction<DB>, req: FastifyRequest, kind: string, a: AppointmentTable, type: ServiceTypeTable, now: Date, extra: Record<string, unknown> = {}) =>
    recordEvent(trx, { residentId: a.resident_id, stationId: a.station_id, actorId: req.auth!.user.id, kind, detail: { appointmentId: a.id, serviceTypeId: type.id, serviceName: type.name, start: a.start_at, ...extra } }, now);

  /** Options of an action route: staff-only actions answer 404 to residents (allowRecord). */
  const action = <B extends TSchema>(summary: string, staffOnly: boolean, body: B) => ({
    config: { policy: staffOnly ? allowRecord('appointments', STAFF_ROLES) : allowRecord('appointments'), idempotent: true },
    schema: { tags, summary, params: IdParams, body, response: { 200: AppointmentResponse, ...errors } },
  });

  app.post(
    '/appointments/:id/confirm',
    action('Confirm a requested appointment (send the version you read; 409 version_conflict, 422 invalid_transition)', true, VersionBody),
    async (req) => {
      await loadForAction(req, req.params.id, true);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const a = await casUpdate(trx, req.params.id, req.body.version, TRANSITIONS.confirm.from, { status: 'confirmed' }, now);
        const type = await serviceTypeOf(trx, a.service_type_id);
        await notify(trx, a, type, 'resident', 'appointment_confirmed', now);
        await audit(trx, req, 'confirm', a, now);
      });
      return { appointment: await appointmentView(db, req.params.id) };
    },
  );

  app.post(
    '/appointments/:id/check-in',
    action('The resident has arrived (or the visit or call has begun)', true, VersionBody),
    async (req) => {
      await loadForAction(req, req.params.id, true);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const a = await casUpdate(trx, req.params.id, req.body.version, TRANSITIONS['check-in'].from, { status: 'checked_in' }, now);
        await audit(trx, req, 'check_in', a, now);
      });
      return { appointment: await appointmentView(db, req.params.id) };
    },
  );

  app.post(
    '/appointments/:id/no-show',
    action('The resident did not come (only once the start time has passed); frees the time', true, VersionBody),
    async (req) => {
      const { row } = await loadForAction(req, req.params.id, true);
      const now = clock.now();
      if (Date.parse(row.start_at) > now.getTime() && row.version === req.body.version) throw unprocessable('invalid_transition', { status: row.status, reason: 'not_started' });
      await db.transaction().execute(async (trx) => {
        const a = await casUpdate(trx, req.params.id, req.body.version, TRANSITIONS['no-show'].from, { status: 'no_show' }, now);
        await cancelNotificationsForAppointment(trx, a.id, now);
        await event(trx, req, 'appointment_no_show', a, await serviceTypeOf(trx, a.service_type_id), now);
        await audit(trx, req, 'no_show', a, now);
      });
      return { appointment: await appointmentView(db, req.params.id) };
    },
  );

  app.post(
    '/appointments/:id/cancel',
    action('Cancel (staff, or the resident for their own); pending reminders are cancelled in the same transaction', false, CancelBody),
    async (req) => {
      const { asStaff } = await loadForAction(req, req.params.id, false);
      const now = clock.now();
      const reason = req.body.reason?.trim() || null;
      await db.transaction().execute(async (trx) => {
        const a = await casUpdate(trx, req.params.id, req.body.version, TRANSITIONS.cancel.from, { status: 'cancelled', cancel_reason: reason }, now);
        // In the cancelling transaction: no reminder can be sent for a cancelled appointment.
        const cancelled = await cancelNotificationsForAppointment(trx, a.id, now);
        const type = await serviceTypeOf(trx, a.service_type_id);
        // The other side hears of it; this notice is not tied to the appointment, so it is not cancelled with it.
        await notify(trx, a, type, asStaff ? 'resident' : 'worker', 'appointment_cancelled', now, { linked: false, reason });
        await event(trx, req, 'appointment_cancelled', a, type, now, reason ? { reason } : {});
        await audit(trx, req, 'cancel', a, now, { reason, remindersCancelled: cancelled, by: asStaff ? 'staff' : 'resident' });
      });
      return { appointment: await appointmentView(db, req.params.id) };
    },
  );

  app.post(
    '/appointments/:id/reschedule',
    action('Move to another slot (its own current time does not count against it); reminders move with it', false, RescheduleBody),
    async (req) => {
      const { row, asStaff } = await loadForAction(req, req.params.id, false);
      const b = req.body;
      const now = clock.now();
      const from = TRANSITIONS.reschedule.from;
      if (row.version !== b.version || !(from as readonly string[]).includes(row.status)) throw transitionError(row, b.version, from);
      const type = await db.selectFrom('service_types').selectAll().where('id', '=', row.service_type_id).executeTakeFirstOrThrow();
      if (!asStaff && type.resident_bookable !== 1) throw notBookableError('staff_only');
      const start = parseInstant(b.start, 'start');
      const resident = await db.selectFrom('residents').select('status').where('id', '=', row.resident_id).executeTakeFirstOrThrow();
      if (resident.status !== 'active') throw notBookableError('resident_inactive');
      await guardOverlap(() =>
        db.transaction().execute(async (trx) => {
          const slot = await chooseWorker(trx, type.id, start, b.workerId ?? row.worker_id, now, row.id);
          // Moving is booking again: a withdrawn service consent refuses it, as it refuses a new booking.
          await requireConsent(trx, row.resident_id, 'service', now);
          const a = await casUpdate(
            trx,
            row.id,
            b.version,
            from,
            {
              worker_id: slot.workerId,
              start_at: start.toISOString(),
              end_at: slot.end.toISOString(),
              block_start_at: slot.blockStart.toISOString(),
              block_end_at: slot.blockEnd.toISOString(),
              // A resident's move needs the station to confirm it again.
              ...(asStaff ? {} : { status: 'requested' as const }),
            },
            now,
          );
          await cancelNotificationsForAppointment(trx, a.id, now);
          await scheduleReminders(trx, a, type, now);
          await notify(trx, a, type, asStaff ? 'resident' : 'worker', 'appointment_rescheduled', now);
          await event(trx, req, 'appointment_rescheduled', a, type, now, { previousStart: row.start_at, workerId: a.worker_id });
          await audit(trx, req, 'reschedule', a, now, { from: row.start_at, to: a.start_at, fromWorkerId: row.worker_id, workerId: a.worker_id });
        }),
      );
      return { appointment: await appointmentView(db, req.params.id) };
    },
  );

  app.post(
    '/appointments/:id/complete',
    action('Complete a checked-in appointment: writes its service record (once) and the timeline entry', true, CompleteBody),
    async (req) => {
      await loadForAction(req, req.params.id, true);
      const b = req.body;
      if (!b.summary.trim()) throw badRequest('validation_failed', { summary: 'required' });
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const a = await casUpdate(trx, req.params.id, b.version, TRANSITIONS.complete.from, { status: 'completed' }, now);
        // Completing writes a service record: like every other way of writing one, it needs the service
        // consent at this moment (withdrawn since booking → 422, and nothing is written).
        await requireConsent(trx, a.resident_id, 'service', now);
        const type = await serviceTypeOf(trx, a.service_type_id);
        await cancelNotificationsForAppointment(trx, a.id, now);
        const recordId = await insertServiceRecord(
          trx,
          {
            stationId: a.station_id,
            residentId: a.resident_id,
            workerId: a.worker_id,
            serviceTypeId: type.id,
            method: METHOD_OF_MODE[type.mode],
            start: new Date(a.start_at),
            end: new Date(a.end_at),
            place: null,
            summary: b.summary.trim(),
            outcome: b.outcome?.trim() || null,
            followUpNeeded: b.followUpNeeded ?? false,
            source: 'appointment',
            sourceId: a.id,
            createdBy: req.auth!.user.id,
          },
          now,
        );
        // The resident's linked accounts are asked to rate it (回访), in the completing transaction.
        await askForRating(trx, { stationId: a.station_id, residentId: a.resident_id, serviceRecordId: recordId, serviceName: type.name }, now);
        await audit(trx, req, 'complete', a, now, { serviceRecordId: recordId });
      });
      return { appointment: await appointmentView(db, req.params.id) };
    },
  );
}
