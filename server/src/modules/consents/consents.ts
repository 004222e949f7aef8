import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import { CONSENT_PURPOSES, type ConsentPurpose, type ConsentTable, type DB, type ResidentTable } from '../../db/tables.js';
import type { KeyRing } from '../../lib/crypto.js';
import { badRequest, notFound, unprocessable } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { ageOn, dateInTimeZone } from '../../lib/identity.js';
import { decodeCursor, pageOf } from '../../lib/pagination.js';
import { RESIDENT_ROLES } from '../residents/access.js';
import { encryptBytes, sha256Hex, type ScanMime } from './files.js';
import { GUARDIAN_AGE, consentNeeded, coversDay, decide, purposeState, type ConsentWindow } from './rules.js';
import type { ConsentStatusView, ConsentView, CreateConsentInput, WitnessView } from './schema.js';

/** Today's calendar date where the stations are: consent windows are in days, not instants. */
export const todayOf = (at: Date): string => dateInTimeZone(at, 'Asia/Shanghai');

const windowOf = (c: Pick<ConsentTable, 'given_on' | 'expires_on' | 'withdrawn_at'>): ConsentWindow => ({
  givenOn: c.given_on,
  expiresOn: c.expires_on,
  withdrawn: c.withdrawn_at !== null,
});

/**
 * THE check every module calls before processing a resident's data for a purpose (one function
 * decides). Throws `422 consent_required {purpose}` unless the resident's lawful basis covers the
 * purpose (rules.ts `consentNeeded`) or a consent stands today: not withdrawn, given on or before
 * today and not yet expired (Asia/Shanghai). An anonymised resident can no longer be processed at
 * all: `422 resident_anonymised`. Pass the caller's transaction so the check and the write see the
 * same state. Returns the consent relied on (null when the lawful basis suffices).
 */
export async function requireConsent(
  db: Kysely<DB>,
  residentId: string,
  purpose: ConsentPurpose,
  at: Date,
): Promise<{ consentId: string | null }> {
  const r = await db.selectFrom('residents').select(['lawful_basis', 'anonymised_at']).where('id', '=', residentId).executeTakeFirst();
  if (!r) throw notFound('resident');
  if (r.anonymised_at !== null) throw unprocessable('resident_anonymised');
  if (!consentNeeded(r.lawful_basis, purpose)) return { consentId: null };
  // consents_standing_uq leaves at most one not-withdrawn consent per purpose.
  const c = await db
    .selectFrom('consents')
    .select(['id', 'given_on', 'expires_on', 'withdrawn_at'])
    .where('resident_id', '=', residentId)
    .where('purpose', '=', purpose)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  const today = todayOf(at);
  const state = purposeState(c ? [windowOf(c)] : [], today);
  if (!decide(r.lawful_basis, purpose, state).allowed) throw unprocessable('consent_required', { purpose });
  return { consentId: c?.id ?? null };
}

/** Every purpose's state for the status tags; built from the same rules as requireConsent. */
export async function consentStatus(db: Kysely<DB>, residentId: string, at: Date): Promise<ConsentStatusView> {
  const r = await db.selectFrom('residents').select(['lawful_basis']).where('id', '=', residentId).executeTakeFirst();
  if (!r) throw notFound('resident');
  const rows = await db
    .selectFrom('consents')
    .select(['id', 'purpose', 'given_on', 'expires_on', 'withdrawn_at'])
    .where('resident_id', '=', residentId)
    .orderBy('id', 'desc')
    .execute();
  const today = todayOf(at);
  return {
    lawfulBasis: r.lawful_basis,
    today,
    purposes: CONSENT_PURPOSES.map((purpose) => {
      const mine = rows.filter((c) => c.purpose === purpose);
      const state = purposeState(mine.map(windowOf), today);
      const standing = mine.find((c) => coversDay(windowOf(c), today)) ?? null;
      return { purpose, state, ...decide(r.lawful_basis, purpose, state), consentId: standing?.id ?? null, expiresOn: standing?.expires_on ?? null };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Recording and withdrawing
// ---------------------------------------------------------------------------------------------

/** Holds other consent writes for this resident until the transaction ends (SQLite already has the write lock). */
async function lockResident(trx: Transaction<DB>, residentId: string): Promise<void> {
  if (trx.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`select id from residents where id = ${residentId} for update`.execute(trx);
  }
}

function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) && Number(m[1]) >= 1870;
}

/** Noon in Shanghai on a calendar day, so ageOn reads that same day back. */
const dayInstant = (day: string) => new Date(`${day}T12:00:00+08:00`);

/** Staff who may witness a consent at this station: active accounts holding a resident role there. */
export async function stationStaff(db: Kysely<DB>, stationId: string): Promise<WitnessView[]> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('role_assignments as ra', 'ra.user_id', 'u.id')
    .select(['u.id', 'u.display_name'])
    .distinct()
    .where('ra.station_id', '=', stationId)
    .where('ra.role', 'in', [...RESIDENT_ROLES])
    .where('u.disabled', '=', 0)
    .execute();
  return rows
    .map((r) => ({ id: r.id, displayName: r.display_name }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-CN') || a.id.localeCompare(b.id));
}

interface CheckedConsent {
  guardianResidentId: string | null;
  guardianName: string | null;
  guardianRelation: string | null;
  documentId: string | null;
  witness1: string | null;
  witness2: string | null;
  expiresOn: string | null;
}

/** Every rule a new consent must meet; all broken ones are named in one 400. */
async function checkConsent(db: Kysely<DB>, resident: ResidentTable, input: CreateConsentInput, now: Date): Promise<CheckedConsent> {
  const fields: Record<string, string> = {};
  const today = todayOf(now);
  const expiresOn = input.expiresOn ?? null;

  if (!isRealDate(input.givenOn)) fields.givenOn = 'date_invalid';
  else if (input.givenOn > today) fields.givenOn = 'date_in_future';
  else if (input.givenOn < resident.birth_date) fields.givenOn = 'date_before_birth';
  if (expiresOn !== null) {
    if (!isRealDate(expiresOn)) fields.expiresOn = 'date_invalid';
    else if (expiresOn <= input.givenOn) fields.expiresOn = 'expiry_not_after_given';
    else if (expiresOn <= today) fields.expiresOn = 'expiry_in_past';
  }

  // PIPL Art. 31: under 14 on the day consent is given, only a guardian can give it.
  const ageThen = ageOn(resident.birth_date, isRealDate(input.givenOn) ? dayInstant(input.givenOn) : now);
  if (input.givenBy === 'self' && ageThen < GUARDIAN_AGE) fields.givenBy = 'guardian_consent_under_14';

  let guardianName = input.guardianName?.trim() || null;
  const guardianRelation = input.guardianRelation?.trim() || null;
  const guardianResidentId = input.guardianResidentId ?? null;
  if (input.givenBy === 'self') {
    if (guardianResidentId !== null) fields.guardianResidentId = 'only_for_guardian';
    if (input.guardianName) fields.guardianName = 'only_for_guardian';
    if (input.guardianRelation) fields.guardianRelation = 'only_for_guardian';
  } else {
    if (guardianResidentId !== null) {
      const g = await db
        .selectFrom('residents')
        .select(['name'])
        .where('id', '=', guardianResidentId)
        .where('station_id', '=', resident.station_id)
        .where('anonymised_at', 'is', null)
        .executeTakeFirst();
      if (!g || guardianResidentId === resident.id) fields.guardianResidentId = 'unknown_resident';
      else guardianName ??= g.name;
    }
    if (guardianName === null && !fields.guardianResidentId) fields.guardianName = 'required';
    if (guardianRelation === null) fields.guardianRelation = 'required';
  }

  const documentId = input.documentId ?? null;
  if (documentId !== null) {
    const doc = await db.selectFrom('consent_documents').select('id').where('id', '=', documentId).where('resident_id', '=', resident.id).executeTakeFirst();
    if (!doc) fields.documentId = 'unknown_document';
  } else if (input.method === 'paper_signed') {
    fields.documentId = 'document_required';
  }

  const witnesses = input.witnessUserIds ?? [];
  if (input.method === 'in_person_witnessed') {
    if (witnesses.length !== 2 || witnesses[0] === witnesses[1]) fields.witnessUserIds = 'two_witnesses';
    else {
      const staff = new Set((await stationStaff(db, resident.station_id)).map((s) => s.id));
      if (!witnesses.every((w) => staff.has(w))) fields.witnessUserIds = 'unknown_witness';
    }
  } else if (witnesses.length > 0) {
    fields.witnessUserIds = 'only_for_witnessed';
  }

  if (Object.keys(fields).length > 0) throw badRequest('validation_failed', fields);
  return {
    guardianResidentId: input.givenBy === 'guardian' ? guardianResidentId : null,
    guardianName: input.givenBy === 'guardian' ? guardianName : null,
    guardianRelation: input.givenBy === 'guardian' ? guardianRelation : null,
    documentId,
    witness1: input.method === 'in_person_witnessed' ? (witnesses[0] ?? null) : null,
    witness2: input.method === 'in_person_witnessed' ? (witnesses[1] ?? null) : null,
    expiresOn,
  };
}

export interface Withdrawn {
  id: string;
  purpose: ConsentPurpose;
  method: ConsentTable['method'];
}

/**
 * Record a consent. One that is not withdrawn for the same purpose (standing or expired) is replaced:
 * marked withdrawn with reason `renewed` in this transaction, so consents_standing_uq holds.
 */
export async function giveConsent(
  trx: Transaction<DB>,
  resident: ResidentTable,
  input: CreateConsentInput,
  actorId: string,
  now: Date,
): Promise<{ id: string; replaced: Withdrawn | null }> {
  if (resident.anonymised_at !== null) throw unprocessable('resident_anonymised');
  await lockResident(trx, resident.id);
  const ok = await checkConsent(trx, resident, input, now);
  const at = now.toISOString();
  const old = await trx
    .selectFrom('consents')
    .select(['id', 'purpose', 'method'])
    .where('resident_id', '=', resident.id)
    .where('purpose', '=', input.purpose)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  if (old) {
    await trx
      .updateTable('consents')
      .set({ withdrawn_at: at, withdrawn_by: actorId, withdrawn_reason: 'renewed' })
      .where('id', '=', old.id)
      .execute();
  }
  const id = newId(now.getTime());
  await trx
    .insertInto('consents')
    .values({
      id,
      station_id: resident.station_id,
      resident_id: resident.id,
      purpose: input.purpose,
      given_by: input.givenBy,
      guardian_resident_id: ok.guardianResidentId,
      guardian_name: ok.guardianName,
      guardian_relation: ok.guardianRelation,
      method: input.method,
      document_id: ok.documentId,
      witness1_user_id: ok.witness1,
      witness2_user_id: ok.witness2,
      given_on: input.givenOn,
      expires_on: ok.expiresOn,
      withdrawn_at: null,
      withdrawn_by: null,
      withdrawn_reason: null,
      recorded_by: actorId,
      created_at: at,
    })
    .execute();
  return { id, replaced: old ?? null };
}

/** Withdraw at once: from this instant requireConsent refuses the purpose. 422 if already withdrawn. */
export async function withdrawConsent(trx: Transaction<DB>, consent: ConsentTable, reason: string, actorId: string, now: Date): Promise<void> {
  await lockResident(trx, consent.resident_id);
  const res = await trx
    .updateTable('consents')
    .set({ withdrawn_at: now.toISOString(), withdrawn_by: actorId, withdrawn_reason: reason.trim() })
    .where('id', '=', consent.id)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw unprocessable('already_withdrawn');
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/** A resident's consents, withdrawn ones too, newest first (uuidv7 ids: id order is time order). */
export async function listConsents(db: Kysely<DB>, residentId: string, limit: number, cursor: string | undefined, at: Date) {
  const after = decodeCursor(cursor);
  let q = db.selectFrom('consents').selectAll().where('resident_id', '=', residentId);
  if (after) q = q.where('id', '<', after);
  const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
  const page = pageOf(rows, limit, (r) => r.id);
  return { nextCursor: page.nextCursor, items: await consentViews(db, page.items, at) };
}

export async function consentViews(db: Kysely<DB>, rows: ConsentTable[], at: Date): Promise<ConsentView[]> {
  const userIds = [...new Set(rows.flatMap((r) => [r.witness1_user_id, r.witness2_user_id, r.withdrawn_by, r.recorded_by]).filter((x): x is string => x !== null))];
  const docIds = [...new Set(rows.map((r) => r.document_id).filter((x): x is string => x !== null))];
  const users = userIds.length ? await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute() : [];
  const docs = docIds.length
    ? await db.selectFrom('consent_documents').select(['id', 'mime_type', 'size_bytes', 'created_at']).where('id', 'in', docIds).execute()
    : [];
  const name = new Map(users.map((u) => [u.id, u.display_name]));
  const ref = (id: string | null) => (id === null ? null : { id, displayName: name.get(id) ?? '' });
  const today = todayOf(at);
  return rows.map((r) => {
    const d = docs.find((x) => x.id === r.document_id);
    return {
      id: r.id,
      residentId: r.resident_id,
      purpose: r.purpose,
      givenBy: r.given_by,
      guardianResidentId: r.guardian_resident_id,
      guardianName: r.guardian_name,
      guardianRelation: r.guardian_relation,
      method: r.method,
      document: d ? { id: d.id, mimeType: d.mime_type, sizeBytes: Number(d.size_bytes), createdAt: d.created_at } : null,
      witnesses: [r.witness1_user_id, r.witness2_user_id].filter((x): x is string => x !== null).map((id) => ref(id)!),
      givenOn: r.given_on,
      expiresOn: r.expires_on,
      withdrawnAt: r.withdrawn_at,
      withdrawnBy: ref(r.withdrawn_by),
      withdrawnReason: r.withdrawn_reason,
      recordedBy: ref(r.recorded_by),
      createdAt: r.created_at,
      standing: coversDay(windowOf(r), today),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Scanned forms
// ---------------------------------------------------------------------------------------------

/** Store a sniffed scan encrypted; the row id is bound into the ciphertext. */
export async function storeDocument(
  trx: Transaction<DB>,
  ring: KeyRing,
  input: { resident: ResidentTable; bytes: Buffer; mime: ScanMime; actorId: string },
  now: Date,
): Promise<{ id: string; createdAt: string }> {
  if (input.resident.anonymised_at !== null) throw unprocessable('resident_anonymised');
  const id = newId(now.getTime());
  const createdAt = now.toISOString();
  await trx
    .insertInto('consent_documents')
    .values({
      id,
      station_id: input.resident.station_id,
      resident_id: input.resident.id,
      mime_type: input.mime,
      size_bytes: input.bytes.length,
      sha256: sha256Hex(input.bytes),
      content_enc: encryptBytes(ring, input.bytes, documentContext(id)),
      uploaded_by: input.actorId,
      created_at: createdAt,
    })
    .execute();
  return { id, createdAt };
}

export const documentContext = (id: string) => `consent_document:${id}`;
