import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { DB, RiskTier, ResidentStatus } from '../../db/tables.js';
import { decryptField, type KeyRing } from '../../lib/crypto.js';
import type { Locale } from '../../lib/i18n.js';
import type { Principal, StationScope } from '../../lib/policy.js';
import { revealableFields } from '../residents/access.js';
import { listResidents } from '../residents/queries.js';
import type { ResidentListFilters, ResidentListItemView } from '../residents/schema.js';
import { CATEGORY_NAMES, RELATION_NAMES } from './values.js';

/** The most rows one export holds; a filter narrows a larger registry. */
export const MAX_EXPORT_ROWS = 50_000;
const PAGE = 1000;

export interface ExportRow {
  item: ResidentListItemView;
  address: string | null;
  idNumber: string | null;
  phones: string;
  revealed: boolean;
}

const chunks = <T>(xs: readonly T[], n: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

/**
 * The filtered list as export rows: the same scope and filters as GET /api/residents (one function
 * decides), masked values, and clear ID number, phones and address only where `reveal` is asked
 * and this user may reveal on that resident's station.
 */
export async function exportRows(
  db: Kysely<DB>,
  keys: KeyRing,
  p: Principal,
  scope: StationScope,
  filters: Omit<ResidentListFilters, 'limit' | 'cursor'>,
  reveal: boolean,
  now: Date,
): Promise<{ rows: ExportRow[]; truncated: boolean }> {
  const items: ResidentListItemView[] = [];
  let cursor: string | undefined;
  let truncated = false;
  for (;;) {
    const page = await listResidents(db, keys, scope, { ...filters, limit: PAGE, cursor }, now);
    items.push(...page.items);
    if (items.length >= MAX_EXPORT_ROWS) {
      truncated = items.length > MAX_EXPORT_ROWS || page.nextCursor !== null;
      items.length = Math.min(items.length, MAX_EXPORT_ROWS);
      break;
    }
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  const clearStations = new Set<string>();
  if (reveal) for (const s of new Set(items.map((i) => i.stationId))) if (revealableFields(p, s).length > 0) clearStations.add(s);
  const extra = new Map<string, { addressMasked: string | null; addressEnc: string | null; idEnc: string | null }>();
  const clearPhones = new Map<string, string[]>();
  for (const part of chunks(items, 500)) {
    const ids = part.map((i) => i.id);
    const rows = await db.selectFrom('residents').select(['id', 'address_masked', 'address_enc', 'id_number_enc']).where('id', 'in', ids).execute();
    for (const r of rows) extra.set(r.id, { addressMasked: r.address_masked, addressEnc: r.address_enc, idEnc: r.id_number_enc });
    const revealIds = part.filter((i) => clearStations.has(i.stationId)).map((i) => i.id);
    if (revealIds.length > 0) {
      const phones = await db.selectFrom('resident_phones').select(['resident_id', 'number_enc', 'relation', 'position']).where('resident_id', 'in', revealIds).orderBy('resident_id').orderBy('position').execute();
      for (const ph of phones) {
        const list = clearPhones.get(ph.resident_id) ?? [];
        list.push(`${decryptField(keys, ph.number_enc)}（${RELATION_NAMES[ph.relation]}）`);
        clearPhones.set(ph.resident_id, list);
      }
    }
  }
  return {
    truncated,
    rows: items.map((item) => {
      const x = extra.get(item.id);
      const revealed = clearStations.has(item.stationId) && !item.anonymised;
      return {
        item,
        revealed,
        idNumber: revealed && x?.idEnc ? decryptField(keys, x.idEnc) : item.idNumberMasked,
        address: revealed && x?.addressEnc ? decryptField(keys, x.addressEnc) : (x?.addressMasked ?? null),
        phones: revealed ? (clearPhones.get(item.id) ?? []).join(' / ') : item.phones.map((ph) => `${ph.numberMasked}（${RELATION_NAMES[ph.relation]}）`).join(' / '),
      };
    }),
  };
}

const HEADERS: Record<Locale, string[]> = {
  'zh-CN': ['序号', '姓名', '性别', '出生日期', '年龄', '身份证号', '联系电话', '村（社区）', '住址', '类别', '风险等级', '状态'],
  en: ['No.', 'Name', 'Gender', 'Birth date', 'Age', 'ID number', 'Phones', 'Village', 'Address', 'Categories', 'Risk tier', 'Status'],
};
const GENDER = { male: '男', female: '女' } as const;
const RISK: Record<RiskTier, string> = { high: '高风险', priority: '重点', normal: '一般' };
const STATUS: Record<ResidentStatus, string> = { active: '在册', moved: '已迁出', deceased: '已去世' };

/**
 * Write the rows as an .xlsx to a stream, row by row (exceljs's streaming writer keeps only the
 * current row in memory). Values are written in Chinese, as the stations' own rosters are, so
 * an export with clear values can be imported again elsewhere.
 */
export function writeExport(rows: readonly ExportRow[], locale: Locale, meta: { note: string }): PassThrough {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(locale === 'en' ? 'Residents' : '服务对象名册', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = HEADERS[locale].map((header, i) => ({ header, width: [6, 12, 6, 12, 6, 22, 36, 12, 30, 24, 10, 8][i] ?? 12 }));
  ws.getRow(1).font = { bold: true };
  ws.getColumn(6).numFmt = '@';
  void (async () => {
    try {
      let n = 0;
      for (const r of rows) {
        n += 1;
        const i = r.item;
        ws.addRow([n, i.name, GENDER[i.gender], i.birthDate, i.age, r.idNumber ?? '', r.phones, i.villageName, r.address ?? '', i.categories.map((c) => CATEGORY_NAMES[c]).join('、'), RISK[i.riskTier], STATUS[i.status]]).commit();
        // Let the response drain between rows of a large export instead of buffering it all.
        if (n % 2000 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      ws.addRow([]).commit();
      ws.addRow([meta.note]).commit();
      ws.commit();
      await wb.commit();
    } catch (e) {
      out.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  })();
  return out;
}
