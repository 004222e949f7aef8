import { ageOn, validateIdNumber } from '../../../../../server/src/lib/identity';
import type { CreateResidentInput, PatchResidentInput } from '../../../../../server/src/modules/residents/schema';
import type { ResidentDetailView } from './api';
import { NO_GUARDIAN_CATEGORIES } from './options';
import type { Category, Gender, LawfulBasis, PhoneRelation, RelationToHead, ResidentStatus, RiskTier } from './options';

/** The household picker's special values. */
/** Sensitive fields an edit may erase outright (blank alone means "unchanged"). */
export const CLEARABLE = ['address', 'disabilityCertificate', 'healthNotes', 'incomeNotes'] as const;
export type ClearableField = (typeof CLEARABLE)[number];

export const NO_HOUSEHOLD = '';
export const NEW_HOUSEHOLD = '__new__';

export interface PhoneRow {
  number?: string;
  relation?: PhoneRelation;
}

/** What the form holds: plain JSON (dates as YYYY-MM-DD), so a draft is a copy of it. */
export interface ResidentFormValues {
  name?: string;
  gender?: Gender;
  birthDate?: string;
  idMode: 'id' | 'none';
  idNumber?: string;
  noIdReason?: string;
  phones: PhoneRow[];
  clearPhones?: boolean;
  /** Edit mode: stored sensitive values to erase (a correction), when nothing new is typed. */
  clear?: Partial<Record<ClearableField, boolean>>;
  villageId?: string;
  household?: string;
  relationToHead?: RelationToHead;
  address?: string;
  categories: Category[];
  riskTier?: RiskTier;
  disabilityCertificate?: string;
  healthNotes?: string;
  incomeNotes?: string;
  guardianResidentId?: string;
  lawfulBasis?: LawfulBasis;
  status: ResidentStatus;
  statusDate?: string;
}

/** Fields never kept in a draft on the device: special-category data (health, income). */
export const NOT_IN_DRAFT: readonly (keyof ResidentFormValues)[] = ['healthNotes', 'incomeNotes'];

export function emptyValues(villageId?: string): ResidentFormValues {
  return {
    idMode: 'id',
    phones: [{ relation: 'self' }],
    categories: [],
    riskTier: 'normal',
    lawfulBasis: 'statutory_duty',
    status: 'active',
    household: NO_HOUSEHOLD,
    ...(villageId ? { villageId } : {}),
  };
}

/** Edit mode: the record's plain fields; sensitive ones stay blank ("留空表示不修改"). */
export function valuesFromResident(r: ResidentDetailView): ResidentFormValues {
  return {
    name: r.name,
    gender: r.gender,
    birthDate: r.birthDate,
    idMode: r.idNumberMasked || !r.noIdReason ? 'id' : 'none',
    noIdReason: r.noIdReason ?? undefined,
    phones: [],
    villageId: r.villageId,
    household: r.householdId ?? NO_HOUSEHOLD,
    relationToHead: r.relationToHead ?? undefined,
    categories: [...r.categories],
    riskTier: r.riskTier,
    guardianResidentId: r.guardian?.id,
    lawfulBasis: r.lawfulBasis,
    status: r.status,
    statusDate: r.statusDate ?? undefined,
  };
}

const text = (v: string | undefined | null): string | undefined => {
  const s = v?.trim();
  return s ? s : undefined;
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Age today, or null while the birth date is incomplete. */
export function ageFrom(birthDate: string | undefined, now: Date = new Date()): number | null {
  if (!birthDate || !DAY.test(birthDate)) return null;
  try {
    return ageOn(birthDate, now);
  } catch {
    return null;
  }
}

/** Under 14: the guardian section shows. */
export const isChild = (birthDate: string | undefined, now: Date = new Date()) => {
  const age = ageFrom(birthDate, now);
  return age !== null && age >= 0 && age < 14;
};

/** Under 14 and not an orphan: a guardian must be named (the server's rule). */
export function guardianRequired(v: Pick<ResidentFormValues, 'birthDate' | 'categories'>, now: Date = new Date()): boolean {
  return isChild(v.birthDate, now) && !(v.categories ?? []).some((c) => NO_GUARDIAN_CATEGORIES.includes(c));
}

/** What to fill in from a valid ID number: only fields still empty. */
export function fillFromId(v: Pick<ResidentFormValues, 'idNumber' | 'birthDate' | 'gender'>, now: Date = new Date()) {
  const r = validateIdNumber(v.idNumber ?? '', undefined, now);
  if (!r.ok) return {};
  const patch: { birthDate?: string; gender?: Gender } = {};
  if (!v.birthDate) patch.birthDate = r.birthDate;
  if (!v.gender) patch.gender = r.gender;
  return patch;
}

const filledPhones = (rows: PhoneRow[] | undefined) =>
  (rows ?? [])
    .filter((p) => text(p.number))
    .map((p) => ({ number: text(p.number)!, relation: p.relation ?? 'self' }));

function householdValue(v: ResidentFormValues, createdHouseholdId: string | null): string | null {
  if (!v.household || v.household === NO_HOUSEHOLD) return null;
  if (v.household === NEW_HOUSEHOLD) return createdHouseholdId;
  return v.household;
}

/** The POST body. `createdHouseholdId` is the household made for "新建一户". */
export function toCreateBody(v: ResidentFormValues, createdHouseholdId: string | null, now: Date = new Date()): CreateResidentInput {
  const householdId = householdValue(v, createdHouseholdId);
  const body: CreateResidentInput = {
    name: text(v.name) ?? '',
    gender: v.gender ?? 'female',
    birthDate: v.birthDate ?? '',
    phones: filledPhones(v.phones),
    villageId: v.villageId ?? '',
    categories: [...new Set(v.categories ?? [])],
    riskTier: v.riskTier ?? 'normal',
    lawfulBasis: v.lawfulBasis ?? 'statutory_duty',
    status: v.status,
  };
  if (v.idMode === 'id') body.idNumber = text(v.idNumber) ?? null;
  else body.noIdReason = text(v.noIdReason) ?? null;
  if (householdId) {
    body.householdId = householdId;
    body.relationToHead = v.relationToHead ?? null;
  }
  const optional = { address: v.address, disabilityCertificate: v.disabilityCertificate, healthNotes: v.healthNotes, incomeNotes: v.incomeNotes };
  for (const [k, val] of Object.entries(optional)) {
    const s = text(val);
    if (s) (body as Record<string, unknown>)[k] = s;
  }
  if (isChild(v.birthDate, now) && v.guardianResidentId) body.guardianResidentId = v.guardianResidentId;
  if (v.status !== 'active') body.statusDate = v.statusDate ?? null;
  return body;
}

const sameList = (a: readonly string[], b: readonly string[]) => [...a].sort().join(',') === [...b].sort().join(',');

/**
 * The PATCH body: plain fields that differ from what was loaded, sensitive fields only when typed
 * (blank means "unchanged"), and the version that was read.
 */
export function toPatchBody(
  v: ResidentFormValues,
  r: ResidentDetailView,
  createdHouseholdId: string | null,
  now: Date = new Date(),
): PatchResidentInput {
  const before = valuesFromResident(r);
  const body: PatchResidentInput = { version: r.version };
  const name = text(v.name);
  if (name !== undefined && name !== before.name) body.name = name;
  if (v.gender && v.gender !== before.gender) body.gender = v.gender;
  if (v.birthDate && v.birthDate !== before.birthDate) body.birthDate = v.birthDate;

  if (v.idMode === 'id') {
    const id = text(v.idNumber);
    if (id) body.idNumber = id;
  } else {
    const reason = text(v.noIdReason) ?? null;
    if (r.idNumberMasked) body.idNumber = null;
    if (reason !== (r.noIdReason ?? null) || r.idNumberMasked) body.noIdReason = reason;
  }

  const phones = filledPhones(v.phones);
  if (phones.length > 0) body.phones = phones;
  else if (v.clearPhones) body.phones = [];

  if (v.villageId && v.villageId !== before.villageId) body.villageId = v.villageId;
  const householdId = householdValue(v, createdHouseholdId);
  if (householdId !== (r.householdId ?? null)) body.householdId = householdId;
  const relation = householdId ? (v.relationToHead ?? null) : null;
  if (relation !== (r.relationToHead ?? null) || body.householdId !== undefined) body.relationToHead = relation;

  const categories = [...new Set(v.categories ?? [])];
  if (!sameList(categories, before.categories)) body.categories = categories;
  if (v.riskTier && v.riskTier !== before.riskTier) body.riskTier = v.riskTier;
  if (v.lawfulBasis && v.lawfulBasis !== before.lawfulBasis) body.lawfulBasis = v.lawfulBasis;

  for (const k of CLEARABLE) {
    const s = text(v[k]);
    if (s) body[k] = s;
    else if (v.clear?.[k]) body[k] = null;
  }

  const guardian = isChild(v.birthDate, now) ? (v.guardianResidentId ?? null) : (before.guardianResidentId ?? null);
  if (guardian !== (before.guardianResidentId ?? null)) body.guardianResidentId = guardian;

  if (v.status !== before.status) body.status = v.status;
  const statusDate = v.status === 'active' ? null : (v.statusDate ?? null);
  if (statusDate !== (before.statusDate ?? null)) body.statusDate = statusDate;
  return body;
}

/** Form fields a server error may name; anything else is shown above the form. */
const FORM_FIELDS = new Set([
  'name', 'gender', 'birthDate', 'idNumber', 'noIdReason', 'phones', 'villageId', 'relationToHead', 'address', 'categories',
  'riskTier', 'disabilityCertificate', 'healthNotes', 'incomeNotes', 'guardianResidentId', 'lawfulBasis', 'status', 'statusDate',
]);

export type NamePath = (string | number)[];

/**
 * Where a server field error belongs on the form: `phones.0.number` → ['phones', 0, 'number'];
 * `idNumber` (ID or reason missing) → the reason box when "无身份证" is chosen. null: not on the form.
 */
export function formFieldFor(serverField: string, idMode: ResidentFormValues['idMode']): NamePath | null {
  const parts: NamePath = serverField.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const head = parts[0];
  if (typeof head !== 'string') return null;
  if (head === 'householdId') return ['household'];
  if (head === 'idNumber' && idMode === 'none') return ['noIdReason'];
  if (head === 'noIdReason' && idMode === 'id') return ['idNumber'];
  if (head === 'phones' && parts.length < 3) return null;
  return FORM_FIELDS.has(head) ? parts : null;
}

/** Split server field errors into form fields and the rest (shown above the form). */
export function mapServerFields(fields: Record<string, string>, idMode: ResidentFormValues['idMode']) {
  const onForm: { name: NamePath; errors: string[] }[] = [];
  const elsewhere: string[] = [];
  for (const [k, msg] of Object.entries(fields)) {
    const name = formFieldFor(k, idMode);
    if (name) onForm.push({ name, errors: [msg] });
    else elsewhere.push(msg);
  }
  return { onForm, elsewhere };
}

/** A draft without the fields that must not stay on the device. */
export function draftOf(v: ResidentFormValues): Partial<ResidentFormValues> {
  const copy: Partial<ResidentFormValues> = { ...v };
  for (const k of NOT_IN_DRAFT) delete copy[k];
  return copy;
}
