import { describe, expect, it } from 'vitest';
import {
  findTownship,
  listAreas,
  listCities,
  listProvinces,
  listTownships,
  listVillagesOfTownship,
  parseCsvLine,
  streamVillageRows,
  townshipCode9,
} from './divisions.js';

describe('division levels', () => {
  it('lists the 31 provincial-level divisions', () => {
    const provinces = listProvinces();
    expect(provinces).toHaveLength(31);
    expect(provinces[0]).toEqual({ code: '11', name: '北京市' });
    expect(provinces).toContainEqual({ code: '43', name: '湖南省' });
  });

  it('lists cities, counties and townships down the tree', () => {
    expect(listCities('11')).toEqual([{ code: '1101', name: '市辖区' }]);
    expect(listCities('43')).toContainEqual({ code: '4301', name: '长沙市' });
    expect(listAreas('1101')).toContainEqual({ code: '110101', name: '东城区' });
    expect(listTownships('110101')).toContainEqual({ code: '110101001', name: '东华门街道' });
    expect(listTownships('411523')).toContainEqual({ code: '411523204', name: '千斤乡' });
  });

  it('handles cities without counties (Dongguan) as the package does: one area with the city code', () => {
    expect(listAreas('4419')).toEqual([{ code: '441900', name: '东莞市' }]);
    expect(listTownships('441900').length).toBeGreaterThan(20);
  });

  it('returns [] for unknown codes', () => {
    expect(listCities('99')).toEqual([]);
    expect(listAreas('9999')).toEqual([]);
    expect(listTownships('999999')).toEqual([]);
    expect(listTownships('')).toEqual([]);
  });

  it('returns copies, so callers cannot change the cache', () => {
    const a = listCities('43');
    const first = a[0];
    if (first) first.name = 'changed';
    a.length = 0;
    expect(listCities('43')).toContainEqual({ code: '4301', name: '长沙市' });
    expect(Object.keys(listTownships('110101')[0] ?? {})).toEqual(['code', 'name']);
  });
});

describe('findTownship', () => {
  const dongHuaMen = {
    code12: '110101001000',
    name: '东华门街道',
    areaCode: '110101',
    areaName: '东城区',
    cityName: '市辖区',
    provinceName: '北京市',
  };

  it('finds a township by 9-digit or 12-digit code', () => {
    expect(findTownship('110101001')).toEqual(dongHuaMen);
    expect(findTownship('110101001000')).toEqual(dongHuaMen);
    expect(findTownship(' 110101001 ')).toEqual(dongHuaMen);
  });

  it('fills the names for a rural township', () => {
    expect(findTownship('411523204')).toMatchObject({ name: '千斤乡', provinceName: '河南省', cityName: '信阳市' });
  });

  it.each(['999999999', '110101999', '110101001001', '11010100', 'abcdefghi', ''])('returns null for %j', (code) => {
    expect(findTownship(code)).toBeNull();
  });

  it('townshipCode9 accepts 9 digits or 9 digits + 000 only', () => {
    expect(townshipCode9('110101001')).toBe('110101001');
    expect(townshipCode9('110101001000')).toBe('110101001');
    expect(townshipCode9('110101001001')).toBeNull();
    expect(townshipCode9('1101010010')).toBeNull();
  });
});

describe('listVillagesOfTownship', () => {
  it('lists the communities of 东华门街道, including 多福巷社区居委会', async () => {
    const started = performance.now();
    const villages = await listVillagesOfTownship('110101001');
    console.log(`villages of 110101001 (start of file): ${(performance.now() - started).toFixed(0)} ms`);
    expect(villages).toContainEqual({ code: '110101001001', name: '多福巷社区居委会' });
    expect(villages.length).toBe(10);
    expect(await listVillagesOfTownship('110101001000')).toEqual(villages);
  });

  it('lists more than 5 villages of a rural township (千斤乡, 河南)', async () => {
    const started = performance.now();
    const villages = await listVillagesOfTownship('411523204');
    console.log(`villages of 411523204 (middle of file): ${(performance.now() - started).toFixed(0)} ms`);
    expect(villages.length).toBeGreaterThan(5);
    for (const v of villages) {
      expect(v.code).toMatch(/^411523204\d{3}$/);
      expect(v.name).not.toMatch(/"/);
    }
    expect(villages.map((v) => v.code)).toEqual([...villages.map((v) => v.code)].sort());
  });

  it('reads the last township in the file', async () => {
    const villages = await listVillagesOfTownship('659012505');
    expect(villages.length).toBeGreaterThan(0);
    expect(villages.every((v) => v.code.startsWith('659012505'))).toBe(true);
  });

  it('returns [] for unknown or malformed codes without reading the file', async () => {
    expect(await listVillagesOfTownship('999999999')).toEqual([]);
    expect(await listVillagesOfTownship('110101001001')).toEqual([]);
    expect(await listVillagesOfTownship('not a code')).toEqual([]);
  });

  it('stops reading right after the township block', async () => {
    let seen = 0;
    const rows = [];
    for await (const row of streamVillageRows((code) => {
      seen++;
      const p = code.slice(0, 9);
      return p < '110101001' ? -1 : p > '110101001' ? 1 : 0;
    })) {
      rows.push(row);
    }
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual({ code: '110101001001', name: '多福巷社区居委会', streetCode: '110101001' });
    // 10 rows in the block plus the one row that told us we were past it.
    expect(seen).toBe(11);
  });

  it('relies on villages.csv being sorted by code and grouped by township: check the whole file', async () => {
    const started = performance.now();
    let count = 0;
    let previous = '';
    let unsorted = 0;
    let outsideTownship = 0;
    let unknownTownship = 0;
    const knownTownships = new Set<string>();
    for (const p of listProvinces())
      for (const c of listCities(p.code))
        for (const a of listAreas(c.code)) for (const t of listTownships(a.code)) knownTownships.add(t.code);
    for await (const row of streamVillageRows()) {
      count++;
      if (row.code <= previous) unsorted++;
      if (!row.code.startsWith(row.streetCode)) outsideTownship++;
      if (!knownTownships.has(row.streetCode)) unknownTownship++;
      previous = row.code;
    }
    console.log(`full scan of villages.csv: ${count} rows in ${(performance.now() - started).toFixed(0)} ms`);
    expect(knownTownships.size).toBe(41_352);
    expect(count).toBe(620_573);
    expect(unsorted).toBe(0);
    expect(outsideTownship).toBe(0);
    expect(unknownTownship).toBe(0);
  });
});

describe('parseCsvLine', () => {
  it.each([
    ['110101001001,"多福巷社区居委会",110101001', ['110101001001', '多福巷社区居委会', '110101001']],
    ['a,"b,c",d', ['a', 'b,c', 'd']],
    ['"say ""hi""",x', ['say "hi"', 'x']],
    ['', ['']],
    [',,', ['', '', '']],
    ['"",1', ['', '1']],
  ])('%j', (line, cells) => {
    expect(parseCsvLine(line)).toEqual(cells);
  });
});
