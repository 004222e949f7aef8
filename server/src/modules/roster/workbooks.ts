import ExcelJS from 'exceljs';
import type { Locale } from '../../lib/i18n.js';
import { makeIdNumber } from '../../lib/identity.js';
import type { Analysis } from './importer.js';
import type { RowIssue } from './rows.js';
import { cellText } from './values.js';

const RED = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFCCC7' } } as const;
const YELLOW = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF1B8' } } as const;
const GREY = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF0F0F0' } } as const;

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Content-Disposition for a download with a Chinese name (RFC 6266 / 5987), with an ASCII fallback. */
export function attachment(asciiName: string, name: string): string {
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** The standard headers, in the order the template lists them. The import recognises each. */
export const TEMPLATE_HEADERS = ['姓名', '性别', '身份证号', '出生日期', '联系电话', '子女电话', '村（社区）', '住址', '类别', '风险等级', '残疾证号', '无身份证原因', '健康状况', '收入情况', '备注'] as const;

/** An empty roster with the standard headers, one example row and a sheet of instructions. */
export async function templateWorkbook(locale: Locale, exampleVillage: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('服务对象名册');
  ws.addRow([...TEMPLATE_HEADERS]);
  const id = makeIdNumber({ addressCode: '430181', birthDate: '1948-03-15', sequence: 2 });
  ws.addRow(['王桂英（示例，请删除）', '女', id, '1948-03-15', '13812345678', '13987654321', exampleVillage, `${exampleVillage}杨家组12号`, '低保、独居老人', '重点', '', '', '高血压，长期服药', '', '']);
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).eachCell((c) => (c.fill = GREY));
  ws.columns.forEach((c, i) => {
    c.width = [14, 6, 22, 12, 16, 16, 12, 28, 20, 10, 24, 16, 20, 16, 16][i] ?? 14;
  });
  // ID and certificate numbers as text: Excel keeps only 15 significant digits of a number.
  for (const key of [3, 5, 6, 11]) ws.getColumn(key).numFmt = '@';
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const help = wb.addWorksheet(locale === 'en' ? 'How to fill in' : '填写说明');
  const lines =
    locale === 'en'
      ? [
          'One person per row; the first row holds the headers. Delete the example row.',
          'ID number: 18 characters. Format the column as Text so Excel keeps every digit.',
          'Gender and birth date may be left empty when there is an ID number.',
          'Dates: 1948-03-15, 1948/3/15, 1948年3月15日 or 19480315.',
          'Several phone numbers in one cell: separate them with /; a relation may follow in brackets, e.g. 13812345678（儿子）.',
          'Village: the name (上升村) or the 12-digit code of one of your station’s villages.',
          'Categories: separated by 、 e.g. 低保、独居老人. Risk tier: 高风险, 重点 or 一般 (empty = 一般).',
          'Without an ID number, fill in 无身份证原因 (the reason).',
          'Children under 14: register the guardian on the record after the import.',
          '备注 is not imported: put health or income details in their own columns.',
        ]
      : [
          '每行一位服务对象，第一行为表头。请删除示例行后再填写。',
          '身份证号：18 位。请把该列设为“文本”格式，否则 Excel 会丢失后几位数字。',
          '有身份证号时，性别和出生日期可以留空，系统从身份证号读取。',
          '日期可写成 1948-03-15、1948/3/15、1948年3月15日 或 19480315。',
          '一个格子里有多个电话时用 / 分隔，可在号码后用括号注明关系，如 13812345678（儿子）。',
          '村（社区）：填写本站所辖村的名称（如 上升村）或 12 位区划代码。',
          '类别用顿号分隔，如 低保、独居老人。风险等级填 高风险、重点 或 一般（留空为一般）。',
          '没有身份证号时，请在“无身份证原因”中说明原因。',
          '未满 14 周岁的儿童：导入后请在档案中登记监护人。',
          '“备注”列不导入：健康、收入情况请填在各自的列中。',
        ];
  lines.forEach((l) => help.addRow([l]));
  help.getColumn(1).width = 100;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The uploaded rows, at the same row numbers, with a 问题 (problems) column: bad cells red, warnings
 * yellow, rows already registered noted. The worker fixes the cells and uploads the file again;
 * rows imported meanwhile are then skipped as already registered.
 */
export async function problemsWorkbook(
  a: Analysis,
  issues: { problems: RowIssue[]; warnings: RowIssue[]; skipped: { row: number; message: string }[] },
  locale: Locale,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(a.grid.sheetName ?? (locale === 'en' ? 'Roster' : '名册'));
  const headerRow = a.headerIndex + 1;
  const width = Math.max(...a.grid.rows.map((r) => r.length), 1);
  const problemCol = width + 1;
  const colOf = new Map(a.columns.map((c) => [c.header, c.index + 1]));
  const notes = new Map<number, { text: string[]; level: 'error' | 'warning' | 'info'; cells: { col: number; fill: typeof RED | typeof YELLOW }[] }>();
  const note = (row: number) => {
    let n = notes.get(row);
    if (!n) notes.set(row, (n = { text: [], level: 'info', cells: [] }));
    return n;
  };
  for (const p of issues.problems) {
    const n = note(p.row);
    n.text.push(`${p.column}：${p.message}`);
    n.level = 'error';
    const c = colOf.get(p.column);
    if (c) n.cells.push({ col: c, fill: RED });
  }
  for (const w of issues.warnings) {
    const n = note(w.row);
    n.text.push(`${locale === 'en' ? 'Note' : '提示'}：${w.message}`);
    if (n.level === 'info') n.level = 'warning';
    const c = colOf.get(w.column);
    if (c) n.cells.push({ col: c, fill: YELLOW });
  }
  for (const s of issues.skipped) note(s.row).text.push(s.message);

  a.grid.rows.forEach((cells, i) => {
    const row = ws.getRow(i + 1);
    cells.forEach((v, j) => {
      // Write every value as the text the worker typed, so ID numbers keep all their digits.
      const t = v instanceof Date ? cellText(v) : v === null ? null : typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
      if (t !== null && t !== '') row.getCell(j + 1).value = t;
    });
  });
  const header = ws.getRow(headerRow);
  header.getCell(problemCol).value = locale === 'en' ? 'Problems' : '问题';
  header.font = { bold: true };
  header.getCell(problemCol).fill = RED;
  for (const [rowNumber, n] of notes) {
    const row = ws.getRow(rowNumber);
    const cell = row.getCell(problemCol);
    cell.value = n.text.join('；');
    cell.alignment = { wrapText: true, vertical: 'top' };
    if (n.level !== 'info') cell.fill = n.level === 'error' ? RED : YELLOW;
    for (const c of n.cells) row.getCell(c.col).fill = c.fill;
  }
  for (const c of a.columns) if (c.target === 'idNumber' || c.target === 'disabilityCertificate') ws.getColumn(c.index + 1).numFmt = '@';
  ws.getColumn(problemCol).width = 60;
  ws.views = [{ state: 'frozen', ySplit: headerRow }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
