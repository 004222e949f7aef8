import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { createResident, nextIdNumber } from '../../test/residents.js';
import { ensureStation } from '../setup/setup.js';
import type { ImportResultView } from './schema.js';
import { csvText, encodeGbk, multipart, xlsxRoster, type RosterRow } from './testing.js';

let t: TestApp;
let shegong: Agent;

beforeAll(async () => {
  t = await createTestApp();
  shegong = await t.login('shegong1');
  // A second township whose villages the social worker of 大瑶镇 may not use.
  await t.deps.db.transaction().execute((trx) =>
    ensureStation(trx, { townshipCode: '430181111000', stationName: '别的站', operatorModel: 'government', operatorName: null, villageCodes: ['430181111203'] }, t.clock.now()),
  );
});
afterAll(async () => {
  await t.close();
});

const HEADERS = ['序号', '姓名', '性别', '身份证号码', '出生年月', '联系电话', '子女电话', '所属村', '家庭住址', '人员类别', '风险等级', '备注'];

async function importFile(agent: Agent, bytes: Buffer, name: string, query = 'dryRun=true', fields: Record<string, string> = {}, lang = 'zh-CN') {
  const { payload, headers } = multipart({ name, bytes }, fields);
  return agent.request({ method: 'POST', url: `/api/residents/import?${query}`, payload, headers: { ...headers, 'accept-language': lang } });
}

const count = async () => Number((await t.deps.db.selectFrom('residents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

function goodRow(i: number, birth = '1950-05-0' + ((i % 9) + 1)): RosterRow {
  const id = nextIdNumber(birth, i % 2 ? 'male' : 'female');
  return [i, `测试${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}`, i % 2 ? '男' : '女', id, birth.replace(/-/g, '.').slice(0, 7), '13812345678', '13987654321（儿子）', '上升村', '上升村一组3号', '低保、独居老人', '重点', '高血压'];
}

describe('dry run', () => {
  it('maps the usual Chinese headers and reports every bad cell by row and column', async () => {
    const bad1: RosterRow = [3, '李四', '男', '430181195001010011', '1950.01', '13812345678', '', '上升村', '', '低保', '', ''];
    const good = goodRow(1);
    const id = nextIdNumber('1949-10-01', 'female');
    const bad2: RosterRow = [4, '王五', '女', id, '1949年10月2日', '1234', '', '火星村', '', '低保、外星人', '特别高', ''];
    const outOfScope: RosterRow = [5, '赵六', '', nextIdNumber('1960-02-02', 'male'), '', '', '', '山虎村', '', '', '', ''];
    const bytes = await xlsxRoster(HEADERS, [good, bad1, bad2, outOfScope], { title: '大瑶镇困难群众花名册' });
    const res = await importFile(shegong, bytes, '花名册.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as ImportResultView;
    expect(r.headerRow).toBe(2);
    expect(Object.fromEntries(r.columns.map((c) => [c.header, c.target]))).toMatchObject({
      姓名: 'name', 性别: 'gender', 身份证号码: 'idNumber', 出生年月: 'birthDate', 联系电话: 'phone:self', 子女电话: 'phone:relative',
      所属村: 'village', 家庭住址: 'address', 人员类别: 'categories', 风险等级: 'riskTier', 备注: null, 序号: null,
    });
    expect(r.columns.find((c) => c.header === '备注')?.ignored).toBe('notes');
    expect(r).toMatchObject({ rows: 4, valid: 1, newRows: 1, invalid: 3, created: 0, dryRun: true });
    const at = (row: number, column: string) => r.problems.find((p) => p.row === row && p.column === column)?.message;
    // Row numbers as Excel shows them: title row 1, headers row 2, data from row 3.
    expect(at(4, '身份证号码')).toMatch(/校验位/);
    expect(at(5, '身份证号码')).toMatch(/出生日期/);
    expect(at(5, '联系电话')).toMatch(/电话/);
    expect(at(5, '所属村')).toMatch(/火星村/);
    expect(at(5, '人员类别')).toMatch(/外星人/);
    expect(at(5, '风险等级')).toBeDefined();
    expect(at(6, '所属村')).toMatch(/山虎村/);
    expect(r.problems.every((p) => p.row >= 3 && p.message)).toBe(true);
    // The preview masks the sensitive columns.
    expect(r.preview[0]!.cells.join(' ')).not.toContain(good[3]);
    expect(await count()).toBe(0);
  });

  it('answers in English and keeps under-14s as a warning', async () => {
    const year = new Date().getFullYear() - 8;
    const id = nextIdNumber(`${year}-03-04`, 'male');
    const bytes = await xlsxRoster(['Name', '身份证号', 'Village', '类别'], [['小明', id, '上升村', '留守儿童'], ['小红', '123', '上升村', '']]);
    const r = (await importFile(shegong, bytes, 'kids.xlsx', 'dryRun=true', {}, 'en')).json() as ImportResultView;
    expect(r.valid).toBe(1);
    expect(r.warnings).toEqual([{ row: 2, column: '身份证号', message: expect.stringMatching(/Under 14/) }]);
    expect(r.problems[0]).toMatchObject({ row: 3, column: '身份证号' });
    expect(r.problems[0]!.message).toMatch(/18 characters/);
  });

  it('takes the user’s mapping corrections and a default village', async () => {
    const id = nextIdNumber('1955-06-07', 'female');
    const bytes = await xlsxRoster(['老人', '证件', '手机'], [['周秀兰', id, '13812345678']]);
    const auto = (await importFile(shegong, bytes, 'a.xlsx')).json() as ImportResultView;
    expect(auto.valid).toBe(0);
    const village = await t.deps.db.selectFrom('villages').select('id').where('name', '=', '南山村').executeTakeFirstOrThrow();
    const res = await importFile(shegong, bytes, 'a.xlsx', 'dryRun=true', { mapping: JSON.stringify({ 老人: 'name', 证件: 'idNumber' }), villageId: village.id });
    const r = res.json() as ImportResultView;
    expect(r.problems).toEqual([]);
    expect(r.valid).toBe(1);
    expect(r.columns.map((c) => [c.target, c.auto])).toEqual([['name', false], ['idNumber', false], ['phone:self', true]]);
    const bad = await importFile(shegong, bytes, 'a.xlsx', 'dryRun=true', { mapping: JSON.stringify({ 老人: 'name', 证件: 'name' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.mapping).toBeDefined();
  });

  it('reads CSV in UTF-8 with a BOM and in GBK, as Chinese Excel saves it', async () => {
    const id = nextIdNumber('1944-11-12', 'female');
    const text = csvText(['姓名', '性别', '身份证号', '村（社区）', '类别'], [['欧阳翠花', '女', id, '枫林村', '特困供养，空巢老人']]);
    for (const bytes of [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), encodeGbk(text)]) {
      const r = (await importFile(shegong, bytes, 'roster.csv')).json() as ImportResultView;
      expect(r.problems).toEqual([]);
      expect(r.valid).toBe(1);
      expect(r.preview[0]!.cells[0]).toBe('欧阳翠花');
    }
    const gbk = (await importFile(shegong, encodeGbk(text), 'roster.csv')).json() as ImportResultView;
    expect(gbk.encoding).toBe('gb18030');
  });

  it('refuses what is not a roster', async () => {
    const none = await shegong.request({ method: 'POST', url: '/api/residents/import?dryRun=true', payload: {} });
    expect(none.statusCode).toBe(400);
    const xls = await importFile(shegong, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]), 'old.xls');
    expect(xls.json().error.id).toBe('invalid_file');
    const commit = await importFile(shegong, Buffer.from('姓名\n张三\n'), 'x.csv', 'dryRun=false');
    expect(commit.statusCode).toBe(400);
    expect(commit.json().error.fields.mode).toBeDefined();
  });
});

describe('committing', () => {
  it('all_or_nothing writes nothing when one row is bad; valid_only writes the valid ones; a second run creates none', async () => {
    const rows = [goodRow(11), goodRow(12), goodRow(13)];
    const bad: RosterRow = [...goodRow(14)];
    bad[3] = String(bad[3]).slice(0, 17) + (String(bad[3]).endsWith('0') ? '1' : '0');
    const bytes = await xlsxRoster(HEADERS, [...rows, bad]);
    const before = await count();
    const aon = await importFile(shegong, bytes, '名册.xlsx', 'dryRun=false&mode=all_or_nothing');
    expect(aon.statusCode, aon.body).toBe(422);
    expect(aon.json().error.id).toBe('import_has_problems');
    expect(aon.json().error.result.invalid).toBe(1);
    expect(await count()).toBe(before);

    const res = await importFile(shegong, bytes, '名册.xlsx', 'dryRun=false&mode=valid_only');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as ImportResultView;
    expect(r).toMatchObject({ created: 3, invalid: 1, newRows: 3, alreadyRegistered: 0 });
    expect(await count()).toBe(before + 3);

    // The residents are complete: phones with their relations, categories, the timeline entry.
    const list = (await shegong.get(`/api/residents?q=${encodeURIComponent(String(rows[0]![1]))}`)).json() as { items: { id: string; phones: { relation: string }[]; categories: string[]; riskTier: string }[] };
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ categories: ['dibao', 'elderly_alone'], riskTier: 'priority' });
    expect(list.items[0]!.phones.map((p) => p.relation)).toEqual(['self', 'son']);
    // Imported residents are found by pinyin initials like any other (the search keys are written).
    const { nameSearchKeys } = await import('../../lib/pinyin.js');
    const initials = nameSearchKeys(String(rows[0]![1])).initials;
    const byPinyin = (await shegong.get(`/api/residents?q=${initials}`)).json() as { items: { id: string }[] };
    expect(byPinyin.items.map((i) => i.id)).toContain(list.items[0]!.id);
    const timeline = (await shegong.get(`/api/residents/${list.items[0]!.id}/timeline`)).json() as { items: { kind: string; detail: { row: number } }[] };
    expect(timeline.items[0]).toMatchObject({ kind: 'imported', detail: { row: 2 } });

    // One audit entry for the import: counts and the file's fingerprint, never row contents.
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'resident.import').execute();
    expect(audit).toHaveLength(1);
    const detail = JSON.parse(audit[0]!.detail!) as Record<string, unknown>;
    expect(detail).toMatchObject({ fileName: '名册.xlsx', rows: 4, created: 3, invalid: 1, mode: 'valid_only' });
    expect(detail.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(audit[0]!.detail).not.toContain(String(rows[0]![3]));
    expect(audit[0]!.detail).not.toContain(String(rows[0]![1]));

    // The same file again: nothing new, and all_or_nothing still refuses because of the bad row.
    const again = (await importFile(shegong, bytes, '名册.xlsx', 'dryRun=false&mode=valid_only')).json() as ImportResultView;
    expect(again).toMatchObject({ created: 0, alreadyRegistered: 3, invalid: 1 });
    expect(again.skipped[0]!.message).toMatch(/已登记/);
    expect(await count()).toBe(before + 3);

    // Fixed file, all or nothing: the fixed row is created, the others skipped.
    const fixed = await xlsxRoster(HEADERS, [...rows, goodRow(14)]);
    const done = (await importFile(shegong, fixed, '名册.xlsx', 'dryRun=false&mode=all_or_nothing')).json() as ImportResultView;
    expect(done).toMatchObject({ created: 1, alreadyRegistered: 3, invalid: 0 });
  });

  it('skips people registered by hand, rows repeated in the file, and no-ID rows by name, birth date and village', async () => {
    const existing = await createResident(t, shegong, { name: '手工登记' });
    const villages = await t.deps.db.selectFrom('villages').select(['id', 'name']).execute();
    const villageName = villages.find((v) => v.id === existing.villageId)!.name;
    const id = nextIdNumber('1948-03-15', 'female');
    const headers = ['姓名', '性别', '出生日期', '身份证号', '无身份证原因', '村'];
    const rows: RosterRow[] = [
      ['无证老人', '男', '1940/2/3', '', '未办理', villageName],
      ['无证老人', '男', '1940-02-03', '', '未办理', villageName],
      ['新人', '', '', id, '', villageName],
      ['新人', '', '', id, '', villageName],
    ];
    const bytes = await xlsxRoster(headers, rows);
    const first = (await importFile(shegong, bytes, 'x.xlsx', 'dryRun=false&mode=valid_only')).json() as ImportResultView;
    expect(first).toMatchObject({ created: 2, alreadyRegistered: 2 });
    expect(first.skipped.map((s) => s.message)).toEqual([expect.stringMatching(/第 2 行/), expect.stringMatching(/第 4 行/)]);
    const second = (await importFile(shegong, bytes, 'x.xlsx', 'dryRun=true')).json() as ImportResultView;
    expect(second).toMatchObject({ newRows: 0, alreadyRegistered: 4 });
    expect(second.skipped[0]!.message).toMatch(/同村、同名/);
  });

  it('gives the problems back as a workbook with a 问题 column', async () => {
    const bad: RosterRow = [1, '李四', '男', '430181195001010011', '', '', '', '南山村', '', '', '', ''];
    const bytes = await xlsxRoster(HEADERS, [goodRow(31), bad]);
    const { payload, headers } = multipart({ name: 'r.xlsx', bytes });
    const res = await shegong.request({ method: 'POST', url: '/api/residents/import/problems.xlsx', payload, headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toContain('filename*=UTF-8');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(HEADERS.length + 1).value).toBe('问题');
    expect(String(ws.getRow(3).getCell(HEADERS.length + 1).value)).toMatch(/身份证号码：/);
    expect(ws.getRow(3).getCell(4).value).toBe('430181195001010011');
    expect(ws.getRow(2).getCell(HEADERS.length + 1).value).toBeNull();
  });

  it('serves a template whose headers the import recognises', async () => {
    const res = await shegong.get('/api/residents/import/template.xlsx');
    expect(res.statusCode).toBe(200);
    const r = (await importFile(shegong, res.rawPayload, '模板.xlsx')).json() as ImportResultView;
    expect(r.columns.filter((c) => c.target === null).map((c) => c.header)).toEqual(['备注']);
    expect(r).toMatchObject({ rows: 1, valid: 1, problems: [] });
  });

  it('reports progress for the id the browser chose', async () => {
    const bytes = await xlsxRoster(HEADERS, [goodRow(41)]);
    const { payload, headers } = multipart({ name: 'r.xlsx', bytes });
    await shegong.request({ method: 'POST', url: '/api/residents/import?dryRun=true', payload, headers: { ...headers, 'x-import-id': 'abcdef12-3456' } });
    const p = await shegong.get('/api/residents/import/progress/abcdef12-3456');
    expect(p.json()).toEqual({ phase: 'done', done: 1, total: 1 });
    const other = await t.login('shegong2');
    expect((await other.get('/api/residents/import/progress/abcdef12-3456')).statusCode).toBe(404);
  });

  it('is closed to volunteers and county supervisors', async () => {
    const bytes = await xlsxRoster(HEADERS, [goodRow(51)]);
    for (const u of ['zhiyuan1', 'xianqu']) {
      const a = await t.login(u);
      expect((await importFile(a, bytes, 'r.xlsx')).statusCode).toBe(403);
      expect((await a.get('/api/residents/export?format=xlsx')).statusCode).toBe(403);
    }
  });
});

async function readExport(body: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const out: string[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  return out;
}

describe('export', () => {
  it('exports the filtered list masked by default, clear only with reveal and a reason, and audits both', async () => {
    const r = await createResident(t, shegong, { name: '导出测试', categories: ['tekun'], phones: [{ number: '13700001111', relation: 'daughter' }] });
    const clearId = (await shegong.post(`/api/residents/${r.id}/reveal`, { field: 'idNumber', reason: '核对' })).json().value as string;
    const masked = await shegong.get('/api/residents/export?format=xlsx&category=tekun');
    expect(masked.statusCode, masked.body).toBe(200);
    const rows = await readExport(masked.rawPayload);
    expect(rows[0]).toEqual(['序号', '姓名', '性别', '出生日期', '年龄', '身份证号', '联系电话', '村（社区）', '住址', '类别', '风险等级', '状态']);
    const line = rows.find((x) => x[1] === '导出测试')!;
    expect(line[5]).toBe(r.idNumberMasked);
    expect(line[6]).toBe('137****1111（女儿）');
    expect(line[9]).toBe('特困供养');
    expect(masked.rawPayload.toString('latin1')).not.toContain(clearId);

    const noReason = await shegong.get('/api/residents/export?format=xlsx&reveal=true');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.reason).toBeDefined();

    const clear = await shegong.get(`/api/residents/export?format=xlsx&category=tekun&reveal=true&reason=${encodeURIComponent('年度核查')}`);
    expect(clear.statusCode).toBe(200);
    const clearLine = (await readExport(clear.rawPayload)).find((x) => x[1] === '导出测试')!;
    expect(clearLine[5]).toBe(clearId);
    expect(clearLine[6]).toBe('13700001111（女儿）');
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'resident.export').orderBy('seq').execute();
    expect(audit.map((a) => [a.result, a.reason])).toEqual([['ok', null], ['ok', '年度核查']]);
    expect(JSON.parse(audit[1]!.detail!)).toMatchObject({ rows: 1, revealedRows: 1 });

    const en = await shegong.request({ method: 'GET', url: '/api/residents/export?format=xlsx&category=tekun', headers: { 'accept-language': 'en' } });
    expect((await readExport(en.rawPayload))[0]![1]).toBe('Name');
  });
});
