import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { DeletionRequestTable } from '../../db/tables.js';
import { writeAudit, writeAuditAlone } from '../../lib/audit.js';
import type { App } from '../../lib/deps.js';
import { AppError, badRequest, forbidden, notFound, unprocessable } from '../../lib/errors.js';
import { allow, allowRecord, MODULES, stationScope, type Principal } from '../../lib/policy.js';
import { errors } from '../../lib/schema.js';
import { inScopeSql } from '../../lib/sql.js';
import { loadResidentInScope, revealableFields } from '../residents/access.js';
import { recordEvent } from '../residents/timeline.js';
import { accessReportWorkbook, buildAccessReport } from './access-report.js';
import { approveDeletion, deletionViews, listDeletionRequests, openDeletionRequest, rejectDeletion } from './deletion.js';
import { recordOfProcessing } from './record.js';
import { countDue, listDue, retentionCutoff } from './retention.js';
import {
  AccessReport, ApproveBody, CreateDeletionBody, DeletionListQuery, DeletionRequestResponse, DeletionRequestView, IdParams, ReasonBody,
  RecordQuery, RecordResponse, RejectBody, RetentionQuery, RetentionResponse,
} from './schema.js';

const tags = ['privacy'];

/** Stations where the user may decide deletion requests and review retention (heads and data officers). */
const privacyScope = (p: Principal) => stationScope(p, MODULES.privacy.roles);

function cleanReason(raw: string): string {
  const reason = raw.trim();
  if (reason.length < 2) throw badRequest('validation_failed', { reason: 'too_short' });
  return reason;
}

export async function privacyRoutes(app: App): Promise<void> {
  const deps = app.xq;
  const { db, clock, keys, config } = deps;

  /** A request the user may act on, or 404 exactly as for a missing id; probing is audited as denied. */
  async function requestInScope(req: FastifyRequest, id: string): Promise<DeletionRequestTable> {
    const row = await db.selectFrom('deletion_requests').selectAll().where('id', '=', id).where(inScopeSql(privacyScope(req.auth!.principal), 'station_id')).executeTakeFirst();
    if (row) return row;
    const exists = await db.selectFrom('deletion_requests').select(['resident_id', 'station_id']).where('id', '=', id).executeTakeFirst();
    if (exists) {
      await writeAuditAlone(db, req.actor(), { action: `${req.method} ${req.routeOptions.url}`, result: 'denied', entityType: 'resident', entityId: exists.resident_id, stationId: exists.station_id, detail: { deletionRequestId: id } }, clock.now());
    }
    throw notFound('deletion_request');
  }

  async function viewOf(p: Principal, id: string) {
    const row = await db.selectFrom('deletion_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const [view] = await deletionViews(db, p, [row]);
    return view!;
  }

  /**
   * Hand a person's own data over (PIPL Art. 45): clear values, so only users who may reveal them,
   * and each time with a reason that goes to the audit log and the person's timeline.
   */
  async function accessReportFor(req: FastifyRequest, residentId: string, rawReason: string, format: 'json' | 'xlsx') {
    const p = req.auth!.principal;
    const resident = await loadResidentInScope(deps, req, residentId);
    const reason = cleanReason(rawReason);
    if (revealableFields(p, resident.station_id).length === 0) {
      await writeAuditAlone(db, req.actor(), { action: 'resident.access_report', result: 'denied', entityType: 'resident', entityId: resident.id, stationId: resident.station_id, reason }, clock.now());
      throw forbidden();
    }
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await writeAudit(trx, req.actor(), { action: 'resident.access_report', result: 'ok', entityType: 'resident', entityId: resident.id, stationId: resident.station_id, field: 'all', reason, detail: { format } }, now);
      await recordEvent(trx, { residentId: resident.id, stationId: resident.station_id, actorId: p.userId, kind: 'access_report', detail: { format } }, now);
    });
    return buildAccessReport(db, keys, resident, { generatedAt: now, generatedBy: req.auth!.user.display_name, reason });
  }

  app.post(
    '/residents/:id/access-report',
    { config: { policy: allowRecord('residents') }, schema: { tags, summary: "Everything held about one resident, clear values included (PIPL Art. 45); audited with the reason", params: IdParams, body: ReasonBody, response: { 200: Type.Object({ report: AccessReport }), ...errors } } },
    async (req) => ({ report: await accessReportFor(req, req.params.id, req.body.reason, 'json') }),
  );

  app.post(
    '/residents/:id/access-report.xlsx',
    { config: { policy: allowRecord('residents') }, schema: { tags, summary: 'The access report as an Excel workbook, one sheet per section; audited with the reason', params: IdParams, body: ReasonBody, response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), ...errors } } },
    async (req, reply) => {
      const report = await accessReportFor(req, req.params.id, req.body.reason, 'xlsx');
      const buf = await accessReportWorkbook(report);
      const day = report.generatedAt.slice(0, 10);
      const filename = `个人信息查阅复制-${report.profile.name}-${day}.xlsx`;
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="access-report-${day}.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`)
        .header('cache-control', 'no-store')
        .send(buf);
    },
  );

  app.post(
    '/deletion-requests',
    { config: { policy: allow('residents') }, schema: { tags, summary: 'Ask for a resident to be deleted (PIPL Art. 47); a station head and a data officer must both approve', body: CreateDeletionBody, response: { 200: DeletionRequestResponse, 201: DeletionRequestResponse, ...errors } } },
    async (req, reply) => {
      const p = req.auth!.principal;
      const resident = await loadResidentInScope(deps, req, req.body.residentId);
      const reason = cleanReason(req.body.reason);
      if (resident.anonymised_at) throw unprocessable('resident_anonymised');
      const now = clock.now();
      const { id, created } = await openDeletionRequest(db, { residentId: resident.id, stationId: resident.station_id, reason, actorId: p.userId }, now, (trx, requestId) =>
        writeAudit(trx, req.actor(), { action: 'privacy.deletion_request', result: 'ok', entityType: 'resident', entityId: resident.id, stationId: resident.station_id, reason, detail: { deletionRequestId: requestId } }, now),
      );
      return reply.status(created ? 201 : 200).send({ request: await viewOf(p, id) });
    },
  );

  app.get(
    '/deletion-requests',
    { config: { policy: allow('privacy') }, schema: { tags, summary: 'Deletion requests of the user\'s stations, newest first', querystring: DeletionListQuery, response: { 200: Type.Object({ items: Type.Array(DeletionRequestView), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors } } },
    async (req) => {
      const p = req.auth!.principal;
      return listDeletionRequests(db, p, privacyScope(p), { status: req.query.status, stationId: req.query.stationId, limit: req.query.limit ?? 20, cursor: req.query.cursor });
    },
  );

  app.get(
    '/deletion-requests/:id',
    { config: { policy: allowRecord('privacy') }, schema: { tags, summary: 'One deletion request', params: IdParams, response: { 200: DeletionRequestResponse, ...errors } } },
    async (req) => {
      const d = await requestInScope(req, req.params.id);
      return { request: await viewOf(req.auth!.principal, d.id) };
    },
  );

  app.post(
    '/deletion-requests/:id/approve',
    { config: { policy: allow('privacy') }, schema: { tags, summary: 'Approve as station head or as data officer; the second approval anonymises the resident in the same transaction', params: IdParams, body: ApproveBody, response: { 200: DeletionRequestResponse, ...errors } } },
    async (req) => {
      const p = req.auth!.principal;
      const d = await requestInScope(req, req.params.id);
      const now = clock.now();
      try {
        await db.transaction().execute(async (trx) => {
          const r = await approveDeletion(trx, p, d.id, req.body.as, now);
          await writeAudit(trx, req.actor(), { action: 'privacy.deletion_approve', result: 'ok', entityType: 'resident', entityId: r.residentId, stationId: r.stationId, detail: { deletionRequestId: d.id, as: r.role } }, now);
          if (r.executed) {
            await writeAudit(trx, req.actor(), { action: 'privacy.anonymise', result: 'ok', entityType: 'resident', entityId: r.residentId, stationId: r.stationId, reason: d.reason, detail: { deletionRequestId: d.id } }, now);
          }
        });
      } catch (e) {
        if (e instanceof AppError) {
          await writeAuditAlone(db, req.actor(), { action: 'privacy.deletion_approve', result: 'denied', entityType: 'resident', entityId: d.resident_id, stationId: d.station_id, detail: { deletionRequestId: d.id, error: e.id } }, now);
        }
        throw e;
      }
      return { request: await viewOf(p, d.id) };
    },
  );

  app.post(
    '/deletion-requests/:id/reject',
    { config: { policy: allow('privacy') }, schema: { tags, summary: 'Turn a deletion request down, with the reason', params: IdParams, body: RejectBody, response: { 200: DeletionRequestResponse, ...errors } } },
    async (req) => {
      const p = req.auth!.principal;
      const d = await requestInScope(req, req.params.id);
      const reason = cleanReason(req.body.reason);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await rejectDeletion(trx, p, d.id, reason, now);
        await writeAudit(trx, req.actor(), { action: 'privacy.deletion_reject', result: 'ok', entityType: 'resident', entityId: d.resident_id, stationId: d.station_id, reason, detail: { deletionRequestId: d.id } }, now);
      });
      return { request: await viewOf(p, d.id) };
    },
  );

  app.get(
    '/retention',
    { config: { policy: allow('privacy') }, schema: { tags, summary: `Residents who moved or died more than N years ago (XQ_RETENTION_YEARS), not yet anonymised: due for review (PIPL Art. 19)`, querystring: RetentionQuery, response: { 200: RetentionResponse, ...errors } } },
    async (req) => {
      const scope = privacyScope(req.auth!.principal);
      const years = config.retentionYears;
      const cutoff = retentionCutoff(clock.now(), years);
      const [page, total] = await Promise.all([
        listDue(db, scope, cutoff, { stationId: req.query.stationId, limit: req.query.limit ?? 20, cursor: req.query.cursor }),
        countDue(db, scope, cutoff, req.query.stationId),
      ]);
      return { ...page, total, years, cutoff };
    },
  );

  app.get(
    '/record-of-processing',
    { config: { policy: allow('privacy') }, schema: { tags, summary: '个人信息处理活动记录 (GB/T 35273 §11.3) per station, built from configuration and the data', querystring: RecordQuery, response: { 200: RecordResponse, ...errors } } },
    async (req) => recordOfProcessing(db, privacyScope(req.auth!.principal), { now: clock.now(), retentionYears: config.retentionYears, stationId: req.query.stationId }),
  );
}
