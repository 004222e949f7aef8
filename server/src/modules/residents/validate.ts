import type { Category, LawfulBasis, PhoneRelation, RelationToHead, ResidentStatus, RiskTier } from '../../db/tables.js';
import type { Locale } from '../../lib/i18n.js';
import { fieldMessage } from '../../lib/i18n.js';
import {
  MIN_BIRTH_DATE, ageOn, certificateProblemMessage, dateInTimeZone, idProblemMessage, parseDisabilityCertificate,
  phoneProblemMessage, validateIdNumber, validatePhone, type Gender,
} from '../../lib/identity.js';

/** A resident as a form, an import row or a merged PATCH describes it, before the database is consulted. */
export interface ResidentDraft {
  name: string;
  gender: Gender;
  birthDate: string;
  idNumber?: string | null | undefined;
  noIdReason?: string | null | undefined;
  phones?: { number: string; relation: PhoneRelation }[] | undefined;
  villageId: string;
  householdId?: string | null | undefined;
  relationToHead?: RelationToHead | null | undefined;
  address?: string | null | undefined;
  categories?: Category[] | undefined;
  disabilityCertificate?: string | null | undefined;
  healthNotes?: string | null | undefined;
  incomeNotes?: string | null | undefined;
  guardianResidentId?: string | null | undefined;
  riskTier: RiskTier;
  lawfulBasis: LawfulBasis;
  status?: ResidentStatus | undefined;
  statusDate?: string | null | undefined;
}

/** The draft with every value checked and in its stored form. */
export interface ResidentValues {
  name: string;
  gender: Gender;
  birthDate: string;
  idNumber: string | null;
  noIdReason: string | null;
  phones: { number: string; relation: PhoneRelation }[];
  villageId: string;
  householdId: string | null;
  relationToHead: RelationToHead | null;
  address: string | null;
  categories: Category[];
  disability: { certificate: string; category: number; grade: number } | null;
  healthNotes: string | null;
  incomeNotes: string | null;
  guardianResidentId: string | null;
  riskTier: RiskTier;
  lawfulBasis: LawfulBasis;
  status: ResidentStatus;
  statusDate: string | null;
}

export type CheckResult = { ok: true; value: ResidentValues } | { ok: false; fields: Record<string, string> };

/** Children whose guardian may not be on the registry: orphans and de-facto orphans. */
const GUARDIAN_EXEMPT: readonly Category[] = ['orphan', 'de_facto_orphan'];

const text = (v: string | null | undefined): string | null => {
  const s = v?.trim();
  return s ? s : null;
};

function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/**
 * Every rule a resident must meet that needs no database: the form, the API and the import all call
 * this one function, so they cannot disagree. Messages are ready to show next to each field.
 */
export function checkResident(d: ResidentDraft, now: Date, locale: Locale, opts: { requireGuardian?: boolean } = {}): CheckResult {
  const fields: Record<string, string> = {};
  const today = dateInTimeZone(now);
  const name = d.name.trim().replace(/\s+/g, ' ');
  if (!name) fields.name = fieldMessage('required', locale);

  let birthOk = false;
  if (!isRealDate(d.birthDate) || d.birthDate < MIN_BIRTH_DATE) fields.birthDate = fieldMessage('date_invalid', locale);
  else if (d.birthDate > today) fields.birthDate = fieldMessage('date_in_future', locale);
  else birthOk = true;

  const idText = text(d.idNumber);
  let idNumber: string | null = null;
  if (idText) {
    const id = validateIdNumber(idText, birthOk ? { birthDate: d.birthDate, gender: d.gender } : { gender: d.gender }, now);
    if (id.ok) idNumber = id.normalized;
    else fields.idNumber = idProblemMessage(id.problem, locale);
  }
  const noIdReason = idText ? null : text(d.noIdReason);
  if (!idText && !noIdReason) fields.idNumber = fieldMessage('id_or_reason', locale);

  const phones: ResidentValues['phones'] = [];
  (d.phones ?? []).forEach((p, i) => {
    const r = validatePhone(p.number);
    if (r.ok) phones.push({ number: r.normalized, relation: p.relation });
    else fields[`phones.${i}.number`] = phoneProblemMessage(r.problem, locale);
  });

  let disability: ResidentValues['disability'] = null;
  const cert = text(d.disabilityCertificate);
  if (cert) {
    const r = parseDisabilityCertificate(cert, idNumber ?? undefined, now);
    if (r.ok) {
      const digits = cert.replace(/\s/g, '').toUpperCase();
      disability = { certificate: digits, category: Number(digits[18]), grade: r.grade };
    } else fields.disabilityCertificate = certificateProblemMessage(r.problem, locale);
  }

  const categories = [...new Set(d.categories ?? [])];
  const householdId = text(d.householdId);
  const relationToHead = householdId ? (d.relationToHead ?? null) : null;
  if (householdId && !relationToHead) fields.relationToHead = fieldMessage('required', locale);

  const guardianResidentId = text(d.guardianResidentId);
  if (
    opts.requireGuardian !== false &&
    birthOk &&
    !guardianResidentId &&
    ageOn(d.birthDate, now) < 14 &&
    !categories.some((c) => GUARDIAN_EXEMPT.includes(c))
  ) {
    fields.guardianResidentId = fieldMessage('guardian_required', locale);
  }

  const status = d.status ?? 'active';
  let statusDate: string | null = null;
  if (status !== 'active') {
    const sd = text(d.statusDate);
    if (!sd) fields.statusDate = fieldMessage('status_date_required', locale);
    else if (!isRealDate(sd)) fields.statusDate = fieldMessage('date_invalid', locale);
    else if (sd > today) fields.statusDate = fieldMessage('date_in_future', locale);
    else statusDate = sd;
  }

  if (Object.keys(fields).length > 0) return { ok: false, fields };
  return {
    ok: true,
    value: {
      name,
      gender: d.gender,
      birthDate: d.birthDate,
      idNumber,
      noIdReason,
      phones,
      villageId: d.villageId,
      householdId,
      relationToHead,
      address: text(d.address),
      categories,
      disability,
      healthNotes: text(d.healthNotes),
      incomeNotes: text(d.incomeNotes),
      guardianResidentId,
      riskTier: d.riskTier,
      lawfulBasis: d.lawfulBasis,
      status,
      statusDate,
    },
  };
}
