import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { TSchema } from 'typebox';
import type { DB, Role, ServiceRequestTable } from '../../db/tables.js';
import { writeAudit } from '../../lib/audit.js';
import type { App } from '../../lib/deps.js';
import { badRequest, forbidden, notFound, unprocessable } from '../../lib/errors.js';
import { allow, allowRecord, inScope, stationScope } from '../../lib/policy.js';
import { parseInstant } from '../../lib/pagination.js';
import { Page, errors } from '../../lib/schema.js';
import { STAFF_ROLES, linkedResidentIds, residentForBooking, staffScope } from '../appointments/access.js';
import { requireConsent } from '../consents/consents.js';
import { recordEvent } from '../residents/timeline.js';
import { insertServiceRecord } from '../service-records/records.js';
import { createServiceRequest } from './create.js';
import {
  casUpdate, candidateFacts, coverageOf, listRequests, loadRequestInScope, notifyAssignee, notifyResident, requestHistory, requestView, stationPeople, type Relation,
} from './requests.js';
import {
  AssignBody, CancelBody, CandidatesResponse, CoverageBody, CoveragePutResponse, CoverageQuery, CoverageResponse, CreateBody, FulfilBody, IdParams, ListQuery,
  RequestDetailResponse, RequestResponse, RequestSchema, VersionBody,
} from './schema.js';
import { MAX_SCORE, rankCandidates } from './scoring.js';

const tags = ['service-requests'];
const HEAD: readonly Role[] = ['station_head'];
/** The longest service a fulfilled request may record (start to end). */
export const MAX_SERVICE_MS = 24 * 3_600_000;

export async function requestRoutes(app: App): Promise<void> {
  const deps = app.xq;
  const { db, clock } = deps;

  app.post(
    '/service-requests',
    {
      config: { policy: allow('requests', ['social_worker', 'station_head', 'resident']), idempotent: true },
      schema: {
        tags,
        summary: 'Raise a need for a resident: by the resident account (itself or a linked household member) or by staff (needs the service consent). Honours Idempotency-Key',
        body: CreateBody,
        response: { 201: RequestResponse, ...errors },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const title = b.title.trim();
      if (!title) throw badRequest('validation_failed', { title: 'required' });
      const now = clock.now();
      const { resident, asStaff } = await residentForBooking(deps, req, b.residentId);
      if (resident.anonymised_at !== null) throw unprocessable('resident_anonymised');
      if (resident.status !== 'active') throw unprocessable('resident_not_active', { status: resident.status });
      const userId = req.auth!.user.id;
      const id = await db.transaction().execute(async (trx) => {
        // As for consultations: a resident account asking for its own person consents by asking;
        // staff, and a resident account asking for a linked family member, need the service consent.
        const self =
          !asStaff &&
          !!(await trx.selectFrom('resident_accounts').select('user_id').where('user_id', '=', userId).where('resident_id', '=', resident.id).where('relation', '=', 'self').executeTakeFirst());
        if (!self) await requireConsent(trx, resident.id, 'service', now);
        return createServiceRequest(
          trx,
          req.actor(),
          { stationId: resident.station_id, residentId: resident.id, area: b.area, title, description: b.description.trim(), urgency: b.urgency, source: asStaff ? 'staff' : 'resident', createdBy: userId },
          now,
        );
      });
      return reply.status(201).send({ request: await requestView(db, id, asStaff ? 'staff' : 'resident') });
    },
  );

  app.get(
    '/service-requests',
    {
      config: { policy: allow('requests') },
      schema: {
        tags,
        summary: "Requests, urgent first: a station's for staff, the linked residents' for a resident account, only those assigned to them for a volunteer",
        querystring: ListQuery,
        response: { 200: Page(RequestSchema), ...errors },
      },
    },
    async (req) => {
      const { limit, cursor, ...filters } = req.query;
      const p = req.auth!.principal;
      return listRequests(db, p, await linkedResidentIds(db, p), filters, limit ?? 20, cursor);
    },
  );

  app.get(
    '/service-requests/:id',
    { config: { policy: allowRecord('requests') }, schema: { tags, summary: 'One request with its status steps', params: IdParams, response: { 200: RequestDetailResponse, ...errors } } },
    async (req) => {
      const { row, as } = await loadRequestInScope(deps, req, req.params.id);
      return { request: await requestView(db, row.id, as), history: await requestHistory(db, row.id) };
    },
  );

  app.get(
    '/service-requests/:id/candidates',
    {
      config: { policy: allowRecord('requests', STAFF_ROLES) },
      schema: { tags, summary: "The station's workers and volunteers ranked for this request, with the parts of each score and the facts behind them", params: IdParams, response: { 200: CandidatesResponse, ...errors } },
    },
    async (req) => {
      const { row } = await loadStaff(req, req.params.id);
      const res = await db.selectFrom('residents as r').innerJoin('villages as v', 'v.id', 'r.village_id').select(['v.id', 'v.name']).where('r.id', '=', row.resident_id).executeTakeFirstOrThrow();
      const ranked = rankCandidates(await candidateFacts(db, row, res.id, clock.now()));
      return {
        area: row.area,
        village: { id: res.id, name: res.name },
        items: ranked.map((c) => ({
          user: { id: c.userId, name: c.name },
          role: c.role,
          score: c.score,
          maxScore: MAX_SCORE,
          parts: c.parts,
          reasons: {
            hasSkill: c.hasSkill,
            coversVillage: c.coversVillage,
            recentServicesInVillage: c.recentServicesInVillage,
            openRequests: c.openRequests,
            upcomingAppointments: c.upcomingAppointments,
            availableMinutes: c.availableMinutes,
            onRequest: c.onRequest,
          },
        })),
      };
    },
  );

  /** Staff-only actions answer 404 to anyone else, as for a request they cannot see. */
  async function loadStaff(req: FastifyRequest, id: string) {
    const loaded = await loadRequestInScope(deps, req, id);
    if (loaded.as !== 'staff') throw notFound('service_request');
    return loaded;
  }

  /** Staff or the assignee; the resident side may see the request but not work on it. */
  async function loadWorker(req: FastifyRequest, id: string) {
    const loaded = await loadRequestInScope(deps, req, id);
    if (loaded.as === 'resident') throw forbidden();
    return loaded;
  }

  const action = <B extends TSchema>(summary: string, body: B, roles?: readonly Role[]) => ({
    config: { policy: allowRecord('requests', roles), idempotent: true },
    schema: { tags, summary, params: IdParams, body, response: { 200: RequestResponse, ...errors } },
  });

  /** Audit (last: on PostgreSQL the chain lock is then held briefly), timeline and the resident's notice. */
  /** `detail` goes to the audit log and the timeline; `private` (free text about the person) to the timeline only, which erasure reaches. */
  async function recordChange(trx: Transaction<DB>, req: FastifyRequest, verb: string, r: ServiceRequestTable, now: Date, detail: Record<string, unknown> = {}, priv: Record<string, unknown> = {}) {
    await recordEvent(trx, { residentId: r.resident_id, stationId: r.station_id, actorId: req.auth!.user.id, kind: 'service_request_status', detail: { requestId: r.id, title: r.title, status: r.status, ...detail, ...priv } }, now);
    await notifyResident(trx, r, now);
    await writeAudit(trx, req.actor(), { action: `service_request.${verb}`, result: 'ok', entityType: 'service_request', entityId: r.id, stationId: r.station_id, detail }, now);
  }

  const reply = async (id: string, as: Relation) => ({ request: await requestView(db, id, as) });

  app.post(
    '/service-requests/:id/assign',
    action('Give the request to a worker, the head or a volunteer of its station (send the version you read; 409 version_conflict, 422 invalid_transition)', AssignBody, STAFF_ROLES),
    async (req) => {
      const { row } = await loadStaff(req, req.params.id);
      const b = req.body;
      const people = await stationPeople(db, row.station_id);
      if (!people.some((p) => p.id === b.assigneeId)) throw badRequest('validation_failed', { assigneeId: 'unknown_worker' });
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const r = await casUpdate(trx, row.id, b.version, 'assign', { assignee_id: b.assigneeId, assigned_by: req.auth!.user.id, assigned_at: now.toISOString() }, now);
        await notifyAssignee(trx, r, now);
        await recordChange(trx, req, 'assign', r, now, { assigneeId: b.assigneeId, previousAssigneeId: row.assignee_id });
      });
      return reply(row.id, 'staff');
    },
  );

  app.post('/service-requests/:id/start', action('The assignee (or staff) starts work on it', VersionBody), async (req) => {
    const { row, as } = await loadWorker(req, req.params.id);
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const r = await casUpdate(trx, row.id, req.body.version, 'start', {}, now);
      await recordChange(trx, req, 'start', r, now);
    });
    return reply(row.id, as);
  });

  app.post(
    '/service-requests/:id/fulfil',
    action('Done: writes the service record (once, source request) in the same transaction', FulfilBody),
    async (req) => {
      const { row, as } = await loadWorker(req, req.params.id);
      const b = req.body;
      const outcome = b.outcome.trim();
      const start = parseInstant(b.start, 'start');
      const end = parseInstant(b.end, 'end');
      const now = clock.now();
      const bad: Record<string, string> = {};
      if (!outcome) bad.outcome = 'required';
      if (start.getTime() > now.getTime()) bad.start = 'time_in_future';
      if (end.getTime() <= start.getTime()) bad.end = 'end_before_start';
      else if (end.getTime() > now.getTime()) bad.end = 'time_in_future';
      else if (end.getTime() - start.getTime() > MAX_SERVICE_MS) bad.end = 'service_too_long';
      if (Object.keys(bad).length > 0) throw badRequest('validation_failed', bad);
      await db.transaction().execute(async (trx) => {
        const r = await casUpdate(trx, row.id, b.version, 'fulfil', { fulfilled_at: now.toISOString(), outcome }, now);
        // A person erased on request since the need was raised gets no new service record with words about them.
        const person = await trx.selectFrom('residents').select('anonymised_at').where('id', '=', r.resident_id).executeTakeFirstOrThrow();
        if (person.anonymised_at !== null) throw unprocessable('resident_anonymised');
        const summary = `${r.title}：${outcome}`;
        const recordId = await insertServiceRecord(
          trx,
          {
            stationId: r.station_id,
            residentId: r.resident_id,
            workerId: r.assignee_id!,
            serviceTypeId: null,
            method: b.method,
            start,
            end,
            place: null,
            summary: summary.length > 2000 ? `${summary.slice(0, 1999)}…` : summary,
            outcome,
            followUpNeeded: false,
            source: 'request',
            sourceId: r.id,
            createdBy: req.auth!.user.id,
          },
          now,
        );
        await recordChange(trx, req, 'fulfil', r, now, { serviceRecordId: recordId });
      });
      return reply(row.id, as);
    },
  );

  app.post(
    '/service-requests/:id/cancel',
    action('Cancel with a reason: staff at any open step; the resident side only before it is assigned', CancelBody, ['social_worker', 'station_head', 'resident']),
    async (req) => {
      const { row, as } = await loadRequestInScope(deps, req, req.params.id);
      if (as === 'assignee') throw forbidden();
      const reason = req.body.reason.trim();
      if (!reason) throw badRequest('validation_failed', { reason: 'required' });
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        // The resident side may withdraw a need nobody has taken yet; later only the station can.
        const r = await casUpdate(trx, row.id, req.body.version, as === 'staff' ? 'cancel' : 'cancelOpen', { cancel_reason: reason }, now);
        // The reason is free text about a person: it stays in the request row (which erasure
        // reaches), the append-only audit log only records that one was given.
        await recordChange(trx, req, 'cancel', r, now, { hasReason: reason.length > 0, by: as }, { reason });
      });
      return reply(row.id, as);
    },
  );

  // -------------------------------------------------------------------------------------------
  // Coverage: which villages (包村) and areas each person covers
  // -------------------------------------------------------------------------------------------

  app.get(
    '/workers/coverage',
    {
      config: { policy: allow('requests', STAFF_ROLES) },
      schema: { tags, summary: "Villages and areas each worker, head and volunteer of a station covers (matching, visit lists)", querystring: CoverageQuery, response: { 200: CoverageResponse, ...errors } },
    },
    async (req) => {
      const scope = staffScope(req.auth!.principal);
      const stationId = req.query.stationId ?? (scope.all ? undefined : scope.stationIds[0]);
      if (!stationId || !inScope(scope, stationId)) throw notFound('station');
      return { stationId, ...(await coverageOf(db, stationId)) };
    },
  );

  app.put(
    '/workers/:id/coverage',
    {
      config: { policy: allowRecord('requests', HEAD) },
      schema: { tags, summary: 'Set the villages and areas one person covers (station head; audited)', params: IdParams, querystring: CoverageQuery, body: CoverageBody, response: { 200: CoveragePutResponse, ...errors } },
    },
    async (req) => {
      const heads = stationScope(req.auth!.principal, HEAD);
      const stations = req.query.stationId ? [req.query.stationId] : heads.all ? [] : heads.stationIds;
      let stationId: string | undefined;
      for (const s of stations) {
        if (!inScope(heads, s)) continue;
        if ((await stationPeople(db, s)).some((p) => p.id === req.params.id)) {
          stationId = s;
          break;
        }
      }
      if (!stationId) throw notFound('user');
      const { villageIds, areas } = req.body;
      const known = await db.selectFrom('villages').select('id').where('station_id', '=', stationId).execute();
      const ok = new Set(known.map((v) => v.id));
      if (villageIds.some((v) => !ok.has(v))) throw badRequest('validation_failed', { villageIds: 'unknown_village' });
      const now = clock.now();
      const sid = stationId;
      await db.transaction().execute(async (trx) => {
        const before = await coverageOf(trx, sid);
        const prev = before.workers.find((w) => w.id === req.params.id);
        await trx.deleteFrom('worker_villages').where('station_id', '=', sid).where('user_id', '=', req.params.id).execute();
        await trx.deleteFrom('worker_skills').where('station_id', '=', sid).where('user_id', '=', req.params.id).execute();
        if (villageIds.length) await trx.insertInto('worker_villages').values(villageIds.map((v) => ({ station_id: sid, user_id: req.params.id, village_id: v }))).execute();
        if (areas.length) await trx.insertInto('worker_skills').values(areas.map((a) => ({ station_id: sid, user_id: req.params.id, area: a }))).execute();
        await writeAudit(
          trx,
          req.actor(),
          { action: 'worker.coverage', result: 'ok', entityType: 'user', entityId: req.params.id, stationId: sid, detail: { villageIds, areas, before: prev ? { villageIds: prev.villageIds, areas: prev.areas } : null } },
          now,
        );
      });
      const after = await coverageOf(db, sid);
      return { worker: after.workers.find((w) => w.id === req.params.id)! };
    },
  );
}
