import ExcelJS from 'exceljs';
import type { Cell } from './values.js';
import { cellText } from './values.js';
import { headerScore } from './fields.js';

/** The most rows one import takes: a township roster is a few thousand; a county's is still below this. */
export const MAX_ROWS = 50_000;
export const MAX_BYTES = 20 * 1024 * 1024;

/** A sheet as a grid: `rows[i]` is Excel row i + 1, so row numbers match what the worker sees. */
export interface Grid {
  rows: Cell[][];
  sheetName: string | null;
}

export type SheetProblem = 'invalid_file' | 'empty' | 'no_header' | 'too_many_rows';
export class SheetError extends Error {
  constructor(readonly problem: SheetProblem) {
    super(problem);
  }
}

// ---------------------------------------------------------------------------------------------
// CSV: UTF-8 (with or without BOM) or GB18030/GBK, which Excel in Chinese writes by default
// ---------------------------------------------------------------------------------------------

/** Characters a Chinese roster holds besides ASCII: hanzi, CJK and full-width punctuation, a few symbols. */
const ROSTER_CHAR = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2010-\u206f\u00b7\u00d7\u2116\u2160-\u217f\u2460-\u24ff\u25a0-\u25ff]/;

/** How many non-ASCII characters of a decoding are not what a Chinese roster holds (a sign of the wrong decoding). */
function oddCharacters(text: string): number {
  let odd = 0;
  for (const ch of text) if (ch.charCodeAt(0) > 0x7f && !ROSTER_CHAR.test(ch)) odd++;
  return odd;
}

/**
 * Decode CSV bytes. A BOM means UTF-8 (Excel's "CSV UTF-8"). Bytes that are not valid UTF-8 are
 * GB18030 (a superset of GBK and GB2312: Excel's plain "CSV" on a Chinese Windows). Short GBK text
 * can happen to be valid UTF-8 (一 is D2 BB, which UTF-8 reads as Cyrillic һ), so valid UTF-8 that
 * holds characters no Chinese roster has is compared with its GB18030 reading, and the reading with
 * fewer such characters wins. A file that is only a few hanzi can be valid either way (绮嘊 in GBK
 * is UTF-8 for 粇B); a real roster's header row settles it.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030' } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  let utf8: string;
  try {
    utf8 = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
  const odd = oddCharacters(utf8);
  if (odd === 0) return { text: utf8, encoding: 'utf-8' };
  const gb = new TextDecoder('gb18030').decode(bytes);
  return !gb.includes('\uFFFD') && oddCharacters(gb) < odd ? { text: gb, encoding: 'gb18030' } : { text: utf8, encoding: 'utf-8' };
}

/** RFC 4180 CSV (quotes, doubled quotes, CR/LF inside quotes); also tab-separated when the header has tabs and no commas. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const sep = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === sep) {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Quote a CSV field when it needs it. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// ---------------------------------------------------------------------------------------------
// xlsx
// ---------------------------------------------------------------------------------------------

function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellValue((v.result ?? null) as ExcelJS.CellValue);
    if ('text' in v && typeof v.text === 'string') return v.text; // hyperlink
    if ('error' in v) return null;
  }
  return null;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** Whether the bytes are an Office Open XML (zip) file rather than text. */
export const looksLikeXlsx = (b: Uint8Array) => ZIP_MAGIC.every((x, i) => b[i] === x);

async function readXlsx(bytes: Buffer): Promise<Grid> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new SheetError('invalid_file');
  }
  // The first sheet that has anything on it: rosters sometimes keep an empty "说明" sheet first.
  const ws = wb.worksheets.find((s) => s.actualRowCount > 0);
  if (!ws) throw new SheetError('empty');
  if (ws.rowCount > MAX_ROWS + 20) throw new SheetError('too_many_rows');
  const rows: Cell[][] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[];
    // row.values is 1-based (index 0 unused).
    const cells: Cell[] = [];
    for (let c = 1; c < values.length; c++) cells.push(cellValue(values[c]));
    rows[rowNumber - 1] = cells;
  });
  for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  return { rows, sheetName: ws.name };
}

/** Read an uploaded roster: .xlsx by its zip signature, anything else as CSV text. */
export async function readGrid(bytes: Buffer): Promise<Grid & { encoding: string | null; format: 'xlsx' | 'csv' }> {
  if (bytes.length === 0) throw new SheetError('empty');
  if (looksLikeXlsx(bytes)) return { ...(await readXlsx(bytes)), encoding: null, format: 'xlsx' };
  // An old binary .xls (OLE2) is not supported by the reader: say so rather than show mojibake.
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) throw new SheetError('invalid_file');
  const { text, encoding } = decodeCsv(bytes);
  if (text.includes('\u0000')) throw new SheetError('invalid_file');
  const rows = parseCsv(text);
  if (rows.length > MAX_ROWS + 20) throw new SheetError('too_many_rows');
  return { rows, sheetName: null, encoding, format: 'csv' };
}

/** The header row: among the first ten rows, the one that looks most like roster headers (a title row may sit above). */
export function findHeaderRow(grid: Grid): number {
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < Math.min(10, grid.rows.length); i++) {
    const score = headerScore((grid.rows[i] ?? []).map(cellText));
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  if (best < 0) {
    // Nothing recognisable: take the first non-empty row so the user can map the columns by hand.
    best = grid.rows.findIndex((r) => r.some((c) => cellText(c) !== ''));
    if (best < 0) throw new SheetError('empty');
  }
  return best;
}

export const isBlankRow = (r: readonly Cell[] | undefined) => !r || r.every((c) => cellText(c) === '');
