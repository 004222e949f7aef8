import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  certificateProblemMessage,
  dateInTimeZone,
  DISABILITY_CATEGORIES,
  DISABILITY_CATEGORY_LABELS,
  DISABILITY_GRADE_LABELS,
  formatDisabilityCertificate,
  idCheckCharacter,
  idProblemMessage,
  makeIdNumber,
  parseDisabilityCertificate,
  phoneProblemMessage,
  upgrade15To18,
  validateIdNumber,
  validatePhone,
  type CertificateProblem,
  type DisabilityCategory,
  type DisabilityGrade,
  type IdProblem,
  type PhoneProblem,
} from './identity.js';

const TODAY = new Date('2025-06-15T04:00:00Z'); // 2025-06-15 12:00 in Shanghai
const VALID_A = '11010519491231002X';
const VALID_B = '440524188001010014';

/** 17 digits + the right check character. */
const withCheck = (first17: string): string => first17 + idCheckCharacter(first17);

describe('validateIdNumber: DOMAIN.md examples', () => {
  it('accepts 11010519491231002X (female, 1949-12-31)', () => {
    expect(validateIdNumber(VALID_A, undefined, TODAY)).toEqual({
      ok: true,
      normalized: VALID_A,
      birthDate: '1949-12-31',
      gender: 'female',
      addressCode: '110105',
      permanentResidence: false,
    });
  });
  it('accepts 440524188001010014 (male, 1880-01-01)', () => {
    expect(validateIdNumber(VALID_B, undefined, TODAY)).toEqual({
      ok: true,
      normalized: VALID_B,
      birthDate: '1880-01-01',
      gender: 'male',
      addressCode: '440524',
      permanentResidence: false,
    });
  });
  it('computes the check characters of the examples', () => {
    expect(idCheckCharacter(VALID_A.slice(0, 17))).toBe('X');
    expect(idCheckCharacter(VALID_B.slice(0, 17))).toBe('4');
  });
});

describe('validateIdNumber: normalisation', () => {
  it.each([
    ['lower-case x', '11010519491231002x'],
    ['surrounding spaces', '  11010519491231002X \t'],
    ['grouped with spaces', '110105 19491231 002X'],
    ['ideographic space', '\u3000' + VALID_A + '\u3000'],
    ['full-width digits and Ｘ', '１１０１０５１９４９１２３１００２Ｘ'],
    ['full-width ｘ', '１１０１０５１９４９１２３１００２ｘ'],
  ])('%s', (_name, input) => {
    const r = validateIdNumber(input, undefined, TODAY);
    expect(r).toMatchObject({ ok: true, normalized: VALID_A });
  });

  it('accepts an unknown or abolished address code', () => {
    const r = validateIdNumber(makeIdNumber({ addressCode: '000000', birthDate: '1990-05-05', sequence: 1 }), undefined, TODAY);
    expect(r).toMatchObject({ ok: true, addressCode: '000000' });
  });

  it('accepts a foreign permanent-residence card (starts with 9)', () => {
    const id = makeIdNumber({ addressCode: '931156', birthDate: '1985-03-08', sequence: 12 });
    expect(validateIdNumber(id, undefined, TODAY)).toMatchObject({
      ok: true,
      permanentResidence: true,
      birthDate: '1985-03-08',
      gender: 'female',
    });
  });
});

describe('validateIdNumber: every problem', () => {
  const leapDay = withCheck('43010220000229001'); // 2000 is a leap year
  it.each<[string, string, IdProblem]>([
    ['empty', '', 'empty'],
    ['only spaces', '   \u3000', 'empty'],
    ['17 digits', VALID_B.slice(0, 17), 'length'],
    ['19 characters', VALID_B + '1', 'length'],
    ['legacy 15 digits', '110105491231002', 'length'],
    ['a Chinese name', '王桂英', 'characters'],
    ['a hyphen', '110105-19491231-002X', 'characters'],
    ['a letter other than X', '11010519491231002Y', 'characters'],
    ['X not in the last position', '1101051949123100X2', 'characters'],
    ['wrong check digit', '110105194912310021', 'check_digit'],
    ['wrong check digit (X expected 4)', '44052418800101001X', 'check_digit'],
    ['month 13', withCheck('11010519491301002'), 'birth_date_invalid'],
    ['month 00', withCheck('11010519490001002'), 'birth_date_invalid'],
    ['day 00', withCheck('11010519491200002'), 'birth_date_invalid'],
    ['31 April', withCheck('11010519490431002'), 'birth_date_invalid'],
    ['29 Feb in a common year (1949)', withCheck('11010519490229002'), 'birth_date_invalid'],
    ['29 Feb 1900 (not a leap year)', withCheck('11010519000229002'), 'birth_date_invalid'],
    ['before 1870', withCheck('11010518691231002'), 'birth_date_invalid'],
    ['year 1049 (typo for 1949)', withCheck('11010510491231002'), 'birth_date_invalid'],
    ['tomorrow in Shanghai', withCheck('11010520250616002'), 'birth_date_future'],
    ['next year', withCheck('11010520260101002'), 'birth_date_future'],
  ])('%s → %s', (_name, input, problem) => {
    expect(validateIdNumber(input, undefined, TODAY)).toEqual({ ok: false, problem });
  });

  it('accepts 29 Feb 2000 and a birth today', () => {
    expect(validateIdNumber(leapDay, undefined, TODAY)).toMatchObject({ ok: true, birthDate: '2000-02-29' });
    expect(validateIdNumber(withCheck('11010520250615002'), undefined, TODAY)).toMatchObject({ ok: true });
  });

  it('uses the Shanghai date for "today"', () => {
    // 2025-06-15 17:00 UTC is already 2025-06-16 in Shanghai.
    const lateUtc = new Date('2025-06-15T17:00:00Z');
    expect(validateIdNumber(withCheck('11010520250616002'), undefined, lateUtc)).toMatchObject({ ok: true });
  });

  it('birth_date_mismatch and gender_mismatch', () => {
    expect(validateIdNumber(VALID_A, { birthDate: '1949-12-30' }, TODAY)).toEqual({ ok: false, problem: 'birth_date_mismatch' });
    expect(validateIdNumber(VALID_A, { gender: 'male' }, TODAY)).toEqual({ ok: false, problem: 'gender_mismatch' });
    expect(validateIdNumber(VALID_A, { birthDate: '1949-12-31', gender: 'female' }, TODAY)).toMatchObject({ ok: true });
    expect(validateIdNumber(VALID_B, { birthDate: '1880-01-01', gender: 'male' }, TODAY)).toMatchObject({ ok: true });
  });

  it('has a message in both locales for every problem', () => {
    const all: IdProblem[] = [
      'empty',
      'length',
      'characters',
      'check_digit',
      'birth_date_invalid',
      'birth_date_future',
      'birth_date_mismatch',
      'gender_mismatch',
    ];
    for (const p of all) {
      expect(idProblemMessage(p, 'zh-CN')).toMatch(/身份证/);
      expect(idProblemMessage(p, 'en').length).toBeGreaterThan(10);
    }
    expect(idProblemMessage('check_digit', 'zh-CN')).toBe('身份证号校验位不正确，请核对最后一位');
    expect(idProblemMessage('birth_date_mismatch', 'zh-CN')).toBe('身份证号中的出生日期与填写的出生日期不一致');
  });
});

describe('idCheckCharacter, makeIdNumber, upgrade15To18', () => {
  it('rejects malformed input', () => {
    expect(() => idCheckCharacter('1234')).toThrow(RangeError);
    expect(() => idCheckCharacter('1101051949123100X')).toThrow(RangeError);
    expect(() => makeIdNumber({ addressCode: '11010', birthDate: '1949-12-31', sequence: 2 })).toThrow(RangeError);
    expect(() => makeIdNumber({ addressCode: '110105', birthDate: '1949-02-29', sequence: 2 })).toThrow(RangeError);
    expect(() => makeIdNumber({ addressCode: '110105', birthDate: '1949-12-31', sequence: 1000 })).toThrow(RangeError);
    expect(() => makeIdNumber({ addressCode: '110105', birthDate: '1949-12-31', sequence: 1.5 })).toThrow(RangeError);
    expect(() => upgrade15To18('11010519491231002X')).toThrow(RangeError);
  });

  it('makeIdNumber reproduces the examples', () => {
    expect(makeIdNumber({ addressCode: '110105', birthDate: '1949-12-31', sequence: 2 })).toBe(VALID_A);
    expect(makeIdNumber({ addressCode: '440524', birthDate: '1880-01-01', sequence: 1 })).toBe(VALID_B);
  });

  it('upgrade15To18 inserts 19 and appends the check character', () => {
    expect(upgrade15To18('110105491231002')).toBe(VALID_A);
    expect(upgrade15To18(' 430102650315123 ')).toBe(withCheck('43010219650315123'));
    expect(validateIdNumber(upgrade15To18('430102650315123'), undefined, TODAY)).toMatchObject({
      ok: true,
      birthDate: '1965-03-15',
      gender: 'male',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties of ID numbers
// ---------------------------------------------------------------------------------------------

const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const isoUtc = (d: Date): string => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;

const arbIdParts = fc.record({
  addressCode: fc.integer({ min: 0, max: 999_999 }).map((n) => pad(n, 6)),
  birthDate: fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2025-06-14T23:59:59Z'), noInvalidDate: true })
    .map(isoUtc),
  sequence: fc.integer({ min: 0, max: 999 }),
});
const arbValidId = arbIdParts.map((p) => makeIdNumber(p));
const ID_CHARS = '0123456789X'.split('');

describe('ID number properties', () => {
  it('(1) generated IDs pass and round-trip birth date, gender and address code', () => {
    fc.assert(
      fc.property(arbIdParts, (p) => {
        const id = makeIdNumber(p);
        const r = validateIdNumber(id, { birthDate: p.birthDate, gender: p.sequence % 2 === 1 ? 'male' : 'female' }, TODAY);
        expect(r).toEqual({
          ok: true,
          normalized: id,
          birthDate: p.birthDate,
          gender: p.sequence % 2 === 1 ? 'male' : 'female',
          addressCode: p.addressCode,
          permanentResidence: p.addressCode.startsWith('9'),
        });
        // Lower-case and full-width forms normalise to the same number.
        const fullWidth = id.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).toLowerCase();
        expect(validateIdNumber(fullWidth, undefined, TODAY)).toMatchObject({ ok: true, normalized: id });
      }),
      { numRuns: 1000 },
    );
  });

  it('(2) every single-character substitution, at every position, is rejected', () => {
    fc.assert(
      fc.property(arbValidId, (id) => {
        for (let pos = 0; pos < 18; pos++) {
          for (const c of ID_CHARS) {
            if (c === id[pos]) continue;
            const changed = id.slice(0, pos) + c + id.slice(pos + 1);
            expect(validateIdNumber(changed, undefined, TODAY).ok, `${id} → ${changed}`).toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('(2b) a substitution in digits 1–17 is rejected even when the date stays valid (check digit alone)', () => {
    // Positions outside the birth date: only the check character can catch the change.
    fc.assert(
      fc.property(arbValidId, fc.constantFrom(0, 1, 2, 3, 4, 5, 14, 15, 16), fc.integer({ min: 1, max: 9 }), (id, pos, delta) => {
        const c = String((Number(id[pos]) + delta) % 10);
        const changed = id.slice(0, pos) + c + id.slice(pos + 1);
        expect(validateIdNumber(changed, undefined, TODAY)).toEqual({ ok: false, problem: 'check_digit' });
      }),
    );
  });

  it('(3) every transposition of two different adjacent characters is rejected', () => {
    fc.assert(
      fc.property(arbValidId, (id) => {
        for (let pos = 0; pos < 17; pos++) {
          const a = id[pos]!;
          const b = id[pos + 1]!;
          if (a === b) continue;
          const swapped = id.slice(0, pos) + b + a + id.slice(pos + 2);
          expect(validateIdNumber(swapped, undefined, TODAY).ok, `${id} → ${swapped}`).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// ageOn
// ---------------------------------------------------------------------------------------------

describe('ageOn', () => {
  it.each<[string, string, number]>([
    ['2011-06-15', '2025-06-15T04:00:00Z', 14], // 14th birthday, Shanghai noon
    ['2011-06-16', '2025-06-15T04:00:00Z', 13], // day before the birthday
    ['2011-06-16', '2025-06-15T16:00:00Z', 14], // 16 June 00:00 in Shanghai, still 15 June in UTC
    ['2011-06-16', '2025-06-15T15:59:59Z', 13],
    ['1949-12-31', '2025-06-15T04:00:00Z', 75],
    ['2025-06-15', '2025-06-15T04:00:00Z', 0],
    ['2000-02-29', '2025-02-28T04:00:00Z', 24], // leap-day birthday in a common year
    ['2000-02-29', '2025-03-01T04:00:00Z', 25],
    ['2000-02-29', '2024-02-29T04:00:00Z', 24],
  ])('born %s, on %s → %i', (birth, on, age) => {
    expect(ageOn(birth, new Date(on))).toBe(age);
  });

  it('honours another time zone and rejects malformed dates', () => {
    expect(ageOn('2011-06-16', new Date('2025-06-15T16:00:00Z'), 'UTC')).toBe(13);
    expect(() => ageOn('2011-02-30', TODAY)).toThrow(RangeError);
    expect(() => ageOn('20110216', TODAY)).toThrow(RangeError);
  });

  it('dateInTimeZone gives the Shanghai calendar date', () => {
    expect(dateInTimeZone(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
    expect(dateInTimeZone(new Date('2025-12-31T15:59:59Z'))).toBe('2025-12-31');
  });

  it('agrees with a year-by-year count (property)', () => {
    fc.assert(
      fc.property(arbIdParts, (p) => {
        const age = ageOn(p.birthDate, TODAY);
        const [y, m, d] = p.birthDate.split('-');
        // The birthday of year (birthYear + age) has passed, that of the next year has not.
        const bday = (yy: number): string => `${pad(yy, 4)}-${m}-${d}`;
        expect(bday(Number(y) + age) <= '2025-06-15').toBe(true);
        expect(bday(Number(y) + age + 1) > '2025-06-15').toBe(true);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Phones
// ---------------------------------------------------------------------------------------------

describe('validatePhone', () => {
  it.each<[string, string, 'mobile' | 'landline']>([
    ['13812345678', '13812345678', 'mobile'],
    ['138 1234 5678', '13812345678', 'mobile'],
    ['138-1234-5678', '13812345678', 'mobile'],
    ['+86 138 1234 5678', '13812345678', 'mobile'],
    ['+86-13812345678', '13812345678', 'mobile'],
    ['0086 13812345678', '13812345678', 'mobile'],
    ['8613812345678', '13812345678', 'mobile'],
    ['013812345678', '13812345678', 'mobile'], // long-distance 0 before a mobile
    ['１９９１２３４５６７８', '19912345678', 'mobile'],
    ['0731-84512345', '0731-84512345', 'landline'],
    ['073184512345', '0731-84512345', 'landline'],
    ['0731 8451 2345', '0731-84512345', 'landline'],
    ['(0731)84512345', '0731-84512345', 'landline'],
    ['（0731）84512345', '0731-84512345', 'landline'],
    ['0731－84512345', '0731-84512345', 'landline'],
    ['0731-8451234', '0731-8451234', 'landline'],
    ['010-12345678', '010-12345678', 'landline'],
    ['01012345678', '010-12345678', 'landline'],
    ['020 8765 4321', '020-87654321', 'landline'],
    ['029-8765432', '029-8765432', 'landline'],
    ['0311-1234567', '0311-1234567', 'landline'],
    ['0731-84512345-1234', '0731-84512345-1234', 'landline'],
    ['0731-84512345转1234', '0731-84512345-1234', 'landline'],
    ['0731 84512345 转 12', '0731-84512345-12', 'landline'],
    ['073184512345分机8', '0731-84512345-8', 'landline'],
    ['010-1234567-8', '010-1234567-8', 'landline'],
    ['020 1234567-8', '020-1234567-8', 'landline'],
    ['0201234567-8', '020-1234567-8', 'landline'],
    ['010 8451-2345', '010-84512345', 'landline'],
    ['0731-8451-2345', '0731-84512345', 'landline'],
    ['0731 - 84512345', '0731-84512345', 'landline'],
    ['0731 84512345 1234', '0731-84512345-1234', 'landline'],
  ])('%s → %s (%s)', (input, normalized, kind) => {
    expect(validatePhone(input)).toEqual({ ok: true, normalized, kind });
  });

  it.each<[string, PhoneProblem]>([
    ['', 'empty'],
    ['  \u3000', 'empty'],
    ['12812345678', 'invalid'], // 12x is not a mobile prefix
    ['1381234567', 'invalid'], // 10 digits
    ['138123456789', 'invalid'], // 12 digits
    ['+8513812345678', 'invalid'],
    ['+86 0731 84512345', 'invalid'],
    ['84512345', 'invalid'], // landline without area code
    ['0731-845123', 'invalid'], // 6-digit local number
    ['0731-845123456', 'invalid'], // 9-digit local number
    ['0731-04512345', 'invalid'], // local number starting with 0
    ['011-12345678', 'invalid'], // 011 is not an area code
    ['13812345678转12', 'invalid'], // a mobile has no extension
    ['0731-84512345转', 'invalid'],
    ['0731-84512345转1234567', 'invalid'],
    ['138abc45678', 'invalid'],
    ['张三 13812345678', 'invalid'],
    ['0731-84512345-1234567', 'invalid'], // 7-digit extension
    ['+86 138 1234 567', 'invalid'],
  ])('%s → %s', (input, problem) => {
    expect(validatePhone(input)).toEqual({ ok: false, problem });
  });

  it('has messages', () => {
    expect(phoneProblemMessage('empty', 'zh-CN')).toBe('请填写电话号码');
    expect(phoneProblemMessage('invalid', 'zh-CN')).toMatch(/手机号/);
    expect(phoneProblemMessage('invalid', 'en')).toMatch(/mobile/);
  });

  const digits = (min: number, max: number) =>
    fc.array(fc.constantFrom(...'0123456789'.split('')), { minLength: min, maxLength: max }).map((a) => a.join(''));
  const arbMobile = fc
    .tuple(fc.constantFrom(...'3456789'.split('')), digits(9, 9))
    .map(([second, rest]) => `1${second}${rest}`);
  const arbLandline = fc
    .tuple(
      fc.oneof(fc.constant('010'), digits(1, 1).map((d) => `02${d}`), fc.tuple(fc.integer({ min: 3, max: 9 }), digits(2, 2)).map(([a, b]) => `0${a}${b}`)),
      fc.integer({ min: 1, max: 9 }),
      digits(6, 7),
      fc.option(digits(1, 6), { nil: undefined }),
    )
    .map(([area, first, rest, ext]) => ({ area, local: `${first}${rest}`, ext }));
  const arbDecoration = fc.constantFrom(
    (s: string) => s,
    (s: string) => ` ${s} `,
    (s: string) => s.replace(/(\d{4})/g, '$1 '),
    (s: string) => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
  );

  it('(4) normalisation is idempotent and recovers mobiles from any common spelling', () => {
    fc.assert(
      fc.property(arbMobile, fc.constantFrom('', '+86', '+86 ', '0086', '86', '0'), arbDecoration, (m, prefix, decorate) => {
        const r = validatePhone(decorate(prefix + m));
        expect(r).toEqual({ ok: true, normalized: m, kind: 'mobile' });
        if (r.ok) expect(validatePhone(r.normalized)).toEqual(r);
      }),
    );
  });

  it('(4) normalisation is idempotent for landlines', () => {
    fc.assert(
      fc.property(arbLandline, fc.constantFrom('-', '', ' ', ')'), fc.constantFrom('-', '转', ' 转 '), (l, sep, extSep) => {
        const open = sep === ')' ? '(' : '';
        const input = `${open}${l.area}${sep}${l.local}${l.ext !== undefined ? extSep + l.ext : ''}`;
        const r = validatePhone(input);
        const expected = `${l.area}-${l.local}${l.ext !== undefined ? `-${l.ext}` : ''}`;
        // Without a separator an extension cannot be told apart from the number, so only check
        // the cases where it is marked.
        if (l.ext === undefined || extSep !== '-' || sep !== '') {
          expect(r).toEqual({ ok: true, normalized: expected, kind: 'landline' });
        }
        if (r.ok) expect(validatePhone(r.normalized)).toEqual(r);
      }),
    );
  });

  it('(4) normalisation is idempotent for arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789 -+()转x86１'.split('')), maxLength: 24 }), (s) => {
        const r = validatePhone(s);
        if (r.ok) expect(validatePhone(r.normalized)).toEqual(r);
      }),
      { numRuns: 2000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Disability certificates
// ---------------------------------------------------------------------------------------------

describe('parseDisabilityCertificate', () => {
  it('parses ID + category + grade', () => {
    expect(parseDisabilityCertificate(VALID_A + '42', undefined, TODAY)).toEqual({
      ok: true,
      idNumber: VALID_A,
      category: 'physical',
      grade: 2,
    });
    expect(parseDisabilityCertificate('11010519491231002x 71', VALID_A, TODAY)).toEqual({
      ok: true,
      idNumber: VALID_A,
      category: 'multiple',
      grade: 1,
    });
    expect(parseDisabilityCertificate(VALID_B + '54', '440524188001010014', TODAY)).toMatchObject({
      ok: true,
      category: 'intellectual',
    });
  });

  it.each<[string, string, string | undefined, CertificateProblem]>([
    ['empty', '', undefined, 'length'],
    ['only the ID number', VALID_A, undefined, 'length'],
    ['21 characters', VALID_A + '421', undefined, 'length'],
    ['bad check digit', '110105194912310021' + '42', undefined, 'id_invalid'],
    ['category 0', VALID_A + '02', undefined, 'category'],
    ['category 8', VALID_A + '82', undefined, 'category'],
    ['category X', VALID_A + 'X2', undefined, 'category'],
    ['grade 0', VALID_A + '40', undefined, 'grade'],
    ['grade 5', VALID_A + '45', undefined, 'grade'],
    ['another person', VALID_A + '42', VALID_B, 'id_mismatch'],
  ])('%s → %s', (_name, input, id, problem) => {
    expect(parseDisabilityCertificate(input, id, TODAY)).toMatchObject({ ok: false, problem });
  });

  it('reports the ID problem behind id_invalid', () => {
    expect(parseDisabilityCertificate('110105194913310021' + '42', undefined, TODAY)).toEqual({
      ok: false,
      problem: 'id_invalid',
      idProblem: 'birth_date_invalid',
    });
  });

  it('has labels and messages', () => {
    expect(DISABILITY_CATEGORIES.map((c) => DISABILITY_CATEGORY_LABELS[c]['zh-CN'])).toEqual([
      '视力残疾',
      '听力残疾',
      '言语残疾',
      '肢体残疾',
      '智力残疾',
      '精神残疾',
      '多重残疾',
    ]);
    expect(DISABILITY_GRADE_LABELS[1]['zh-CN']).toBe('一级');
    for (const p of ['length', 'id_invalid', 'category', 'grade', 'id_mismatch'] as const) {
      expect(certificateProblemMessage(p, 'zh-CN')).toMatch(/残疾人证号/);
      expect(certificateProblemMessage(p, 'en').length).toBeGreaterThan(10);
    }
  });

  it('(5) format → parse round-trips', () => {
    fc.assert(
      fc.property(
        arbValidId,
        fc.constantFrom<DisabilityCategory>(...DISABILITY_CATEGORIES),
        fc.constantFrom<DisabilityGrade>(1, 2, 3, 4),
        (id, category, grade) => {
          const cert = formatDisabilityCertificate(id, category, grade);
          expect(cert).toHaveLength(20);
          expect(parseDisabilityCertificate(cert, id, TODAY)).toEqual({ ok: true, idNumber: id, category, grade });
          const lower = cert.toLowerCase();
          expect(parseDisabilityCertificate(lower, id.toLowerCase(), TODAY)).toEqual({ ok: true, idNumber: id, category, grade });
        },
      ),
    );
  });
});
