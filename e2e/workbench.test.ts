import { describe, expect, it } from 'vitest';
import { browserAvailable, fitsWidth, login, newPage, PHONE, shot, useStack } from './harness.js';

// The workbench with three months of demo history: each to-do is a number that opens its list.
describe.skipIf(!browserAvailable)('workbench: what is waiting today', () => {
  const stack = useStack({ XQ_DEMO_HISTORY: '1' });

  it('a social worker sees the to-dos, late ones in red, and a tile opens its list', async () => {
    const page = await newPage(stack.browser);
    await login(page, stack.server, 'shegong1');
    await page.getByTestId('home-todo').waitFor();
    const value = async (id: string) => Number(await page.getByTestId(`todo-${id}-value`).textContent());
    // The history leaves questions past their deadline and high-tier residents overdue for a visit.
    expect(await value('consultations')).toBeGreaterThan(0);
    expect(await value('visits')).toBeGreaterThan(0);
    expect(await page.getByTestId('todo-visits').locator('.xq-todo-alert').count()).toBe(1);
    expect(await page.getByTestId('todo-consultations').textContent()).toContain('已超时');
    await shot(page, 'workbench-desktop');

    const overdue = await value('visits');
    await page.getByTestId('todo-visits').click();
    await page.waitForURL(/\/visits/);
    // The due list shows the overdue residents the tile counted (the 全站 tab holds them all).
    await page.getByText('逾期').first().waitFor();
    expect(overdue).toBeGreaterThan(0);

    await page.setViewportSize(PHONE);
    await page.goto(`${stack.server.url}/`);
    await page.getByTestId('home-todo').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'workbench-phone');
    await page.context().close();
  });

  it('residents and volunteers get no to-do tiles', async () => {
    const page = await newPage(stack.browser, PHONE);
    await login(page, stack.server, 'jumin1');
    await page.getByTestId('home-welcome').waitFor();
    expect(await page.getByTestId('home-todo').count()).toBe(0);
    await page.context().close();
  });
});
