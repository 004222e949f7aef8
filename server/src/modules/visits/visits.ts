import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, RiskTier, ServiceMethod, VisitMode } from '../../db/tables.js';
import { writeAudit, type AuditActor } from '../../lib/audit.js';
import { AppError, conflict } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { decodeCursorParts, encodeCursor, parseInstant } from '../../lib/pagination.js';
import { inScopeSql } from '../../lib/sql.js';
import type { StationScope } from '../../lib/policy.js';
import { claimAttachments, photoIdsOf } from '../attachments/attachments.js';
import { requireConsent } from '../consents/consents.js';
import { createServiceRequest } from '../requests/create.js';
import { recordEvent } from '../residents/timeline.js';
import { insertServiceRecord } from '../service-records/records.js';
import { CHECKLIST_ITEMS, lowersTier, type RiskFlag } from './cadence.js';
import type { CreateInput, VisitView } from './schema.js';

/** How a visit of each mode goes into the service ledger. */
export const METHOD_OF_VISIT: Record<VisitMode, ServiceMethod> = { home: 'visit', phone: 'phone', video: 'online', other: 'visit' };

const MODE_LABEL: Record<VisitMode, string> = { home: '入户走访', phone: '电话走访', video: '视频走访', other: '走访' };

export interface SaveVisit {
  input: CreateInput;
  stationId: string;
  workerId: string;
  actor: AuditActor;
  /** Station heads may lower the tier; checked again here against the tier read in the transaction. */
  mayLowerTier: boolean;
}

/**
 * Saves a visit with everything that follows from it, in one transaction: the consent check, the
 * tier change (compare-and-swap on the tier read here), the photos, the request it opens, the
 * service record (once: source 'visit'), the timeline and the audit entry. Returns the visit id.
 */
export async function saveVisit(trx: Transaction<DB>, v: SaveVisit, now: Date): Promise<string> {
  const b = v.input;
  await requireConsent(trx, b.residentId, 'service', now);
  const resident = await trx.selectFrom('residents').select(['risk_tier', 'version']).where('id', '=', b.residentId).executeTakeFirstOrThrow();
  const tierBefore = resident.risk_tier;
  const tierAfter: RiskTier = b.newTier ?? tierBefore;
  // The route checked the tier it read before; a visit saved in between may have raised it since.
  if (lowersTier(tierBefore, tierAfter) && !v.mayLowerTier) throw new AppError(403, 'tier_lowering_needs_head', { newTier: 'tier_lowering_needs_head' });
  const id = newId(now.getTime());
  const visitedAt = parseInstant(b.visitedAt, 'visitedAt');
  const observations = b.observations.trim();
  const checklist = Object.fromEntries(CHECKLIST_ITEMS.map((k) => [k, b.checklist[k]]));
  await trx
    .insertInto('visits')
    .values({
      id,
      station_id: v.stationId,
      resident_id: b.residentId,
      worker_id: v.workerId,
      visited_at: visitedAt.toISOString(),
      duration_minutes: b.durationMinutes,
      mode: b.mode,
      met_resident: b.metResident ? 1 : 0,
      observations,
      checklist: JSON.stringify(checklist),
      risk_flags: JSON.stringify(b.riskFlags),
      tier_before: tierBefore,
      tier_after: tierAfter,
      request_id: null,
      follow_up_needed: b.followUpNeeded ? 1 : 0,
      created_by: v.workerId,
      created_at: now.toISOString(),
    })
    .execute();
  if (tierAfter !== tierBefore) {
    // Compare-and-swap on the version read in this transaction: a concurrent edit answers 409.
    const upd = await trx
      .updateTable('residents')
      .set({ risk_tier: tierAfter, version: sql`version + 1`, updated_at: now.toISOString() })
      .where('id', '=', b.residentId)
      .where('version', '=', resident.version)
      .executeTakeFirst();
    if (Number(upd.numUpdatedRows) !== 1) throw conflict('version_conflict');
    await recordEvent(trx, { residentId: b.residentId, stationId: v.stationId, actorId: v.workerId, kind: 'updated', field: 'riskTier', oldValue: tierBefore, newValue: tierAfter, detail: { visitId: id } }, now);
  }
  await claimAttachments(trx, b.photoIds ?? [], { kind: 'visit', id, residentId: b.residentId, uploadedBy: v.workerId });
  let requestId: string | null = null;
  if (b.openRequest) {
    const r = b.openRequest;
    requestId = await createServiceRequest(
      trx,
      v.actor,
      { stationId: v.stationId, residentId: b.residentId, area: r.area, title: r.title.trim(), description: r.description.trim(), urgency: r.urgency, source: 'visit', sourceId: id, createdBy: v.workerId },
      now,
    );
    await trx.updateTable('visits').set({ request_id: requestId }).where('id', '=', id).execute();
  }
  const concerns = CHECKLIST_ITEMS.filter((k) => checklist[k] === 'concern');
  const serviceRecordId = await insertServiceRecord(
    trx,
    {
      stationId: v.stationId,
      residentId: b.residentId,
      workerId: v.workerId,
      serviceTypeId: null,
      method: METHOD_OF_VISIT[b.mode],
      start: visitedAt,
      end: new Date(visitedAt.getTime() + b.durationMinutes * 60_000),
      place: b.mode === 'home' ? '服务对象家中' : null,
      summary: `${MODE_LABEL[b.mode]}：${observations}`,
      outcome: concerns.length || b.riskFlags.length ? `关注项 ${concerns.length} 项；风险标记：${b.riskFlags.join('、') || '无'}` : null,
      followUpNeeded: b.followUpNeeded ?? false,
      source: 'visit',
      sourceId: id,
      createdBy: v.workerId,
    },
    now,
  );
  // The audit log is append-only and outlives the resident's erasure: the flags themselves
  // (signs_of_abuse, self_harm_talk …) stay in the visit row, the log keeps only how many.
  await writeAudit(
    trx,
    v.actor,
    {
      action: 'visit.create',
      result: 'ok',
      entityType: 'visit',
      entityId: id,
      stationId: v.stationId,
      detail: { residentId: b.residentId, mode: b.mode, tierBefore, tierAfter, requestId, serviceRecordId, riskFlagCount: b.riskFlags.length },
    },
    now,
  );
  return id;
}

function baseQuery(db: Kysely<DB>) {
  return db
    .selectFrom('visits as v')
    .innerJoin('residents as r', 'r.id', 'v.resident_id')
    .innerJoin('villages as vl', 'vl.id', 'r.village_id')
    .innerJoin('users as w', 'w.id', 'v.worker_id')
    .leftJoin('service_records as s', (j) => j.onRef('s.source_id', '=', 'v.id').on('s.source', '=', 'visit'))
    .selectAll('v')
    .select(['r.name as resident_name', 'r.village_id', 'vl.name as village_name', 'w.display_name as worker_name', 's.id as service_record_id']);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function view(r: Row, photos: string[]): VisitView {
  return {
    id: r.id,
    stationId: r.station_id,
    resident: { id: r.resident_id, name: r.resident_name, village: { id: r.village_id, name: r.village_name } },
    worker: { id: r.worker_id, name: r.worker_name },
    visitedAt: r.visited_at,
    durationMinutes: r.duration_minutes,
    mode: r.mode,
    metResident: r.met_resident === 1,
    observations: r.observations,
    checklist: JSON.parse(r.checklist) as VisitView['checklist'],
    riskFlags: JSON.parse(r.risk_flags) as RiskFlag[],
    tierBefore: r.tier_before,
    tierAfter: r.tier_after,
    requestId: r.request_id,
    serviceRecordId: r.service_record_id,
    followUpNeeded: r.follow_up_needed === 1,
    photoIds: photos,
    createdAt: r.created_at,
  };
}

export async function visitById(db: Kysely<DB>, id: string): Promise<VisitView | null> {
  const r = await baseQuery(db).where('v.id', '=', id).executeTakeFirst();
  if (!r) return null;
  return view(r, (await photoIdsOf(db, 'visit', [id])).get(id) ?? []);
}

export interface VisitFilters {
  residentId?: string;
  workerId?: string;
  villageId?: string;
  from?: string;
  to?: string;
}

/** Newest visit first; the cursor is the last row's visited_at and id. */
export async function listVisits(db: Kysely<DB>, scope: StationScope, f: VisitFilters, limit: number, cursor: string | undefined) {
  let q = baseQuery(db).where(inScopeSql(scope, 'v.station_id'));
  if (f.residentId) q = q.where('v.resident_id', '=', f.residentId);
  if (f.workerId) q = q.where('v.worker_id', '=', f.workerId);
  if (f.villageId) q = q.where('r.village_id', '=', f.villageId);
  if (f.from) q = q.where('v.visited_at', '>=', parseInstant(f.from, 'from').toISOString());
  if (f.to) q = q.where('v.visited_at', '<', parseInstant(f.to, 'to').toISOString());
  const after = decodeCursorParts(cursor, ['instant', 'id'] as const);
  if (after) {
    const [at, id] = after;
    q = q.where((eb) => eb.or([eb('v.visited_at', '<', at), eb.and([eb('v.visited_at', '=', at), eb('v.id', '<', id)])]));
  }
  const rows = await q.orderBy('v.visited_at', 'desc').orderBy('v.id', 'desc').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const photos = await photoIdsOf(db, 'visit', items.map((r) => r.id));
  const last = items[items.length - 1];
  return { items: items.map((r) => view(r, photos.get(r.id) ?? [])), nextCursor: rows.length > limit && last ? encodeCursor(`${last.visited_at}|${last.id}`) : null };
}
