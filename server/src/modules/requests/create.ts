import type { Transaction } from 'kysely';
import type { DB, ServiceArea, ServiceRequestTable, Urgency } from '../../db/tables.js';
import { writeAudit, type AuditActor } from '../../lib/audit.js';
import { newId } from '../../lib/ids.js';
import { recordEvent } from '../residents/timeline.js';

export interface NewServiceRequest {
  stationId: string;
  residentId: string;
  area: ServiceArea;
  title: string;
  description: string;
  urgency: Urgency;
  /** Who raised it: the resident online, staff, or a consultation or visit that turned into a need. */
  source: ServiceRequestTable['source'];
  /** The consultation or visit id for those sources (one request per source, by a unique index). */
  sourceId?: string | null;
  createdBy: string;
  dueAt?: Date | null;
}

/**
 * Opens a service request in the caller's transaction, with its audit entry and timeline event.
 * The one way a request is created: by the requests API, by converting a consultation, and from a
 * visit form. Checks of the caller's scope and the resident's consent belong to the caller.
 */
export async function createServiceRequest(trx: Transaction<DB>, actor: AuditActor, r: NewServiceRequest, now: Date): Promise<string> {
  const id = newId(now.getTime());
  const iso = now.toISOString();
  await trx
    .insertInto('service_requests')
    .values({
      id,
      station_id: r.stationId,
      resident_id: r.residentId,
      area: r.area,
      title: r.title,
      description: r.description,
      urgency: r.urgency,
      status: 'open',
      source: r.source,
      source_id: r.sourceId ?? null,
      assignee_id: null,
      assigned_by: null,
      assigned_at: null,
      due_at: r.dueAt ? r.dueAt.toISOString() : null,
      fulfilled_at: null,
      outcome: null,
      cancel_reason: null,
      version: 1,
      created_by: r.createdBy,
      created_at: iso,
      updated_at: iso,
    })
    .execute();
  await writeAudit(trx, actor, { action: 'service_request.create', result: 'ok', entityType: 'service_request', entityId: id, stationId: r.stationId, detail: { source: r.source, urgency: r.urgency, area: r.area } }, now);
  await recordEvent(trx, { residentId: r.residentId, stationId: r.stationId, actorId: r.createdBy, kind: 'service_request_opened', detail: { requestId: id, title: r.title, urgency: r.urgency } }, now);
  return id;
}
