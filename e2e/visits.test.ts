import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeIdNumber } from '../server/src/lib/identity.js';
import { browserAvailable, DESKTOP, fitsWidth, login, newPage, PHONE, SCREENSHOTS, shot, useStack, type Server } from './harness.js';

/** The first screenful only (what a phone user sees without scrolling). */
async function screenful(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

async function signedIn(page: Page, server: Server, username: string) {
  await login(page, server, username);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** A JSON call with the page's session (cookie + CSRF header), as the web app makes it. */
async function call<T>(page: Page, server: Server, method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  const cookies = await page.context().cookies();
  const csrf = cookies.find((c) => c.name === 'xq_csrf')?.value ?? '';
  const res = await page.request.fetch(`${server.url}${url}`, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, data: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok()) throw new Error(`${method} ${url}: ${res.status()} ${text}`);
  return JSON.parse(text) as T;
}

const NAME = '欧阳秀兰';
/** A 1×1 PNG. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
const OBS = '老人独自在家，厨房米缸见底，冰箱几乎是空的；走路需扶墙。已联系村委会送米面。';

describe.skipIf(!browserAvailable)('visits: an overdue high-tier resident in the due list, visited from the phone form', () => {
  const stack = useStack();
  let residentId = '';

  it('shegong1 sees the overdue high-tier resident first in 我负责的, with the red alert (desktop)', async () => {
    const page = await newPage(stack.browser, DESKTOP);
    await signedIn(page, stack.server, 'shegong1');
    // Seed through the API as shegong1: a high-tier resident in a village shegong1 covers, last visited 29 days ago (a visit may be recorded at most 30 days late).
    const summary = await call<{ byVillage: { villageId: string; villageName: string }[] }>(page, stack.server, 'GET', '/api/visits/due/summary?scope=mine');
    const village = summary.byVillage[0]!;
    const created = await call<{ resident: { id: string } }>(page, stack.server, 'POST', '/api/residents', {
      name: NAME,
      gender: 'female',
      birthDate: '1941-04-18',
      idNumber: makeIdNumber({ addressCode: '430181', birthDate: '1941-04-18', sequence: 862 }),
      phones: [{ number: '13907310042', relation: 'self' }],
      villageId: village.villageId,
      address: '湖南省浏阳市大瑶镇示范村欧阳组3号',
      categories: ['elderly_alone', 'tekun'],
      healthNotes: '糖尿病',
      incomeNotes: null,
      riskTier: 'high',
      lawfulBasis: 'statutory_duty',
    });
    residentId = created.resident.id;
    const longAgo = new Date(Date.now() - 29 * 86_400_000).toISOString();
    const check = { housing_safety: 'ok', heating_cooling: 'ok', food: 'ok', water: 'ok', hygiene: 'ok', medication: 'ok', mobility: 'ok', mental_state: 'ok', caregiver: 'na', utilities: 'ok' };
    await call(page, stack.server, 'POST', '/api/visits', { residentId, visitedAt: longAgo, durationMinutes: 30, mode: 'home', metResident: true, observations: '首次入户建档。', checklist: check, riskFlags: [] });

    await page.goto(`${stack.server.url}/visits`);
    await page.getByTestId('visits-due').waitFor();
    const row = page.locator(`[data-row-key="${residentId}"]`);
    await row.waitFor();
    const overdue = row.getByTestId('due-overdue');
    expect(Number(await overdue.getAttribute('data-days'))).toBeGreaterThanOrEqual(21);
    expect(await overdue.textContent()).toMatch(/^逾期 \d+ 天$/);
    // Most overdue first: nobody above is more overdue.
    const days = (await page.getByTestId('visits-due-list').getByTestId('due-overdue').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-days')))));
    expect(days[0]).toBe(Math.max(...days));
    const alert = page.getByTestId('visits-alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(NAME);
    await page.getByTestId('visits-summary').waitFor();
    await page.getByTestId('visits-chart').locator('canvas').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'visits-due-desktop');

    // The same page in English: the glossary's words, no raw keys.
    await page.getByTestId('lang-switch').click();
    await expect.poll(async () => (await row.getByTestId('due-overdue').textContent()) ?? '').toMatch(/^\d+ days overdue$/);
    const text = (await page.getByTestId('visits-due').textContent()) ?? '';
    expect(text).toContain('Visit plan');
    expect(text).not.toMatch(/visits\.[a-z]/);
    await shot(page, 'visits-due-desktop-en');
    await page.getByTestId('lang-switch').click();
    await page.context().close();
  });

  it('on a phone (375 px) the due list is cards; the visit is recorded with a concern and a flag, leaves the overdue list and reaches the ledger', async () => {
    const page = await newPage(stack.browser, PHONE);
    await signedIn(page, stack.server, 'shegong1');
    await page.goto(`${stack.server.url}/visits?tier=high`);
    const card = page.locator(`.xq-card-row[data-row-key="${residentId}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain('高风险');
    expect(await fitsWidth(page)).toBe(true);
    await screenful(page, 'visits-due-phone');
    await shot(page, 'visits-due-phone-full');

    await card.getByTestId('due-record').click();
    await page.waitForURL(/\/visits\/new\?residentId=/);
    await page.getByTestId('visit-resident').waitFor();
    expect(await page.getByTestId('visit-resident').textContent()).toContain(NAME);
    // The photo input opens the rear camera on a phone.
    expect(await page.getByTestId('visit-photo-input').getAttribute('capture')).toBe('environment');
    expect(await page.getByTestId('visit-photo-input').getAttribute('accept')).toBe('image/*');
    // A photo from the camera (here a file): uploaded at once, shown as a thumbnail.
    await page.getByTestId('visit-photo-input').setInputFiles({ name: 'kitchen.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('.xq-visit-photo img').waitFor();
    await page.getByTestId('check-food').getByText('关注').click();
    await page.getByTestId('flag-fall_risk').click();
    await page.getByTestId('visit-observations').fill(OBS);
    // Signal lost, tab closed: what was typed comes back from the draft.
    await page.waitForTimeout(1000);
    await page.reload();
    await page.getByTestId('visit-draft-restored').waitFor();
    expect(await page.getByTestId('visit-observations').inputValue()).toBe(OBS);
    expect(await page.getByTestId('flag-fall_risk').getAttribute('class')).toContain('checked');
    expect(await page.getByTestId('check-food').getAttribute('class')).toContain('xq-concern');
    await page.locator('.xq-visit-photo img').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenful(page, 'visit-form-phone-1');
    await page.evaluate(() => window.scrollTo(0, 420));
    await screenful(page, 'visit-form-phone-2');
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await screenful(page, 'visit-form-phone-3');
    await shot(page, 'visit-form-phone-full');
    await page.getByTestId('visit-save').click();

    await page.getByTestId('visit-detail').waitFor();
    expect(await page.getByTestId('visit-detail-flags').textContent()).toContain('跌倒风险');
    expect(await page.getByTestId('visit-detail-observations').textContent()).toBe(OBS);
    await expect.poll(() => page.locator('[data-testid="visit-detail"] .ant-image img').count()).toBe(1);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'visit-detail-phone');

    // No longer overdue: next visit due in 7 days.
    await page.goto(`${stack.server.url}/visits?state=overdue&tier=high`);
    await page.getByTestId('visits-due').waitFor();
    await expect.poll(async () => (await page.getByTestId('visits-due-list').textContent()) ?? '').not.toContain('加载');
    await page.waitForLoadState('networkidle');
    expect(await page.locator(`[data-row-key="${residentId}"]`).count()).toBe(0);
    await page.goto(`${stack.server.url}/visits?tier=high&state=due_soon`);
    await page.locator(`[data-row-key="${residentId}"]`).waitFor();
    expect(await page.locator(`[data-row-key="${residentId}"]`).textContent()).toContain('7 天后到期');

    // The ledger has it once, as a 走访.
    await page.goto(`${stack.server.url}/service-records?residentId=${residentId}`);
    await page.getByTestId('service-records').waitFor();
    const summaries = page.getByTestId('record-summary');
    await expect.poll(() => summaries.count()).toBe(2);
    expect(await summaries.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('厨房米缸见底')]));
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'visits-service-records-phone');

    // The visit history lists it.
    await page.goto(`${stack.server.url}/visits/history?residentId=${residentId}`);
    await page.getByTestId('visits-history').waitFor();
    await expect.poll(() => page.locator('.xq-card-row').count()).toBe(2);
    expect(await page.locator('.xq-card-row').first().textContent()).toContain('跌倒风险');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'visits-history-phone');

    // The resident's page shows the next visit and links back to the form.
    await page.goto(`${stack.server.url}/residents/${residentId}`);
    const strip = page.getByTestId('resident-visits');
    await strip.waitFor();
    expect(await strip.textContent()).toContain('7 天后到期');
    expect(await strip.textContent()).toContain('张社工');
    expect(await fitsWidth(page)).toBe(true);
    await screenful(page, 'visits-resident-strip-phone');
    await page.context().close();
  });
});
