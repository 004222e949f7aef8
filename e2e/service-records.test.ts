import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable, DESKTOP, fitsWidth, login, newPage, PHONE, shot, useStack } from './harness.js';

const SUMMARY = '防诈骗小组第三节：识别冒充公检法的电话，每人演练一次挂断和回拨核实。';

/** Type into the open multi-select and take the first option whose text matches. */
async function addResident(page: Page, typed: string, match: string | RegExp) {
  await page.getByTestId('record-residents').click();
  await page.keyboard.type(typed);
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: match }).first();
  await option.waitFor();
  await option.click();
  // Clear the search text for the next name.
  await page.keyboard.press('Escape');
}

describe.skipIf(!browserAvailable)('service ledger: a group session recorded once for everyone', () => {
  const stack = useStack();

  it('shegong1 records a 小组 session on a phone for three residents, co-led by 刘社工; each gets a record and the session lists them', async () => {
    const phone = await newPage(stack.browser, PHONE);
    await login(phone, stack.server, 'shegong1');
    await phone.waitForURL((u) => !u.pathname.startsWith('/login'));
    await phone.goto(`${stack.server.url}/service-records`);
    await phone.getByTestId('record-create').click();
    await phone.getByTestId('record-form').waitFor();
    // Started as one-to-one work with 王桂英, then switched to 小组 and back: her name stays shown.
    await phone.getByTestId('record-resident').click();
    await phone.keyboard.type('wgy');
    await phone.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '王桂英' }).first().click();
    await phone.getByTestId('record-method').getByText('小组', { exact: true }).click();
    await phone.getByTestId('record-residents').waitFor();
    await phone.getByTestId('record-method').getByText('个案', { exact: true }).click();
    await expect.poll(() => phone.getByTestId('record-resident').textContent()).toContain('王桂英');
    await phone.getByTestId('record-method').getByText('小组', { exact: true }).click();
    await phone.getByTestId('record-residents').waitFor();
    await addResident(phone, 'wgy', '王桂英');
    await addResident(phone, '李', /^李/);
    await addResident(phone, '刘', /^刘/);
    await expect.poll(() => phone.locator('[data-testid="record-residents"] .ant-select-selection-item, [data-testid="record-residents"] .ant-select-selection-overflow-item:not(.ant-select-selection-overflow-item-suffix)').count()).toBe(3);
    await shot(phone, 'service-record-group-residents-phone');
    await phone.getByTestId('record-coworkers').click();
    await phone.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '刘社工' }).first().click();
    await phone.keyboard.press('Escape');
    // The shared summary goes into every participant's record: the form asks to name nobody.
    expect(await phone.getByTestId('record-summary-input').getAttribute('placeholder')).toContain('请不要写参加者的姓名');
    await phone.getByTestId('record-summary-input').fill(SUMMARY);
    expect(await fitsWidth(phone)).toBe(true);
    await shot(phone, 'service-record-group-form-phone');
    await phone.getByTestId('record-save').click();
    await phone.getByText('已为 3 位居民记录本次活动').waitFor();

    // Three rows, one per resident, each saying three took part and who led it.
    const rows = phone.locator('[data-testid="records-table"] .xq-card-row').filter({ hasText: '防诈骗小组第三节' });
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.first().getByTestId('record-participants').textContent()).toContain('3人参加');
    expect(await rows.first().getByTestId('record-workers').textContent()).toBe('张社工、刘社工');
    expect(await fitsWidth(phone)).toBe(true);
    await shot(phone, 'service-record-group-ledger-phone');

    // The tag opens the session: its three residents and nothing else.
    await rows.first().getByTestId('record-participants').click();
    await phone.waitForURL(/activity=/);
    await phone.getByTestId('records-activity').waitFor();
    await expect.poll(() => phone.locator('[data-testid="records-table"] .xq-card-row').count()).toBe(3);
    const names = await phone.locator('[data-testid="records-table"] .xq-card-row').allTextContents();
    expect(names.some((n) => n.includes('王桂英'))).toBe(true);
    await shot(phone, 'service-record-group-session-phone');
    await phone.context().close();
  });

  it('刘社工 finds the session in their own ledger on a desktop', async () => {
    const page = await newPage(stack.browser, DESKTOP);
    await login(page, stack.server, 'shegong2');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    const me = await page.evaluate(async () => ((await (await fetch('/api/auth/me')).json()) as { user: { id: string } }).user.id);
    await page.goto(`${stack.server.url}/service-records?workerId=${me}`);
    const rows = page.locator('[data-testid="records-table"] .ant-table-row').filter({ hasText: '防诈骗小组第三节' });
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.first().textContent()).toContain('小组');
    await shot(page, 'service-record-group-desktop');
    await page.context().close();
  });
});
