import { Type } from 'typebox';
import { auditDenied } from '../../lib/guard.js';
import type { FastifyRequest } from 'fastify';
import { writeAudit } from '../../lib/audit.js';
import type { App } from '../../lib/deps.js';
import { badRequest, forbidden, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { decodeCursor, pageOf } from '../../lib/pagination.js';
import { allow, inScope, selfRoute } from '../../lib/policy.js';
import { errors, Page } from '../../lib/schema.js';
import {
  assertWorkers, checkHours, headScope, serviceTypeViews, setWorkers, staffScope, stationWorkers, visibleServiceTypes, workerStations,
} from './scheduling.js';
import {
  CalendarDayView, CalendarQuery, CreateExceptionBody, CreateServiceTypeBody, DateParams, ExceptionListQuery, ExceptionParams, ExceptionView,
  HoursView, IdParams, MAX_SLOT_RANGE_DAYS, PatchServiceTypeBody, PutCalendarBody, PutHoursBody, ServiceTypeListQuery, ServiceTypeView, SlotsQuery,
  SlotView, StationQuery, UserParams,
} from './schema.js';
import { listSlots } from './slots.js';
import { isCalendarDate, wallClock, zonedInstant } from './zoned.js';

const tags = ['scheduling'];
/** Residents read the catalogue and slots of their station to book; staff read everything of theirs. */
const readers = allow('appointments');
const heads = allow('services', ['station_head']);
const staff = allow('services');

/** Routes under /api: the service catalogue, worker hours and leave, the national calendar, free slots. */
export async function schedulingRoutes(app: App): Promise<void> {
  const deps = app.xq;
  const { db, clock } = deps;
  const principal = (req: FastifyRequest) => req.auth!.principal;

  async function denied(req: FastifyRequest, entityType: string, entityId: string) {
    await auditDenied(deps, req, { type: entityType, id: entityId });
  }

  /** A service type the user may see, or 404 (an existing one out of reach is audited as denied). */
  async function visibleType(req: FastifyRequest, id: string) {
    const row = await visibleServiceTypes(deps.readDb, principal(req)).where('id', '=', id).executeTakeFirst();
    if (row) return row;
    if (await db.selectFrom('service_types').select('id').where('id', '=', id).executeTakeFirst()) await denied(req, 'service_type', id);
    throw notFound('service_type');
  }

  /** The worker's station for hours and leave: the one asked for, else their first the user reaches. */
  async function workerAt(req: FastifyRequest, userId: string, stationId?: string): Promise<string> {
    const stations = await workerStations(db, userId, staffScope(principal(req)));
    const station = stationId ? stations.find((s) => s === stationId) : stations[0];
    if (station) return station;
    if (await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst()) await denied(req, 'user', userId);
    throw notFound('worker');
  }

  const mayManage = (req: FastifyRequest, stationId: string) => inScope(headScope(principal(req)), stationId);

  // ---------------------------------------------------------------- service types (服务项目)

  app.get(
    '/service-types',
    { config: { policy: readers }, schema: { tags, summary: "Service types of the user's stations (residents: the active ones they may book)", querystring: ServiceTypeListQuery, response: { 200: Page(ServiceTypeView), ...errors } } },
    async (req) => {
      const { stationId, bookable, active, cursor } = req.query;
      const limit = req.query.limit ?? 20;
      let q = visibleServiceTypes(db, principal(req));
      if (stationId) q = q.where('station_id', '=', stationId);
      if (bookable) q = q.where('resident_bookable', '=', 1);
      if (active !== undefined) q = q.where('active', '=', active ? 1 : 0);
      const after = decodeCursor(cursor);
      if (after) q = q.where('id', '>', after);
      const page = pageOf(await q.orderBy('id').limit(limit + 1).execute(), limit, (r) => r.id);
      return { items: await serviceTypeViews(db, page.items), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/service-types/:id',
    { config: { policy: readers }, schema: { tags, summary: 'One service type', params: IdParams, response: { 200: Type.Object({ serviceType: ServiceTypeView }), ...errors } } },
    async (req) => ({ serviceType: (await serviceTypeViews(db, [await visibleType(req, req.params.id)]))[0]! }),
  );

  app.post(
    '/service-types',
    { config: { policy: heads, idempotent: true }, schema: { tags, summary: 'Add a service type to a station (station heads; honours Idempotency-Key)', body: CreateServiceTypeBody, response: { 201: Type.Object({ serviceType: ServiceTypeView }), ...errors } } },
    async (req, reply) => {
      const b = req.body;
      const scope = headScope(principal(req));
      const own = scope.all ? [] : scope.stationIds;
      const stationId = b.stationId ?? (own.length === 1 ? own[0] : undefined);
      if (!stationId) throw badRequest('validation_failed', { stationId: 'required' });
      if (!inScope(scope, stationId)) throw badRequest('validation_failed', { stationId: 'unknown_station' });
      const workerIds = b.workerIds ?? [];
      await assertWorkers(db, stationId, workerIds);
      const now = clock.now();
      const id = newId(now.getTime());
      await db.transaction().execute(async (trx) => {
        const clash = await trx.selectFrom('service_types').select('id').where('station_id', '=', stationId).where('name', '=', b.name.trim()).executeTakeFirst();
        if (clash) throw badRequest('validation_failed', { name: 'taken' });
        await trx
          .insertInto('service_types')
          .values({
            id, station_id: stationId, name: b.name.trim(), area: b.area, mode: b.mode, duration_minutes: b.durationMinutes, buffer_minutes: b.bufferMinutes ?? 0,
            travel_minutes: b.travelMinutes ?? 0, resident_bookable: b.residentBookable ? 1 : 0, description: b.description?.trim() || null, active: b.active === false ? 0 : 1,
            created_at: now.toISOString(), updated_at: now.toISOString(),
          })
          .execute();
        await setWorkers(trx, stationId, id, workerIds);
        await writeAudit(trx, req.actor(), { action: 'service_type.create', result: 'ok', entityType: 'service_type', entityId: id, stationId, detail: { name: b.name.trim(), mode: b.mode, workers: workerIds.length } }, now);
      });
      const row = await db.selectFrom('service_types').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return reply.status(201).send({ serviceType: (await serviceTypeViews(db, [row]))[0]! });
    },
  );

  app.patch(
    '/service-types/:id',
    { config: { policy: heads }, schema: { tags, summary: 'Change a service type or who delivers it (station heads). Existing appointments keep their times.', params: IdParams, body: PatchServiceTypeBody, response: { 200: Type.Object({ serviceType: ServiceTypeView }), ...errors } } },
    async (req) => {
      const cur = await visibleType(req, req.params.id);
      if (!mayManage(req, cur.station_id)) throw forbidden();
      const b = req.body;
      if (b.workerIds) await assertWorkers(db, cur.station_id, b.workerIds);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const name = b.name?.trim();
        if (name && name !== cur.name) {
          const clash = await trx.selectFrom('service_types').select('id').where('station_id', '=', cur.station_id).where('name', '=', name).executeTakeFirst();
          if (clash) throw badRequest('validation_failed', { name: 'taken' });
        }
        await trx
          .updateTable('service_types')
          .set({
            ...(name !== undefined && { name }),
            ...(b.area !== undefined && { area: b.area }),
            ...(b.mode !== undefined && { mode: b.mode }),
            ...(b.durationMinutes !== undefined && { duration_minutes: b.durationMinutes }),
            ...(b.bufferMinutes !== undefined && { buffer_minutes: b.bufferMinutes }),
            ...(b.travelMinutes !== undefined && { travel_minutes: b.travelMinutes }),
            ...(b.residentBookable !== undefined && { resident_bookable: b.residentBookable ? 1 : 0 }),
            ...(b.description !== undefined && { description: b.description?.trim() || null }),
            ...(b.active !== undefined && { active: b.active ? 1 : 0 }),
            updated_at: now.toISOString(),
          })
          .where('id', '=', cur.id)
          .execute();
        if (b.workerIds) await setWorkers(trx, cur.station_id, cur.id, b.workerIds);
        await writeAudit(trx, req.actor(), { action: 'service_type.update', result: 'ok', entityType: 'service_type', entityId: cur.id, stationId: cur.station_id, detail: { fields: Object.keys(b) } }, now);
      });
      const row = await db.selectFrom('service_types').selectAll().where('id', '=', cur.id).executeTakeFirstOrThrow();
      return { serviceType: (await serviceTypeViews(db, [row]))[0]! };
    },
  );

  app.get(
    '/service-workers',
    { config: { policy: staff }, schema: { tags, summary: 'Accounts that can deliver services at a station (for assignment and schedules)', querystring: StationQuery, response: { 200: Type.Object({ stationId: Type.String(), items: Type.Array(Type.Object({ id: Type.String(), displayName: Type.String(), roles: Type.Array(Type.String()) })) }), ...errors } } },
    async (req) => {
      const scope = staffScope(principal(req));
      const stationId = req.query.stationId ?? (scope.all ? undefined : scope.stationIds[0]);
      if (!stationId || !inScope(scope, stationId)) throw notFound('station');
      return { stationId, items: await stationWorkers(db, stationId) };
    },
  );

  // ---------------------------------------------------------------- free slots

  app.get(
    '/slots',
    { config: { policy: readers }, schema: { tags, summary: 'Free slots of a service type in [from, to) (at most 31 days), per worker; the same rule booking uses', querystring: SlotsQuery, response: { 200: Type.Object({ items: Type.Array(SlotView) }), ...errors } } },
    async (req) => {
      const from = new Date(req.query.from);
      const to = new Date(req.query.to);
      if (!(to > from)) throw badRequest('validation_failed', { to: 'end_before_start' });
      if (to.getTime() - from.getTime() > MAX_SLOT_RANGE_DAYS * 86_400_000) throw badRequest('validation_failed', { to: 'range_too_long' });
      const type = await visibleType(req, req.query.serviceTypeId);
      // On the reader: a slot list must not wait behind the bookings it is racing (bench booking).
      const items = await listSlots(deps.readDb, { serviceTypeId: type.id, from, to, workerId: req.query.workerId }, clock.now());
      return { items };
    },
  );

  // ---------------------------------------------------------------- weekly hours

  app.get(
    '/workers/:userId/hours',
    { config: { policy: staff }, schema: { tags, summary: "A worker's weekly hours at a station (Asia/Shanghai minutes, ISO weekdays)", params: UserParams, querystring: StationQuery, response: { 200: HoursView, ...errors } } },
    async (req) => {
      const stationId = await workerAt(req, req.params.userId, req.query.stationId);
      const rows = await db.selectFrom('worker_hours').selectAll().where('user_id', '=', req.params.userId).where('station_id', '=', stationId).orderBy('weekday').orderBy('start_minute').execute();
      return { userId: req.params.userId, stationId, items: rows.map((r) => ({ weekday: r.weekday, startMinute: r.start_minute, endMinute: r.end_minute })) };
    },
  );

  app.put(
    '/workers/:userId/hours',
    { config: { policy: heads }, schema: { tags, summary: "Replace a worker's weekly hours at a station (station heads). Existing appointments keep their times.", params: UserParams, body: PutHoursBody, response: { 200: HoursView, ...errors } } },
    async (req) => {
      const userId = req.params.userId;
      const stationId = await workerAt(req, userId, req.body.stationId);
      if (!mayManage(req, stationId)) throw forbidden();
      const items = req.body.items;
      checkHours(items);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('worker_hours').where('user_id', '=', userId).where('station_id', '=', stationId).execute();
        if (items.length) {
          await trx.insertInto('worker_hours').values(items.map((h) => ({ station_id: stationId, user_id: userId, weekday: h.weekday, start_minute: h.startMinute, end_minute: h.endMinute }))).execute();
        }
        await writeAudit(trx, req.actor(), { action: 'worker_hours.set', result: 'ok', entityType: 'user', entityId: userId, stationId, detail: { blocks: items.length } }, now);
      });
      const sorted = [...items].sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute);
      return { userId, stationId, items: sorted };
    },
  );

  // ---------------------------------------------------------------- leave and other absences

  const exceptionView = (r: { id: string; user_id: string; station_id: string; date: string; start_minute: number | null; end_minute: number | null; kind: 'leave' | 'training' | 'other'; note: string | null; created_at: string }) => ({
    id: r.id, userId: r.user_id, stationId: r.station_id, date: r.date, startMinute: r.start_minute, endMinute: r.end_minute, kind: r.kind, note: r.note, createdAt: r.created_at,
  });

  app.get(
    '/workers/:userId/exceptions',
    { config: { policy: staff }, schema: { tags, summary: "A worker's leave, training and other absences (dates in Asia/Shanghai), default from today on", params: UserParams, querystring: ExceptionListQuery, response: { 200: Type.Object({ items: Type.Array(ExceptionView) }), ...errors } } },
    async (req) => {
      await workerAt(req, req.params.userId);
      const from = req.query.from ?? wallClock(clock.now()).date;
      let q = db.selectFrom('worker_exceptions').selectAll().where('user_id', '=', req.params.userId).where('date', '>=', from);
      if (req.query.to) q = q.where('date', '<=', req.query.to);
      const rows = await q.orderBy('date').orderBy('start_minute').limit(500).execute();
      // Leave is personal and counts at every station the worker serves, so the dates are shown; the note
      // (often a reason such as an illness) stays with the station that recorded it.
      const scope = staffScope(principal(req));
      return { items: rows.map((r) => exceptionView(inScope(scope, r.station_id) ? r : { ...r, note: null })) };
    },
  );

  app.post(
    '/workers/:userId/exceptions',
    { config: { policy: staff, idempotent: true }, schema: { tags, summary: 'Record leave, training or another absence (station heads, or the worker for themselves); says how many booked appointments it touches', params: UserParams, body: CreateExceptionBody, response: { 201: Type.Object({ exception: ExceptionView, affectedAppointments: Type.Integer() }), ...errors } } },
    async (req, reply) => {
      const userId = req.params.userId;
      const stationId = await workerAt(req, userId, req.body.stationId);
      if (!mayManage(req, stationId) && userId !== req.auth!.user.id) throw forbidden();
      const b = req.body;
      const start = b.startMinute ?? null;
      const end = b.endMinute ?? null;
      const fields: Record<string, string> = {};
      if (!isCalendarDate(b.date)) fields.date = 'date_invalid';
      if ((start === null) !== (end === null)) fields[start === null ? 'startMinute' : 'endMinute'] = 'required';
      else if (start !== null && end !== null && end <= start) fields.endMinute = 'end_before_start';
      if (start !== null && start > 1439) fields.startMinute = 'invalid';
      if (Object.keys(fields).length) throw badRequest('validation_failed', fields);
      const now = clock.now();
      const id = newId(now.getTime());
      const affected = await db.transaction().execute(async (trx) => {
        await trx.insertInto('worker_exceptions').values({ id, station_id: stationId, user_id: userId, date: b.date, start_minute: start, end_minute: end, kind: b.kind, note: b.note?.trim() || null, created_at: now.toISOString() }).execute();
        await writeAudit(trx, req.actor(), { action: 'worker_exception.create', result: 'ok', entityType: 'user', entityId: userId, stationId, detail: { exceptionId: id, date: b.date, kind: b.kind } }, now);
        // Booked appointments are not moved automatically: the station calls the residents.
        const from = zonedInstant(b.date, start ?? 0).toISOString();
        const to = zonedInstant(b.date, end ?? 1440).toISOString();
        const n = await trx
          .selectFrom('appointments')
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .where('worker_id', '=', userId)
          .where('status', 'in', ['requested', 'confirmed'])
          .where('block_start_at', '<', to)
          .where('block_end_at', '>', from)
          .executeTakeFirstOrThrow();
        return Number(n.n);
      });
      const row = await db.selectFrom('worker_exceptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return reply.status(201).send({ exception: exceptionView(row), affectedAppointments: affected });
    },
  );

  app.delete(
    '/workers/:userId/exceptions/:id',
    { config: { policy: staff }, schema: { tags, summary: 'Remove an absence (station heads, or the worker for themselves)', params: ExceptionParams, response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      const { userId, id } = req.params;
      await workerAt(req, userId);
      const row = await db.selectFrom('worker_exceptions').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      if (!row || !inScope(staffScope(principal(req)), row.station_id)) throw notFound('exception');
      if (!mayManage(req, row.station_id) && userId !== req.auth!.user.id) throw forbidden();
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('worker_exceptions').where('id', '=', id).execute();
        await writeAudit(trx, req.actor(), { action: 'worker_exception.delete', result: 'ok', entityType: 'user', entityId: userId, stationId: row.station_id, detail: { exceptionId: id, date: row.date, kind: row.kind } }, now);
      });
      return reply.status(204).send(null);
    },
  );

  // ---------------------------------------------------------------- the national calendar

  app.get(
    '/calendar',
    // Public holidays are public facts; any signed-in user may read them.
    { config: { policy: selfRoute }, schema: { tags, summary: 'Public holidays and make-up working days (调休) of a year', querystring: CalendarQuery, response: { 200: Type.Object({ items: Type.Array(CalendarDayView) }), ...errors } } },
    async (req) => {
      const y = String(req.query.year);
      const rows = await db.selectFrom('calendar_days').selectAll().where('date', '>=', `${y}-01-01`).where('date', '<=', `${y}-12-31`).orderBy('date').execute();
      return { items: rows };
    },
  );

  app.put(
    '/calendar/:date',
    { config: { policy: allow('organisation', ['system_admin', 'station_head']) }, schema: { tags, summary: 'Mark a date a holiday, a make-up working day, or an ordinary day again (system administrators and station heads)', params: DateParams, body: PutCalendarBody, response: { 200: Type.Object({ day: Type.Union([CalendarDayView, Type.Null()]) }), ...errors } } },
    async (req) => {
      const { date } = req.params;
      const { kind } = req.body;
      const name = req.body.name?.trim();
      const fields: Record<string, string> = {};
      if (!isCalendarDate(date)) fields.date = 'date_invalid';
      if (kind !== 'normal' && !name) fields.name = 'required';
      if (Object.keys(fields).length) throw badRequest('validation_failed', fields);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('calendar_days').where('date', '=', date).execute();
        if (kind !== 'normal') await trx.insertInto('calendar_days').values({ date, kind, name: name!, source: `manual:${req.auth!.user.username}` }).execute();
        await writeAudit(trx, req.actor(), { action: 'calendar.set', result: 'ok', entityType: 'calendar_day', entityId: date, detail: { kind, name: name ?? null } }, now);
      });
      const day = await db.selectFrom('calendar_days').selectAll().where('date', '=', date).executeTakeFirst();
      return { day: day ?? null };
    },
  );
}
