import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable, fitsWidth, login, newPage, PHONE, shot, useStack } from './harness.js';

async function disabled(page: Page, testId: string): Promise<boolean> {
  const select = page.getByTestId(testId);
  if ((await select.locator('.ant-select-disabled').count()) > 0) return true;
  return select.evaluate((e) => e.classList.contains('ant-select-disabled') || e.closest('.ant-select-disabled') !== null);
}

/** Choose in an antd Select by typing part of the label and taking the first match. */
async function choose(page: Page, testId: string, text: string): Promise<void> {
  const select = page.getByTestId(testId);
  await expect.poll(() => disabled(page, testId)).toBe(false);
  await select.click();
  await page.keyboard.type(text);
  await page.locator('.ant-select-item-option', { hasText: text }).first().click();
}

describe.skipIf(!browserAvailable)('first run of a real station', () => {
  const stack = useStack({ XQ_DEMO: '0' });

  it('the wizard picks the township, fills its villages and creates the head, who can then sign in', async () => {
    const code = /set-up code ([A-Z2-9]{8})/.exec(stack.server.output())?.[1];
    expect(code).toBeTruthy();
    const page = await newPage(stack.browser, PHONE);
    await page.goto(`${stack.server.url}/`);
    await page.waitForURL(/\/setup/);
    await page.getByTestId('setup-code').fill(code!);
    // Nothing below a level is offered until that level is chosen (the county box once showed provinces).
    expect(await disabled(page, 'setup-city')).toBe(true);
    expect(await disabled(page, 'setup-county')).toBe(true);
    await choose(page, 'setup-province', '湖南');
    expect(await disabled(page, 'setup-county')).toBe(true);
    await choose(page, 'setup-city', '长沙');
    await choose(page, 'setup-county', '浏阳');
    await choose(page, 'setup-township', '大瑶');
    await page.getByTestId('setup-villages').getByText('枫林村').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'setup-township-phone');
    await page.getByTestId('setup-next').click();

    await expect.poll(() => page.getByTestId('setup-station-name').inputValue()).toContain('大瑶镇');
    await shot(page, 'setup-station-phone');
    await page.getByTestId('setup-next').click();

    await page.getByTestId('setup-username').fill('lizhan');
    await page.getByTestId('setup-display-name').fill('李站长');
    await page.getByTestId('setup-password').fill('Dayao-Zhan-2026');
    await page.getByTestId('setup-confirm').fill('Dayao-Zhan-2026');
    await shot(page, 'setup-head-phone');
    await page.getByTestId('setup-next').click();

    await page.waitForURL(/\/login/);
    await login(page, stack.server, 'lizhan', 'Dayao-Zhan-2026');
    await page.getByTestId('nav-open').click();
    await page.getByTestId('nav-villages').click();
    await page.getByText('枫林村').first().waitFor();
    await shot(page, 'setup-done-villages');
    await page.context().close();
  });
});
