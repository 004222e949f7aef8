import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable, DESKTOP, fitsWidth, login, newPage, PHONE, SCREENSHOTS, shot, useStack, type Server } from './harness.js';

/** The first screenful only (what a phone user sees without scrolling). */
async function screenful(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

async function signedIn(page: Page, server: Server, username: string) {
  await login(page, server, username);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

const SUMMARY = '讲解高龄津贴申请流程，帮王桂英核对了身份证和户口本复印件，约定下周一来站提交。';

describe.skipIf(!browserAvailable)('appointments: a resident books, a worker confirms, checks in and completes, the record reaches the ledger', () => {
  const stack = useStack();
  let appointmentId = '';
  let bookedDay = '';
  let residentId = '';

  it('jumin1 books 政策咨询 on a phone in elder mode, one question per screen', async () => {
    const page = await newPage(stack.browser, PHONE);
    await signedIn(page, stack.server, 'jumin1');
    await page.getByTestId('elder-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.elder)).toBe('on');

    await page.goto(`${stack.server.url}/appointments`);
    await page.getByTestId('appointments-mine').waitFor();
    await page.getByTestId('mine-empty').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await screenful(page, 'appointments-mine-empty-phone-elder');

    await page.getByTestId('book-start').click();
    await page.waitForURL(/\/appointments\/book/);
    // jumin1 acts for 王桂英 and her grandson: first, for whom.
    const question = page.getByTestId('book-question');
    await expect.poll(() => question.textContent()).toBe('为谁预约？');
    await screenful(page, 'book-1-who-phone-elder');
    await page.getByTestId('who-choices').getByText('王桂英').click();

    await expect.poll(() => question.textContent()).toBe('需要什么服务？');
    // Only what residents may book themselves: 上门探访 and 电话关怀 are staff-only.
    const services = page.getByTestId('service-choice');
    await expect.poll(() => services.count()).toBeGreaterThan(0);
    const names = await services.allTextContents();
    expect(names.some((n) => n.includes('政策咨询'))).toBe(true);
    expect(names.some((n) => n.includes('上门探访'))).toBe(false);
    expect(await fitsWidth(page)).toBe(true);
    await screenful(page, 'book-2-service-phone-elder');
    await services.filter({ hasText: '政策咨询' }).click();

    await expect.poll(() => question.textContent()).toBe('哪一天？');
    const day = page.locator('[data-testid^="day-"]:not([disabled])').first();
    await day.waitFor();
    bookedDay = ((await day.getAttribute('data-testid')) ?? '').replace('day-', '');
    expect(bookedDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await fitsWidth(page)).toBe(true);
    await screenful(page, 'book-3-day-phone-elder');
    await day.click();

    await expect.poll(() => question.textContent()).toBe('几点？');
    const slot = page.locator('[data-testid^="slot-"]').first();
    await slot.waitFor();
    const slotText = (await slot.textContent()) ?? '';
    expect(await fitsWidth(page)).toBe(true);
    await screenful(page, 'book-4-time-phone-elder');
    await slot.click();

    await expect.poll(() => question.textContent()).toContain('确认预约');
    const summary = page.getByTestId('book-summary');
    expect(await summary.textContent()).toContain('政策咨询');
    expect(await summary.textContent()).toContain('王桂英');
    expect(await summary.textContent()).toContain(slotText.slice(0, 5));
    await page.getByTestId('book-note').fill('带上身份证和户口本');
    expect(await fitsWidth(page)).toBe(true);
    await screenful(page, 'book-5-confirm-phone-elder');
    await page.getByTestId('book-confirm').click();

    await page.waitForURL(/\/appointments\?booked=/);
    appointmentId = new URL(page.url()).searchParams.get('booked') ?? '';
    expect(appointmentId).not.toBe('');
    await page.getByTestId('booked-alert').waitFor();
    const mine = page.locator(`[data-testid="my-appointment"][data-id="${appointmentId}"]`);
    await mine.waitFor();
    expect(await mine.getAttribute('data-status')).toBe('requested');
    expect(await mine.textContent()).toContain('待确认');
    expect(await fitsWidth(page)).toBe(true);
    await screenful(page, 'appointments-mine-booked-phone-elder');
    await page.context().close();
  });

  it('shegong1 confirms, checks in and completes it with a summary on the week calendar', async () => {
    expect(appointmentId, 'booked by the resident above').not.toBe('');
    const page = await newPage(stack.browser, DESKTOP);
    await signedIn(page, stack.server, 'shegong1');
    await page.goto(`${stack.server.url}/appointments?view=week&date=${bookedDay}`);
    const chip = page.locator(`[data-testid="appointment-chip"][data-id="${appointmentId}"]`);
    await chip.waitFor();
    expect(await chip.textContent()).toContain('王桂英');
    expect(await chip.textContent()).toContain('待确认');
    await shot(page, 'appointments-week-desktop');

    await chip.click();
    const card = page.locator(`.ant-drawer [data-testid="appointment-card"][data-id="${appointmentId}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain('带上身份证和户口本');
    await shot(page, 'appointment-detail-requested-desktop');

    await card.getByTestId('appointment-confirm').click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('confirmed');
    await card.getByTestId('appointment-check-in').click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('checked_in');
    await card.getByTestId('appointment-complete').click();

    const form = page.getByTestId('complete-form');
    await form.waitFor();
    // The summary is required: an empty one is caught before anything is sent.
    await page.getByTestId('complete-submit').click();
    await expect.poll(() => form.locator('.ant-form-item-explain-error').count()).toBeGreaterThan(0);
    await page.getByTestId('complete-summary').fill(SUMMARY);
    await page.getByTestId('complete-outcome').fill('材料齐全，下周一提交申请');
    await page.getByTestId('complete-follow-up').click();
    await shot(page, 'appointment-complete-form-desktop');
    await page.getByTestId('complete-submit').click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('completed');
    await card.getByTestId('appointment-record-link').waitFor();
    residentId = ((await card.getByTestId('appointment-resident').locator('a').getAttribute('href')) ?? '').split('/').pop() ?? '';
    expect(residentId).not.toBe('');
    await shot(page, 'appointment-detail-completed-desktop');
    await page.context().close();
  });

  it("the service record is on 王桂英's timeline and in the ledger, on a desktop and at 375 px", async () => {
    expect(residentId, 'completed above').not.toBe('');
    const page = await newPage(stack.browser, DESKTOP);
    await signedIn(page, stack.server, 'shegong1');
    await page.goto(`${stack.server.url}/residents/${residentId}?tab=timeline`);
    const service = page.locator('[data-testid="timeline-event"][data-kind="service"]').first();
    await service.waitFor();
    expect(await service.textContent()).toContain('政策咨询');
    expect(await service.getByTestId('timeline-service-summary').textContent()).toBe(SUMMARY);
    expect(await page.locator('[data-testid="timeline-event"][data-kind="appointment_booked"]').count()).toBeGreaterThan(0);
    await shot(page, 'resident-timeline-service-desktop');

    await page.goto(`${stack.server.url}/service-records?residentId=${residentId}`);
    const table = page.getByTestId('records-table');
    const row = table.locator('.ant-table-row').filter({ hasText: '政策咨询' }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain('王桂英');
    expect(await row.textContent()).toContain('预约');
    expect(await row.getByTestId('record-follow-up').count()).toBe(1);
    await shot(page, 'service-records-desktop');
    await page.context().close();

    const phone = await newPage(stack.browser, PHONE);
    await signedIn(phone, stack.server, 'shegong1');
    await phone.goto(`${stack.server.url}/service-records?residentId=${residentId}`);
    const card = phone.locator('[data-testid="records-table"] .xq-card-row').filter({ hasText: '政策咨询' }).first();
    await card.waitFor();
    expect(await card.textContent()).toContain('王桂英');
    expect(await fitsWidth(phone)).toBe(true);
    await shot(phone, 'service-records-phone');

    await phone.goto(`${stack.server.url}/appointments?view=day&date=${bookedDay}`);
    await phone.locator(`[data-testid="appointment-card"][data-id="${appointmentId}"]`).waitFor();
    expect(await fitsWidth(phone)).toBe(true);
    await shot(phone, 'appointments-day-phone');
    await phone.goto(`${stack.server.url}/appointments?view=week&date=${bookedDay}`);
    await phone.locator(`[data-testid="appointment-chip"][data-id="${appointmentId}"]`).waitFor();
    expect(await fitsWidth(phone)).toBe(true);
    await shot(phone, 'appointments-week-phone');
    await phone.context().close();
  });

  it('a worker records a phone call by hand on a phone and books for a walk-in resident; it is moved, then cancelled by the resident', async () => {
    const phone = await newPage(stack.browser, PHONE);
    await signedIn(phone, stack.server, 'shegong1');
    await phone.goto(`${stack.server.url}/service-records`);
    await phone.getByTestId('record-create').click();
    const form = phone.getByTestId('record-form');
    await form.waitFor();
    await phone.getByTestId('record-resident').click();
    await phone.keyboard.type('wgy');
    const option = phone.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '王桂英' }).first();
    await option.waitFor();
    await option.click();
    await phone.getByTestId('record-method').getByText('电话', { exact: true }).click();
    await phone.getByTestId('record-summary-input').fill('电话回访：血压平稳，孙子王浩然本周在校表现好。');
    expect(await fitsWidth(phone)).toBe(true);
    await shot(phone, 'service-record-form-phone');
    await phone.getByTestId('record-save').click();
    await phone.locator('[data-testid="records-table"] .xq-card-row').filter({ hasText: '电话回访' }).first().waitFor();

    // Filters live in the URL: only those needing follow-up keeps the appointment's record and drops the call.
    await phone.goto(`${stack.server.url}/service-records?residentId=${residentId}&followUp=1`);
    await phone.locator('[data-testid="records-table"] .xq-card-row').filter({ hasText: '政策咨询' }).first().waitFor();
    expect(await phone.locator('[data-testid="records-table"] .xq-card-row').filter({ hasText: '电话回访' }).count()).toBe(0);
    // And by method: 电话 keeps the call and drops the appointment's record.
    await phone.goto(`${stack.server.url}/service-records?residentId=${residentId}&method=phone`);
    await phone.locator('[data-testid="records-table"] .xq-card-row').filter({ hasText: '电话回访' }).first().waitFor();
    expect(await phone.locator('[data-testid="records-table"] .xq-card-row').filter({ hasText: '政策咨询' }).count()).toBe(0);
    expect(await fitsWidth(phone)).toBe(true);
    await shot(phone, 'service-records-filtered-phone');
    await phone.context().close();

    const page = await newPage(stack.browser, DESKTOP);
    await signedIn(page, stack.server, 'shegong1');
    await page.goto(`${stack.server.url}/appointments?view=day&date=${bookedDay}`);
    await page.getByTestId('book-for-resident').click();
    await page.getByTestId('book-for-resident-form').waitFor();
    await page.getByTestId('book-resident').click();
    await page.keyboard.type('wgy');
    const who = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '王桂英' }).first();
    await who.waitFor();
    await who.click();
    await page.getByTestId('book-service').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '代办服务' }).first().click();
    await page.getByTestId('book-channel').getByText('到站预约').click();
    await page.locator('[data-testid="book-for-resident-form"] [data-testid^="day-"]:not([disabled])').first().click();
    await page.locator('[data-testid="book-for-resident-form"] [data-testid^="slot-"]').first().click();
    await shot(page, 'book-for-resident-desktop');
    await page.getByTestId('book-submit').click();
    await page.getByTestId('book-for-resident-form').waitFor({ state: 'detached' });
    await page.goto(`${stack.server.url}/appointments?view=week&date=${bookedDay}`);
    // Staff bookings are confirmed at once.
    const chips = page.locator('[data-testid="appointment-chip"]').filter({ hasText: '代办服务' });
    await chips.first().waitFor();
    expect(await chips.first().getAttribute('data-status')).toBe('confirmed');
    const walkInId = (await chips.first().getAttribute('data-id')) ?? '';

    // Moved to the last free time of another day: the old time is given back at once.
    await chips.first().click();
    const card = page.locator(`.ant-drawer [data-testid="appointment-card"][data-id="${walkInId}"]`);
    const before = await card.locator('.xq-appt-when').textContent();
    await card.getByTestId('appointment-reschedule').click();
    const modal = page.locator('.ant-modal-wrap:visible');
    await modal.locator('[data-testid^="day-2"]:not([disabled])').nth(1).click();
    await modal.locator('[data-testid^="slot-"]').last().click();
    await shot(page, 'appointment-reschedule-desktop');
    await page.getByTestId('reschedule-submit').click();
    await modal.waitFor({ state: 'detached' });
    await page.context().close();

    // 王桂英's account sees the booking made for her and cancels it herself.
    const resident = await newPage(stack.browser, PHONE);
    await signedIn(resident, stack.server, 'jumin1');
    await resident.goto(`${stack.server.url}/appointments`);
    const mine = resident.locator(`[data-testid="my-appointment"][data-id="${walkInId}"]`);
    await mine.waitFor();
    expect(await mine.textContent()).not.toContain(before ?? '');
    expect(await mine.getAttribute('data-status')).toBe('confirmed');
    await mine.getByTestId('my-cancel').click();
    await shot(resident, 'appointment-cancel-phone-elder');
    await resident.getByTestId('my-cancel-yes').click();
    await expect.poll(() => mine.getAttribute('data-status')).toBe('cancelled');
    expect(await fitsWidth(resident)).toBe(true);
    await resident.context().close();
  });
});
