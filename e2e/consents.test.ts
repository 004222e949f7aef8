import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeIdNumber } from '../server/src/lib/identity.js';
import { browserAvailable, fitsWidth, login, newPage, PHONE, shot, useStack } from './harness.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let seq = 300;

/** Register a resident through the API with the page's session (cookie and CSRF token). */
async function createResident(page: Page, base: string, body: Record<string, unknown>): Promise<{ id: string; name: string }> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'xq_csrf')!.value;
  const villages = await (await page.request.get(`${base}/api/villages?limit=1`)).json();
  const birthDate = (body.birthDate as string | undefined) ?? '1950-04-02';
  seq += 2;
  const sequence = body.gender === 'male' ? seq + 1 : seq;
  const res = await page.request.post(`${base}/api/residents`, {
    headers: { 'x-csrf-token': csrf },
    data: {
      name: '赵桂芳',
      gender: 'female',
      birthDate,
      idNumber: makeIdNumber({ addressCode: '430181', birthDate, sequence }),
      villageId: villages.items[0].id,
      riskTier: 'normal',
      lawfulBasis: 'consent',
      ...body,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).resident;
}

const statusRow = (page: Page, purpose: string) => page.locator(`[data-testid="consent-status-row"][data-purpose="${purpose}"]`);

async function choose(page: Page, selectTestId: string, label: string) {
  await page.getByTestId(selectTestId).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).first().click();
}

/** A multiple select: type to filter, Enter to pick, one label at a time. */
async function chooseMany(page: Page, selectTestId: string, labels: string[]) {
  const select = page.getByTestId(selectTestId);
  await select.click();
  for (const l of labels) {
    await page.keyboard.type(l);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active', { hasText: l }).waitFor();
    await page.keyboard.press('Enter');
  }
}

describe.skipIf(!browserAvailable)('consent (知情同意)', () => {
  const stack = useStack();

  it('a social worker records a signed paper consent and a witnessed one, then withdraws one at once', async () => {
    const page = await newPage(stack.browser);
    await login(page, stack.server, 'shegong1');
    await page.getByTestId('nav-residents').waitFor();
    const r = await createResident(page, stack.server.url, {});
    await page.goto(`${stack.server.url}/residents/${r.id}?tab=consents`);
    await statusRow(page, 'service').waitFor();
    expect(await statusRow(page, 'service').getAttribute('data-state')).toBe('missing');
    expect(await statusRow(page, 'service').getAttribute('data-allowed')).toBe('false');
    await page.getByTestId('consent-empty').waitFor();

    // Signed on paper: the scan is required and uploaded from the drawer.
    await page.getByTestId('consent-record').click();
    await choose(page, 'consent-purpose', '提供社工服务');
    await page.getByTestId('consent-save').click();
    await page.getByText('纸质签字须上传签字页扫描件').waitFor();
    await page.getByTestId('consent-scan-input').setInputFiles({ name: '签字页.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('consent-scan-done').waitFor();
    await shot(page, 'consent-drawer-paper');
    await page.getByTestId('consent-save').click();
    await expect.poll(() => statusRow(page, 'service').getAttribute('data-state')).toBe('given');
    await page.getByTestId('consent-scan-link').first().waitFor();

    // Witnessed in person by two staff.
    await page.getByTestId('consent-record').click();
    await choose(page, 'consent-purpose', '转介与信息共享');
    await page.getByTestId('consent-method').getByText('现场见证').click();
    await chooseMany(page, 'consent-witnesses', ['张社工', '刘社工']);
    await page.getByTestId('consent-save').click();
    await expect.poll(() => statusRow(page, 'referral_sharing').getAttribute('data-state')).toBe('given');
    await page.getByText('见证人：').first().waitFor();
    await shot(page, 'consent-tab');

    // Withdraw: confirmation with a reason; the status changes at once.
    await page.locator('[data-testid="consent-item"][data-purpose="referral_sharing"]').getByTestId('consent-withdraw').click();
    await page.getByTestId('consent-withdraw-reason').fill('本人电话告知不再同意转介');
    await page.getByTestId('consent-withdraw-confirm').click();
    await expect.poll(() => statusRow(page, 'referral_sharing').getAttribute('data-state')).toBe('withdrawn');
    await page.getByText('原因：本人电话告知不再同意转介').waitFor();
    await shot(page, 'consent-withdrawn');
    await page.context().close();
  });

  it('on a phone, a child under 14 can only consent through a guardian; the form prints on A4', async () => {
    const page = await newPage(stack.browser, PHONE);
    await login(page, stack.server, 'shegong1');
    await page.getByTestId('nav-open').waitFor();
    const mother = await createResident(page, stack.server.url, { name: '李秀兰', birthDate: '1990-05-01', lawfulBasis: 'statutory_duty' });
    const child = await createResident(page, stack.server.url, { name: '李小宝', gender: 'male', birthDate: '2018-06-01', guardianResidentId: mother.id, categories: ['left_behind_child'] });
    await page.goto(`${stack.server.url}/residents/${child.id}?tab=consents`);
    await statusRow(page, 'service').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await page.getByTestId('consent-record').click();
    await page.getByTestId('consent-under14').waitFor();
    await page.waitForTimeout(500); // the drawer slides in
    expect(await page.getByTestId('consent-given-by').locator('input[value="self"]').isDisabled()).toBe(true);
    expect(await page.getByTestId('consent-guardian-name').inputValue()).toBe('李秀兰');
    await shot(page, 'consent-drawer-child-phone');
    expect(await fitsWidth(page)).toBe(true);
    await page.keyboard.press('Escape');

    await page.goto(`${stack.server.url}/residents/${child.id}/consent-form`);
    await page.getByTestId('consent-form').waitFor();
    expect(await page.getByTestId('cf-name').textContent()).toBe('李小宝');
    await page.getByTestId('cf-guardian').waitFor();
    expect(await page.getByTestId('cf-id').textContent()).toMatch(/^\d{4}\*{10}\d{3}[\dX]$/);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'consent-form-phone');

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.xq-header').isVisible()).toBe(false);
    expect(await page.getByTestId('consent-form-print').isVisible()).toBe(false);
    expect(await page.getByTestId('consent-form-footer').textContent()).toContain('社工站');
    await shot(page, 'consent-form-print');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.length).toBeGreaterThan(10_000);
    await page.context().close();
  });
});
