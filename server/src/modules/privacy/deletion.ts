import { replaceNameKeys } from '../residents/residents.js';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, DeletionRequestTable, Role } from '../../db/tables.js';
import { conflict, unprocessable } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { decodeCursor, encodeCursor } from '../../lib/pagination.js';
import type { Principal, StationScope } from '../../lib/policy.js';
import { inScopeSql } from '../../lib/sql.js';
import { recordEvent } from '../residents/timeline.js';
import type { DeletionRequestItem, DeletionStatus } from './schema.js';

export type ApprovalRole = 'station_head' | 'data_officer';

type Decided = Pick<DeletionRequestTable, 'executed_at' | 'rejected_at'>;

export function deletionStatus(d: Decided): DeletionStatus {
  if (d.executed_at) return 'executed';
  if (d.rejected_at) return 'rejected';
  return 'open';
}

function rolesAt(p: Principal, stationId: string): Role[] {
  return p.assignments.filter((a) => a.stationId === stationId).map((a) => a.role);
}

/**
 * Which approvals this user may give on this request right now. One function decides, for the
 * approve route and for the buttons the list shows: a station head fills the head approval, a data
 * officer the officer approval, each once, and never the same person for both (PIPL Art. 47 is
 * carried out only on the word of two people; the database holds the same rule as a CHECK).
 */
export function approvalsAllowed(p: Principal, d: DeletionRequestTable): ApprovalRole[] {
  if (deletionStatus(d) !== 'open') return [];
  const here = rolesAt(p, d.station_id);
  const out: ApprovalRole[] = [];
  if (here.includes('station_head') && !d.head_approved_by && d.officer_approved_by !== p.userId) out.push('station_head');
  if (here.includes('data_officer') && !d.officer_approved_by && d.head_approved_by !== p.userId) out.push('data_officer');
  return out;
}

/** Either approver may turn a request down while it is open. */
export function mayReject(p: Principal, d: DeletionRequestTable): boolean {
  const here = rolesAt(p, d.station_id);
  return deletionStatus(d) === 'open' && (here.includes('station_head') || here.includes('data_officer'));
}

function isOpenUniqueViolation(e: unknown): boolean {
  const msg = e instanceof Error ? e.message : '';
  return msg.includes('deletion_requests_open_uq') || msg.includes('UNIQUE constraint failed: deletion_requests.resident_id');
}

/**
 * Open a request, or hand back the one already open for this resident (a repeated click, or two
 * workers at once): a person has at most one open request, which the database enforces.
 */
export async function openDeletionRequest(
  db: Kysely<DB>,
  input: { residentId: string; stationId: string; reason: string; actorId: string },
  at: Date,
  audit: (trx: Transaction<DB>, requestId: string) => Promise<void>,
): Promise<{ id: string; created: boolean }> {
  const existing = () =>
    db
      .selectFrom('deletion_requests')
      .select('id')
      .where('resident_id', '=', input.residentId)
      .where('executed_at', 'is', null)
      .where('rejected_at', 'is', null)
      .executeTakeFirst();
  try {
    return await db.transaction().execute(async (trx) => {
      const open = await trx
        .selectFrom('deletion_requests')
        .select('id')
        .where('resident_id', '=', input.residentId)
        .where('executed_at', 'is', null)
        .where('rejected_at', 'is', null)
        .executeTakeFirst();
      if (open) return { id: open.id, created: false };
      const id = newId(at.getTime());
      await trx
        .insertInto('deletion_requests')
        .values({
          id, station_id: input.stationId, resident_id: input.residentId, reason: input.reason, requested_by: input.actorId,
          requested_at: at.toISOString(), head_approved_by: null, head_approved_at: null, officer_approved_by: null,
          officer_approved_at: null, rejected_by: null, rejected_at: null, rejected_reason: null, executed_at: null,
        })
        .execute();
      await recordEvent(trx, { residentId: input.residentId, stationId: input.stationId, actorId: input.actorId, kind: 'deletion_requested', detail: { deletionRequestId: id } }, at);
      await audit(trx, id);
      return { id, created: true };
    });
  } catch (e) {
    if (!isOpenUniqueViolation(e)) throw e;
    const open = await existing();
    if (!open) throw e;
    return { id: open.id, created: false };
  }
}

/**
 * Record one approval; when it is the second, anonymise in the same transaction, so a request is
 * never "approved twice" without the erasure having happened. Returns whether it was executed.
 */
export async function approveDeletion(
  trx: Transaction<DB>,
  p: Principal,
  requestId: string,
  as: ApprovalRole | undefined,
  at: Date,
): Promise<{ role: ApprovalRole; executed: boolean; residentId: string; stationId: string }> {
  const d = await trx.selectFrom('deletion_requests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();
  if (deletionStatus(d) !== 'open') throw conflict('already_decided');
  const allowed = approvalsAllowed(p, d);
  const role = as ?? allowed[0];
  if (!role || !allowed.includes(role)) throw unprocessable('approval_not_allowed');
  const iso = at.toISOString();
  const q = trx.updateTable('deletion_requests').where('id', '=', requestId).where('executed_at', 'is', null).where('rejected_at', 'is', null);
  const res =
    role === 'station_head'
      ? await q.set({ head_approved_by: p.userId, head_approved_at: iso }).where('head_approved_by', 'is', null).executeTakeFirst()
      : await q.set({ officer_approved_by: p.userId, officer_approved_at: iso }).where('officer_approved_by', 'is', null).executeTakeFirst();
  // Someone else decided between our read and our write (PostgreSQL re-checks the WHERE after a lock wait).
  if (Number(res.numUpdatedRows) !== 1) throw conflict('already_decided');
  await recordEvent(trx, { residentId: d.resident_id, stationId: d.station_id, actorId: p.userId, kind: 'deletion_approved', detail: { deletionRequestId: d.id, as: role } }, at);

  const now = await trx.selectFrom('deletion_requests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();
  if (!now.head_approved_by || !now.officer_approved_by) return { role, executed: false, residentId: d.resident_id, stationId: d.station_id };
  await anonymiseResident(trx, d.resident_id, at);
  await trx.updateTable('deletion_requests').set({ executed_at: iso }).where('id', '=', requestId).execute();
  await recordEvent(trx, { residentId: d.resident_id, stationId: d.station_id, actorId: p.userId, kind: 'anonymised', detail: { deletionRequestId: d.id } }, at);
  return { role, executed: true, residentId: d.resident_id, stationId: d.station_id };
}

export async function rejectDeletion(trx: Transaction<DB>, p: Principal, requestId: string, reason: string, at: Date): Promise<DeletionRequestTable> {
  const d = await trx.selectFrom('deletion_requests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();
  if (deletionStatus(d) !== 'open') throw conflict('already_decided');
  if (!mayReject(p, d)) throw unprocessable('approval_not_allowed');
  const res = await trx
    .updateTable('deletion_requests')
    .set({ rejected_by: p.userId, rejected_at: at.toISOString(), rejected_reason: reason })
    .where('id', '=', requestId)
    .where('executed_at', 'is', null)
    .where('rejected_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw conflict('already_decided');
  await recordEvent(trx, { residentId: d.resident_id, stationId: d.station_id, actorId: p.userId, kind: 'deletion_rejected', detail: { deletionRequestId: d.id } }, at);
  return d;
}

/**
 * Timeline fields whose old and new values stay after anonymisation: they are what the counts are
 * made of (gender, village, categories, risk, status) and say nothing about who the person is.
 */
const KEPT_EVENT_FIELDS = new Set(['gender', 'villageId', 'categories', 'riskTier', 'lawfulBasis', 'status', 'statusDate']);
/** Timeline detail entries that are codes or ids, never words a person typed. */
const KEPT_DETAIL_KEYS = new Set(['deletionRequestId', 'as', 'purpose', 'purposes', 'method', 'givenBy', 'field', 'fields', 'format', 'mode', 'rows', 'count', 'consentId', 'source']);

function scrubDetail(detail: string | null): string | null {
  if (!detail) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const kept = Object.entries(parsed).filter(([k, v]) => KEPT_DETAIL_KEYS.has(k) && (typeof v !== 'string' || v.length <= 64));
  return kept.length > 0 ? JSON.stringify(Object.fromEntries(kept)) : null;
}

/** `已匿名` plus the end of the id: still tells two anonymised records apart in a list. */
export function anonymisedName(id: string): string {
  return `已匿名${id.replace(/-/g, '').slice(-6)}`;
}

/**
 * Erase what identifies the person and keep what the counts need (PIPL Art. 47, GB/T 35273 de-identification):
 * gender, birth year, village, categories, risk tier, status and lawful basis stay; name, ID number,
 * phones, address, notes, guardian and household links, scanned consent forms and the identifying
 * values on the timeline go. The audit log is append-only and never held sensitive values.
 */
export async function anonymiseResident(trx: Transaction<DB>, residentId: string, at: Date): Promise<void> {
  const iso = at.toISOString();
  const r = await trx.selectFrom('residents').select(['id', 'name', 'household_id', 'birth_date', 'version']).where('id', '=', residentId).executeTakeFirstOrThrow();
  if (r.household_id) {
    const others = await trx
      .selectFrom('residents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('household_id', '=', r.household_id)
      .where('id', '<>', r.id)
      .executeTakeFirstOrThrow();
    // The household's address is this person's address too; it stays only while others live there.
    if (Number(others.n) === 0) {
      await trx.updateTable('households').set({ address_enc: null, address_masked: null, updated_at: iso }).where('id', '=', r.household_id).execute();
    }
  }
  await replaceNameKeys(trx, r.id, '', null);
  await trx
    .updateTable('residents')
    .set({
      name: anonymisedName(r.id),
      name_initials: '',
      name_pinyin: '',
      birth_date: `${r.birth_date.slice(0, 4)}-01-01`,
      id_number_enc: null,
      id_number_masked: null,
      id_number_bidx: null,
      no_id_reason: 'anonymised',
      address_enc: null,
      address_masked: null,
      health_notes_enc: null,
      income_notes_enc: null,
      disability_cert_enc: null,
      guardian_resident_id: null,
      household_id: null,
      relation_to_head: null,
      anonymised_at: iso,
      updated_at: iso,
      version: r.version + 1,
    })
    .where('id', '=', r.id)
    .execute();
  await trx.deleteFrom('resident_phones').where('resident_id', '=', r.id).execute();
  await trx.updateTable('consent_documents').set({ content_enc: null }).where('resident_id', '=', r.id).execute();
  await trx.updateTable('consents').set({ guardian_name: '已匿名' }).where('resident_id', '=', r.id).where('guardian_name', 'is not', null).execute();
  // As a guardian, their name was copied onto the consents they gave for their wards.
  await trx.updateTable('consents').set({ guardian_name: '已匿名' }).where('guardian_resident_id', '=', r.id).execute();
  await trx.updateTable('consents').set({ withdrawn_reason: null }).where('resident_id', '=', r.id).execute();
  // Nothing may be done on the strength of a consent given by someone who is no longer identifiable.
  await trx.updateTable('consents').set({ withdrawn_at: iso, withdrawn_reason: 'anonymised' }).where('resident_id', '=', r.id).where('withdrawn_at', 'is', null).execute();

  await eraseServiceData(trx, r.id);
  await unnameInSharedSessions(trx, r.id, r.name);

  await trx
    .updateTable('resident_events')
    .set({ old_value: null, new_value: null })
    .where('resident_id', '=', r.id)
    .where((eb) => eb.or([eb('field', 'is', null), eb('field', 'not in', [...KEPT_EVENT_FIELDS])]))
    .execute();
  // Detail is JSON written by many modules: keep only entries known to be codes, drop the rest.
  const events = await trx.selectFrom('resident_events').select(['id', 'detail']).where('resident_id', '=', r.id).where('detail', 'is not', null).execute();
  for (const e of events) {
    const scrubbed = scrubDetail(e.detail);
    if (scrubbed !== e.detail) await trx.updateTable('resident_events').set({ detail: scrubbed }).where('id', '=', e.id).execute();
  }
}

/** What replaces words a person or a worker wrote about the person, where the column cannot be empty. */
export const ERASED_TEXT = '（已删除）';

/**
 * The person's service history keeps its dates, areas, statuses, scores and counts (the reports are
 * built from them) but loses every word written about them and every photo: consultation subjects,
 * messages and resolutions, request titles and descriptions, visit observations and the living
 * condition checklist (health and living data), service record texts and places, rating comments and
 * their suggestions and complaints. Published FAQ entries were de-identified when published and stay.
 */
async function eraseServiceData(trx: Transaction<DB>, residentId: string): Promise<void> {
  await trx.updateTable('attachments').set({ content_enc: null }).where('resident_id', '=', residentId).execute();
  await trx.updateTable('appointments').set({ note: null, cancel_reason: null }).where('resident_id', '=', residentId).execute();
  const threads = trx.selectFrom('consultations').select('id').where('resident_id', '=', residentId);
  await trx.updateTable('consultation_messages').set({ body: ERASED_TEXT }).where('consultation_id', 'in', threads).execute();
  await trx.updateTable('consultations').set({ subject: ERASED_TEXT }).where('resident_id', '=', residentId).execute();
  await trx.updateTable('consultations').set({ resolution: ERASED_TEXT }).where('resident_id', '=', residentId).where('resolution', 'is not', null).execute();
  await trx.updateTable('service_requests').set({ title: ERASED_TEXT, description: ERASED_TEXT }).where('resident_id', '=', residentId).execute();
  for (const col of ['outcome', 'cancel_reason'] as const) {
    await trx.updateTable('service_requests').set({ [col]: ERASED_TEXT }).where('resident_id', '=', residentId).where(col, 'is not', null).execute();
  }
  await trx.updateTable('visits').set({ observations: ERASED_TEXT, checklist: '{}', risk_flags: '[]' }).where('resident_id', '=', residentId).execute();
  await trx.updateTable('service_records').set({ summary: ERASED_TEXT, place: null }).where('resident_id', '=', residentId).execute();
  await trx.updateTable('service_records').set({ outcome: ERASED_TEXT }).where('resident_id', '=', residentId).where('outcome', 'is not', null).execute();
  await trx.updateTable('ratings').set({ comment: null }).where('resident_id', '=', residentId).execute();
  await trx.updateTable('feedback_items').set({ subject: ERASED_TEXT, body: ERASED_TEXT }).where('resident_id', '=', residentId).execute();
  await trx.updateTable('feedback_items').set({ response: ERASED_TEXT }).where('resident_id', '=', residentId).where('response', 'is not', null).execute();
  await eraseNotifications(trx, residentId);
}

/** What stands in for the person's name where others' records keep their words. */
export const UNNAMED = '某居民';

/**
 * A group or community session's summary and outcome are shared by every participant's row and timeline
 * entry, and may name this person. The other participants keep their record, so only the name goes there
 * (their own words are theirs). A one-character name would cut into other words and is left.
 */
async function unnameInSharedSessions(trx: Transaction<DB>, residentId: string, name: string): Promise<void> {
  if ([...name].length < 2) return;
  const sessions = await trx.selectFrom('service_records').select('activity_id').distinct().where('resident_id', '=', residentId).where('activity_id', 'is not', null).execute();
  const unname = (col: string) => sql<string>`replace(${sql.ref(col)}, ${name}, ${UNNAMED})`;
  for (const { activity_id: activity } of sessions) {
    if (!activity) continue;
    await trx
      .updateTable('service_records')
      .set({ summary: unname('summary'), outcome: unname('outcome') })
      .where('activity_id', '=', activity)
      .where('resident_id', '<>', residentId)
      .execute();
    await trx
      .updateTable('resident_events')
      .set({ detail: unname('detail') })
      .where('kind', '=', 'service')
      .where('resident_id', '<>', residentId)
      .where('detail', 'like', `%"activityId":"${activity}"%`)
      .execute();
  }
}

/**
 * Messages about the person (a booking, a question, a need, a rating request) name them or quote
 * them. Pending ones are cancelled; every one about them — found by its appointment, its recipient
 * or the record its link points at — keeps its time but loses its words and link.
 */
async function eraseNotifications(trx: Transaction<DB>, residentId: string): Promise<void> {
  const ids = async (table: 'appointments' | 'consultations' | 'service_requests' | 'service_records' | 'visits') =>
    (await trx.selectFrom(table).select('id').where('resident_id', '=', residentId).execute()).map((r) => r.id);
  const appointments = await ids('appointments');
  const linked = [residentId, ...appointments, ...(await ids('consultations')), ...(await ids('service_requests')), ...(await ids('service_records')), ...(await ids('visits'))];
  const erased = JSON.stringify({ title: ERASED_TEXT, body: ERASED_TEXT });
  const outboxIds: string[] = [];
  // Chunks keep each statement's LIKE list and parameters small on both dialects.
  for (let i = 0; i < linked.length; i += 200) {
    const chunk = linked.slice(i, i + 200);
    const rows = await trx
      .selectFrom('notification_outbox')
      .select('id')
      .where((eb) => eb.or([eb('recipient_resident_id', '=', residentId), ...(appointments.length ? [eb('appointment_id', 'in', appointments)] : []), ...chunk.map((id) => eb('payload', 'like', `%${id}%`))]))
      .execute();
    outboxIds.push(...rows.map((r) => r.id));
    await trx
      .updateTable('notifications')
      .set({ title: ERASED_TEXT, body: ERASED_TEXT, link: null })
      .where((eb) => eb.or(chunk.map((id) => eb('link', 'like', `%${id}%`))))
      .execute();
  }
  const unique = [...new Set(outboxIds)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    await trx.updateTable('notification_outbox').set({ status: 'cancelled' }).where('id', 'in', chunk).where('status', '=', 'pending').execute();
    await trx.updateTable('notification_outbox').set({ payload: erased, address_enc: null }).where('id', 'in', chunk).execute();
    await trx.updateTable('notifications').set({ title: ERASED_TEXT, body: ERASED_TEXT, link: null }).where('outbox_id', 'in', chunk).execute();
  }
}

interface ListFilters {
  status?: DeletionStatus;
  stationId?: string;
  limit: number;
  cursor?: string;
}

/** Newest first within the user's stations; the cursor is the last request id (uuidv7: id order is time order). */
export async function listDeletionRequests(db: Kysely<DB>, p: Principal, scope: StationScope, f: ListFilters) {
  const after = decodeCursor(f.cursor);
  let q = db.selectFrom('deletion_requests').selectAll().where(inScopeSql(scope, 'station_id'));
  if (f.stationId) q = q.where('station_id', '=', f.stationId);
  if (f.status === 'open') q = q.where('executed_at', 'is', null).where('rejected_at', 'is', null);
  if (f.status === 'executed') q = q.where('executed_at', 'is not', null);
  if (f.status === 'rejected') q = q.where('rejected_at', 'is not', null);
  if (after) q = q.where('id', '<', after);
  const rows = await q.orderBy('id', 'desc').limit(f.limit + 1).execute();
  const more = rows.length > f.limit;
  const page = rows.slice(0, f.limit);
  return {
    items: await deletionViews(db, p, page),
    nextCursor: more && page.length > 0 ? encodeCursor(page[page.length - 1]!.id) : null,
  };
}

/** The API shape of requests, with names joined in and this user's possible actions. */
export async function deletionViews(db: Kysely<DB>, p: Principal, rows: DeletionRequestTable[]): Promise<DeletionRequestItem[]> {
  if (rows.length === 0) return [];
  const residentIds = [...new Set(rows.map((r) => r.resident_id))];
  const userIds = [...new Set(rows.flatMap((r) => [r.requested_by, r.head_approved_by, r.officer_approved_by, r.rejected_by]).filter((x): x is string => !!x))];
  const stationIds = [...new Set(rows.map((r) => r.station_id))];
  const [residents, users, stations] = await Promise.all([
    db
      .selectFrom('residents as r')
      .innerJoin('villages as v', 'v.id', 'r.village_id')
      .select(['r.id', 'r.name', 'r.anonymised_at', 'v.name as village_name'])
      .where('r.id', 'in', residentIds)
      .execute(),
    db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute(),
    db.selectFrom('stations').select(['id', 'name']).where('id', 'in', stationIds).execute(),
  ]);
  const resident = new Map(residents.map((r) => [r.id, r]));
  const userName = new Map(users.map((u) => [u.id, u.display_name]));
  const stationName = new Map(stations.map((s) => [s.id, s.name]));
  const approval = (by: string | null, at: string | null) => (by && at ? { by, byName: userName.get(by) ?? '', at } : null);
  return rows.map((d) => {
    const r = resident.get(d.resident_id);
    return {
      id: d.id,
      stationId: d.station_id,
      stationName: stationName.get(d.station_id) ?? '',
      resident: { id: d.resident_id, name: r?.name ?? '', villageName: r?.village_name ?? '', anonymised: !!r?.anonymised_at },
      reason: d.reason,
      status: deletionStatus(d),
      requestedAt: d.requested_at,
      requestedBy: { id: d.requested_by, name: userName.get(d.requested_by) ?? '' },
      headApproval: approval(d.head_approved_by, d.head_approved_at),
      officerApproval: approval(d.officer_approved_by, d.officer_approved_at),
      rejection: d.rejected_by && d.rejected_at ? { by: d.rejected_by, byName: userName.get(d.rejected_by) ?? '', at: d.rejected_at, reason: d.rejected_reason ?? '' } : null,
      executedAt: d.executed_at,
      canApproveAs: approvalsAllowed(p, d),
      canReject: mayReject(p, d),
    };
  });
}
