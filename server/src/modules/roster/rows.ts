import type { LawfulBasis, PhoneRelation } from '../../db/tables.js';
import type { Locale } from '../../lib/i18n.js';
import { fieldMessage } from '../../lib/i18n.js';
import { idCheckCharacter, upgrade15To18, type Gender } from '../../lib/identity.js';
import { checkResident, type ResidentDraft, type ResidentValues } from '../residents/validate.js';
import { isPhoneTarget, type ColumnMapping, type MappingTarget, type RosterField } from './fields.js';
import { fieldLabel, rosterMessage } from './messages.js';
import { cellText, idCellText, parseCategories, parseDate, parseGender, parseRiskTier, splitPhones, type Cell } from './values.js';

export interface VillageRef {
  id: string;
  stationId: string;
  code: string;
  name: string;
}

/** The villages of the user's stations, by 12-digit code and by name (with and without 村/社区). */
export interface VillageIndex {
  byCode: Map<string, VillageRef>;
  byName: Map<string, VillageRef[]>;
  byId: Map<string, VillageRef>;
}

const SUFFIX = /(村民委员会|村委会|居民委员会|社区居委会|居委会|村|社区)$/;

export function villageIndex(villages: readonly VillageRef[]): VillageIndex {
  const byCode = new Map<string, VillageRef>();
  const byName = new Map<string, VillageRef[]>();
  const byId = new Map<string, VillageRef>();
  const put = (k: string, v: VillageRef) => {
    const list = byName.get(k) ?? [];
    if (!list.includes(v)) list.push(v);
    byName.set(k, list);
  };
  for (const v of villages) {
    byCode.set(v.code, v);
    byId.set(v.id, v);
    put(v.name, v);
    const short = v.name.replace(SUFFIX, '');
    if (short && short !== v.name) put(short, v);
  }
  return { byCode, byName, byId };
}

/** 南山村, 南山, 南山村委会, 南山村杨家组 (a village and its group), or the 12-digit code. */
export function resolveVillage(text: string, idx: VillageIndex): VillageRef | 'unknown' | 'ambiguous' {
  const s = text.replace(/\s/g, '');
  if (/^\d{12}$/.test(s)) return idx.byCode.get(s) ?? 'unknown';
  const pick = (list: VillageRef[] | undefined) => (!list || list.length === 0 ? null : list.length === 1 ? list[0]! : 'ambiguous' as const);
  const exact = pick(idx.byName.get(s)) ?? pick(idx.byName.get(s.replace(SUFFIX, '')));
  if (exact) return exact;
  // "南山村杨家组", "大瑶镇南山村": the longest known village name inside the text.
  let best: string | null = null;
  for (const name of idx.byName.keys()) {
    if (name.length >= 2 && s.includes(name) && (!best || name.length > best.length)) best = name;
  }
  return best ? (pick(idx.byName.get(best)) ?? 'unknown') : 'unknown';
}

export interface RowIssue {
  /** 1-based, as Excel numbers rows (the header is usually row 1). */
  row: number;
  /** The header text of the column, or the field's name when the roster has no such column. */
  column: string;
  message: string;
}

export type RowCheck =
  | { ok: true; row: number; values: ResidentValues; stationId: string; warnings: RowIssue[] }
  | { ok: false; row: number; problems: RowIssue[]; warnings: RowIssue[] };

export interface RowContext {
  columns: readonly ColumnMapping[];
  villages: VillageIndex;
  /** For rosters of one village that have no village column. */
  defaultVillage: VillageRef | null;
  lawfulBasis: LawfulBasis;
  now: Date;
  /** Born after this date (YYYY-MM-DD) ⇔ under 14 on `now`: computed once per file. */
  under14After: string;
  locale: Locale;
}

/**
 * Birth date and gender written in a well-formed ID number, to fill empty cells. Only a first
 * reading: checkResident then checks the number in full (future dates, 9-prefixed cards and all).
 */
function idFacts(input: string): { birthDate: string; gender: Gender } | null {
  const id = input.replace(/[\s\u3000]/g, '').replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).toUpperCase().replace(/Ｘ/g, 'X');
  if (!/^\d{17}[\dX]$/.test(id) || idCheckCharacter(id.slice(0, 17)) !== id[17]) return null;
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const d = new Date(`${birthDate}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== birthDate) return null;
  return { birthDate, gender: Number(id[16]) % 2 === 1 ? 'male' : 'female' };
}

/** The day 14 years before `today`: born after it ⇔ under 14 (29 Feb falls back to 28 Feb). */
export function under14After(today: string): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y - 14, m, 0)).getUTCDate();
  return `${String(y - 14).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Columns by target, computed once per file. */
export interface ColumnPlan {
  single: Partial<Record<RosterField, ColumnMapping>>;
  phones: { column: ColumnMapping; relation: PhoneRelation }[];
}

export function planColumns(columns: readonly ColumnMapping[]): ColumnPlan {
  const single: ColumnPlan['single'] = {};
  const phones: ColumnPlan['phones'] = [];
  for (const c of columns) {
    const t: MappingTarget | null = c.target;
    if (!t) continue;
    if (isPhoneTarget(t)) phones.push({ column: c, relation: t.slice('phone:'.length) as PhoneRelation });
    else single[t] ??= c;
  }
  return { single, phones };
}

const LIMITS: Partial<Record<RosterField, number>> = { name: 50, address: 200, noIdReason: 200, healthNotes: 2000, incomeNotes: 2000, disabilityCertificate: 30 };

/**
 * One roster row → checked resident values, or every problem in it by column. The field rules are
 * checkResident's (the same as the form and the API); this adds only what is particular to
 * spreadsheets: reading dates and labels, deriving gender and birth date from the ID number, and
 * finding the village by name among the user's own.
 */
export function checkRow(cells: readonly Cell[], row: number, plan: ColumnPlan, ctx: RowContext): RowCheck {
  const { locale } = ctx;
  const problems: RowIssue[] = [];
  const warnings: RowIssue[] = [];
  const col = (f: RosterField | 'phone') => (f === 'phone' ? (plan.phones[0]?.column.header ?? fieldLabel('phone', locale)) : (plan.single[f]?.header ?? fieldLabel(f, locale)));
  const problem = (column: string, message: string) => {
    if (!problems.some((p) => p.column === column)) problems.push({ row, column, message });
  };
  const raw = (f: RosterField): Cell => {
    const c = plan.single[f];
    return c ? (cells[c.index] ?? null) : null;
  };
  const text = (f: RosterField): string | null => {
    const s = cellText(raw(f));
    if (!s) return null;
    const max = LIMITS[f];
    if (max && Array.from(s).length > max) {
      problem(col(f), rosterMessage('too_long', locale, max));
      return null;
    }
    return s;
  };

  const name = text('name') ?? '';

  // ID number first: it can supply gender and birth date when those columns are empty or missing.
  let idNumber: string | null = null;
  const idCell = idCellText(raw('idNumber'));
  if (idCell === 'lost_digits') problem(col('idNumber'), rosterMessage('id_lost_digits', locale));
  else if (idCell) idNumber = /^\d{15}$/.test(idCell.replace(/\s/g, '')) ? upgrade15To18(idCell) : idCell;
  const fromId = idNumber ? idFacts(idNumber) : null;

  let gender = parseGender(raw('gender'));
  if (gender === 'invalid') {
    problem(col('gender'), rosterMessage('gender_invalid', locale));
    gender = fromId?.gender ?? null;
  } else if (gender === null) {
    gender = fromId?.gender ?? null;
    if (!gender && !idNumber && idCell !== 'lost_digits') problem(col('gender'), rosterMessage('gender_missing', locale));
  }

  let birthDate = '';
  const birth = parseDate(raw('birthDate'));
  if (birth === null) {
    if (fromId) birthDate = fromId.birthDate;
    else if (!idNumber && idCell !== 'lost_digits') problem(col('birthDate'), rosterMessage('birth_missing', locale));
  } else if (!birth.ok) problem(col('birthDate'), rosterMessage('date_unreadable', locale));
  else if ('month' in birth) {
    if (fromId && fromId.birthDate.startsWith(birth.month)) birthDate = fromId.birthDate;
    else if (fromId) problem(col('birthDate'), fieldMessage('birth_date_mismatch', locale));
    else if (!idNumber) problem(col('birthDate'), rosterMessage('birth_month_only', locale));
  } else birthDate = birth.date;

  const phoneSources: string[] = [];
  const phones: { number: string; relation: PhoneRelation }[] = [];
  for (const { column, relation } of plan.phones) {
    for (const p of splitPhones(cells[column.index] ?? null, relation)) {
      phones.push(p);
      phoneSources.push(column.header);
    }
  }
  if (phones.length > 5) problem(col('phone'), rosterMessage('too_many_phones', locale));

  let village: VillageRef | null = null;
  const villageText = cellText(raw('village'));
  if (villageText) {
    const v = resolveVillage(villageText, ctx.villages);
    if (v === 'unknown') problem(col('village'), rosterMessage('village_unknown', locale, villageText));
    else if (v === 'ambiguous') problem(col('village'), rosterMessage('village_ambiguous', locale, villageText));
    else village = v;
  } else if (ctx.defaultVillage) village = ctx.defaultVillage;
  else problem(col('village'), rosterMessage('village_missing', locale));

  const cats = parseCategories(raw('categories'));
  if (cats.unknown.length > 0) problem(col('categories'), rosterMessage('category_unknown', locale, cats.unknown.join('、')));
  const riskTier = parseRiskTier(raw('riskTier'));
  if (riskTier === 'invalid') problem(col('riskTier'), rosterMessage('risk_unknown', locale));

  const draft: ResidentDraft = {
    name,
    // Placeholders only when a problem is already reported for the field; the draft is then not used.
    gender: gender ?? 'female',
    birthDate,
    idNumber: idCell === 'lost_digits' ? null : idNumber,
    noIdReason: text('noIdReason'),
    phones: phones.slice(0, 5),
    villageId: village?.id ?? '',
    address: text('address'),
    categories: cats.categories,
    disabilityCertificate: text('disabilityCertificate'),
    healthNotes: text('healthNotes'),
    incomeNotes: text('incomeNotes'),
    riskTier: riskTier === 'invalid' ? 'normal' : riskTier,
    lawfulBasis: ctx.lawfulBasis,
  };
  // Rosters rarely record guardians; under-14s are imported with a warning instead (docs/import.md).
  const checked = checkResident(draft, ctx.now, locale, { requireGuardian: false });
  if (!checked.ok) {
    // The ID number's own message first: when gender or birth date came from it, theirs only echo it.
    const entries = Object.entries(checked.fields).sort(([a], [b]) => Number(b === 'idNumber') - Number(a === 'idNumber'));
    for (const [field, message] of entries) {
      const phone = /^phones\.(\d+)\.number$/.exec(field);
      let column: string;
      if (phone) column = phoneSources[Number(phone[1])] ?? col('phone');
      else if (field === 'gender') column = plan.single.gender ? col('gender') : col('idNumber');
      else if (field === 'birthDate') column = plan.single.birthDate ? col('birthDate') : col('idNumber');
      else if (field === 'idNumber' && idCell === 'lost_digits') continue;
      else column = col(field as RosterField);
      problem(column, message);
    }
  }
  if (checked.ok && checked.value.birthDate > ctx.under14After && !checked.value.categories.some((c) => c === 'orphan' || c === 'de_facto_orphan')) {
    warnings.push({ row, column: plan.single.birthDate ? col('birthDate') : col('idNumber'), message: rosterMessage('guardian_warning', locale) });
  }
  if (problems.length > 0 || !checked.ok || !village) return { ok: false, row, problems, warnings };
  return { ok: true, row, values: checked.value, stationId: village.stationId, warnings };
}
