import type { Role } from '../../db/tables.js';
import { auditDenied } from '../../lib/guard.js';
import { writeAuditAlone } from '../../lib/audit.js';
import type { App } from '../../lib/deps.js';
import { AppError, badRequest, notFound, unprocessable } from '../../lib/errors.js';
import { MODULES, allow, allowRecord, inScope, stationScope, type Principal } from '../../lib/policy.js';
import { parseInstant } from '../../lib/pagination.js';
import { Page, errors } from '../../lib/schema.js';
import { loadResidentInScope } from '../residents/access.js';
import { DEFAULT_SETTINGS, getStationSettings } from '../settings/settings.js';
import { dayToIso, lowersTier, suggestedTier } from './cadence.js';
import { categoriesOf, coveringWorkers, duePage, dueSummary, lastVisitors } from './due.js';
import { CreateBody, CreateResponse, DueQuery, DueRowSchema, IdParams, ListQuery, SummaryQuery, SummarySchema, SweepResponse, VisitResponse, VisitSchema } from './schema.js';
import { sweepOverdueHighTier } from './sweep.js';
import { listVisits, saveVisit, visitById } from './visits.js';

const tags = ['visits'];
const STAFF: readonly Role[] = MODULES.visits.roles;
const HEADS: readonly Role[] = ['station_head'];

const staffStations = (p: Principal): string[] => {
  const s = stationScope(p, STAFF);
  return s.all ? p.stations.map((x) => x.id) : s.stationIds;
};

/** A visit is recorded within this long of it (not in the future either). */
export const MAX_VISIT_AGE_MS = 30 * 86_400_000;

const isHeadOf = (p: Principal, stationId: string) => inScope(stationScope(p, HEADS), stationId);

export async function visitRoutes(app: App): Promise<void> {
  const deps = app.xq;
  const { db, clock } = deps;
  const pg = deps.dialect === 'postgres';

  app.get(
    '/visits/due',
    {
      config: { policy: allow('visits') },
      schema: {
        tags,
        summary: 'The visit due list (走访计划): residents by days overdue (most first; high tier first among equals), from each tier’s cadence in the station settings',
        querystring: DueQuery,
        response: { 200: Page(DueRowSchema), ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      const p = req.auth!.principal;
      const now = clock.now();
      const { rows, nextCursor } = await duePage(
        db,
        pg,
        { stationIds: staffStations(p), coveredBy: q.scope === 'mine' ? p.userId : q.workerId, villageId: q.villageId, residentId: q.residentId, tier: q.tier, state: q.state },
        now,
        q.limit ?? 20,
        q.cursor,
      );
      // Three queries for the page (not one per row): categories, covering workers, last visitor.
      const ids = rows.map((r) => r.id);
      const [cats, cover, by] = await Promise.all([categoriesOf(db, ids), coveringWorkers(db, [...new Set(rows.map((r) => r.village_id))]), lastVisitors(db, rows)]);
      return {
        items: rows.map((r) => ({
          resident: { id: r.id, name: r.name, village: { id: r.village_id, name: r.village_name }, tier: r.risk_tier, categories: cats.get(r.id) ?? [] },
          lastVisitAt: r.last_at,
          lastVisitBy: by.get(r.id) ?? null,
          dueOn: dayToIso(r.due_day),
          daysOverdue: r.days_overdue,
          coveringWorkers: cover.get(r.village_id) ?? [],
        })),
        nextCursor,
      };
    },
  );

  app.get(
    '/visits/due/summary',
    {
      config: { policy: allow('visits') },
      schema: { tags, summary: 'Overdue and due-within-7-days counts per village and per covering worker, and the overdue high-tier residents', querystring: SummaryQuery, response: { 200: SummarySchema, ...errors } },
    },
    async (req) => {
      const p = req.auth!.principal;
      const stationIds = staffStations(p);
      const summary = await dueSummary(db, pg, { stationIds, coveredBy: req.query.scope === 'mine' ? p.userId : undefined }, clock.now());
      const first = stationIds[0];
      const visitDays = first ? (await getStationSettings(db, first)).visitDays : DEFAULT_SETTINGS.visitDays;
      return { ...summary, visitDays };
    },
  );

  app.post(
    '/visits/sweep',
    {
      config: { policy: allow('visits', HEADS) },
      schema: { tags, summary: 'Alert now about overdue high-tier residents of my stations (once per resident per Asia/Shanghai day; the background sweep does the same)', response: { 200: SweepResponse, ...errors } },
    },
    async (req) => {
      const s = stationScope(req.auth!.principal, HEADS);
      const now = clock.now();
      const r = await sweepOverdueHighTier(db, pg, s.all ? 'all' : s.stationIds, now);
      // Each alert is its own transaction (alert_log decides who sends it); the sweep as a whole is
      // audited once, with counts only (no names).
      await writeAuditAlone(
        db,
        req.actor(),
        { action: 'visit.sweep', result: 'ok', stationId: r.stationIds.length === 1 ? r.stationIds[0]! : null, detail: { alerted: r.residents.length, notifications: r.notifications, stations: r.stationIds.length } },
        now,
      );
      return { alerted: r.residents.length, notifications: r.notifications, residents: r.residents };
    },
  );

  app.post(
    '/visits',
    {
      config: { policy: allow('visits'), idempotent: true },
      schema: {
        tags,
        summary: 'Record a home visit: checklist, risk flags, photos; may raise the risk tier (lowering needs a station head) and open a service request. Writes the service record once; honours Idempotency-Key',
        body: CreateBody,
        response: { 201: CreateResponse, ...errors },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const p = req.auth!.principal;
      const now = clock.now();
      const resident = await loadResidentInScope(deps, req, b.residentId);
      if (!inScope(stationScope(p, STAFF), resident.station_id)) {
        await auditDenied(deps, req, { type: 'resident', id: resident.id, stationId: resident.station_id });
        throw notFound('resident');
      }
      const fields: Record<string, string> = {};
      const visitedAt = parseInstant(b.visitedAt, 'visitedAt').getTime();
      if (visitedAt > now.getTime()) fields.visitedAt = 'time_in_future';
      else if (visitedAt < now.getTime() - MAX_VISIT_AGE_MS) fields.visitedAt = 'visit_too_old';
      if (!b.observations.trim()) fields.observations = 'required';
      if (b.openRequest && !b.openRequest.title.trim()) fields['openRequest.title'] = 'required';
      if (Object.keys(fields).length > 0) throw badRequest('validation_failed', fields);
      if (resident.anonymised_at === null && resident.status !== 'active') throw unprocessable('resident_not_active', { status: resident.status });
      if (b.newTier && lowersTier(resident.risk_tier, b.newTier) && !isHeadOf(p, resident.station_id)) {
        await writeAuditAlone(db, req.actor(), { action: 'visit.lower_tier', result: 'denied', entityType: 'resident', entityId: resident.id, stationId: resident.station_id, detail: { from: resident.risk_tier, to: b.newTier } }, now);
        throw new AppError(403, 'tier_lowering_needs_head', { newTier: 'tier_lowering_needs_head' });
      }
      const id = await db.transaction().execute((trx) => saveVisit(trx, { input: b, stationId: resident.station_id, workerId: p.userId, actor: req.actor(), mayLowerTier: isHeadOf(p, resident.station_id) }, now));
      return reply.status(201).send({ visit: (await visitById(db, id))!, suggestedTier: suggestedTier(b.riskFlags) });
    },
  );

  app.get(
    '/visits',
    { config: { policy: allow('visits') }, schema: { tags, summary: 'Visit history, newest first, filtered by resident, worker, village and time', querystring: ListQuery, response: { 200: Page(VisitSchema), ...errors } } },
    async (req) => {
      const { limit, cursor, ...filters } = req.query;
      if (filters.from && filters.to && parseInstant(filters.from, 'from') > parseInstant(filters.to, 'to')) throw badRequest('validation_failed', { to: 'end_before_start' });
      return listVisits(db, stationScope(req.auth!.principal, STAFF), filters, limit ?? 20, cursor);
    },
  );

  app.get(
    '/visits/:id',
    { config: { policy: allowRecord('visits') }, schema: { tags, summary: 'One visit with its photo ids (images at GET /api/photos/:id)', params: IdParams, response: { 200: VisitResponse, ...errors } } },
    async (req) => {
      const visit = await visitById(db, req.params.id);
      if (!visit || !inScope(stationScope(req.auth!.principal, STAFF), visit.stationId)) {
        if (visit) await writeAuditAlone(db, req.actor(), { action: 'GET /api/visits/:id', result: 'denied', entityType: 'visit', entityId: visit.id, stationId: visit.stationId }, clock.now());
        throw notFound('visit');
      }
      return { visit };
    },
  );
}
