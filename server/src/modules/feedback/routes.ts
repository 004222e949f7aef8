import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { DB, FeedbackItemTable } from '../../db/tables.js';
import { writeAudit } from '../../lib/audit.js';
import type { App } from '../../lib/deps.js';
import { badRequest, conflict } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { parseInstant } from '../../lib/pagination.js';
import { allow, allowRecord, holdsAny } from '../../lib/policy.js';
import { Page, errors } from '../../lib/schema.js';
import { inScopeSql } from '../../lib/sql.js';
import { STAFF_ROLES, linkedResidentIds, residentForBooking, staffScope } from '../appointments/access.js';
import { recordEvent } from '../residents/timeline.js';
import { wallClock, zonedInstant } from '../scheduling/zoned.js';
import { getStationSettings } from '../settings/settings.js';
import { addWorkingDays, loadCalendar } from '../settings/office-time.js';
import {
  LOW_SCORE, casItem, complaintSubjects, escalationHead, headScope, itemById, listItems, listRatings, listToRate, loadItemForAction, loadItemInScope, namableWorkers, notifyUsers, rateTarget, remindComplaintsDueSoon,
  ratingById, ratingForViewer, ratingsVisibleSql, recordForRating, stationHeads, sweepOverdueComplaints,
} from './feedback.js';
import {
  IdParams, ItemBody, ItemListQuery, ItemResponse, ItemSchema, RateBody, RateTargetResponse, RatingListQuery, RatingResponse, RatingSchema, RecordParams, RespondBody,
  SatisfactionQuery, SatisfactionResponse, SweepResponse, ToRateQuery, ToRateSchema, VersionBody, WorkersResponse,
} from './schema.js';
import { monthsBetween, summarise, type ScoreRow } from './stats.js';
import { say } from '../notifications/templates.js';

const tags = ['feedback'];
/** The longest satisfaction range, in months (the trend has one point a month). */
const MAX_MONTHS = 24;

export async function feedbackRoutes(app: App): Promise<void> {
  const deps = app.xq;
  const { db, clock } = deps;

  // ---- Ratings ----

  app.post(
    '/ratings',
    {
      config: { policy: allow('feedback'), idempotent: true },
      schema: {
        tags,
        summary: 'Rate a service (1–5): a resident account online for its linked residents, or staff recording a rating given by phone or in person. One per service record (409 already_rated)',
        body: RateBody,
        response: { 201: RatingResponse, ...errors },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const now = clock.now();
      const { record, asStaff } = await recordForRating(deps, req, b.serviceRecordId);
      if (asStaff && b.channel === 'online') throw badRequest('validation_failed', { channel: 'channel_for_staff' });
      if (!asStaff && b.channel && b.channel !== 'online') throw badRequest('validation_failed', { channel: 'not_allowed_value' });
      const userId = req.auth!.user.id;
      // A worker recording a rating of their own service would grade themselves (and take the resident's turn).
      if (asStaff && record.worker_id === userId) throw badRequest('validation_failed', { serviceRecordId: 'own_service' });
      const channel = asStaff ? (b.channel ?? 'phone') : 'online';
      const comment = b.comment?.trim() || null;
      const id = newId(now.getTime());
      await db.transaction().execute(async (trx) => {
        // The unique index on service_record_id is the final word on "one rating per service".
        const res = await trx
          .insertInto('ratings')
          .values({
            id,
            station_id: record.station_id,
            service_record_id: record.id,
            resident_id: record.resident_id,
            worker_id: record.worker_id,
            service_type_id: record.service_type_id,
            score: b.score,
            comment,
            channel,
            recorded_by: userId,
            created_at: now.toISOString(),
          })
          .onConflict((oc) => oc.column('service_record_id').doNothing())
          .executeTakeFirst();
        if (Number(res.numInsertedOrUpdatedRows ?? 0) !== 1) throw conflict('already_rated');
        // The timeline says only that it was rated: every worker at the station reads the timeline, and a
        // score is seen only by the worker who delivered the service and the heads (ratingsVisibleSql).
        await recordEvent(trx, { residentId: record.resident_id, stationId: record.station_id, actorId: userId, kind: 'rated', detail: { serviceRecordId: record.id } }, now);
        if (b.score <= LOW_SCORE) {
          const type = record.service_type_id ? await trx.selectFrom('service_types').select('name').where('id', '=', record.service_type_id).executeTakeFirst() : undefined;
          await notifyUsers(trx, record.station_id, await stationHeads(trx, record.station_id), say({ title: `收到 ${b.score} 分的低分评价`, body: `「${type?.name ?? '服务'}」得到 ${b.score} 分${comment ? `：${comment.slice(0, 60)}` : ''}，请回访了解情况。` }, { title: `A low rating: ${b.score} of 5`, body: `"${type?.name ?? 'A service'}" was rated ${b.score}${comment ? `: ${comment.slice(0, 60)}` : ''}. Please call back to find out why.` }), '/feedback/satisfaction', now);
        }
        await writeAudit(trx, req.actor(), { action: 'rating.create', result: 'ok', entityType: 'rating', entityId: id, stationId: record.station_id, detail: { serviceRecordId: record.id, score: b.score, channel } }, now);
      });
      return reply.status(201).send({ rating: (await ratingById(db, id))! });
    },
  );

  app.get(
    '/ratings',
    {
      config: { policy: allow('feedback', STAFF_ROLES) },
      schema: { tags, summary: "Ratings, newest first: a station head sees the station's, a social worker those of services they delivered", querystring: RatingListQuery, response: { 200: Page(RatingSchema), ...errors } },
    },
    async (req) => {
      const { limit, cursor, ...f } = req.query;
      if (f.from && f.to && parseInstant(f.from, 'from') > parseInstant(f.to, 'to')) throw badRequest('validation_failed', { to: 'end_before_start' });
      return listRatings(db, req.auth!.principal, f, limit ?? 20, cursor);
    },
  );

  app.get(
    '/feedback/to-rate',
    {
      config: { policy: allow('feedback') },
      schema: {
        tags,
        summary: "Services waiting for a rating: a resident account's linked residents' services of the last 30 days; for staff the follow-up list (回访清单) of the last `days` days",
        querystring: ToRateQuery,
        response: { 200: Page(ToRateSchema), ...errors },
      },
    },
    async (req) => {
      const { limit, cursor, ...o } = req.query;
      const p = req.auth!.principal;
      return listToRate(db, p, await linkedResidentIds(db, p), o, clock.now(), limit ?? 20, cursor);
    },
  );

  app.get(
    '/feedback/to-rate/:serviceRecordId',
    {
      config: { policy: allowRecord('feedback') },
      schema: {
        tags,
        summary: 'One service to rate; `rated` whether it has a rating, `rating` it when the user may read it (a linked resident account; a station head; the worker who delivered it)',
        params: RecordParams,
        response: { 200: RateTargetResponse, ...errors },
      },
    },
    async (req) => {
      const { record, asStaff } = await recordForRating(deps, req, req.params.serviceRecordId);
      return { record: await rateTarget(db, record.id), ...(await ratingForViewer(db, req.auth!.principal, record.id, asStaff)) };
    },
  );

  app.get(
    '/feedback/workers',
    {
      config: { policy: allow('feedback') },
      schema: {
        tags,
        summary: 'Whom a complaint can name (针对哪位工作人员): for a resident account the workers who served its linked residents in the last 90 days (served) and the other staff of their station; for staff their station’s staff',
        response: { 200: WorkersResponse, ...errors },
      },
    },
    async (req) => {
      const p = req.auth!.principal;
      return { items: await namableWorkers(db, p, await linkedResidentIds(db, p), clock.now()) };
    },
  );

  // ---- Suggestions and complaints ----

  app.post(
    '/feedback-items',
    {
      config: { policy: allow('feedback'), idempotent: true },
      schema: {
        tags,
        summary: 'A suggestion (意见建议) or complaint (投诉): by a resident account online, or by staff on someone’s behalf (phone, in person, suggestion box). Complaints get a deadline in working days',
        body: ItemBody,
        response: { 201: ItemResponse, ...errors },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const p = req.auth!.principal;
      const now = clock.now();
      const userId = req.auth!.user.id;
      const staff = holdsAny(p, STAFF_ROLES);
      let stationId: string;
      let residentId: string | null = b.residentId ?? null;
      if (!staff && !residentId) {
        // A resident account writes as itself by default, else as the first person it acts for.
        const own = await db.selectFrom('resident_accounts').select(['resident_id', 'relation']).where('user_id', '=', userId).orderBy('relation', 'desc').execute();
        residentId = own.find((r) => r.relation === 'self')?.resident_id ?? own[0]?.resident_id ?? null;
        if (!residentId) throw badRequest('validation_failed', { residentId: 'resident_required' });
      }
      let asStaff = staff;
      if (residentId) {
        const r = await residentForBooking(deps, req, residentId);
        stationId = r.resident.station_id;
        asStaff = r.asStaff;
      } else {
        const scope = staffScope(p);
        const first = scope.all ? undefined : scope.stationIds[0];
        if (!first) throw badRequest('validation_failed', { residentId: 'resident_required' });
        stationId = first;
      }
      const fields: Record<string, string> = {};
      if (asStaff && b.channel === 'online') fields.channel = 'channel_for_staff';
      if (!asStaff && b.channel && b.channel !== 'online') fields.channel = 'not_allowed_value';
      if (!b.subject.trim()) fields.subject = 'required';
      if (!b.body.trim()) fields.body = 'required';
      if (b.aboutWorkerId) {
        const w = await db
          .selectFrom('role_assignments')
          .select('user_id')
          .where('user_id', '=', b.aboutWorkerId)
          .where('station_id', '=', stationId)
          .where('role', 'in', ['social_worker', 'station_head', 'volunteer'])
          .executeTakeFirst();
        if (!w) fields.aboutWorkerId = 'unknown_worker';
      }
      // About a service: it concerns the worker who delivered it unless the submitter names someone else.
      let aboutWorkerId = b.aboutWorkerId ?? null;
      if (b.serviceRecordId) {
        const sr = await db.selectFrom('service_records').select(['station_id', 'resident_id', 'worker_id']).where('id', '=', b.serviceRecordId).executeTakeFirst();
        if (!sr || sr.station_id !== stationId || (residentId && sr.resident_id !== residentId)) fields.serviceRecordId = 'unknown_service_record';
        else aboutWorkerId ??= sr.worker_id;
      }
      if (Object.keys(fields).length > 0) throw badRequest('validation_failed', fields);
      const channel = asStaff ? (b.channel ?? 'phone') : 'online';
      const id = newId(now.getTime());
      await db.transaction().execute(async (trx) => {
        let dueAt: string | null = null;
        if (b.kind === 'complaint') {
          const settings = await getStationSettings(trx, stationId);
          dueAt = addWorkingDays(await loadCalendar(trx, now), now, settings.complaintResponseDays).toISOString();
        }
        const row: FeedbackItemTable = {
          id,
          station_id: stationId,
          kind: b.kind,
          resident_id: residentId,
          submitted_by: userId,
          channel,
          subject: b.subject.trim(),
          body: b.body.trim(),
          about_worker_id: aboutWorkerId,
          service_record_id: b.serviceRecordId ?? null,
          status: 'open',
          handler_id: null,
          due_at: dueAt,
          escalated_at: null,
          escalated_to: null,
          response: null,
          resolved_at: null,
          resolved_by: null,
          version: 1,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        };
        await trx.insertInto('feedback_items').values(row).execute();
        // The station head hears of every complaint at once; it may concern one of the workers.
        if (row.kind === 'complaint') {
          const subjects = await complaintSubjects(trx, row);
          await notifyUsers(trx, stationId, (await stationHeads(trx, stationId)).filter((h) => h !== userId && !subjects.includes(h)), say({ title: '收到新的投诉', body: `投诉「${row.subject}」，请在期限内答复。` }, { title: 'New complaint', body: `Complaint "${row.subject}": please answer within the deadline.` }), `/feedback/complaints?item=${id}`, now);
        }
        // Not on the resident's timeline: every worker reads the timeline, and a complaint may be about one of them.
        await writeAudit(trx, req.actor(), { action: `feedback_item.create`, result: 'ok', entityType: 'feedback_item', entityId: id, stationId, detail: { kind: row.kind, channel, residentId, aboutWorkerId: row.about_worker_id, dueAt } }, now);
      });
      return reply.status(201).send({ item: await itemById(db, id, now) });
    },
  );

  app.get(
    '/feedback-items',
    {
      config: { policy: allow('feedback') },
      schema: {
        tags,
        summary: "Suggestions and complaints, newest first: staff see their station's (a complaint about a named worker only the station head), a resident account its own and its linked residents'",
        querystring: ItemListQuery,
        response: { 200: Page(ItemSchema), ...errors },
      },
    },
    async (req) => {
      const { limit, cursor, ...f } = req.query;
      const p = req.auth!.principal;
      return listItems(db, p, await linkedResidentIds(db, p), f, clock.now(), limit ?? 20, cursor);
    },
  );

  app.post(
    '/feedback-items/sweep',
    {
      config: { policy: allow('feedback', ['station_head']) },
      schema: { tags, summary: "Escalate the head's stations' overdue complaints and send the reminders for those due within a working day, now (the server also does this every few minutes)", response: { 200: SweepResponse, ...errors } },
    },
    async (req) => {
      const scope = headScope(req.auth!.principal);
      const stations = scope.all ? undefined : scope.stationIds;
      const now = clock.now();
      const escalated = await sweepOverdueComplaints(db, now, stations, req.actor());
      return { escalated, reminded: await remindComplaintsDueSoon(db, now, stations) };
    },
  );

  app.get(
    '/feedback-items/:id',
    { config: { policy: allowRecord('feedback') }, schema: { tags, summary: 'One suggestion or complaint', params: IdParams, response: { 200: ItemResponse, ...errors } } },
    async (req) => {
      const { row } = await loadItemInScope(deps, req, req.params.id);
      return { item: await itemById(db, row.id, clock.now()) };
    },
  );

  /** Staff actions answer 404 to a resident account and to the worker a complaint names, as for an item they cannot see. */
  const loadForAction = (req: FastifyRequest, id: string) => loadItemForAction(deps, req, id);
  const audit = (trx: Transaction<DB>, req: FastifyRequest, action: string, f: FeedbackItemTable, now: Date, detail?: Record<string, unknown>) =>
    writeAudit(trx, req.actor(), { action: `feedback_item.${action}`, result: 'ok', entityType: 'feedback_item', entityId: f.id, stationId: f.station_id, detail: detail ?? null }, now);
  const action = <B extends typeof VersionBody | typeof RespondBody>(summary: string, body: B) => ({
    config: { policy: allowRecord('feedback', STAFF_ROLES), idempotent: true },
    schema: { tags, summary, params: IdParams, body, response: { 200: ItemResponse, ...errors } },
  });

  app.post('/feedback-items/:id/start', action('Take it on: in progress, handled by me (send the version you read)', VersionBody), async (req) => {
    await loadForAction(req, req.params.id);
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const f = await casItem(trx, req.params.id, req.body.version, ['open'], { status: 'in_progress', handler_id: req.auth!.user.id }, now);
      await audit(trx, req, 'start', f, now);
    });
    return { item: await itemById(db, req.params.id, now) };
  });

  app.post('/feedback-items/:id/respond', action("Answer and resolve it; the submitter sees the station's response", RespondBody), async (req) => {
    const before = await loadForAction(req, req.params.id);
    const response = req.body.response.trim();
    if (!response) throw badRequest('validation_failed', { response: 'required' });
    const now = clock.now();
    const userId = req.auth!.user.id;
    await db.transaction().execute(async (trx) => {
      const f = await casItem(
        trx,
        req.params.id,
        req.body.version,
        ['open', 'in_progress'],
        { status: 'resolved', response, resolved_at: now.toISOString(), resolved_by: userId, handler_id: before.handler_id ?? userId },
        now,
      );
      if (f.submitted_by && f.submitted_by !== userId) {
        await notifyUsers(trx, f.station_id, [f.submitted_by], say({ title: f.kind === 'complaint' ? '您的投诉已有答复' : '您的意见建议已有答复', body: `「${f.subject}」：${response.slice(0, 80)}` }, { title: f.kind === 'complaint' ? 'Your complaint has an answer' : 'Your suggestion has an answer', body: `"${f.subject}": ${response.slice(0, 80)}` }), '/feedback/mine', now);
      }
      await audit(trx, req, 'respond', f, now);
    });
    return { item: await itemById(db, req.params.id, now) };
  });

  app.post('/feedback-items/:id/close', action('Close it (after the response, or as a duplicate without one)', VersionBody), async (req) => {
    const before = await loadForAction(req, req.params.id);
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const f = await casItem(trx, req.params.id, req.body.version, ['open', 'in_progress', 'resolved'], { status: 'closed', resolved_at: before.resolved_at ?? now.toISOString(), resolved_by: before.resolved_by ?? req.auth!.user.id }, now);
      await audit(trx, req, 'close', f, now);
    });
    return { item: await itemById(db, req.params.id, now) };
  });

  app.post('/feedback-items/:id/escalate', action('Hand it to the station head now (once; 422 when already escalated or settled)', VersionBody), async (req) => {
    const before = await loadForAction(req, req.params.id);
    const now = clock.now();
    const head = await escalationHead(db, before.station_id, await complaintSubjects(db, before));
    if (!head) throw badRequest('validation_failed', { escalatedTo: 'unknown_worker' });
    await db.transaction().execute(async (trx) => {
      const f = await casItem(trx, req.params.id, req.body.version, ['open', 'in_progress'], { escalated_at: now.toISOString(), escalated_to: head }, now, { notEscalated: true });
      if (head !== req.auth!.user.id) await notifyUsers(trx, f.station_id, [head], say({ title: '有一件事项转交站长', body: `「${f.subject}」已转交给您处理。` }, { title: 'Passed to you as station head', body: `"${f.subject}" was passed to you to handle.` }), `/feedback/${f.kind === 'complaint' ? 'complaints' : 'suggestions'}?item=${f.id}`, now);
      await audit(trx, req, 'escalate', f, now, { automatic: false, to: head });
    });
    return { item: await itemById(db, req.params.id, now) };
  });

  // ---- Satisfaction ----

  app.get(
    '/feedback/satisfaction',
    {
      config: { policy: allow('feedback', STAFF_ROLES) },
      schema: {
        tags,
        summary: 'Satisfaction by service type and by worker, and a monthly trend (ratings given in [from, to), default the last six months): a station head sees every worker, a social worker only their own',
        querystring: SatisfactionQuery,
        response: { 200: SatisfactionResponse, ...errors },
      },
    },
    async (req) => {
      const p = req.auth!.principal;
      const now = clock.now();
      const to = req.query.to ? parseInstant(req.query.to, 'to') : now;
      const month = wallClock(to).date.slice(0, 7);
      const [y, m] = month.split('-').map(Number) as [number, number];
      const fromDefault = zonedInstant(`${m > 5 ? y : y - 1}-${String(((m + 6) % 12) + 1).padStart(2, '0')}-01`, 0);
      const from = req.query.from ? parseInstant(req.query.from, 'from') : fromDefault;
      if (from >= to) throw badRequest('validation_failed', { to: 'end_before_start' });
      const months = monthsBetween(wallClock(from).date.slice(0, 7), wallClock(new Date(to.getTime() - 1)).date.slice(0, 7));
      if (months.length > MAX_MONTHS) throw badRequest('validation_failed', { from: 'range_too_long_months' });
      const head = headScope(p);
      const asHead = head.all || head.stationIds.length > 0;
      let q = db
        .selectFrom('ratings as g')
        .innerJoin('users as w', 'w.id', 'g.worker_id')
        .leftJoin('service_types as st', 'st.id', 'g.service_type_id')
        .select(['g.score', 'g.worker_id', 'w.display_name as worker_name', 'g.service_type_id', 'st.name as service_type_name', 'g.created_at'])
        .where('g.created_at', '>=', from.toISOString())
        .where('g.created_at', '<', to.toISOString());
      q = asHead ? q.where(inScopeSql(head, 'g.station_id')) : q.where(ratingsVisibleSql(p));
      const rows: ScoreRow[] = (await q.execute()).map((r) => ({
        score: r.score,
        workerId: r.worker_id,
        workerName: r.worker_name,
        serviceTypeId: r.service_type_id,
        serviceTypeName: r.service_type_name,
        month: wallClock(new Date(r.created_at)).date.slice(0, 7),
      }));
      return { from: from.toISOString(), to: to.toISOString(), scope: asHead ? ('station' as const) : ('own' as const), ...summarise(rows, months) };
    },
  );
}

