import type { FastifyRequest } from 'fastify';
import { auditDenied } from '../../lib/guard.js';
import { sql, type Transaction } from 'kysely';
import type { ConsultationTable, DB } from '../../db/tables.js';
import { writeAudit } from '../../lib/audit.js';
import type { App } from '../../lib/deps.js';
import { badRequest, conflict, notFound, unprocessable } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { decodeCursor, pageOf } from '../../lib/pagination.js';
import { allow, allowRecord, publicRoute } from '../../lib/policy.js';
import { contains } from '../../lib/sql.js';
import { errors, Page } from '../../lib/schema.js';
import { STAFF_ROLES, isStaffOf, linkedResidentIds, residentForBooking } from '../appointments/access.js';
import { claimAttachments } from '../attachments/attachments.js';
import { requireConsent } from '../consents/consents.js';
import { createServiceRequest } from '../requests/create.js';
import { recordEvent } from '../residents/timeline.js';
import { say } from '../notifications/templates.js';
import {
  casUpdate, consultationDetail, containsPersonalData, faqEntryViews, faqView, firstResponseDue, isStationStaff, listConsultations, loadConsultationInScope, notifyResident, notifyStaff,
  residentIdentity,
} from './consultations.js';
import { AssignBody, CloseBody, ConsultationSchema, ConvertBody, CreateBody, DetailResponse, FaqBody, FaqEntrySchema, FaqQuery, FaqResponse, IdParams, ListQuery, MessageBody } from './schema.js';

const tags = ['consultations'];
const OPEN: ConsultationTable['status'][] = ['open', 'answered'];

/** The database refused a second request from the same source (service_requests_source_uq). */
const isUniqueViolation = (e: unknown) => {
  const code = (e as { code?: unknown } | null)?.code;
  const msg = e instanceof Error ? e.message : '';
  return code === '23505' || msg.includes('UNIQUE constraint failed');
};

/**
 * Consultations (咨询): a resident (or staff for a resident) asks; staff answer within the station's
 * office-hours deadline; a thread can be closed, turned into a service request, or published as a
 * de-identified FAQ entry. The public FAQ is read without signing in.
 */
export async function consultationRoutes(app: App): Promise<void> {
  const deps = app.xq;
  const { db, clock, keys } = deps;

  const audit = (trx: Transaction<DB>, req: FastifyRequest, action: string, c: Pick<ConsultationTable, 'id' | 'station_id'>, now: Date, detail?: Record<string, unknown>) =>
    writeAudit(trx, req.actor(), { action: `consultation.${action}`, result: 'ok', entityType: 'consultation', entityId: c.id, stationId: c.station_id, detail: detail ?? null }, now);
  const event = (trx: Transaction<DB>, req: FastifyRequest, kind: string, c: Pick<ConsultationTable, 'id' | 'station_id' | 'resident_id' | 'subject'>, now: Date, extra: Record<string, unknown> = {}) =>
    recordEvent(trx, { residentId: c.resident_id, stationId: c.station_id, actorId: req.auth!.user.id, kind, detail: { consultationId: c.id, subject: c.subject, ...extra } }, now);

  app.post(
    '/consultations',
    {
      config: { policy: allow('consultations'), idempotent: true },
      schema: {
        tags,
        summary: 'Ask a question: a resident account for itself or a linked household member (channel self), or staff for a resident (phone, walk_in, staff). Honours Idempotency-Key',
        body: CreateBody,
        response: { 201: DetailResponse, ...errors },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const userId = req.auth!.user.id;
      const { resident, asStaff } = await residentForBooking(deps, req, b.residentId);
      if (!asStaff && b.channel) throw badRequest('validation_failed', { channel: 'not_allowed_value' });
      const subject = b.subject.trim();
      const text = b.body.trim();
      const bad: Record<string, string> = {};
      if (!subject) bad.subject = 'required';
      if (!text) bad.body = 'required';
      if (Object.keys(bad).length) throw badRequest('validation_failed', bad);
      if (resident.status !== 'active') throw unprocessable('invalid_transition', { reason: 'resident_inactive' });
      // An anonymised person gets no new words about them, even from their own account (as for requests).
      if (resident.anonymised_at !== null) throw unprocessable('resident_anonymised');
      const now = clock.now();
      const id = await db.transaction().execute(async (trx) => {
        // Staff opening a thread for someone process their data on their behalf: the service consent
        // decides (for residents whose lawful basis needs one). A resident account asking for its
        // own person consents by asking; asking about a linked family member is checked like staff.
        const self = !asStaff && !!(await trx.selectFrom('resident_accounts').select('user_id').where('user_id', '=', userId).where('resident_id', '=', resident.id).where('relation', '=', 'self').executeTakeFirst());
        if (!self) await requireConsent(trx, resident.id, 'service', now);
        const due = await firstResponseDue(trx, resident.station_id, now);
        const row: ConsultationTable = {
          id: newId(now.getTime()),
          station_id: resident.station_id,
          resident_id: resident.id,
          area: b.area,
          subject,
          status: 'open',
          channel: asStaff ? (b.channel ?? 'staff') : 'self',
          assignee_id: null,
          first_response_due_at: due.toISOString(),
          first_response_at: null,
          resolution: null,
          closed_at: null,
          closed_by: null,
          request_id: null,
          version: 1,
          opened_by: userId,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        };
        await trx.insertInto('consultations').values(row).execute();
        const messageId = newId(now.getTime());
        await trx.insertInto('consultation_messages').values({ id: messageId, station_id: row.station_id, consultation_id: row.id, author_id: userId, author_side: asStaff ? 'staff' : 'resident', body: text, created_at: now.toISOString() }).execute();
        await claimAttachments(trx, b.photoIds ?? [], { kind: 'consultation_message', id: messageId, residentId: resident.id, uploadedBy: userId });
        await notifyStaff(trx, row, say({ title: '新的居民咨询', body: `「${subject}」，请在期限内答复。` }, { title: 'New question from a resident', body: `"${subject}": please answer within the deadline.` }), now);
        await event(trx, req, 'consultation_opened', row, now, { channel: row.channel, area: row.area });
        await audit(trx, req, 'open', row, now, { residentId: resident.id, channel: row.channel, area: row.area, firstResponseDueAt: row.first_response_due_at });
        return row.id;
      });
      return reply.status(201).send({ consultation: await consultationDetail(db, id, asStaff, now) });
    },
  );

  app.get(
    '/consultations',
    {
      config: { policy: allow('consultations') },
      schema: { tags, summary: "Threads, overdue first then by deadline: the station's for staff, the linked residents' for a resident account", querystring: ListQuery, response: { 200: Page(ConsultationSchema), ...errors } },
    },
    async (req) => {
      const { limit, cursor, ...filters } = req.query;
      const p = req.auth!.principal;
      return listConsultations(db, p, await linkedResidentIds(db, p), filters, limit ?? 20, cursor, clock.now());
    },
  );

  app.get(
    '/consultations/:id',
    { config: { policy: allowRecord('consultations') }, schema: { tags, summary: 'One thread with its messages and photo ids', params: IdParams, response: { 200: DetailResponse, ...errors } } },
    async (req) => {
      const { row, asStaff } = await loadConsultationInScope(deps, req, req.params.id);
      return { consultation: await consultationDetail(db, row.id, asStaff, clock.now()) };
    },
  );

  app.post(
    '/consultations/:id/messages',
    {
      config: { policy: allowRecord('consultations'), idempotent: true },
      schema: {
        tags,
        summary: "Reply in a thread. The first staff reply records the first response and marks it answered; a resident's reply reopens it. Closed threads take no replies (422)",
        params: IdParams,
        body: MessageBody,
        response: { 201: DetailResponse, ...errors },
      },
    },
    async (req, reply) => {
      const { row, asStaff } = await loadConsultationInScope(deps, req, req.params.id);
      const text = req.body.body.trim();
      if (!text) throw badRequest('validation_failed', { body: 'required' });
      const person = await db.selectFrom('residents').select('anonymised_at').where('id', '=', row.resident_id).executeTakeFirstOrThrow();
      if (person.anonymised_at !== null) throw unprocessable('resident_anonymised');
      const userId = req.auth!.user.id;
      const now = clock.now();
      const iso = now.toISOString();
      await db.transaction().execute(async (trx) => {
        // Conditional updates, not read-then-write: two staff replying together both post, and the
        // row lock lets exactly one of them find first_response_at still empty.
        const firstRes = asStaff
          ? await trx.updateTable('consultations').set({ first_response_at: iso }).where('id', '=', row.id).where('first_response_at', 'is', null).where('status', 'in', OPEN).executeTakeFirst()
          : null;
        const first = Number(firstRes?.numUpdatedRows ?? 0) === 1;
        const res = await trx
          .updateTable('consultations')
          .set({ status: asStaff ? 'answered' : 'open', version: sql<number>`version + 1`, updated_at: iso })
          .where('id', '=', row.id)
          .where('status', 'in', OPEN)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw unprocessable('invalid_transition', { status: 'closed', allowedFrom: OPEN });
        const c = await trx.selectFrom('consultations').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
        const messageId = newId(now.getTime());
        await trx.insertInto('consultation_messages').values({ id: messageId, station_id: c.station_id, consultation_id: c.id, author_id: userId, author_side: asStaff ? 'staff' : 'resident', body: text, created_at: iso }).execute();
        await claimAttachments(trx, req.body.photoIds ?? [], { kind: 'consultation_message', id: messageId, residentId: c.resident_id, uploadedBy: userId });
        if (asStaff) await notifyResident(trx, c, say({ title: '社工站答复了您的咨询', body: `「${c.subject}」有新的答复，请查看。` }, { title: 'The station answered your question', body: `"${c.subject}" has a new answer.` }), now);
        else await notifyStaff(trx, c, say({ title: '居民追问', body: `「${c.subject}」有新的留言。` }, { title: 'The resident wrote again', body: `"${c.subject}" has a new message.` }), now);
        await event(trx, req, asStaff ? 'consultation_answered' : 'consultation_followed_up', c, now, first ? { firstResponse: true } : {});
        await audit(trx, req, asStaff ? 'reply' : 'follow_up', c, now, { messageId, photos: (req.body.photoIds ?? []).length, ...(first ? { firstResponse: true, overdue: Date.parse(c.first_response_due_at) < now.getTime() } : {}) });
      });
      return reply.status(201).send({ consultation: await consultationDetail(db, row.id, asStaff, now) });
    },
  );

  const staffAction = { policy: allowRecord('consultations', STAFF_ROLES), idempotent: true };

  app.post(
    '/consultations/:id/assign',
    { config: staffAction, schema: { tags, summary: 'Give a thread to a worker of its station (send the version you read; 409 version_conflict)', params: IdParams, body: AssignBody, response: { 200: DetailResponse, ...errors } } },
    async (req) => {
      const { row } = await loadConsultationInScope(deps, req, req.params.id, true);
      if (!(await isStationStaff(db, row.station_id, req.body.assigneeId))) throw badRequest('validation_failed', { assigneeId: 'unknown_worker' });
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const c = await casUpdate(trx, row.id, req.body.version, OPEN, { assignee_id: req.body.assigneeId }, now);
        if (c.assignee_id !== req.auth!.user.id) await notifyStaff(trx, c, say({ title: '咨询已分派给您', body: `「${c.subject}」请您答复。` }, { title: 'A question assigned to you', body: `Please answer "${c.subject}".` }), now);
        await audit(trx, req, 'assign', c, now, { from: row.assignee_id, to: c.assignee_id });
        await event(trx, req, 'consultation_assigned', c, now, { assigneeId: c.assignee_id });
      });
      return { consultation: await consultationDetail(db, row.id, true, now) };
    },
  );

  app.post(
    '/consultations/:id/close',
    { config: staffAction, schema: { tags, summary: 'Close a thread with its resolution (compare-and-swap on version)', params: IdParams, body: CloseBody, response: { 200: DetailResponse, ...errors } } },
    async (req) => {
      const { row } = await loadConsultationInScope(deps, req, req.params.id, true);
      const resolution = req.body.resolution.trim();
      if (!resolution) throw badRequest('validation_failed', { resolution: 'required' });
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const c = await casUpdate(trx, row.id, req.body.version, OPEN, { status: 'closed', resolution, closed_at: now.toISOString(), closed_by: req.auth!.user.id }, now);
        await notifyResident(trx, c, say({ title: '您的咨询已办结', body: `「${c.subject}」：${resolution}` }, { title: 'Your question is closed', body: `"${c.subject}": ${resolution}` }), now);
        await event(trx, req, 'consultation_closed', c, now, { resolution });
        await audit(trx, req, 'close', c, now);
      });
      return { consultation: await consultationDetail(db, row.id, true, now) };
    },
  );

  app.post(
    '/consultations/:id/convert',
    {
      config: staffAction,
      schema: { tags, summary: 'Turn a thread into a service request (once: 409 already_converted the second time)', params: IdParams, body: ConvertBody, response: { 200: DetailResponse, ...errors } },
    },
    async (req) => {
      const { row } = await loadConsultationInScope(deps, req, req.params.id, true);
      if (row.request_id) throw conflict('already_converted');
      const b = req.body;
      const bad: Record<string, string> = {};
      if (!b.title.trim()) bad.title = 'required';
      if (!b.description.trim()) bad.description = 'required';
      if (Object.keys(bad).length) throw badRequest('validation_failed', bad);
      const now = clock.now();
      try {
        await db.transaction().execute(async (trx) => {
          await requireConsent(trx, row.resident_id, 'service', now);
          const requestId = await createServiceRequest(
            trx,
            req.actor(),
            { stationId: row.station_id, residentId: row.resident_id, area: b.area, title: b.title.trim(), description: b.description.trim(), urgency: b.urgency, source: 'consultation', sourceId: row.id, createdBy: req.auth!.user.id },
            now,
          );
          // Any status: a closed thread can still turn out to need a service.
          const c = await casUpdate(trx, row.id, b.version, ['open', 'answered', 'closed'], { request_id: requestId }, now);
          await event(trx, req, 'consultation_converted', c, now, { requestId });
          await audit(trx, req, 'convert', c, now, { requestId });
        });
      } catch (e) {
        // Two conversions racing: the unique (source, source_id) index lets one through.
        if (isUniqueViolation(e)) throw conflict('already_converted');
        throw e;
      }
      return { consultation: await consultationDetail(db, row.id, true, now) };
    },
  );

  app.post(
    '/consultations/:id/faq',
    {
      config: staffAction,
      schema: {
        tags,
        summary: "Publish a de-identified question and answer to the public FAQ; 400 contains_personal_data if either names the resident, a phone or an ID number",
        params: IdParams,
        body: FaqBody,
        response: { 201: FaqResponse, ...errors },
      },
    },
    async (req, reply) => {
      const { row } = await loadConsultationInScope(deps, req, req.params.id, true);
      const question = req.body.question.trim();
      const answer = req.body.answer.trim();
      const who = await residentIdentity(db, keys, row.resident_id, row.channel === 'self' ? row.opened_by : undefined);
      const bad: Record<string, string> = {};
      if (!question) bad.question = 'required';
      else if (containsPersonalData(question, who)) bad.question = 'contains_personal_data';
      if (!answer) bad.answer = 'required';
      else if (containsPersonalData(answer, who)) bad.answer = 'contains_personal_data';
      if (Object.keys(bad).length) throw badRequest('validation_failed', bad);
      const now = clock.now();
      const id = newId(now.getTime());
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('faq_entries')
          .values({ id, station_id: row.station_id, area: req.body.area ?? row.area, question, answer, consultation_id: row.id, status: 'published', published_by: req.auth!.user.id, published_at: now.toISOString(), updated_at: now.toISOString() })
          .execute();
        await writeAudit(trx, req.actor(), { action: 'faq_entry.publish', result: 'ok', entityType: 'faq_entry', entityId: id, stationId: row.station_id, detail: { consultationId: row.id } }, now);
        await event(trx, req, 'consultation_published_faq', row, now, { faqEntryId: id });
      });
      const [entry] = await faqEntryViews(db, { ids: [id] });
      return reply.status(201).send({ faqEntry: entry! });
    },
  );

  app.post(
    '/faq-entries/:id/withdraw',
    { config: { policy: allowRecord('consultations', STAFF_ROLES) }, schema: { tags, summary: 'Take an entry off the public FAQ (staff of its station)', params: IdParams, response: { 200: FaqResponse, ...errors } } },
    async (req) => {
      const f = await db.selectFrom('faq_entries').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      const p = req.auth!.principal;
      if (!f) throw notFound('faq_entry');
      const now = clock.now();
      if (!isStaffOf(p, f.station_id)) {
        await auditDenied(deps, req, { type: 'faq_entry', id: f.id, stationId: f.station_id });
        throw notFound('faq_entry');
      }
      await db.transaction().execute(async (trx) => {
        const res = await trx.updateTable('faq_entries').set({ status: 'withdrawn', updated_at: now.toISOString() }).where('id', '=', f.id).where('status', '=', 'published').executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw unprocessable('invalid_transition', { status: 'withdrawn', allowedFrom: ['published'] });
        await writeAudit(trx, req.actor(), { action: 'faq_entry.withdraw', result: 'ok', entityType: 'faq_entry', entityId: f.id, stationId: f.station_id, detail: { consultationId: f.consultation_id } }, now);
      });
      const [entry] = await faqEntryViews(db, { ids: [f.id] });
      return { faqEntry: entry! };
    },
  );

  app.get(
    '/faq',
    {
      // Open to anyone: searches are cheap but not free, so one address cannot flood them.
      config: { policy: publicRoute, rateLimit: { max: 120, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'The public FAQ (no sign-in): published, de-identified answers, newest first; filter by station, area and words',
        querystring: FaqQuery,
        response: { 200: Page(FaqEntrySchema), ...errors },
      },
    },
    async (req) => {
      const { stationId, area, q, limit = 20, cursor } = req.query;
      const after = decodeCursor(cursor);
      let query = db.selectFrom('faq_entries as f').innerJoin('stations as s', 's.id', 'f.station_id').selectAll('f').select('s.name as station_name').where('f.status', '=', 'published');
      if (stationId) query = query.where('f.station_id', '=', stationId);
      if (area) query = query.where('f.area', '=', area);
      const words = q?.trim();
      if (words) query = query.where((eb) => eb.or([contains('f.question', words), contains('f.answer', words)]));
      if (after) query = query.where('f.id', '<', after);
      const rows = await query.orderBy('f.id', 'desc').limit(limit + 1).execute();
      const page = pageOf(rows, limit, (r) => r.id);
      return { items: page.items.map(faqView), nextCursor: page.nextCursor };
    },
  );
}
