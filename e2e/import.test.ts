import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeIdNumber } from '../server/src/lib/identity.js';
import { xlsxRoster, type RosterRow } from '../server/src/modules/roster/testing.js';
import { PHONE, browserAvailable, fitsWidth, login, newPage, shot, useStack } from './harness.js';

const HEADERS = ['序号', '姓名', '性别', '身份证号码', '出生日期', '联系电话', '所属村', '家庭住址', '人员类别', '风险等级', '备注'];
// 430102 (长沙市芙蓉区): none of the demo residents has such a number.
const id1 = makeIdNumber({ addressCode: '430102', birthDate: '1946-04-05', sequence: 12 });
const id2 = makeIdNumber({ addressCode: '430102', birthDate: '1951-09-30', sequence: 15 });
const id3 = makeIdNumber({ addressCode: '430102', birthDate: '1939-12-01', sequence: 22 });
const wrongCheck = id2.slice(0, 17) + (id2.endsWith('0') ? '1' : '0');

const good1: RosterRow = [1, '欧阳桂芝', '女', id1, '1946-04-05', '13812340001', '上升村', '上升村三组5号', '低保、独居老人', '重点', ''];
const row2 = (id: string, village: string): RosterRow => [2, '司马长根', '男', id, '1951/9/30', '13812340002', village, '', '特困供养', '高风险', '腿脚不便'];
const good3: RosterRow = [3, '上官秀英', '女', id3, '1939年12月1日', '', '南山村', '', '空巢老人', '', ''];

async function rosterFile(name: string, rows: RosterRow[]): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xq-e2e-import-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, await xlsxRoster(HEADERS, rows, { title: '大瑶镇困难群众花名册（演示）' }));
  return file;
}

describe.skipIf(!browserAvailable)('roster import', () => {
  const stack = useStack();

  it('a social worker imports a roster with errors, fixes it and finds the residents in the list', async () => {
    const bad = await rosterFile('花名册.xlsx', [good1, row2(wrongCheck, '火星村'), good3]);
    const fixed = await rosterFile('花名册-已改.xlsx', [good1, row2(id2, '枫林村'), good3]);
    const page = await newPage(stack.browser);
    await login(page, stack.server, 'shegong1');
    await page.getByTestId('nav-villages').waitFor();
    await page.goto(`${stack.server.url}/residents`);
    await page.getByTestId('residents-import').click();
    await page.waitForURL(/\/residents\/import/);
    await shot(page, 'import-choose-file');

    await page.locator('input[type=file]').first().setInputFiles(bad);
    await page.getByTestId('import-mapping').waitFor();
    await expect.poll(() => page.getByTestId('import-mapping').textContent()).toContain('身份证号码');
    await shot(page, 'import-mapping');
    await page.getByTestId('import-check').click();

    const problems = page.getByTestId('import-problems');
    await problems.waitFor();
    // Title row 1, headers row 2: the second person is Excel row 4.
    const row = problems.locator('tr', { hasText: '身份证号码' });
    await expect.poll(() => row.textContent()).toMatch(/^4身份证号码.*校验位/);
    await expect.poll(() => problems.locator('tr', { hasText: '所属村' }).textContent()).toMatch(/^4所属村.*火星村/);
    await expect.poll(() => page.getByTestId('import-counts').textContent()).toMatch(/数据行3.*有问题1/);
    await shot(page, 'import-problems');

    // The worker corrects the file and uploads it again; the mapping is kept.
    await page.locator('input[type=file]').first().setInputFiles(fixed);
    await page.getByTestId('import-all-good').waitFor();
    await page.getByTestId('import-commit').click();
    await expect.poll(() => page.getByTestId('import-done').textContent(), { timeout: 20_000 }).toMatch(/新建 3 人/);
    await shot(page, 'import-done');

    await page.getByTestId('import-to-list').click();
    await page.waitForURL(/\/residents$/);
    for (const name of ['欧阳桂芝', '司马长根', '上官秀英']) {
      const search = page.getByTestId('residents-search').locator('input');
      await search.fill(name);
      await search.press('Enter');
      await page.getByText(name).first().waitFor();
    }
    await shot(page, 'import-in-list');

    // Export tab, opened from the list with its filters.
    await page.goto(`${stack.server.url}/residents/import?tab=export&category=tekun`);
    await page.getByTestId('export-filters').waitFor();
    await expect.poll(() => page.getByTestId('export-filters').textContent()).toContain('特困供养');
    await page.getByTestId('export-mode').getByText('明文').click();
    await page.getByTestId('export-reason').fill('民政局年度核查');
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
    expect(file.suggestedFilename()).toMatch(/服务对象名册-.*-明文\.xlsx/);
    await shot(page, 'export-clear');
    await page.context().close();
  });

  it('works on a 375 px phone', async () => {
    const bad = await rosterFile('roster.xlsx', [row2(wrongCheck, '火星村'), good1]);
    const page = await newPage(stack.browser, PHONE);
    await login(page, stack.server, 'shegong2');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`${stack.server.url}/residents/import`);
    await page.locator('.ant-upload-drag').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'import-choose-file-phone');
    await page.locator('input[type=file]').first().setInputFiles(bad);
    await page.getByTestId('import-mapping').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'import-mapping-phone');
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-problems').waitFor();
    await expect.poll(() => page.getByTestId('import-problems').textContent()).toMatch(/第 3 行 · 身份证号码/);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'import-problems-phone');
    await page.goto(`${stack.server.url}/residents/import?tab=export`);
    await page.getByTestId('export-panel').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'export-phone');
    await page.context().close();
  });
});
