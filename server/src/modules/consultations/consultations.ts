import type { FastifyRequest } from 'fastify';
import { auditDenied } from '../../lib/guard.js';
import { sql, type Expression, type Kysely, type SqlBool, type Transaction, type Updateable } from 'kysely';
import type { ConsultationStatus, ConsultationTable, DB } from '../../db/tables.js';
import type { Clock } from '../../lib/clock.js';
import { decryptField, type KeyRing } from '../../lib/crypto.js';
import { AppError, notFound, unprocessable } from '../../lib/errors.js';
import { decodeCursorParts, encodeCursor } from '../../lib/pagination.js';
import { holdsAny, type Principal } from '../../lib/policy.js';
import { inScopeSql } from '../../lib/sql.js';
import { isStaffOf, linkedResidentIds, STAFF_ROLES, staffScope } from '../appointments/access.js';
import { photoIdsOf } from '../attachments/attachments.js';
import { enqueueNotification } from '../notifications/outbox.js';
import type { Said } from '../notifications/templates.js';
import { addOfficeMinutes, loadCalendar } from '../settings/office-time.js';
import { getStationSettings } from '../settings/settings.js';
import type { ConsultationDetail, ConsultationView, FaqEntryView } from './schema.js';

type Db = Kysely<DB> | Transaction<DB>;
type Deps = { db: Kysely<DB>; clock: Clock };

/** When a station has no office hours at all, a question is still due within a week. */
export const FALLBACK_DUE_MS = 7 * 24 * 60 * 60 * 1000;

/** The first-response deadline of a question asked at `now`: the station's response time counted in office hours. */
export async function firstResponseDue(trx: Db, stationId: string, now: Date): Promise<Date> {
  const s = await getStationSettings(trx, stationId);
  const due = addOfficeMinutes(s.officeHours, await loadCalendar(trx, now), now, s.consultationResponseMinutes);
  return due ?? new Date(now.getTime() + FALLBACK_DUE_MS);
}

/** Overdue: no staff reply yet, not closed, and the deadline has passed. The one definition, in JS and SQL. */
export const isOverdue = (c: Pick<ConsultationTable, 'status' | 'first_response_at' | 'first_response_due_at'>, now: Date) =>
  c.status !== 'closed' && c.first_response_at === null && Date.parse(c.first_response_due_at) < now.getTime();

/** The one SQL form of isOverdue, over `consultations as c`. */
export function overdueSql(now: Date): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref('c.status')} <> 'closed' and ${sql.ref('c.first_response_at')} is null and ${sql.ref('c.first_response_due_at')} < ${now.toISOString()})`;
}

/** The one visibility rule (alias `c`): staff see their stations' threads, a resident account its linked residents'. */
export function visibleSql(p: Principal, linked: string[]): Expression<SqlBool> {
  const staff = holdsAny(p, STAFF_ROLES) ? inScopeSql(staffScope(p), 'c.station_id') : sql<boolean>`1 = 0`;
  const mine = linked.length > 0 ? sql<boolean>`${sql.ref('c.resident_id')} in (${sql.join(linked)})` : sql<boolean>`1 = 0`;
  return sql<SqlBool>`(${staff} or ${mine})`;
}

/** A consultation the user may see and whether they act as staff; 404 (and a denied audit entry) otherwise. */
export async function loadConsultationInScope(deps: Deps, req: FastifyRequest, id: string, staffOnly = false): Promise<{ row: ConsultationTable; asStaff: boolean }> {
  const p = req.auth!.principal;
  const row = await deps.db.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('consultation');
  if (isStaffOf(p, row.station_id)) return { row, asStaff: true };
  if (!staffOnly && (await linkedResidentIds(deps.db, p)).includes(row.resident_id)) return { row, asStaff: false };
  await auditDenied(deps, req, { type: 'consultation', id, stationId: row.station_id });
  throw notFound('consultation');
}

/**
 * Compare-and-swap on version and status: two staff acting on one thread at once get one success
 * and a 409 version_conflict (or 422 invalid_transition when the state no longer allows it).
 */
export async function casUpdate(trx: Transaction<DB>, id: string, version: number, from: readonly ConsultationStatus[], set: Updateable<ConsultationTable>, now: Date): Promise<ConsultationTable> {
  const res = await trx
    .updateTable('consultations')
    .set({ ...set, version: sql<number>`version + 1`, updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', 'in', from)
    .executeTakeFirst();
  const row = await trx.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  if (Number(res.numUpdatedRows) === 1) return row;
  if (row.version !== version) throw new AppError(409, 'version_conflict', undefined, { currentVersion: row.version, status: row.status });
  throw unprocessable('invalid_transition', { status: row.status, allowedFrom: [...from] });
}

/** Staff of a station who answer questions (its social workers; the head when there are none). */
export async function stationWorkerIds(db: Db, stationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_assignments as ra')
    .innerJoin('users as u', 'u.id', 'ra.user_id')
    .select(['ra.user_id', 'ra.role'])
    .where('ra.station_id', '=', stationId)
    .where('ra.role', 'in', ['social_worker', 'station_head'])
    .where('u.disabled', '=', 0)
    .execute();
  const workers = [...new Set(rows.filter((r) => r.role === 'social_worker').map((r) => r.user_id))];
  return workers.length ? workers : [...new Set(rows.map((r) => r.user_id))];
}

/** Whether an enabled user is staff (worker or head) of a station: who a thread may be assigned to. */
export async function isStationStaff(db: Db, stationId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('role_assignments as ra')
    .innerJoin('users as u', 'u.id', 'ra.user_id')
    .select('ra.id')
    .where('ra.station_id', '=', stationId)
    .where('ra.user_id', '=', userId)
    .where('ra.role', 'in', ['social_worker', 'station_head'])
    .where('u.disabled', '=', 0)
    .executeTakeFirst();
  return !!row;
}

/** Tell the staff side: the assignee if there is one, else every worker of the station (in-app). */
export async function notifyStaff(trx: Transaction<DB>, c: ConsultationTable, words: Said, now: Date): Promise<void> {
  const to = c.assignee_id ? [c.assignee_id] : await stationWorkerIds(trx, c.station_id);
  for (const user of to) {
    await enqueueNotification(trx, { stationId: c.station_id, recipientUserId: user, template: 'generic', payload: { ...words, link: `/consultations/${c.id}` }, dueAt: now }, now);
  }
}

/** Tell the resident's side: each linked account in-app, else an SMS (logged) to the resident's phone. */
export async function notifyResident(trx: Transaction<DB>, c: ConsultationTable, words: Said, now: Date): Promise<void> {
  const accounts = await trx.selectFrom('resident_accounts').select('user_id').where('resident_id', '=', c.resident_id).execute();
  const payload = { ...words, link: `/consultations/${c.id}` };
  if (accounts.length === 0) {
    await enqueueNotification(trx, { stationId: c.station_id, recipientResidentId: c.resident_id, template: 'generic', payload, dueAt: now }, now);
    return;
  }
  for (const a of accounts) {
    await enqueueNotification(trx, { stationId: c.station_id, recipientUserId: a.user_id, recipientResidentId: c.resident_id, template: 'generic', payload, dueAt: now }, now);
  }
}

// ---------------------------------------------------------------------------------------------
// Personal data in FAQ text
// ---------------------------------------------------------------------------------------------

/** Any 11-digit mainland mobile number, standing alone (spaces or dashes inside allowed). */
const MOBILE = /(?<!\d)1[3-9]\d(?:[ -]?\d){8}(?!\d)/;
/**
 * ID numbers, looked for once spaces and dashes are gone: an 18-character number (17 digits and a
 * check digit or X) or an old 15-digit one. Any run of 15 or more digits counts, so a number glued to
 * other digits (or a bank card number) is refused too.
 */
const ID_NUMBER = /\d{15,}|\d{17}[Xx]/;
/** Where the local part of an address begins: after the township (镇/乡/街道). */
const LOCAL_START = /^.*?(?:镇|乡|街道|苏木)/;
/** The village (or community) and its group/team at the start of the local part: 枫林村3组, 新桥社区二组. */
const VILLAGE_GROUP = /^.{1,12}?(?:村|社区|居委会).{0,6}?(?:组|队|屯)/;

/** Full-width digits, letters and spaces to ASCII (NFKC), for comparing. */
export const normaliseText = (text: string) => text.normalize('NFKC');
/** Without any spaces or dashes: how digits and names are compared ("王 桂 英", "4301 8119…"). */
const compactOf = (text: string) => normaliseText(text).replace(/[\s\-‐-―_.·・]/g, '');

/** The parts of an address that would point at one household: its village + group, and its local tail. */
export function addressFragments(address: string): string[] {
  // A masked address shows only what is before its first '*'.
  const visible = compactOf(address).split('*')[0] ?? '';
  const local = visible.replace(LOCAL_START, '');
  const out = new Set<string>();
  const vg = VILLAGE_GROUP.exec(local);
  if (vg) out.add(vg[0]);
  // The whole local part (village, group, house number) when the township could be found.
  if (local !== visible && Array.from(local).length >= 4) out.add(local);
  return [...out].filter((f) => Array.from(f).length >= 3);
}

export interface Identity {
  /** The resident's name. */
  name: string;
  /** Other people who would identify the asker: household members, linked accounts' display names, the asking account holder. */
  otherNames?: string[];
  phones: string[];
  maskedPhones: string[];
  /** Address texts (the real one when it can be read, the masked one): their village/组 part is checked. */
  addresses?: string[];
}

/**
 * Whether a text would reveal who asked (pure): the resident's name or a household member's, the
 * names of the accounts linked to them, their phone numbers (clear or masked as shown to staff), the
 * village/组 of their address, any mobile number and any ID number (18 or 15 digits). The text is
 * normalised first (NFKC: full-width digits become ASCII) and compared without spaces or dashes.
 */
export function containsPersonalData(text: string, who: Identity): boolean {
  const norm = normaliseText(text);
  const compact = compactOf(text);
  if (MOBILE.test(norm) || MOBILE.test(compact) || ID_NUMBER.test(compact)) return true;
  const names = [who.name, ...(who.otherNames ?? [])].map(compactOf).filter((n) => Array.from(n).length >= 2);
  if (names.some((n) => compact.includes(n))) return true;
  if ([...who.phones, ...who.maskedPhones].some((p) => {
    const c = compactOf(p);
    return c.length >= 7 && compact.includes(c);
  })) return true;
  return (who.addresses ?? []).flatMap(addressFragments).some((f) => compact.includes(f));
}

/** Everything about a consultation's resident that must not appear in a public FAQ text. */
export async function residentIdentity(db: Db, keys: KeyRing, residentId: string, askedBy?: string): Promise<Identity> {
  const r = await db
    .selectFrom('residents as r')
    .leftJoin('households as h', 'h.id', 'r.household_id')
    .select(['r.name', 'r.household_id', 'r.address_enc', 'r.address_masked', 'h.address_enc as household_address_enc', 'h.address_masked as household_address_masked'])
    .where('r.id', '=', residentId)
    .executeTakeFirstOrThrow();
  const phones = await db.selectFrom('resident_phones').select(['number_enc', 'number_masked']).where('resident_id', '=', residentId).execute();
  const members = r.household_id ? await db.selectFrom('residents').select('name').where('household_id', '=', r.household_id).where('id', '<>', residentId).execute() : [];
  const accounts = await db.selectFrom('resident_accounts as ra').innerJoin('users as u', 'u.id', 'ra.user_id').select('u.display_name').where('ra.resident_id', '=', residentId).execute();
  const asker = askedBy ? await db.selectFrom('users').select('display_name').where('id', '=', askedBy).executeTakeFirst() : undefined;
  const addresses = [r.address_masked, r.household_address_masked];
  for (const enc of [r.address_enc, r.household_address_enc]) if (enc) addresses.push(decryptField(keys, enc));
  return {
    name: r.name,
    otherNames: [...members.map((m) => m.name), ...accounts.map((a) => a.display_name), ...(asker ? [asker.display_name] : [])],
    phones: phones.map((p) => decryptField(keys, p.number_enc)),
    maskedPhones: phones.map((p) => p.number_masked),
    addresses: addresses.filter((a): a is string => !!a),
  };
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

function baseQuery(db: Db) {
  return db
    .selectFrom('consultations as c')
    .innerJoin('residents as r', 'r.id', 'c.resident_id')
    .innerJoin('users as o', 'o.id', 'c.opened_by')
    .leftJoin('users as s', 's.id', 'c.assignee_id')
    .selectAll('c')
    .select(['r.name as resident_name', 'o.display_name as opened_by_name', 's.display_name as assignee_name']);
}
type Row = ConsultationTable & { resident_name: string; opened_by_name: string; assignee_name: string | null };

function toView(r: Row, now: Date): ConsultationView {
  return {
    id: r.id,
    stationId: r.station_id,
    resident: { id: r.resident_id, name: r.resident_name },
    area: r.area,
    subject: r.subject,
    status: r.status,
    channel: r.channel,
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
    firstResponseDueAt: r.first_response_due_at,
    firstResponseAt: r.first_response_at,
    overdue: isOverdue(r, now),
    resolution: r.resolution,
    closedAt: r.closed_at,
    requestId: r.request_id,
    version: r.version,
    openedBy: { id: r.opened_by, name: r.opened_by_name },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface ListFilters {
  status?: ConsultationStatus | undefined;
  area?: ConsultationTable['area'] | undefined;
  overdue?: boolean | undefined;
  assigneeId?: string | undefined;
  residentId?: string | undefined;
}

/** Overdue threads first, then by deadline (oldest first), then id; the cursor carries all three. */
export async function listConsultations(db: Kysely<DB>, p: Principal, linked: string[], f: ListFilters, limit: number, cursor: string | undefined, now: Date) {
  const after = decodeCursorParts(cursor, ['int', 'instant', 'id'] as const);
  const rank = sql<number>`case when ${overdueSql(now)} then 0 else 1 end`;
  let q = baseQuery(db).select(rank.as('rank')).where(visibleSql(p, linked));
  if (f.status) q = q.where('c.status', '=', f.status);
  if (f.area) q = q.where('c.area', '=', f.area);
  if (f.overdue === true) q = q.where(overdueSql(now));
  if (f.overdue === false) q = q.where(sql<SqlBool>`not ${overdueSql(now)}`);
  if (f.assigneeId) q = q.where('c.assignee_id', '=', f.assigneeId);
  if (f.residentId) q = q.where('c.resident_id', '=', f.residentId);
  if (after) {
    const [r, due, id] = after;
    q = q.where(sql<SqlBool>`(${rank} > ${r} or (${rank} = ${r} and (c.first_response_due_at > ${due} or (c.first_response_due_at = ${due} and c.id > ${id}))))`);
  }
  const rows = (await q.orderBy(rank).orderBy('c.first_response_due_at').orderBy('c.id').limit(limit + 1).execute()) as (Row & { rank: number })[];
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => toView(r, now)),
    nextCursor: rows.length > limit && last ? encodeCursor(`${Number(last.rank)}|${last.first_response_due_at}|${last.id}`) : null,
  };
}

export async function faqEntryViews(db: Db, where: { consultationId?: string; ids?: string[] }): Promise<FaqEntryView[]> {
  let q = db.selectFrom('faq_entries as f').innerJoin('stations as s', 's.id', 'f.station_id').selectAll('f').select('s.name as station_name');
  if (where.consultationId) q = q.where('f.consultation_id', '=', where.consultationId);
  if (where.ids) q = q.where('f.id', 'in', where.ids.length ? where.ids : ['']);
  const rows = await q.orderBy('f.id').execute();
  return rows.map(faqView);
}

export function faqView(f: DB['faq_entries'] & { station_name: string }): FaqEntryView {
  return { id: f.id, stationId: f.station_id, stationName: f.station_name, area: f.area, question: f.question, answer: f.answer, status: f.status, publishedAt: f.published_at };
}

export async function consultationDetail(db: Kysely<DB>, id: string, asStaff: boolean, now: Date): Promise<ConsultationDetail> {
  const row = (await baseQuery(db).where('c.id', '=', id).executeTakeFirstOrThrow()) as Row;
  const messages = await db
    .selectFrom('consultation_messages as m')
    .innerJoin('users as u', 'u.id', 'm.author_id')
    .select(['m.id', 'm.author_side', 'm.author_id', 'u.display_name', 'm.body', 'm.created_at'])
    .where('m.consultation_id', '=', id)
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
  const photos = await photoIdsOf(db, 'consultation_message', messages.map((m) => m.id));
  return {
    ...toView(row, now),
    messages: messages.map((m) => ({ id: m.id, authorSide: m.author_side, author: { id: m.author_id, name: m.display_name }, body: m.body, photoIds: photos.get(m.id) ?? [], createdAt: m.created_at })),
    faqEntries: asStaff ? await faqEntryViews(db, { consultationId: id }) : [],
  };
}
