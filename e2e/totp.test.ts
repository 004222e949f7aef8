import { describe, expect, it } from 'vitest';
import { base32Decode, totp } from '../server/src/lib/totp.js';
import { browserAvailable, DEMO_PASSWORD, login, newPage, PHONE, shot, useStack } from './harness.js';

describe.skipIf(!browserAvailable)('two-step verification', () => {
  const stack = useStack();

  it('a data officer turns it on, and the next sign-in asks for the code', async () => {
    const page = await newPage(stack.browser, PHONE);
    await login(page, stack.server, 'shuju');
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-totp').click();
    await page.waitForURL(/\/account\/totp/);
    await page.getByTestId('totp-start').click();
    const grouped = await page.getByTestId('totp-secret').textContent();
    const secret = base32Decode(grouped!.replace(/\s/g, ''));
    // The QR code carries the same otpauth URL as the link.
    await expect.poll(() => page.getByTestId('totp-qr').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(100);
    await shot(page, 'totp-enroll-phone');
    await page.getByTestId('totp-code').fill(totp(secret, Date.now()));
    await page.getByTestId('totp-enable').click();
    await page.getByTestId('totp-disable').waitFor();

    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login/);
    await login(page, stack.server, 'shuju', DEMO_PASSWORD);
    await page.getByTestId('login-otp').waitFor();
    await shot(page, 'totp-login-step');
    await page.getByTestId('login-otp').fill('000000' === totp(secret, Date.now()) ? '111111' : '000000');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('动态码');
    // Codes last 30 s and one code works once; wait for the next one to be safe from replay refusal.
    const step = Math.floor(Date.now() / 30_000);
    while (Math.floor(Date.now() / 30_000) === step) await page.waitForTimeout(500);
    await page.getByTestId('login-otp').fill(totp(secret, Date.now()));
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-welcome').waitFor();
    await page.context().close();
  }, 120_000);
});
