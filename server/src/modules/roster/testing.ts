/**
 * Helpers for the roster tests and the import benchmark: build .xlsx and .csv rosters, GBK bytes,
 * and multipart bodies for app.inject. Not used by the running server.
 */
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { csvField } from './sheet.js';

export type RosterRow = (string | number | Date | null)[];

/** An .xlsx with one sheet: optional title rows, then the headers, then the rows. ID-like columns as text. */
export async function xlsxRoster(headers: readonly string[], rows: readonly RosterRow[], opts: { title?: string } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名册');
  if (opts.title) ws.addRow([opts.title]);
  ws.addRow([...headers]);
  for (const r of rows) ws.addRow([...r]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function csvText(headers: readonly string[], rows: readonly RosterRow[]): string {
  const cell = (v: RosterRow[number]) => (v === null ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v));
  return [headers, ...rows].map((r) => r.map((v) => csvField(cell(v))).join(',')).join('\r\n') + '\r\n';
}

let gbkTable: Map<string, number[]> | null = null;

/** Encode text as GBK (what Excel in Chinese writes for "CSV"): a reverse of the WHATWG decoder's table. */
export function encodeGbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const dec = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = dec.decode(new Uint8Array([lead, trail]));
        if (ch.length === 1 && ch !== '\uFFFD' && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const bytes = gbkTable.get(ch);
      if (!bytes) throw new Error(`not encodable in GBK: ${ch}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}

/** Whether every character of the text has a GBK encoding (for property tests). */
export function gbkEncodable(text: string): boolean {
  try {
    encodeGbk(text);
    return true;
  } catch {
    return false;
  }
}

/** A multipart/form-data body: text fields first (as the API asks for `mapping`), then the file. */
export function multipart(file: { name: string; bytes: Buffer; type?: string }, fields: Record<string, string> = {}): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----xq${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`, 'utf8'));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      'utf8',
    ),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  );
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = ['桂英', '秀英', '玉兰', '淑珍', '凤英', '建国', '国华', '志强', '德明', '红梅', '春花', '金莲', '长生', '福生', '冬梅', '海燕', '小红', '文华', '永福', '秋菊', '子涵', '梓轩', '雨桐', '浩然', '一诺', '秀兰', '翠花', '满仓', '水生', '来福'];

/** A realistic Chinese name for index i (deterministic). */
export function chineseName(i: number): string {
  const s = SURNAMES[i % SURNAMES.length]!;
  const g = GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]!;
  return `${s}${g}`;
}
