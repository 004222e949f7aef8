import type { Kysely, Transaction } from 'kysely';
import type { Category, DB, ResidentTable } from '../../db/tables.js';
import { blindIndex, decryptField, encryptField, maskAddress, maskIdNumber, maskPhone, type KeyRing } from '../../lib/crypto.js';
import { AppError, conflict } from '../../lib/errors.js';
import { fieldMessage, type Locale } from '../../lib/i18n.js';
import { newId } from '../../lib/ids.js';
import { nameSearchKeys, pinyinSearchRows } from '../../lib/pinyin.js';
import { inScope, type StationScope } from '../../lib/policy.js';
import { recordEvents, type ResidentEvent } from './timeline.js';
import type { ResidentDraft, ResidentValues } from './validate.js';

export const ID_INDEX = 'resident.id_number';
export const PHONE_INDEX = 'resident.phone';

export const idNumberIndex = (keys: KeyRing, id: string) => blindIndex(keys, ID_INDEX, id);
export const phoneIndex = (keys: KeyRing, phone: string) => blindIndex(keys, PHONE_INDEX, phone);

type Db = Kysely<DB> | Transaction<DB>;
type Columns = Omit<ResidentTable, 'id' | 'station_id' | 'version' | 'anonymised_at' | 'created_by' | 'created_at' | 'updated_at'>;

const enc = (keys: KeyRing, v: string | null) => (v === null ? null : encryptField(keys, v));

/** The stored form of checked values: ciphertext, masked copy and blind index for each sensitive field. */
export function residentColumns(keys: KeyRing, v: ResidentValues): Columns {
  const search = nameSearchKeys(v.name);
  return {
    village_id: v.villageId,
    household_id: v.householdId,
    relation_to_head: v.relationToHead,
    name: v.name,
    name_initials: search.initials,
    name_pinyin: search.full,
    gender: v.gender,
    birth_date: v.birthDate,
    id_number_enc: enc(keys, v.idNumber),
    id_number_masked: v.idNumber ? maskIdNumber(v.idNumber) : null,
    id_number_bidx: v.idNumber ? idNumberIndex(keys, v.idNumber) : null,
    no_id_reason: v.noIdReason,
    address_enc: enc(keys, v.address),
    address_masked: v.address ? maskAddress(v.address) : null,
    health_notes_enc: enc(keys, v.healthNotes),
    income_notes_enc: enc(keys, v.incomeNotes),
    disability_cert_enc: enc(keys, v.disability?.certificate ?? null),
    disability_category: v.disability?.category ?? null,
    disability_grade: v.disability?.grade ?? null,
    guardian_resident_id: v.guardianResidentId,
    risk_tier: v.riskTier,
    lawful_basis: v.lawfulBasis,
    status: v.status,
    status_date: v.statusDate,
  };
}

function phoneRows(keys: KeyRing, residentId: string, stationId: string, phones: ResidentValues['phones']) {
  return phones.map((p, position) => ({
    resident_id: residentId,
    station_id: stationId,
    position,
    number_enc: encryptField(keys, p.number),
    number_masked: maskPhone(p.number),
    number_bidx: phoneIndex(keys, p.number),
    relation: p.relation,
  }));
}

/** The pinyin search keys of a name (see lib/pinyin.ts pinyinSearchRows). */
export function nameKeyRows(residentId: string, stationId: string, name: string) {
  return pinyinSearchRows(nameSearchKeys(name)).map((k) => ({ station_id: stationId, resident_id: residentId, key: k.key, pos: k.pos }));
}

/** Replace a resident's search keys (after a name or station change; none after anonymisation). */
export async function replaceNameKeys(trx: Transaction<DB>, residentId: string, stationId: string, name: string | null): Promise<void> {
  // With name null (anonymisation) the keys are only deleted and stationId is not used.
  await trx.deleteFrom('resident_name_keys').where('resident_id', '=', residentId).execute();
  const rows = name ? nameKeyRows(residentId, stationId, name) : [];
  if (rows.length > 0) await trx.insertInto('resident_name_keys').values(rows).execute();
}

/**
 * Checks that need the database: the village is one of the user's stations (which fixes the record's
 * station), the household and guardian belong to that station. Field messages on failure.
 */
export async function checkReferences(
  db: Db,
  scope: StationScope,
  v: Pick<ResidentValues, 'villageId' | 'householdId' | 'relationToHead' | 'guardianResidentId'>,
  locale: Locale,
  selfId?: string,
): Promise<{ stationId: string } | { fields: Record<string, string> }> {
  const village = await db.selectFrom('villages').select(['id', 'station_id']).where('id', '=', v.villageId).executeTakeFirst();
  if (!village || !inScope(scope, village.station_id)) return { fields: { villageId: fieldMessage('unknown_village', locale) } };
  const fields: Record<string, string> = {};
  if (v.householdId) {
    const h = await db.selectFrom('households').select(['id', 'station_id', 'village_id']).where('id', '=', v.householdId).executeTakeFirst();
    if (!h || h.station_id !== village.station_id) fields.householdId = fieldMessage('unknown_household', locale);
    else if (v.relationToHead === 'head') {
      const head = await db
        .selectFrom('residents')
        .select('id')
        .where('household_id', '=', h.id)
        .where('relation_to_head', '=', 'head')
        .$if(!!selfId, (q) => q.where('id', '<>', selfId!))
        .executeTakeFirst();
      if (head) fields.relationToHead = fieldMessage('head_taken', locale);
    }
  }
  if (v.guardianResidentId) {
    const g = await db.selectFrom('residents').select(['id', 'station_id']).where('id', '=', v.guardianResidentId).executeTakeFirst();
    if (!g || g.station_id !== village.station_id || g.id === selfId) fields.guardianResidentId = fieldMessage('unknown_resident', locale);
  }
  return Object.keys(fields).length > 0 ? { fields } : { stationId: village.station_id };
}

/** Someone with this ID number anywhere in the deployment (the unique rule is deployment-wide). */
export async function residentWithIdNumber(db: Db, keys: KeyRing, idNumber: string, exceptId?: string) {
  return db
    .selectFrom('residents')
    .select(['id', 'station_id'])
    .where('id_number_bidx', '=', idNumberIndex(keys, idNumber))
    .$if(!!exceptId, (q) => q.where('id', '<>', exceptId!))
    .executeTakeFirst();
}

/** Same name, birth date and village: maybe the same person registered without an ID number. */
export async function possibleDuplicates(db: Db, v: Pick<ResidentValues, 'villageId' | 'name' | 'birthDate'>, stationId: string, exceptId?: string) {
  return db
    .selectFrom('residents as r')
    .innerJoin('villages as v', 'v.id', 'r.village_id')
    .select(['r.id', 'r.name', 'r.birth_date as birthDate', 'v.name as villageName'])
    .where('r.station_id', '=', stationId)
    .where('r.village_id', '=', v.villageId)
    .where('r.name', '=', v.name)
    .where('r.birth_date', '=', v.birthDate)
    .where('r.anonymised_at', 'is', null)
    .$if(!!exceptId, (q) => q.where('r.id', '<>', exceptId!))
    .limit(5)
    .execute();
}

/** A unique-index violation on the ID number, from either driver. */
export function isDuplicateIdError(e: unknown): boolean {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.includes('residents_id_number_bidx_uq') || msg.includes('residents.id_number_bidx');
}

export interface InsertContext {
  stationId: string;
  actorId: string | null;
  now: Date;
  /** Timeline kind: `created` from the form, `imported` from a roster. */
  kind: 'created' | 'imported';
  detail?: Record<string, unknown>;
}

/** Insert one checked resident with phones, categories and the first timeline entry. */
export async function insertResident(trx: Transaction<DB>, keys: KeyRing, v: ResidentValues, ctx: InsertContext): Promise<string> {
  const id = newId(ctx.now.getTime());
  const iso = ctx.now.toISOString();
  try {
    await trx
      .insertInto('residents')
      .values({ ...residentColumns(keys, v), id, station_id: ctx.stationId, version: 1, anonymised_at: null, created_by: ctx.actorId, created_at: iso, updated_at: iso })
      .execute();
  } catch (e) {
    if (isDuplicateIdError(e)) throw conflict('duplicate_resident', { idNumber: 'duplicate_resident' });
    throw e;
  }
  const phones = phoneRows(keys, id, ctx.stationId, v.phones);
  if (phones.length > 0) await trx.insertInto('resident_phones').values(phones).execute();
  // A name in a script without pinyin (Tibetan, Uyghur, Cyrillic…) has no search keys; an empty insert is invalid SQL.
  const nameKeys = nameKeyRows(id, ctx.stationId, v.name);
  if (nameKeys.length > 0) await trx.insertInto('resident_name_keys').values(nameKeys).execute();
  if (v.categories.length > 0) {
    await trx.insertInto('resident_categories').values(v.categories.map((category) => ({ station_id: ctx.stationId, resident_id: id, category }))).execute();
  }
  await recordEvents(trx, [{ residentId: id, stationId: ctx.stationId, actorId: ctx.actorId, kind: ctx.kind, detail: ctx.detail ?? null }], ctx.now);
  return id;
}

/** Clear values of a stored resident, as a draft a PATCH can be merged into. */
export async function currentDraft(db: Db, keys: KeyRing, r: ResidentTable): Promise<ResidentDraft> {
  const dec = (v: string | null) => (v === null ? null : decryptField(keys, v));
  const phones = await db.selectFrom('resident_phones').select(['number_enc', 'relation']).where('resident_id', '=', r.id).orderBy('position').execute();
  const categories = await db.selectFrom('resident_categories').select('category').where('resident_id', '=', r.id).execute();
  return {
    name: r.name,
    gender: r.gender,
    birthDate: r.birth_date,
    idNumber: dec(r.id_number_enc),
    noIdReason: r.no_id_reason,
    phones: phones.map((p) => ({ number: decryptField(keys, p.number_enc), relation: p.relation })),
    villageId: r.village_id,
    householdId: r.household_id,
    relationToHead: r.relation_to_head,
    address: dec(r.address_enc),
    categories: categories.map((c) => c.category).sort() as Category[],
    disabilityCertificate: dec(r.disability_cert_enc),
    healthNotes: dec(r.health_notes_enc),
    incomeNotes: dec(r.income_notes_enc),
    guardianResidentId: r.guardian_resident_id,
    riskTier: r.risk_tier,
    lawfulBasis: r.lawful_basis,
    status: r.status,
    statusDate: r.status_date,
  };
}

/** Fields whose values never appear on the timeline, only the fact that they changed. */
export const SENSITIVE_FIELDS = new Set(['idNumber', 'phones', 'address', 'healthNotes', 'incomeNotes', 'disabilityCertificate']);

const comparable = (v: ResidentValues): Record<string, string | null> => ({
  name: v.name,
  gender: v.gender,
  birthDate: v.birthDate,
  idNumber: v.idNumber,
  noIdReason: v.noIdReason,
  phones: v.phones.length ? JSON.stringify(v.phones) : null,
  villageId: v.villageId,
  householdId: v.householdId,
  relationToHead: v.relationToHead,
  address: v.address,
  categories: v.categories.length ? [...v.categories].sort().join(',') : null,
  disabilityCertificate: v.disability?.certificate ?? null,
  healthNotes: v.healthNotes,
  incomeNotes: v.incomeNotes,
  guardianResidentId: v.guardianResidentId,
  riskTier: v.riskTier,
  lawfulBasis: v.lawfulBasis,
  status: v.status,
  statusDate: v.statusDate,
});

/** What changed, as timeline entries: old → new for plain fields, only "changed" for sensitive ones. */
export function changesBetween(before: ResidentValues, after: ResidentValues): { field: string; oldValue: string | null; newValue: string | null }[] {
  const a = comparable(before);
  const b = comparable(after);
  return Object.keys(b)
    .filter((k) => a[k] !== b[k])
    .map((field) => (SENSITIVE_FIELDS.has(field) ? { field, oldValue: null, newValue: null } : { field, oldValue: a[field] ?? null, newValue: b[field] ?? null }));
}

/**
 * Write a checked edit. Compare-and-swap on `version`: an edit made from a stale copy (two workers,
 * or a phone that kept an old page) is refused instead of silently overwriting the other change.
 */
export async function updateResident(
  trx: Transaction<DB>,
  keys: KeyRing,
  row: ResidentTable,
  before: ResidentValues,
  after: ResidentValues,
  ctx: { stationId: string; actorId: string | null; now: Date; expectedVersion: number },
): Promise<string[]> {
  const changes = changesBetween(before, after);
  if (changes.length === 0) return [];
  const iso = ctx.now.toISOString();
  let res;
  try {
    res = await trx
      .updateTable('residents')
      .set({ ...residentColumns(keys, after), station_id: ctx.stationId, version: row.version + 1, updated_at: iso })
      .where('id', '=', row.id)
      .where('version', '=', ctx.expectedVersion)
      .executeTakeFirst();
  } catch (e) {
    if (isDuplicateIdError(e)) throw conflict('duplicate_resident', { idNumber: 'duplicate_resident' });
    throw e;
  }
  if (Number(res.numUpdatedRows) !== 1) throw new AppError(409, 'version_conflict');
  const changed = new Set(changes.map((c) => c.field));
  if (changed.has('phones') || changed.has('villageId')) {
    await trx.deleteFrom('resident_phones').where('resident_id', '=', row.id).execute();
    const phones = phoneRows(keys, row.id, ctx.stationId, after.phones);
    if (phones.length > 0) await trx.insertInto('resident_phones').values(phones).execute();
  }
  if (changed.has('name') || changed.has('villageId')) await replaceNameKeys(trx, row.id, ctx.stationId, after.name);
  if (changed.has('categories') || changed.has('villageId')) {
    await trx.deleteFrom('resident_categories').where('resident_id', '=', row.id).execute();
    if (after.categories.length > 0) {
      await trx.insertInto('resident_categories').values(after.categories.map((category) => ({ station_id: ctx.stationId, resident_id: row.id, category }))).execute();
    }
  }
  if (ctx.stationId !== row.station_id) {
    // Moved to a village of another station: the person's consents and an open deletion request go with
    // them, so the new station's head and data officer decide it and the old station no longer sees it.
    await trx.updateTable('consents').set({ station_id: ctx.stationId }).where('resident_id', '=', row.id).execute();
    await trx.updateTable('consent_documents').set({ station_id: ctx.stationId }).where('resident_id', '=', row.id).execute();
    await trx.updateTable('deletion_requests').set({ station_id: ctx.stationId }).where('resident_id', '=', row.id).where('executed_at', 'is', null).where('rejected_at', 'is', null).execute();
  }
  const events: ResidentEvent[] = changes.map((c) => ({ residentId: row.id, stationId: ctx.stationId, actorId: ctx.actorId, kind: 'updated', ...c }));
  await recordEvents(trx, events, ctx.now);
  return changes.map((c) => c.field);
}
