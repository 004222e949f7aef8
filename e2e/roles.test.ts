import { describe, expect, it } from 'vitest';
import { browserAvailable, fitsWidth, login, newPage, PHONE, shot, useStack } from './harness.js';

/** What each demo role must see in the sidebar, and nothing more. */
const MENUS: Record<string, string[]> = {
  admin: ['home', 'villages', 'organisation', 'users'],
  zhanzhang: ['home', 'residents', 'appointments', 'consultations', 'requests', 'visits', 'service_records', 'feedback', 'services', 'villages', 'organisation', 'users', 'privacy'],
  shegong1: ['home', 'residents', 'appointments', 'consultations', 'requests', 'visits', 'service_records', 'feedback', 'services', 'villages'],
  shuju: ['home', 'residents', 'service_records', 'villages', 'audit', 'privacy'],
  xianqu: ['home', 'organisation'],
  jumin1: ['home', 'appointments', 'consultations', 'requests', 'feedback'],
  zhiyuan1: ['home', 'requests'],
};

describe.skipIf(!browserAvailable)('each role sees its own menu', () => {
  const stack = useStack();

  for (const [username, modules] of Object.entries(MENUS)) {
    it(`${username} sees ${modules.join(', ')}`, async () => {
      const page = await newPage(stack.browser);
      await login(page, stack.server, username);
      await page.getByTestId('nav-menu').waitFor();
      await page.getByTestId('nav-home').waitFor();
      const shown = await page.locator('[data-testid^="nav-"]:not([data-testid="nav-menu"])').evaluateAll((els) =>
        els.map((e) => e.getAttribute('data-testid')!.replace('nav-', '')),
      );
      expect([...new Set(shown)].sort()).toEqual([...modules].sort());
      await expect(page.locator('body')).toBeTruthy();
      expect(await page.textContent('body')).toContain('乡桥');
      await shot(page, `role-${username}-desktop`);
      await page.context().close();
    });
  }

  it('an unknown address shows the not-found page with a way home', async () => {
    const page = await newPage(stack.browser);
    await login(page, stack.server, 'shegong1');
    await page.getByTestId('nav-home').waitFor();
    await page.goto(`${stack.server.url}/no/such/page`);
    await page.getByText('404').first().waitFor();
    await shot(page, 'not-found');
    await page.getByTestId('not-found-home').click();
    await page.getByTestId('home-welcome').waitFor();
    await page.context().close();
  });

  it('a social worker on a 375 px phone gets the menu in a drawer and no horizontal scroll', async () => {
    const page = await newPage(stack.browser, PHONE);
    await login(page, stack.server, 'shegong1');
    await page.getByTestId('nav-open').click();
    await page.getByTestId('nav-villages').click();
    await page.waitForURL(/\/villages/);
    await page.getByText('上升村').first().waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'villages-phone');
    await page.context().close();
  });
});
