import { describe, expect, it } from 'vitest';
import { browserAvailable, DEMO_PASSWORD, fitsWidth, login, newPage, PHONE, shot, useStack } from './harness.js';

describe.skipIf(!browserAvailable)('signing in', () => {
  const stack = useStack();

  it('a wrong password shows a message, and the fifth locks the account', async () => {
    const page = await newPage(stack.browser, PHONE);
    await page.goto(`${stack.server.url}/login`);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'login-phone');
    for (let i = 1; i <= 4; i++) {
      await login(page, stack.server, 'shegong2', `wrong-Password-${i}`);
      await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码不正确');
    }
    await shot(page, 'login-wrong-password');
    await login(page, stack.server, 'shegong2', 'wrong-Password-5');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('锁定');
    await shot(page, 'login-locked');
    // The right password does not get in while the lock lasts.
    await login(page, stack.server, 'shegong2', DEMO_PASSWORD);
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('锁定');
    await page.context().close();
  });

  it('the language switch turns the UI English and back', async () => {
    const page = await newPage(stack.browser);
    await page.goto(`${stack.server.url}/login`);
    expect(await page.getByTestId('login-submit').textContent()).toMatch(/登\s*录/);
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('login-submit').textContent()).toMatch(/Log in|Sign in/i);
    await shot(page, 'login-english');
    await login(page, stack.server, 'zhanzhang');
    await page.getByTestId('nav-villages').waitFor();
    expect(await page.getByTestId('nav-villages').textContent()).toMatch(/Villages/i);
    await shot(page, 'home-english');
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('nav-villages').textContent()).toMatch(/村/);
    await page.context().close();
  });

  it('elder mode enlarges type and tap targets, and is remembered for the user', async () => {
    const page = await newPage(stack.browser, PHONE);
    await login(page, stack.server, 'jumin1');
    await page.getByTestId('elder-toggle').waitFor();
    const before = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    await page.getByTestId('elder-toggle').click();
    await expect.poll(() => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))).toBeGreaterThanOrEqual(18);
    expect(before).toBeLessThan(18);
    const buttonHeight = await page.evaluate(() => {
      const b = [...document.querySelectorAll('button.ant-btn')].filter((e) => (e as HTMLElement).offsetParent !== null);
      return Math.min(...b.map((e) => e.getBoundingClientRect().height));
    });
    expect(buttonHeight).toBeGreaterThanOrEqual(60);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'elder-mode-phone');

    // A new stack.browser (another phone) gets the user's choice after login.
    const other = await newPage(stack.browser, PHONE);
    await login(other, stack.server, 'jumin1');
    await other.getByTestId('elder-toggle').waitFor();
    await expect.poll(() => other.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))).toBeGreaterThanOrEqual(18);
    await other.context().close();
    await page.context().close();
  });
});
