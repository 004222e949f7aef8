import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../lib/identity.js';
import { addressFragments, containsPersonalData, type Identity } from './consultations.js';

const who: Identity = {
  name: '王桂英',
  otherNames: ['王建国', '王浩然', '刘德华'],
  phones: ['13812345678', '0731-84512345'],
  maskedPhones: ['138****5678', '0731-****2345'],
  addresses: ['湖南省浏阳市大瑶镇南山村杨家组12号', '湖南省浏阳****'],
};

/** Words of ordinary policy answers: no digits, no names, no village of the resident. */
const POLICY = ['高龄补贴', '申请', '需要带', '身份证', '户口本', '到社工站', '村委会', '办理', '每月发放', '材料', '残疾人', '低保', '医疗救助', '老人', '可以', '携带', '银行卡', '审核', '公示', '工作日', '，', '。', '？', '、', ' ', '\u3000', 'the', 'form'];
const policyText = fc.array(fc.constantFrom(...POLICY), { maxLength: 40 }).map((w) => w.join(''));

/** Text around an embedded value: policy words, ASCII letters, digits and punctuation. */
const filler = fc.array(fc.constantFrom(...POLICY, 'a', 'Z', '0', '7', '-', '：', '(', ')'), { maxLength: 8 }).map((w) => w.join(''));
const SEPARATORS = ['', '', '', ' ', '\u3000', '\t', '-', '  '];
const toFullWidth = (ch: string) => (/[0-9A-Za-z]/.test(ch) ? String.fromCharCode(ch.charCodeAt(0) - 0x21 + 0xff01) : ch);

/** A value written character by character with random spacing, some characters in full width. */
const written = (value: string) =>
  fc.tuple(fc.array(fc.constantFrom(...SEPARATORS), { minLength: value.length, maxLength: value.length }), fc.array(fc.boolean(), { minLength: value.length, maxLength: value.length })).map(([seps, wide]) =>
    Array.from(value)
      .map((ch, i) => (i > 0 ? seps[i]! : '') + (wide[i] ? toFullWidth(ch) : ch))
      .join(''),
  );

const birthDate = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const validId18 = fc.tuple(fc.integer({ min: 110000, max: 659999 }), birthDate, fc.integer({ min: 0, max: 999 })).map(([code, birth, sequence]) => makeIdNumber({ addressCode: String(code), birthDate: birth, sequence }));
/** An old 15-digit ID: address code, YYMMDD, a 3-digit sequence. */
const oldId15 = fc.tuple(fc.integer({ min: 110000, max: 659999 }), birthDate, fc.integer({ min: 0, max: 999 })).map(([code, birth, seq]) => `${code}${birth.slice(2).replaceAll('-', '')}${String(seq).padStart(3, '0')}`);
const embedded = (value: fc.Arbitrary<string>, around = filler) => fc.tuple(around, value.chain(written), around).map(([a, v, b]) => `${a}${v}${b}`);
/** Filler without digits: a mobile number glued to other digits is no longer one. */
const wordsOnly = fc.array(fc.constantFrom(...POLICY, 'a', 'Z', '：', '(', ')'), { maxLength: 8 }).map((w) => w.join(''));

describe('containsPersonalData (properties)', () => {
  it('catches any valid 18-character ID number embedded anywhere, with any spacing or full-width digits', () => {
    fc.assert(fc.property(embedded(validId18), (text) => containsPersonalData(text, who)), { numRuns: 500 });
  });

  it('catches any old 15-digit ID number embedded anywhere, however written', () => {
    fc.assert(fc.property(embedded(oldId15), (text) => containsPersonalData(text, who)), { numRuns: 300 });
  });

  it('catches any mainland mobile number set apart from other digits, however written', () => {
    const mobile = fc.tuple(fc.integer({ min: 3, max: 9 }), fc.integer({ min: 0, max: 999_999_999 })).map(([b, rest]) => `1${b}${String(rest).padStart(9, '0')}`);
    fc.assert(fc.property(embedded(mobile, wordsOnly), (text) => containsPersonalData(text, who)), { numRuns: 300 });
  });

  it('catches the resident’s, household members’ and linked accounts’ names with spaces or full-width spaces between the characters', () => {
    const name = fc.constantFrom(who.name, ...who.otherNames!);
    fc.assert(fc.property(fc.tuple(policyText, name.chain(written), policyText), ([a, n, b]) => containsPersonalData(`${a}${n}${b}`, who)), { numRuns: 300 });
  });

  it('catches the village and group of the address, and the local address with full-width digits', () => {
    fc.assert(fc.property(fc.tuple(policyText, fc.constantFrom('南山村杨家组', '南山村杨家组12号').chain(written), policyText), ([a, v, b]) => containsPersonalData(`${a}${v}${b}`, who)), { numRuns: 200 });
  });

  it('lets ordinary policy text without digits through', () => {
    fc.assert(fc.property(policyText, (text) => !containsPersonalData(text, who)), { numRuns: 500 });
  });
});

describe('containsPersonalData (examples)', () => {
  it('still passes ordinary numbers: amounts, dates, a landline that is not theirs', () => {
    expect(containsPersonalData('高龄补贴每月 200 元，2026 年 1 月起发放', who)).toBe(false);
    expect(containsPersonalData('电话 010-12345678', who)).toBe(false);
    expect(containsPersonalData('其他村的老人也可以到村委会申请', who)).toBe(false);
  });
  it('refuses the ones that point at them', () => {
    expect(containsPersonalData('王　桂　英', who)).toBe(true);
    expect(containsPersonalData('０７３１－８４５１２３４５', who)).toBe(true);
    expect(containsPersonalData('身份证 430181 48 0315 002', who)).toBe(true);
    expect(containsPersonalData('住南山村杨家组', who)).toBe(true);
  });
  it('addressFragments: village + group and the local part; a masked address gives only what it shows', () => {
    expect(addressFragments('湖南省浏阳市大瑶镇南山村杨家组12号')).toEqual(['南山村杨家组', '南山村杨家组12号']);
    expect(addressFragments('湖南省浏阳****')).toEqual([]);
    expect(addressFragments('大瑶镇新桥社区二组****')).toEqual(['新桥社区二组']);
  });
});
