import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeIdNumber } from '../server/src/lib/identity.js';
import path from 'node:path';
import { browserAvailable, fitsWidth, login, newPage, PHONE, SCREENSHOTS, shot, useStack } from './harness.js';

/** The first screenful only (what a phone user sees without scrolling). */
async function screenful(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

// Fictitious, valid by checksum; address code 110105 is not used by the demo data.
const BIRTH = '1947-06-08';
const GOOD_ID = makeIdNumber({ addressCode: '110105', birthDate: BIRTH, sequence: 24 });
const BAD_ID = GOOD_ID.slice(0, 17) + (GOOD_ID[17] === '0' ? '1' : '0');
const NAME = '王桂英';
const CHILD_ID = makeIdNumber({ addressCode: '110105', birthDate: '2018-04-02', sequence: 31 });

async function pickOption(page: Page, testId: string, text?: string | RegExp) {
  await page.getByTestId(testId).click();
  const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
  await options.first().waitFor();
  if (text) await options.filter({ hasText: text }).first().click();
  else await options.first().click();
}

describe.skipIf(!browserAvailable)('residents: register, find, reveal, audit', () => {
  const stack = useStack();
  let residentPath = '';

  it('a social worker registers a resident: a wrong ID is caught as typed, fixed, saved', async () => {
    const page = await newPage(stack.browser);
    await login(page, stack.server, 'shegong1');
    await page.getByTestId('nav-residents').click();
    await page.waitForURL(/\/residents$/);
    await page.locator('[data-testid="residents-table"] .ant-table-row').first().waitFor();
    await shot(page, 'residents-list-desktop');

    await page.getByTestId('resident-create').click();
    await page.waitForURL(/\/residents\/new/);
    await page.getByTestId('resident-name-input').fill(NAME);
    const id = page.getByTestId('resident-id-input');
    await id.fill(BAD_ID);
    await id.blur();
    const idItem = page.locator('.ant-form-item').filter({ has: id });
    await expect.poll(() => idItem.locator('.ant-form-item-explain').textContent()).toContain('校验位');
    await shot(page, 'resident-form-wrong-id');

    await id.fill(GOOD_ID);
    await id.blur();
    await expect.poll(() => idItem.locator('.ant-form-item-explain-error').count()).toBe(0);
    // Birth date and gender come from the ID number.
    await expect.poll(() => page.locator('#birthDate').inputValue()).toBe(BIRTH);
    expect(await page.getByTestId('resident-gender').locator('.ant-radio-button-wrapper-checked').textContent()).toContain('女');

    await page.getByTestId('resident-phone-0').fill('138 1234 5678');
    await pickOption(page, 'resident-village');
    await page.getByTestId('resident-address').fill('上升村三组12号');
    await page.getByTestId('resident-categories').getByText('独居老人').click();
    await page.getByTestId('resident-categories').getByText('低保', { exact: true }).click();
    await page.getByTestId('resident-risk').getByText('重点').click();
    await page.getByTestId('resident-health').fill('高血压，长期服药');
    await shot(page, 'resident-form-desktop');
    await page.getByTestId('resident-save').click();

    await page.waitForURL(/\/residents\/[^/]+$/);
    await page.getByTestId('resident-detail').waitFor();
    expect(await page.getByTestId('resident-name').textContent()).toBe(NAME);
    expect(await page.getByTestId('resident-header').textContent()).toContain('重点');
    residentPath = new URL(page.url()).pathname;

    // Reveal the ID number with a reason: the clear value shows.
    const masked = page.getByTestId('resident-id');
    expect(await masked.textContent()).not.toContain(GOOD_ID);
    await page.getByTestId('resident-id-reveal').click();
    await page.getByTestId('reveal-reason-visit').click();
    await page.getByTestId('reveal-submit').click();
    await expect.poll(() => page.getByTestId('resident-id-clear').textContent()).toBe(GOOD_ID);
    await shot(page, 'resident-detail-revealed');

    // The timeline has the registration and the reveal with its reason.
    await page.getByRole('tab', { name: '时间线' }).click();
    await page.getByTestId('resident-timeline').getByText('查看了身份证号').waitFor();
    expect(await page.getByTestId('resident-timeline').textContent()).toContain('入户走访核对身份');
    await shot(page, 'resident-timeline');
    await page.context().close();
  }, 180_000);

  it('editing: sensitive fields stay blank, a new household, and the timeline shows old → new', async () => {
    const page = await newPage(stack.browser);
    await login(page, stack.server, 'shegong1');
    await page.getByTestId('nav-residents').waitFor();
    await page.goto(`${stack.server.url}${residentPath}/edit`);
    await page.getByTestId('resident-form').waitFor();
    expect(await page.getByTestId('resident-name-input').inputValue()).toBe(NAME);
    expect(await page.getByTestId('resident-id-input').inputValue()).toBe('');
    expect(await page.getByTestId('resident-form').textContent()).toContain('留空表示不修改');
    await pickOption(page, 'resident-household', '新建一户');
    await expect.poll(() => page.getByTestId('resident-relation').textContent()).toContain('户主');
    await page.getByTestId('resident-risk').getByText('高风险').click();
    await shot(page, 'resident-edit-desktop');
    await page.getByTestId('resident-save').click();
    await page.waitForURL((u) => u.pathname === residentPath);
    await expect.poll(() => page.getByTestId('resident-header').textContent()).toContain('高风险');

    // The tab lives in the URL; a click while the page is still settling after the save can be undone
    // by that navigation, so click until the household shows.
    await expect
      .poll(
        async () => {
          await page.getByRole('tab', { name: '家庭' }).click();
          return page.getByTestId('household-view').isVisible();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(true);
    expect(await page.getByTestId('household-view').textContent()).toContain('本人');
    await shot(page, 'resident-household');

    await page.getByRole('tab', { name: '时间线' }).click();
    const timeline = page.getByTestId('resident-timeline');
    await timeline.getByText('修改了风险等级').waitFor();
    const change = await timeline.getByTestId('timeline-change').allTextContents();
    expect(change.join(' ')).toMatch(/重点.*高风险/);
    await shot(page, 'resident-timeline-edited');
    await page.context().close();
  });

  it('a draft survives a reload, and a look-alike without ID needs confirming', async () => {
    const page = await newPage(stack.browser);
    await login(page, stack.server, 'shegong1');
    await page.getByTestId('nav-residents').waitFor();
    await page.goto(`${stack.server.url}/residents/new`);
    await page.getByTestId('resident-name-input').fill(NAME);
    await page.getByTestId('resident-draft-saved').waitFor();
    await page.waitForTimeout(800);
    await page.reload();
    await page.getByTestId('resident-draft-restore').click();
    expect(await page.getByTestId('resident-name-input').inputValue()).toBe(NAME);

    await page.getByTestId('resident-id-mode').getByText('无身份证').click();
    await page.locator('#noIdReason').fill('未办理身份证');
    await page.locator('#birthDate').fill(BIRTH);
    await page.locator('#birthDate').press('Enter');
    await page.getByTestId('resident-gender').getByText('女').click();
    await pickOption(page, 'resident-village');
    await page.getByTestId('resident-save').click();
    const dupes = page.getByTestId('resident-duplicates');
    await dupes.waitFor();
    expect(await dupes.textContent()).toContain(NAME);
    await shot(page, 'resident-possible-duplicate');
    await page.getByTestId('resident-duplicate-confirm').click();
    await page.waitForURL((u) => /^\/residents\/[^/]+$/.test(u.pathname) && u.pathname !== residentPath);
    await page.getByTestId('resident-detail').waitFor();
    expect(await page.getByTestId('resident-profile').textContent()).toContain('未办理身份证');
    // Saved: the draft is gone.
    await page.goto(`${stack.server.url}/residents/new`);
    await page.getByTestId('resident-form').waitFor();
    expect(await page.getByTestId('resident-draft').count()).toBe(0);
    await page.context().close();
  });

  it('a child under 14 needs a guardian, found by name', async () => {
    const page = await newPage(stack.browser);
    await login(page, stack.server, 'shegong1');
    await page.getByTestId('nav-residents').waitFor();
    await page.goto(`${stack.server.url}/residents/new`);
    await page.getByTestId('resident-form').waitFor();
    await page.getByTestId('resident-name-input').fill('王小宇');
    await page.getByTestId('resident-id-input').fill(CHILD_ID);
    await page.getByTestId('resident-guardian-section').waitFor();
    await pickOption(page, 'resident-village');
    await page.getByTestId('resident-categories').getByText('留守儿童').click();
    await page.getByTestId('resident-save').click();
    const guardianItem = page.locator('.ant-form-item').filter({ has: page.getByTestId('resident-guardian') });
    await expect.poll(() => guardianItem.locator('.ant-form-item-explain').textContent()).toContain('监护人');
    await page.getByTestId('resident-guardian').click();
    await page.keyboard.type('王桂英');
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '79岁' }).first();
    await option.waitFor();
    await option.click();
    await shot(page, 'resident-form-child-guardian');
    await page.getByTestId('resident-save').click();
    await page.waitForURL((u) => /^\/residents\/[^/]+$/.test(u.pathname));
    await page.getByTestId('resident-profile').waitFor();
    expect(await page.getByTestId('resident-profile').textContent()).toContain(NAME);
    expect(await page.getByTestId('resident-header').textContent()).toContain('男');
    await page.context().close();
  });

  it('the data officer sees the reveal in the audit log with field and reason', async () => {
    const page = await newPage(stack.browser);
    await login(page, stack.server, 'shuju');
    await page.getByTestId('nav-audit').click();
    await page.waitForURL(/\/audit/);
    await page.getByTestId('audit-filter-action').fill('resident.reveal');
    await page.getByTestId('audit-filter-submit').click();
    await page.waitForURL(/action=resident.reveal/);
    const table = page.getByTestId('audit-table');
    // One read must hold the whole entry: who, what, which field, why (the list may refetch meanwhile).
    const entry = /shegong1.*resident\.reveal.*idNumber.*入户走访核对身份/;
    await expect.poll(async () => (await table.textContent()) ?? '', { timeout: 15_000 }).toMatch(entry);
    await table.locator('.ant-table-content, .ant-table-body').first().evaluate((el) => (el.scrollLeft = el.scrollWidth));
    await shot(page, 'audit-resident-reveal');
    await page.context().close();
  });

  it('pinyin initials find the resident, and filters stay in the URL', async () => {
    const page = await newPage(stack.browser);
    await login(page, stack.server, 'shegong1');
    await page.getByTestId('nav-residents').click();
    await page.waitForURL(/\/residents$/);
    await page.getByTestId('residents-search').locator('input').fill('wgy');
    await page.getByTestId('residents-search').locator('input').press('Enter');
    await page.waitForURL(/q=wgy/);
    await page.getByTestId('residents-table').getByText(NAME).first().waitFor();
    // Raised to 高风险 by the edit above.
    await pickOption(page, 'residents-filter-risk', '高风险');
    await page.waitForURL(/riskTier=high/);
    await page.getByTestId('residents-table').getByText(NAME).first().waitFor();
    await shot(page, 'residents-search-wgy');
    // Back removes the last filter again.
    await page.goBack();
    await page.waitForURL((u) => !u.search.includes('riskTier'));
    expect(page.url()).toContain('q=wgy');
    await page.context().close();
  });

  it('on a 375 px phone: cards, form and detail fit without sideways scrolling', async () => {
    const page = await newPage(stack.browser, PHONE);
    await login(page, stack.server, 'shegong1');
    await page.getByTestId('nav-open').waitFor();
    await page.goto(`${stack.server.url}/residents`);
    await page.locator('[data-testid="residents-table"] .xq-card-row').first().waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'residents-list-phone');
    await screenful(page, 'residents-list-phone-top');

    await page.goto(`${stack.server.url}/residents/new`);
    await page.getByTestId('resident-form').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'resident-form-phone');
    await screenful(page, 'resident-form-phone-top');

    await page.goto(`${stack.server.url}${residentPath}`);
    await page.getByTestId('resident-detail').waitFor();
    await page.getByTestId('resident-profile').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'resident-detail-phone');
    await screenful(page, 'resident-detail-phone-top');

    await page.goto(`${stack.server.url}${residentPath}?tab=household`);
    await page.getByTestId('resident-detail').waitFor();
    expect(await fitsWidth(page)).toBe(true);

    await page.goto(`${stack.server.url}/residents/no-such-person`);
    await page.getByTestId('resident-not-found').waitFor();

    // Elder mode (bigger type and targets from the theme tokens) still fits.
    await page.goto(`${stack.server.url}/residents/new`);
    await page.getByTestId('resident-form').waitFor();
    await page.getByTestId('elder-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.elder)).toBe('on');
    expect(await fitsWidth(page)).toBe(true);
    await screenful(page, 'resident-form-phone-elder');
    await page.goto(`${stack.server.url}/residents`);
    await page.locator('[data-testid="residents-table"] .xq-card-row').first().waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await screenful(page, 'residents-list-phone-elder');
    await page.context().close();
  });
});
