import { writeAudit } from '../../lib/audit.js';
import type { App } from '../../lib/deps.js';
import { AppError, badRequest, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { allow, allowRecord, inScope, stationScope, MODULES } from '../../lib/policy.js';
import { Page, errors } from '../../lib/schema.js';
import { requireConsent } from '../consents/consents.js';
import { loadResidentInScope } from '../residents/access.js';
import { insertServiceRecord, listServiceRecords, serviceRecordById, serviceRecordsByIds } from './records.js';
import { CreateBody, IdParams, ListQuery, ServiceRecordResponse, ServiceRecordSchema } from './schema.js';

const tags = ['service-records'];
const READERS = MODULES.service_records.roles;
/** Data officers read the ledger for reports; the people who deliver services write it. */
const WRITERS = ['social_worker', 'station_head'] as const;

/** Roles whose holders can be named as the one who delivered a service at a station. */
const DELIVERERS = ['social_worker', 'station_head', 'volunteer'] as const;
/** Methods where one session serves several residents (小组, 社区活动). */
const GROUP_METHODS: ReadonlySet<string> = new Set(['group', 'community']);

export async function serviceRecordRoutes(app: App): Promise<void> {
  const deps = app.xq;
  const { db, clock } = deps;

  app.get(
    '/service-records',
    { config: { policy: allow('service_records') }, schema: { tags, summary: 'The service ledger (服务台账), newest first, filtered by resident, worker, service type and time', querystring: ListQuery, response: { 200: Page(ServiceRecordSchema), ...errors } } },
    async (req) => {
      const { limit, cursor, ...filters } = req.query;
      if (filters.from && filters.to && Date.parse(filters.from) > Date.parse(filters.to)) throw badRequest('validation_failed', { to: 'end_before_start' });
      return listServiceRecords(db, stationScope(req.auth!.principal, READERS), filters, limit ?? 20, cursor);
    },
  );

  app.get(
    '/service-records/:id',
    { config: { policy: allowRecord('service_records') }, schema: { tags, summary: 'One service record', params: IdParams, response: { 200: ServiceRecordResponse, ...errors } } },
    async (req) => {
      const record = await serviceRecordById(db, req.params.id);
      if (!record || !inScope(stationScope(req.auth!.principal, READERS), record.stationId)) throw notFound('service_record');
      return { record };
    },
  );

  app.post(
    '/service-records',
    {
      config: { policy: allow('service_records', WRITERS), idempotent: true },
      schema: { tags, summary: 'Record a service by hand (anything not recorded from an appointment, visit or request): one resident, or everyone a group or community session served (one row each, sharing activityId), with the workers who delivered it; honours Idempotency-Key', body: CreateBody, response: { 201: ServiceRecordResponse, ...errors } },
    },
    async (req, reply) => {
      const b = req.body;
      const p = req.auth!.principal;
      const now = clock.now();
      const fields: Record<string, string> = {};
      // One resident (one-to-one work) or several (a group or community session), never both.
      const residentIds = b.residentIds ?? (b.residentId ? [b.residentId] : []);
      if ((b.residentId && b.residentIds) || residentIds.length === 0) throw badRequest('validation_failed', { [b.residentIds ? 'residentIds' : 'residentId']: 'one_resident_or_many' });
      // The method decides: a group or community session is one activity however many came; anything
      // else serves one person (a family seen together is recorded per person).
      const group = GROUP_METHODS.has(b.method);
      if (!group && residentIds.length > 1) fields.residentIds = 'several_only_for_groups';
      residentIds.forEach((id, i) => {
        if (residentIds.indexOf(id) !== i) fields[`residentIds.${i}`] = 'duplicate_entry';
      });
      if (Object.keys(fields).length > 0) throw badRequest('validation_failed', fields);
      // Each resident as for a single record: out of scope answers 404 (and is audited as denied).
      const residents: Awaited<ReturnType<typeof loadResidentInScope>>[] = [];
      for (const id of residentIds) {
        const r = await loadResidentInScope(deps, req, id);
        if (!inScope(stationScope(p, WRITERS), r.station_id)) throw notFound('resident');
        residents.push(r);
      }
      const stationId = residents[0]!.station_id;
      residents.forEach((r, i) => {
        if (r.station_id !== stationId) fields[`residentIds.${i}`] = 'same_station';
      });
      const start = new Date(b.start);
      const end = new Date(b.end);
      // The date-time format admits a leap second JavaScript cannot hold (see parseInstant).
      if (Number.isNaN(start.getTime())) fields.start = 'date_invalid';
      if (Number.isNaN(end.getTime())) fields.end = 'date_invalid';
      if (end < start) fields.end = 'end_before_start';
      if (start > now) fields.start = 'time_in_future';
      if (!b.summary.trim()) fields.summary = 'required';
      const workerId = b.workerId ?? req.auth!.user.id;
      const coWorkerIds = [...new Set(b.coWorkerIds ?? [])].filter((w) => w !== workerId);
      const deliverers = new Set(
        (
          await db
            .selectFrom('role_assignments as ra')
            .innerJoin('users as u', 'u.id', 'ra.user_id')
            .select('ra.user_id')
            .where('ra.user_id', 'in', [workerId, ...coWorkerIds])
            .where('ra.station_id', '=', stationId)
            .where('ra.role', 'in', DELIVERERS)
            .where('u.disabled', '=', 0)
            .execute()
        ).map((r) => r.user_id),
      );
      if (!deliverers.has(workerId)) fields.workerId = 'unknown_worker';
      (b.coWorkerIds ?? []).forEach((w, i) => {
        if (w !== workerId && !deliverers.has(w)) fields[`coWorkerIds.${i}`] = 'unknown_worker';
      });
      if (b.serviceTypeId) {
        const st = await db.selectFrom('service_types').select('station_id').where('id', '=', b.serviceTypeId).executeTakeFirst();
        if (!st || st.station_id !== stationId) fields.serviceTypeId = 'unknown_service_type';
      }
      if (Object.keys(fields).length > 0) throw badRequest('validation_failed', fields);
      const ids = await db.transaction().execute(async (trx) => {
        if (b.residentIds) {
          // A list names everyone without a service consent at once, so the worker can take them off it.
          const refused: Record<string, string> = {};
          for (const [i, r] of residents.entries()) {
            try {
              await requireConsent(trx, r.id, 'service', now);
            } catch (e) {
              if (!(e instanceof AppError) || (e.id !== 'consent_required' && e.id !== 'resident_anonymised')) throw e;
              refused[`residentIds.${i}`] = 'no_service_consent';
            }
          }
          if (Object.keys(refused).length > 0) throw new AppError(422, 'consent_required', refused, { purpose: 'service' });
        } else {
          await requireConsent(trx, residents[0]!.id, 'service', now);
        }
        const activityId = group ? newId(now.getTime()) : null;
        const written: string[] = [];
        for (const r of residents) {
          const rid = await insertServiceRecord(
            trx,
            {
              stationId,
              residentId: r.id,
              workerId,
              coWorkerIds,
              activityId,
              serviceTypeId: b.serviceTypeId ?? null,
              method: b.method,
              start,
              end,
              place: b.place?.trim() || null,
              summary: b.summary.trim(),
              outcome: b.outcome?.trim() || null,
              followUpNeeded: b.followUpNeeded ?? false,
              source: 'manual',
              sourceId: null,
              createdBy: req.auth!.user.id,
            },
            now,
          );
          await writeAudit(
            trx,
            req.actor(),
            { action: 'service_record.create', result: 'ok', entityType: 'service_record', entityId: rid, stationId, detail: { residentId: r.id, method: b.method, ...(activityId ? { activityId, participants: residents.length } : {}) } },
            now,
          );
          written.push(rid);
        }
        return written;
      });
      const records = await serviceRecordsByIds(db, ids);
      return reply.status(201).send({ record: records[0]!, records });
    },
  );
}
