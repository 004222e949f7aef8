import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB, LawfulBasis, ResidentCategoryTable, ResidentPhoneTable, ResidentTable } from '../../db/tables.js';
import { encryptField, maskAddress, maskIdNumber, maskPhone, type KeyRing } from '../../lib/crypto.js';
import type { Locale } from '../../lib/i18n.js';
import { dateInTimeZone } from '../../lib/identity.js';
import { newId } from '../../lib/ids.js';
import type { StationScope } from '../../lib/policy.js';
import { inScopeSql } from '../../lib/sql.js';
import { idNumberIndex, nameKeyRows, phoneIndex, residentColumns } from '../residents/residents.js';
import { recordEvents, type ResidentEvent } from '../residents/timeline.js';
import { ignoredReason, mapColumns, type ColumnMapping, type MappingTarget } from './fields.js';
import { rosterMessage } from './messages.js';
import type { ImportPhase } from './progress.js';
import { checkRow, planColumns, under14After, villageIndex, type RowCheck, type RowIssue, type VillageRef } from './rows.js';
import { MAX_ROWS, SheetError, findHeaderRow, isBlankRow, readGrid, type Grid } from './sheet.js';
import { cellText, type Cell } from './values.js';

type Db = Kysely<DB> | Transaction<DB>;
export type OkRow = Extract<RowCheck, { ok: true }>;

export interface AnalyseOptions {
  mapping: Record<string, MappingTarget | null>;
  defaultVillageId: string | null;
  lawfulBasis: LawfulBasis;
  locale: Locale;
  now: Date;
  progress?: (phase: ImportPhase, done: number, total: number) => void;
}

export interface Analysis {
  grid: Grid;
  format: 'xlsx' | 'csv';
  encoding: string | null;
  /** 0-based index of the header row in the grid (Excel row = index + 1). */
  headerIndex: number;
  columns: (ColumnMapping & { ignored: ReturnType<typeof ignoredReason> })[];
  /** Every non-blank data row, checked. */
  checks: RowCheck[];
  villages: VillageRef[];
}

/** Yield to the event loop now and then, so progress polls and other requests are answered. */
const breathe = () => new Promise<void>((r) => setImmediate(r));

export async function villagesInScope(db: Db, scope: StationScope): Promise<VillageRef[]> {
  const rows = await db.selectFrom('villages').select(['id', 'station_id', 'code', 'name']).where(inScopeSql(scope, 'station_id')).execute();
  return rows.map((r) => ({ id: r.id, stationId: r.station_id, code: r.code, name: r.name }));
}

/** Read the file, map its columns and check every row. Touches the database only for the villages. */
export async function analyse(db: Db, scope: StationScope, bytes: Buffer, opts: AnalyseOptions): Promise<Analysis> {
  opts.progress?.('reading', 0, 0);
  const read = await readGrid(bytes);
  const grid: Grid = { rows: read.rows, sheetName: read.sheetName };
  const headerIndex = findHeaderRow(grid);
  const headers = (grid.rows[headerIndex] ?? []).map(cellText);
  const columns = mapColumns(headers, opts.mapping).map((c) => ({ ...c, ignored: c.target ? null : ignoredReason(c.header) }));
  const villages = await villagesInScope(db, scope);
  const idx = villageIndex(villages);
  const defaultVillage = opts.defaultVillageId ? (idx.byId.get(opts.defaultVillageId) ?? null) : null;
  const plan = planColumns(columns);
  const dataRows: number[] = [];
  for (let i = headerIndex + 1; i < grid.rows.length; i++) if (!isBlankRow(grid.rows[i])) dataRows.push(i);
  if (dataRows.length > MAX_ROWS) throw new SheetError('too_many_rows');
  const ctx = { columns, villages: idx, defaultVillage, lawfulBasis: opts.lawfulBasis, now: opts.now, under14After: under14After(dateInTimeZone(opts.now)), locale: opts.locale };
  const checks: RowCheck[] = [];
  for (let n = 0; n < dataRows.length; n++) {
    const i = dataRows[n]!;
    checks.push(checkRow(grid.rows[i] ?? [], i + 1, plan, ctx));
    if (n % 500 === 499) {
      opts.progress?.('checking', n + 1, dataRows.length);
      await breathe();
    }
  }
  opts.progress?.('checking', dataRows.length, dataRows.length);
  return { grid, format: read.format, encoding: read.encoding, headerIndex, columns, checks, villages };
}

const chunks = <T>(xs: readonly T[], n: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

export interface Sorted {
  create: OkRow[];
  /** Rows of people already registered (or repeated within the file): skipped, not errors. */
  skipped: { row: number; message: string }[];
}

/**
 * Which valid rows are new. Two queries per 500 rows, never one per row: ID numbers by blind index
 * across the deployment (the unique rule is deployment-wide), rows without one by village, name and
 * birth date. Rows repeating an earlier row of the same file count as that row.
 */
export async function sortOutRegistered(db: Db, keys: KeyRing, rows: readonly OkRow[], locale: Locale): Promise<Sorted> {
  const withId = rows.filter((r) => r.values.idNumber);
  const bidx = new Map<OkRow, string>(withId.map((r) => [r, idNumberIndex(keys, r.values.idNumber!)]));
  const existing = new Set<string>();
  for (const part of chunks([...new Set(bidx.values())], 500)) {
    const found = await db.selectFrom('residents').select('id_number_bidx').where('id_number_bidx', 'in', part).execute();
    for (const f of found) if (f.id_number_bidx) existing.add(f.id_number_bidx);
  }
  const noId = rows.filter((r) => !r.values.idNumber);
  const keyOf = (villageId: string, name: string, birthDate: string) => `${villageId}\u0000${name}\u0000${birthDate}`;
  const present = new Set<string>();
  if (noId.length > 0) {
    const villageIds = [...new Set(noId.map((r) => r.values.villageId))];
    for (const names of chunks([...new Set(noId.map((r) => r.values.name))], 500)) {
      const found = await db
        .selectFrom('residents')
        .select(['village_id', 'name', 'birth_date'])
        .where('village_id', 'in', villageIds)
        .where('name', 'in', names)
        .where('anonymised_at', 'is', null)
        .execute();
      for (const f of found) present.add(keyOf(f.village_id, f.name, f.birth_date));
    }
  }
  const create: OkRow[] = [];
  const skipped: Sorted['skipped'] = [];
  const firstRow = new Map<string, number>();
  for (const r of rows) {
    const key = bidx.get(r) ?? keyOf(r.values.villageId, r.values.name, r.values.birthDate);
    const earlier = firstRow.get(key);
    if (earlier !== undefined) skipped.push({ row: r.row, message: rosterMessage('same_as_row', locale, earlier) });
    else if (bidx.has(r) ? existing.has(key) : present.has(key)) {
      skipped.push({ row: r.row, message: rosterMessage(bidx.has(r) ? 'already_registered' : 'already_present', locale) });
    } else create.push(r);
    if (earlier === undefined) firstRow.set(key, r.row);
  }
  return { create, skipped };
}

/** Rows per multi-row INSERT: ~33 columns × 250 stays far below SQLite's and PostgreSQL's parameter limits. */
const BATCH = 250;

/**
 * Insert checked rows in the caller's transaction: multi-row inserts of residents, phones,
 * categories and timeline entries ('imported'), the same columns insertResident writes.
 */
export async function insertRows(
  trx: Transaction<DB>,
  keys: KeyRing,
  rows: readonly OkRow[],
  ctx: { actorId: string; now: Date; fileName: string; progress?: (done: number, total: number) => void },
): Promise<string[]> {
  const iso = ctx.now.toISOString();
  const ids: string[] = [];
  for (const batch of chunks(rows, BATCH)) {
    const residents: Insertable<ResidentTable>[] = [];
    const phones: Insertable<ResidentPhoneTable>[] = [];
    const categories: Insertable<ResidentCategoryTable>[] = [];
    const nameKeys: ReturnType<typeof nameKeyRows> = [];
    const events: ResidentEvent[] = [];
    for (const r of batch) {
      const id = newId(ctx.now.getTime());
      ids.push(id);
      const v = r.values;
      residents.push({ ...residentColumns(keys, v), id, station_id: r.stationId, version: 1, anonymised_at: null, created_by: ctx.actorId, created_at: iso, updated_at: iso });
      v.phones.forEach((p, position) =>
        phones.push({ resident_id: id, station_id: r.stationId, position, number_enc: encryptField(keys, p.number), number_masked: maskPhone(p.number), number_bidx: phoneIndex(keys, p.number), relation: p.relation }),
      );
      for (const category of v.categories) categories.push({ station_id: r.stationId, resident_id: id, category });
      nameKeys.push(...nameKeyRows(id, r.stationId, v.name));
      events.push({ residentId: id, stationId: r.stationId, actorId: ctx.actorId, kind: 'imported', detail: { file: ctx.fileName, row: r.row } });
    }
    await trx.insertInto('residents').values(residents).execute();
    for (const part of chunks(phones, 1000)) await trx.insertInto('resident_phones').values(part).execute();
    for (const part of chunks(categories, 2000)) await trx.insertInto('resident_categories').values(part).execute();
    for (const part of chunks(nameKeys, 2000)) await trx.insertInto('resident_name_keys').values(part).execute();
    await recordEvents(trx, events, ctx.now);
    ctx.progress?.(ids.length, rows.length);
  }
  return ids;
}

/** A first look at the rows, with the sensitive columns masked as the list would show them. */
export function previewRows(a: Analysis, count = 5): { row: number; cells: string[] }[] {
  const out: { row: number; cells: string[] }[] = [];
  for (let i = a.headerIndex + 1; i < a.grid.rows.length && out.length < count; i++) {
    const cells = a.grid.rows[i];
    if (isBlankRow(cells)) continue;
    out.push({ row: i + 1, cells: a.columns.map((c) => maskedCell(cells?.[c.index] ?? null, c.target)) });
  }
  return out;
}

function maskedCell(v: Cell, target: MappingTarget | null): string {
  const s = cellText(v);
  if (!s) return '';
  if (target === 'idNumber' || target === 'disabilityCertificate') return maskIdNumber(s);
  if (target === 'address') return maskAddress(s);
  if (target === 'healthNotes' || target === 'incomeNotes') return '***';
  if (target?.startsWith('phone:')) return s.split(/[/、,，;；\n]+/).map((p) => maskPhone(p.trim())).join(' / ');
  // Unmapped columns may hold anything (备注 often holds health details): shown masked too.
  if (target === null) return Array.from(s).length > 2 ? `${Array.from(s)[0]}***` : '***';
  return s;
}

export type { RowIssue };
