import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, type Category } from '../../db/tables.js';
import { makeIdNumber } from '../../lib/identity.js';
import { guessTarget, mapColumns } from './fields.js';
import { checkRow, planColumns, villageIndex, resolveVillage, type VillageRef } from './rows.js';
import { decodeCsv, parseCsv, readGrid, csvField } from './sheet.js';
import { encodeGbk, gbkEncodable, xlsxRoster } from './testing.js';
import { CATEGORY_NAMES, excelSerialToDate, idCellText, parseCategories, parseDate, parseGender, parseRiskTier, splitPhones } from './values.js';

describe('header auto-mapping', () => {
  it.each([
    ['姓名', 'name'], ['性别', 'gender'], ['身份证号', 'idNumber'], ['身份证号码', 'idNumber'], ['公民身份号码', 'idNumber'],
    ['出生日期', 'birthDate'], ['出生年月', 'birthDate'], ['联系电话', 'phone:self'], ['电话', 'phone:self'], ['手机', 'phone:self'],
    ['联系方式', 'phone:self'], ['本人电话', 'phone:self'], ['子女电话', 'phone:relative'], ['儿子电话', 'phone:son'], ['村', 'village'],
    ['社区', 'village'], ['村（社区）', 'village'], ['村(社区)', 'village'], ['所属村', 'village'], ['类别', 'categories'],
    ['对象类别', 'categories'], ['人员类别', 'categories'], ['住址', 'address'], ['家庭住址', 'address'], ['详细地址', 'address'],
    ['风险等级', 'riskTier'], ['残疾证号', 'disabilityCertificate'], ['*姓名', 'name'], [' 身份证号码 ', 'idNumber'], ['联系电话2', 'phone:self'],
    ['监护人联系电话', 'phone:relative'], ['户籍所在村', 'village'], ['无身份证原因', 'noIdReason'], ['Name', 'name'],
  ])('%s → %s', (header, target) => {
    expect(guessTarget(header)).toBe(target);
  });

  it('leaves numbering, age and notes unmapped, and gives a single field to the first column only', () => {
    expect(guessTarget('序号')).toBeNull();
    expect(guessTarget('年龄')).toBeNull();
    expect(guessTarget('备注')).toBeNull();
    const cols = mapColumns(['姓名', '身份证号', '户籍地址', '现住址', '电话', '子女电话']);
    expect(cols.map((c) => c.target)).toEqual(['name', 'idNumber', 'address', null, 'phone:self', 'phone:relative']);
    const fixed = mapColumns(['姓名', '身份证号', '户籍地址', '现住址'], { 现住址: 'address', 户籍地址: null });
    expect(fixed.map((c) => c.target)).toEqual(['name', 'idNumber', null, 'address']);
  });
});

const DAY = 86_400_000;
const isoDate = fc.integer({ min: Date.UTC(1900, 2, 1) / DAY, max: Date.UTC(2030, 11, 31) / DAY }).map((d) => new Date(d * DAY).toISOString().slice(0, 10));

describe('date, gender, risk and category cells', () => {
  it('reads every way rosters write a date (property)', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 0, max: 6 }), (iso, style) => {
        const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
        const cell = [
          iso,
          `${y}/${m}/${d}`,
          `${y}.${m}.${d}`,
          `${y}年${m}月${d}日`,
          iso.replace(/-/g, ''),
          new Date(`${iso}T00:00:00Z`),
          Number(iso.replace(/-/g, '')),
        ][style]!;
        expect(parseDate(cell)).toEqual({ ok: true, date: iso });
      }),
    );
  });

  it('converts Excel serial numbers (1900 system) to dates (property)', () => {
    fc.assert(
      fc.property(isoDate, (iso) => {
        const serial = Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / DAY);
        expect(excelSerialToDate(serial)).toBe(iso);
        expect(parseDate(serial)).toEqual({ ok: true, date: iso });
      }),
    );
    expect(excelSerialToDate(1)).toBe('1900-01-01');
  });

  it('keeps year-and-month dates as partial and refuses impossible ones', () => {
    expect(parseDate('1948.03')).toEqual({ ok: true, month: '1948-03' });
    expect(parseDate('1948年3月')).toEqual({ ok: true, month: '1948-03' });
    expect(parseDate('1948-02-30')).toEqual({ ok: false });
    expect(parseDate('三月')).toEqual({ ok: false });
    expect(parseDate('')).toBeNull();
    expect(parseDate('1948-03-15 00:00:00')).toEqual({ ok: true, date: '1948-03-15' });
  });

  it('reads gender and risk tier labels', () => {
    expect([parseGender('男'), parseGender('女'), parseGender(' 女性 '), parseGender('F'), parseGender(''), parseGender('未知')]).toEqual(['male', 'female', 'female', 'female', null, 'invalid']);
    expect([parseRiskTier('高风险'), parseRiskTier('重点'), parseRiskTier('一般'), parseRiskTier(''), parseRiskTier('很高')]).toEqual(['high', 'priority', 'normal', 'normal', 'invalid']);
  });

  it('splits categories on any separator and maps labels to identifiers (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...CATEGORIES), { minLength: 1, maxLength: 5 }), fc.constantFrom('、', '，', ',', '/', ';', ' ', '；'), (cats, sep) => {
        const r = parseCategories(cats.map((c) => CATEGORY_NAMES[c as Category]).join(sep));
        expect(r).toEqual({ categories: cats, unknown: [] });
      }),
    );
    expect(parseCategories('五保户、失独家庭、外星人')).toEqual({ categories: ['tekun', 'family_planning_special'], unknown: ['外星人'] });
  });

  it('splits phone cells and reads relations written after a number', () => {
    expect(splitPhones('13812345678/13987654321（儿子）', 'self')).toEqual([
      { number: '13812345678', relation: 'self' },
      { number: '13987654321', relation: 'son' },
    ]);
    expect(splitPhones('0731-84512345', 'relative')).toEqual([{ number: '0731-84512345', relation: 'relative' }]);
  });

  it('notices ID numbers Excel turned into numbers', () => {
    expect(idCellText(Number('430181194803150024'))).toBe('lost_digits');
    expect(idCellText('4.30181E+17')).toBe('lost_digits');
    expect(idCellText(430181480315002)).toBe('430181480315002');
    expect(idCellText(" '430181194803150024")).toBe('430181194803150024');
  });
});

describe('CSV decoding', () => {
  const hanziChar = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c));
  /** What rosters hold: ASCII, hanzi and CJK punctuation. */
  const rosterText = fc.string({ unit: fc.oneof(fc.constantFrom(...'abcXYZ019 ,.-/'), hanziChar, fc.constantFrom('、', '，', '（', '）', '：', '　')), maxLength: 40 });
  it('decodes UTF-8 without BOM (property), and anything with a BOM as UTF-8 (property)', () => {
    fc.assert(
      fc.property(rosterText, (s) => {
        expect(decodeCsv(Buffer.from(s, 'utf8'))).toEqual({ text: s, encoding: 'utf-8' });
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')]))).toEqual({ text: s, encoding: 'utf-8' });
      }),
    );
  });

  it('decodes GBK, as Chinese Excel saves CSV (property)', () => {
    fc.assert(
      // With a header line, as every roster has: a few random hanzi alone can be valid UTF-8 for other
      // hanzi (绮嘊 in GBK is E7 B2 87 42, UTF-8 for 粇B), and no decoder can tell those apart.
      fc.property(rosterText, (body) => {
        const s = `姓名,性别,身份证号,村（社区）\r\n${body}`;
        fc.pre(gbkEncodable(s));
        expect(decodeCsv(encodeGbk(s)).text).toBe(s);
      }),
      { numRuns: 2000 },
    );
    expect(decodeCsv(encodeGbk('一'))).toEqual({ text: '一', encoding: 'gb18030' });
  });

  it('parses quoted fields, doubled quotes and line breaks (property: any grid survives write → parse)', () => {
    const cell = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (grid) => {
        const width = grid[0]!.length;
        const rows = grid.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
        // A row of one empty field is indistinguishable from a blank line; rosters skip both.
        fc.pre(rows.every((r) => r.some((c) => c !== '')));
        const csv = rows.map((r) => r.map(csvField).join(',')).join('\r\n');
        expect(parseCsv(csv)).toEqual(rows);
      }),
    );
  });
});

describe('village names', () => {
  const villages: VillageRef[] = [
    { id: 'v1', stationId: 's1', code: '430181110234', name: '南山村' },
    { id: 'v2', stationId: 's1', code: '430181110235', name: '南阳村' },
    { id: 'v3', stationId: 's2', code: '430181111203', name: '南阳社区' },
  ];
  const idx = villageIndex(villages);
  it('finds a village by name, short name, code, or inside a longer place name', () => {
    expect(resolveVillage('南山村', idx)).toMatchObject({ id: 'v1' });
    expect(resolveVillage('南山', idx)).toMatchObject({ id: 'v1' });
    expect(resolveVillage('南山村委会', idx)).toMatchObject({ id: 'v1' });
    expect(resolveVillage('南山村杨家组', idx)).toMatchObject({ id: 'v1' });
    expect(resolveVillage('430181110235', idx)).toMatchObject({ id: 'v2' });
    expect(resolveVillage('南阳', idx)).toBe('ambiguous');
    expect(resolveVillage('火星村', idx)).toBe('unknown');
  });
});

describe('round trip', () => {
  const villages: VillageRef[] = [{ id: 'v1', stationId: 's1', code: '430181110232', name: '上升村' }];
  const now = new Date('2026-11-29T04:00:00Z');
  const row = fc.record({
    name: fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c)), minLength: 2, maxLength: 4 }),
    birth: fc.integer({ min: Date.UTC(1920, 0, 1) / DAY, max: Date.UTC(2010, 0, 1) / DAY }).map((d) => new Date(d * DAY).toISOString().slice(0, 10)),
    sequence: fc.integer({ min: 0, max: 999 }),
    phone: fc.integer({ min: 0, max: 99_999_999 }).map((n) => `138${String(n).padStart(8, '0')}`),
    categories: fc.uniqueArray(fc.constantFrom(...CATEGORIES), { maxLength: 3 }),
    risk: fc.constantFrom('高风险', '重点', '一般'),
    dateStyle: fc.constantFrom('date', 'iso', 'slash', 'chinese'),
  });

  it('any generated valid row survives write to .xlsx → read → check (property)', async () => {
    await fc.assert(
      fc.asyncProperty(row, async (r) => {
        const id = makeIdNumber({ addressCode: '430181', birthDate: r.birth, sequence: r.sequence });
        const [y, m, d] = r.birth.split('-').map(Number) as [number, number, number];
        const birthCell = { date: new Date(`${r.birth}T00:00:00Z`), iso: r.birth, slash: `${y}/${m}/${d}`, chinese: `${y}年${m}月${d}日` }[r.dateStyle];
        const gender = r.sequence % 2 === 1 ? '男' : '女';
        const headers = ['姓名', '性别', '身份证号', '出生日期', '联系电话', '村', '类别', '风险等级'];
        const bytes = await xlsxRoster(headers, [[r.name, gender, id, birthCell, r.phone, '上升村', r.categories.map((c) => CATEGORY_NAMES[c]).join('、'), r.risk]]);
        const grid = await readGrid(bytes);
        const columns = mapColumns(grid.rows[0]!.map(String));
        const out = checkRow(grid.rows[1]!, 2, planColumns(columns), { columns, villages: villageIndex(villages), defaultVillage: null, lawfulBasis: 'statutory_duty', now, under14After: '2012-11-29', locale: 'zh-CN' });
        expect(out.ok ? null : out.problems).toBeNull();
        if (!out.ok) return;
        expect(out.values).toMatchObject({
          name: r.name,
          gender: gender === '男' ? 'male' : 'female',
          birthDate: r.birth,
          idNumber: id,
          phones: [{ number: r.phone, relation: 'self' }],
          villageId: 'v1',
          categories: r.categories,
          riskTier: { 高风险: 'high', 重点: 'priority', 一般: 'normal' }[r.risk],
          lawfulBasis: 'statutory_duty',
        });
      }),
      { numRuns: 40 },
    );
  });
});
