/**
 * Chinese personal identifiers: resident ID numbers (GB 11643-1999), phone numbers and
 * disability certificate numbers (残疾人证号).
 *
 * Pure and dependency-free: used by the server and by the browser (no `node:` imports, no Buffer).
 */

export type IdentityLocale = 'zh-CN' | 'en';
export type Gender = 'male' | 'female';

// ---------------------------------------------------------------------------------------------
// Normalisation shared by every identifier
// ---------------------------------------------------------------------------------------------

/** Whitespace of any kind, including the ideographic space and zero-width characters from copy-paste. */
const SPACES = /[\s\u200B-\u200D\u2060\uFEFF]/g;

/** Full-width digits and letters → ASCII; full-width punctuation used in phone numbers → ASCII. */
function toHalfWidth(input: string): string {
  return input.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

function normalizeIdLike(input: string): string {
  return toHalfWidth(input).replace(SPACES, '').toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// Calendar helpers
// ---------------------------------------------------------------------------------------------

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function isRealDate(y: number, m: number, d: number): boolean {
  return Number.isInteger(y) && y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function parseIsoDate(s: string): { y: number; m: number; d: number } | null {
  const match = DATE_RE.exec(s);
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  return isRealDate(y, m, d) ? { y, m, d } : null;
}

// Building an Intl.DateTimeFormat costs ~75 µs; formatting with one ~2 µs. A 10,000-row import
// asks for dates tens of thousands of times, so keep one formatter per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', calendar: 'gregory', numberingSystem: 'latn' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function dateInTimeZone(on: Date, timeZone = 'Asia/Shanghai'): string {
  const parts = dateFormatter(timeZone).formatToParts(on);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  const year = get('year').padStart(4, '0');
  return `${year}-${get('month')}-${get('day')}`;
}

/**
 * Age in whole years on a given instant; the birthday itself counts (on the 14th birthday the
 * person is 14). Someone born on 29 February turns a year older on 1 March in common years.
 */
export function ageOn(birthDate: string, on: Date, timeZone = 'Asia/Shanghai'): number {
  const birth = parseIsoDate(birthDate);
  if (!birth) throw new RangeError(`ageOn: not a calendar date (YYYY-MM-DD): ${birthDate}`);
  const today = parseIsoDate(dateInTimeZone(on, timeZone));
  if (!today) throw new RangeError('ageOn: invalid reference date');
  let age = today.y - birth.y;
  if (today.m < birth.m || (today.m === birth.m && today.d < birth.d)) age -= 1;
  return age;
}

// ---------------------------------------------------------------------------------------------
// Resident ID numbers (GB 11643-1999)
// ---------------------------------------------------------------------------------------------

export type IdProblem =
  | 'empty'
  | 'length'
  | 'characters'
  | 'check_digit'
  | 'birth_date_invalid'
  | 'birth_date_future'
  | 'birth_date_mismatch'
  | 'gender_mismatch';

export type IdCheck =
  | {
      ok: true;
      /** 18 upper-case ASCII characters. */
      normalized: string;
      /** YYYY-MM-DD */
      birthDate: string;
      gender: Gender;
      /** Digits 1–6. Not checked against a list: old and abolished codes stay valid for life. */
      addressCode: string;
      /** Foreign permanent-residence ID card (外国人永久居留身份证, since 2023): starts with 9. */
      permanentResidence: boolean;
    }
  | { ok: false; problem: IdProblem };

export const ID_WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/**
 * Earliest accepted birth date. GB 11643-1999's own example (440524188001010014) is born
 * 1880-01-01, so the floor sits below it; it only catches typos such as 1049 for 1949.
 */
export const MIN_BIRTH_DATE = '1870-01-01';

/** The MOD 11-2 check character for the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idCheckCharacter: expected 17 ASCII digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export function validateIdNumber(
  input: string,
  expect?: { birthDate?: string; gender?: Gender },
  today: Date = new Date(),
): IdCheck {
  const id = normalizeIdLike(input);
  if (id === '') return { ok: false, problem: 'empty' };
  if (!/^[0-9X]*$/.test(id)) return { ok: false, problem: 'characters' };
  if (id.length !== 18) return { ok: false, problem: 'length' };
  if (!/^\d{17}[0-9X]$/.test(id)) return { ok: false, problem: 'characters' };

  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  // A date that cannot exist points at the digit that is wrong, so it is reported before the check digit.
  if (!isRealDate(y, m, d) || birthDate < MIN_BIRTH_DATE) return { ok: false, problem: 'birth_date_invalid' };
  if (idCheckCharacter(id.slice(0, 17)) !== id[17]) return { ok: false, problem: 'check_digit' };
  if (birthDate > dateInTimeZone(today)) return { ok: false, problem: 'birth_date_future' };

  const gender: Gender = Number(id[16]) % 2 === 1 ? 'male' : 'female';
  if (expect?.birthDate !== undefined && expect.birthDate !== birthDate) {
    return { ok: false, problem: 'birth_date_mismatch' };
  }
  if (expect?.gender !== undefined && expect.gender !== gender) return { ok: false, problem: 'gender_mismatch' };

  return { ok: true, normalized: id, birthDate, gender, addressCode: id.slice(0, 6), permanentResidence: id[0] === '9' };
}

/**
 * Converts a legacy 15-digit ID number (address + YYMMDD + sequence, issued before 1999) into the
 * 18-digit form: "19" is inserted before the year and the check character appended. For imports.
 */
export function upgrade15To18(id15: string): string {
  const id = normalizeIdLike(id15);
  if (!/^\d{15}$/.test(id)) throw new RangeError('upgrade15To18: expected 15 digits');
  const first17 = `${id.slice(0, 6)}19${id.slice(6)}`;
  return first17 + idCheckCharacter(first17);
}

/** Builds a valid ID number (demo data, tests). The parity of the sequence carries the gender: odd = male. */
export function makeIdNumber(opts: { addressCode: string; birthDate: string; sequence: number }): string {
  const { addressCode, birthDate, sequence } = opts;
  if (!/^\d{6}$/.test(addressCode)) throw new RangeError('makeIdNumber: addressCode must be 6 digits');
  if (!parseIsoDate(birthDate)) throw new RangeError(`makeIdNumber: not a calendar date: ${birthDate}`);
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new RangeError('makeIdNumber: sequence must be an integer 0–999');
  }
  const first17 = addressCode + birthDate.replaceAll('-', '') + String(sequence).padStart(3, '0');
  return first17 + idCheckCharacter(first17);
}

const ID_MESSAGES: Record<IdProblem, Record<IdentityLocale, string>> = {
  empty: { 'zh-CN': '请填写身份证号', en: 'Please enter the ID number.' },
  length: {
    'zh-CN': '身份证号应为18位，请核对位数（旧的15位号码请换成新身份证上的18位号码）',
    en: 'An ID number has 18 characters (replace an old 15-digit number with the 18-digit one).',
  },
  characters: {
    'zh-CN': '身份证号只能是数字，最后一位可以是字母X',
    en: 'An ID number contains only digits; the last character may be an X.',
  },
  check_digit: {
    'zh-CN': '身份证号校验位不正确，请核对最后一位',
    en: 'The ID number does not add up: check the last character (and the other digits).',
  },
  birth_date_invalid: {
    'zh-CN': '身份证号中的出生日期不存在，请核对第7到14位',
    en: 'The birth date inside the ID number (characters 7–14) is not a real date.',
  },
  birth_date_future: {
    'zh-CN': '身份证号中的出生日期晚于今天，请核对第7到14位',
    en: 'The birth date inside the ID number (characters 7–14) is in the future.',
  },
  birth_date_mismatch: {
    'zh-CN': '身份证号中的出生日期与填写的出生日期不一致',
    en: 'The birth date inside the ID number differs from the birth date entered.',
  },
  gender_mismatch: {
    'zh-CN': '身份证号中的性别与填写的性别不一致',
    en: 'The gender encoded in the ID number differs from the gender entered.',
  },
};

export function idProblemMessage(p: IdProblem, locale: IdentityLocale): string {
  return ID_MESSAGES[p][locale];
}

// ---------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------

export type PhoneProblem = 'empty' | 'invalid';
export type PhoneCheck =
  | { ok: true; normalized: string; kind: 'mobile' | 'landline' }
  | { ok: false; problem: PhoneProblem };

/** 010 and 020–029 are three digits with the 0; every other area code is four (0731). */
const AREA_RE = /^(?:010|02\d|0[3-9]\d{2})$/;
const LOCAL_RE = /^[1-9]\d{6,7}$/;
const EXTENSION_RE = /^\d{1,6}$/;
/** Explicit extension markers: 转1234, 分机1234, ext 1234. */
const EXTENSION_MARKER = /(?:转|轉|分机|分機|ext\.?)/i;

function landline(area: string, local: string, ext?: string): PhoneCheck | null {
  if (!AREA_RE.test(area) || !LOCAL_RE.test(local)) return null;
  if (ext !== undefined && !EXTENSION_RE.test(ext)) return null;
  return { ok: true, kind: 'landline', normalized: `${area}-${local}${ext !== undefined ? `-${ext}` : ''}` };
}

/** Splits a run of digits into area code + local number. */
function landlineFromDigits(digits: string, ext?: string): PhoneCheck | null {
  const areaLength = /^(?:010|02)/.test(digits) ? 3 : 4;
  return landline(digits.slice(0, areaLength), digits.slice(areaLength), ext);
}

/**
 * Mobile: 11 digits `1[3-9]…`, with an optional +86 / 0086 / 86 prefix or a single long-distance 0.
 * Landline: area code (with its 0) + 7–8 digits, optional extension `-1234` or `转1234`.
 * Spaces, hyphens and brackets separate groups; full-width characters are accepted.
 * Normalised forms: `13812345678`, `0731-84512345`, `0731-84512345-1234`.
 */
export function validatePhone(input: string): PhoneCheck {
  const text = toHalfWidth(input)
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\(/g, '')
    .replace(/\)/g, '-');
  if (text.replace(SPACES, '') === '') return { ok: false, problem: 'empty' };
  const invalid: PhoneCheck = { ok: false, problem: 'invalid' };

  // Explicit extension marker.
  const parts = text.split(EXTENSION_MARKER);
  if (parts.length > 2) return invalid;
  const main = parts[0]!.replace(/[\s-]+/g, '-').replace(/^-|-$/g, '');
  const marked = parts[1]?.replace(SPACES, '');
  if (!/^\+?\d[\d-]*$/.test(main)) return invalid;
  const digits = main.replace(/[+-]/g, '');
  if (marked !== undefined) {
    if (main.startsWith('+') || !EXTENSION_RE.test(marked)) return invalid;
    return landlineFromDigits(digits, marked) ?? invalid;
  }

  // Mobile: only +86 may follow a plus sign.
  if (main.startsWith('+')) {
    const intl = /^86(1[3-9]\d{9})$/.exec(digits);
    return intl ? { ok: true, kind: 'mobile', normalized: intl[1]! } : invalid;
  }
  const mobile = /^(?:0086|86|0)?(1[3-9]\d{9})$/.exec(digits);
  if (mobile) return { ok: true, kind: 'mobile', normalized: mobile[1]! };

  // Landline written in groups: area-local, area-local-extension, or number-extension.
  const groups = main.split('-');
  if (groups.length === 2 || groups.length === 3) {
    const structured = landline(groups[0]!, groups[1]!, groups[2]);
    if (structured) return structured;
  }
  if (groups.length === 2 && EXTENSION_RE.test(groups[1]!)) {
    const withExtension = landlineFromDigits(groups[0]!, groups[1]);
    if (withExtension) return withExtension;
  }
  // Otherwise the separators only split the number for reading (0731 8451 2345).
  return landlineFromDigits(digits) ?? invalid;
}

const PHONE_MESSAGES: Record<PhoneProblem, Record<IdentityLocale, string>> = {
  empty: { 'zh-CN': '请填写电话号码', en: 'Please enter a phone number.' },
  invalid: {
    'zh-CN': '电话号码不正确：手机号是1开头的11位数字，座机请带区号，例如0731-84512345',
    en: 'Not a valid phone number: a mobile has 11 digits starting with 1; a landline needs its area code, e.g. 0731-84512345.',
  },
};

export function phoneProblemMessage(p: PhoneProblem, locale: IdentityLocale): string {
  return PHONE_MESSAGES[p][locale];
}

// ---------------------------------------------------------------------------------------------
// Disability certificate numbers (第二代残疾人证): 18-character ID + category digit + grade digit
// ---------------------------------------------------------------------------------------------

export type DisabilityCategory =
  | 'visual'
  | 'hearing'
  | 'speech'
  | 'physical'
  | 'intellectual'
  | 'mental'
  | 'multiple';
export type DisabilityGrade = 1 | 2 | 3 | 4;

/** In certificate-digit order: index + 1 is the digit. */
export const DISABILITY_CATEGORIES: readonly DisabilityCategory[] = [
  'visual',
  'hearing',
  'speech',
  'physical',
  'intellectual',
  'mental',
  'multiple',
];

export const DISABILITY_CATEGORY_LABELS: Record<DisabilityCategory, Record<IdentityLocale, string>> = {
  visual: { 'zh-CN': '视力残疾', en: 'Visual disability' },
  hearing: { 'zh-CN': '听力残疾', en: 'Hearing disability' },
  speech: { 'zh-CN': '言语残疾', en: 'Speech disability' },
  physical: { 'zh-CN': '肢体残疾', en: 'Physical disability' },
  intellectual: { 'zh-CN': '智力残疾', en: 'Intellectual disability' },
  mental: { 'zh-CN': '精神残疾', en: 'Mental disability' },
  multiple: { 'zh-CN': '多重残疾', en: 'Multiple disabilities' },
};

export const DISABILITY_GRADE_LABELS: Record<DisabilityGrade, Record<IdentityLocale, string>> = {
  1: { 'zh-CN': '一级', en: 'Grade 1' },
  2: { 'zh-CN': '二级', en: 'Grade 2' },
  3: { 'zh-CN': '三级', en: 'Grade 3' },
  4: { 'zh-CN': '四级', en: 'Grade 4' },
};

export type CertificateProblem = 'length' | 'id_invalid' | 'category' | 'grade' | 'id_mismatch';
export type CertificateCheck =
  | { ok: true; idNumber: string; category: DisabilityCategory; grade: DisabilityGrade }
  | { ok: false; problem: CertificateProblem; /** Set with `id_invalid`. */ idProblem?: IdProblem };

/**
 * Parses a 20-character disability certificate number. When `idNumber` is given (the resident's
 * ID on file), the certificate must belong to it.
 */
export function parseDisabilityCertificate(
  input: string,
  idNumber?: string,
  today: Date = new Date(),
): CertificateCheck {
  const cert = normalizeIdLike(input);
  if (cert.length !== 20) return { ok: false, problem: 'length' };
  const id = validateIdNumber(cert.slice(0, 18), undefined, today);
  if (!id.ok) return { ok: false, problem: 'id_invalid', idProblem: id.problem };
  const category = /^[1-7]$/.test(cert[18]!) ? DISABILITY_CATEGORIES[Number(cert[18]) - 1] : undefined;
  if (category === undefined) return { ok: false, problem: 'category' };
  if (!/^[1-4]$/.test(cert[19]!)) return { ok: false, problem: 'grade' };
  if (idNumber !== undefined && normalizeIdLike(idNumber) !== id.normalized) {
    return { ok: false, problem: 'id_mismatch' };
  }
  return { ok: true, idNumber: id.normalized, category, grade: Number(cert[19]) as DisabilityGrade };
}

/** Builds a certificate number from its parts (the ID is not re-validated). */
export function formatDisabilityCertificate(
  idNumber: string,
  category: DisabilityCategory,
  grade: DisabilityGrade,
): string {
  return `${normalizeIdLike(idNumber)}${DISABILITY_CATEGORIES.indexOf(category) + 1}${grade}`;
}

const CERTIFICATE_MESSAGES: Record<CertificateProblem, Record<IdentityLocale, string>> = {
  length: {
    'zh-CN': '残疾人证号应为20位：18位身份证号加残疾类别和等级各1位',
    en: 'A disability certificate number has 20 characters: the 18-character ID number, the category and the grade.',
  },
  id_invalid: {
    'zh-CN': '残疾人证号的前18位不是有效的身份证号，请核对',
    en: 'The first 18 characters of the certificate number are not a valid ID number.',
  },
  category: {
    'zh-CN': '残疾人证号第19位是残疾类别，应为1到7',
    en: 'Character 19 of the certificate number is the category and must be 1–7.',
  },
  grade: {
    'zh-CN': '残疾人证号第20位是残疾等级，应为1到4',
    en: 'Character 20 of the certificate number is the grade and must be 1–4.',
  },
  id_mismatch: {
    'zh-CN': '残疾人证号中的身份证号与本人身份证号不一致',
    en: "The ID number inside the certificate number is not this person's ID number.",
  },
};

export function certificateProblemMessage(p: CertificateProblem, locale: IdentityLocale): string {
  return CERTIFICATE_MESSAGES[p][locale];
}
