import { describe, expect, it } from 'vitest';
import { browserAvailable, login, newPage, shot, useStack } from './harness.js';

describe.skipIf(!browserAvailable)('accounts, audit and sessions', () => {
  const stack = useStack();

  it('a station head creates a worker, who must change the password at first login', async () => {
    const page = await newPage(stack.browser);
    await login(page, stack.server, 'zhanzhang');
    await page.getByTestId('nav-users').click();
    await page.waitForURL(/\/users/);
    await page.getByTestId('user-create').click();
    const form = page.getByTestId('user-create-form');
    await form.getByLabel(/用户名/).fill('shegong9');
    await form.getByLabel(/姓名|显示名/).fill('钱社工');
    await form.getByLabel(/密码/).first().fill('Chuqi-Mima-2026');
    await shot(page, 'users-create');
    await page.getByTestId('user-create-submit').click();
    await page.getByText('shegong9').first().waitFor();
    await shot(page, 'users-list');
    await page.context().close();

    const worker = await newPage(stack.browser);
    await login(worker, stack.server, 'shegong9', 'Chuqi-Mima-2026');
    await worker.waitForURL(/\/change-password/);
    await worker.getByTestId('password-current').fill('Chuqi-Mima-2026');
    await worker.getByTestId('password-new').fill('Qingshan-Lu-2026');
    await worker.getByTestId('password-confirm').fill('Qingshan-Lu-2026');
    await shot(worker, 'forced-password-change');
    await worker.getByTestId('password-submit').click();
    await worker.getByTestId('nav-villages').waitFor();
    await worker.context().close();
  });

  it('a data officer reads the audit log and verifies its chain', async () => {
    const page = await newPage(stack.browser);
    await login(page, stack.server, 'shuju');
    await page.getByTestId('nav-audit').click();
    await page.waitForURL(/\/audit/);
    await page.getByText('auth.login').first().waitFor();
    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('audit-verify-result').textContent()).toMatch(/完整|通过|intact/);
    await shot(page, 'audit-verified');
    await page.context().close();
  });

  it('an expired session returns to login and then back to the page the user was on', async () => {
    const page = await newPage(stack.browser);
    await login(page, stack.server, 'shegong1');
    await page.getByTestId('nav-villages').click();
    await page.waitForURL(/\/villages/);
    // The session ends elsewhere (another device signs it out).
    const cookies = await page.context().cookies();
    const sid = cookies.find((c) => c.name === 'xq_sid')!;
    const csrf = cookies.find((c) => c.name === 'xq_csrf')!;
    const r = await fetch(`${stack.server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: `xq_sid=${sid.value}; xq_csrf=${csrf.value}`, 'x-csrf-token': csrf.value } });
    expect(r.status).toBe(204);
    // The next request the page makes finds the session gone (a search, or a background refresh).
    await shot(page, 'session-before-expiry');
    const search = page.getByTestId('villages-search');
    if (await search.isVisible()) {
      await search.fill('枫林', { timeout: 5000 }).catch(() => undefined);
      await search.press('Enter', { timeout: 5000 }).catch(() => undefined);
    }
    await page.waitForURL(/\/login/);
    await page.getByTestId('login-expired').waitFor();
    await shot(page, 'session-expired');
    await page.getByTestId('login-username').fill('shegong1');
    await page.getByTestId('login-password').fill('Xiangqiao#2026');
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/villages/);
    await page.context().close();
  });
});
