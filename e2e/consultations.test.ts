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

/** The inbox lists overdue threads first (the demo history has some): read on until the subject shows. */
async function findInInbox(page: Page, subject: string) {
  const row = page.getByTestId('consultation-list').getByText(subject);
  for (let i = 0; i < 20 && !(await row.count()); i++) {
    const more = page.getByTestId('load-more');
    if (await more.count()) await more.click();
    await page.waitForTimeout(300);
  }
  await row.waitFor();
  return row;
}

/** A 1×1 PNG, as a phone camera would hand over a file. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
const SUBJECT = '八十岁高龄补贴怎么申请';
const BODY = '我今年八十一岁了，听说有高龄补贴，要带什么材料去哪里办？';
const ANSWER = '带身份证、户口本到社工站或村委会填表申请，审核后每月发放到社保卡。';
const FAQ_Q = '八十岁以上老人怎么申请高龄补贴？';

describe.skipIf(!browserAvailable)('consultations: a resident asks, a worker answers and publishes a FAQ entry anyone can read', () => {
  const stack = useStack();
  let threadUrl = '';

  it('jumin1 asks on a phone in elder mode, one question per screen, with a photo', async () => {
    const page = await newPage(stack.browser, PHONE);
    await signedIn(page, stack.server, 'jumin1');
    await page.getByTestId('elder-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.elder)).toBe('on');
    await page.goto(`${stack.server.url}/consultations`);
    await page.getByTestId('consultations-mine').waitFor();
    await page.locator('[data-testid="mine-empty"], [data-testid="my-consultation"]').first().waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'consultations-mine-phone-elder');

    await page.getByTestId('ask-start').click();
    await page.waitForURL(/\/consultations\/ask/);
    const question = page.getByTestId('ask-question');
    await expect.poll(() => question.textContent()).toBe('替谁咨询？');
    await page.getByTestId('ask-who').getByText('王桂英').click();
    await expect.poll(() => question.textContent()).toBe('想问哪方面的事？');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'consultations-ask-area-phone-elder');
    await page.getByTestId('ask-area-policy').click();
    await expect.poll(() => question.textContent()).toBe('用一句话说说是什么事');
    await page.getByTestId('ask-subject').fill(SUBJECT);
    await page.getByTestId('ask-next').click();
    await page.getByTestId('ask-body').fill(BODY);
    await page.getByTestId('ask-next').click();
    await expect.poll(() => question.textContent()).toBe('有照片吗？（可以不拍）');
    // The camera input: accept images, capture from the phone's camera.
    const input = page.getByTestId('photo-input');
    expect(await input.getAttribute('accept')).toBe('image/*');
    expect(await input.getAttribute('capture')).toBe('environment');
    await input.setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('.xq-cons-photo img').waitFor();
    await shot(page, 'consultations-ask-photo-phone-elder');
    await page.getByTestId('ask-next').click();
    await page.getByTestId('ask-summary').waitFor();
    expect(await page.getByTestId('ask-summary').textContent()).toContain(SUBJECT);
    await page.getByTestId('ask-submit').click();

    await page.waitForURL(/\/consultations\/[0-9a-f-]{36}$/);
    threadUrl = new URL(page.url()).pathname;
    await expect.poll(() => page.getByTestId('thread-subject').textContent()).toBe(SUBJECT);
    await expect.poll(() => page.getByTestId('message').count()).toBe(1);
    await page.getByTestId('photo-thumb').first().waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'consultations-thread-resident-asked-phone-elder');
    await page.context().close();
  });

  it('shegong1 sees it in the inbox, replies, and publishes a de-identified FAQ entry', async () => {
    const page = await newPage(stack.browser, DESKTOP);
    await signedIn(page, stack.server, 'shegong1');
    await page.goto(`${stack.server.url}/consultations`);
    await page.getByTestId('consultations-inbox').waitFor();
    await page.getByTestId('consultation-list').waitFor();
    const row = await findInInbox(page, SUBJECT);
    expect(await page.getByTestId('due-text').first().textContent()).toMatch(/内答复/);
    // The demo history leaves a thread past its deadline: red, with how long, listed first.
    const firstRow = page.locator('[data-testid="consultation-list"] tr.ant-table-row').first();
    if (await page.getByTestId('overdue-row').count()) expect(await firstRow.getByTestId('overdue-text').textContent()).toMatch(/已超时/);
    await shot(page, 'consultations-inbox-desktop');
    await row.click();
    await page.waitForURL((u) => u.pathname === threadUrl);
    await page.getByTestId('thread-assign-me').click();
    await expect.poll(() => page.getByTestId('thread-assignee').textContent()).toContain('张社工');
    await page.getByTestId('reply-text').fill(ANSWER);
    await page.getByTestId('reply-send').click();
    await expect.poll(() => page.getByTestId('message').count()).toBe(2);
    await expect.poll(() => page.getByTestId('consultation-status').getAttribute('data-status')).toBe('answered');

    await page.getByTestId('thread-publish').click();
    const dialog = page.locator('.ant-modal').filter({ has: page.getByTestId('faq-question') });
    await page.getByTestId('faq-question').waitFor();
    // The draft comes from the thread, without the resident's name.
    expect(await page.getByTestId('faq-answer').inputValue()).toBe(ANSWER);
    await page.getByTestId('faq-question').fill('王桂英问：八十岁以上老人怎么申请高龄补贴？');
    await page.getByTestId('dialog-ok').click();
    // The server refuses the name, next to the field.
    await expect.poll(() => dialog.textContent()).toContain('含有个人信息');
    await shot(page, 'consultations-publish-refused-desktop');
    await page.getByTestId('faq-question').fill(FAQ_Q);
    await page.getByTestId('dialog-ok').click();
    await page.getByTestId('thread-faqs').waitFor();
    expect(await page.getByTestId('thread-faqs').textContent()).toContain(FAQ_Q);
    await shot(page, 'consultations-thread-staff-desktop');

    // The inbox on a phone: cards, nothing wider than the screen.
    await page.setViewportSize(PHONE);
    // Answered now: no longer in the default 待答复 view.
    await page.goto(`${stack.server.url}/consultations?status=answered`);
    await page.getByTestId('consultation-list').waitFor();
    await findInInbox(page, SUBJECT);
    expect(await fitsWidth(page)).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenful(page, 'consultations-inbox-phone');
    await page.goto(`${stack.server.url}${threadUrl}`);
    await expect.poll(() => page.getByTestId('message').count()).toBe(2);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'consultations-thread-staff-phone');
    await page.context().close();
  });

  it('jumin1 sees the answer', async () => {
    const page = await newPage(stack.browser, PHONE);
    await signedIn(page, stack.server, 'jumin1');
    await page.goto(`${stack.server.url}/consultations`);
    const mine = page.getByTestId('my-consultation').filter({ hasText: SUBJECT });
    await mine.waitFor();
    expect(await mine.textContent()).toContain('已答复');
    await mine.click();
    await expect.poll(() => page.getByTestId('message').count()).toBe(2);
    const staff = page.locator('[data-testid="message"][data-side="staff"]');
    expect(await staff.textContent()).toContain(ANSWER);
    expect(await staff.textContent()).toContain('张社工');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'consultations-thread-resident-answered-phone');
    await page.context().close();
  });

  it('the FAQ entry is on /faq without signing in, searchable, on a phone', async () => {
    const page = await newPage(stack.browser, PHONE);
    // Reached from the login page's footer.
    await page.goto(`${stack.server.url}/login`);
    await page.getByTestId('login-faq').click();
    await page.waitForURL((u) => u.pathname === '/faq');
    await page.getByTestId('faq-page').waitFor();
    const item = page.getByTestId('faq-item').filter({ hasText: FAQ_Q });
    await item.waitFor();
    expect(await item.textContent()).toContain(ANSWER);
    expect(await page.getByTestId('faq-page').textContent()).not.toContain('王桂英');
    expect(new URL(page.url()).pathname).toBe('/faq');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'faq-public-phone');
    await page.getByTestId('faq-search').locator('input').fill('修水管');
    await page.getByTestId('faq-search').locator('input').press('Enter');
    await page.getByTestId('faq-empty').waitFor();
    await page.getByTestId('faq-search').locator('input').fill('高龄补贴');
    await page.getByTestId('faq-search').locator('input').press('Enter');
    await item.waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('高龄补贴');
    await page.context().close();
  });

  it('station settings: the head edits them, a worker reads them', async () => {
    const page = await newPage(stack.browser, DESKTOP);
    await signedIn(page, stack.server, 'zhanzhang');
    await page.goto(`${stack.server.url}/services?tab=settings`);
    await page.getByTestId('station-settings').waitFor();
    await page.getByTestId('office-add-6').click();
    await page.locator('input[data-testid="settings-response-hours"], [data-testid="settings-response-hours"] input').fill('4');
    await page.getByTestId('settings-save').click();
    await page.getByText('站点设置已保存').waitFor();
    await shot(page, 'station-settings-head-desktop');
    await page.locator('input[data-testid="settings-visit-high"], [data-testid="settings-visit-high"] input').fill('40');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('station-settings').textContent()).toContain('风险越高走访越勤');
    await page.context().close();

    const worker = await newPage(stack.browser, PHONE);
    await signedIn(worker, stack.server, 'shegong1');
    await worker.goto(`${stack.server.url}/services?tab=settings`);
    await worker.getByTestId('settings-readonly').waitFor();
    expect(await worker.getByTestId('settings-save').count()).toBe(0);
    expect(await worker.locator('input[data-testid="settings-response-hours"], [data-testid="settings-response-hours"] input').inputValue()).toMatch(/^4(\.0)?$/);
    expect(await fitsWidth(worker)).toBe(true);
    await shot(worker, 'station-settings-worker-phone');
    await worker.context().close();
  });

  it('station settings: a save over someone else’s newer change is refused, explained and reloaded', async () => {
    const input = (p: Page, id: string) => p.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`);
    const a = await newPage(stack.browser, PHONE);
    await signedIn(a, stack.server, 'zhanzhang');
    await a.goto(`${stack.server.url}/services?tab=settings`);
    await a.getByTestId('settings-save').waitFor();
    // Meanwhile the head saves from another device.
    const b = await newPage(stack.browser, DESKTOP);
    await signedIn(b, stack.server, 'zhanzhang');
    await b.goto(`${stack.server.url}/services?tab=settings`);
    await b.getByTestId('settings-save').waitFor();
    await input(b, 'settings-complaint-days').fill('9');
    await b.getByTestId('settings-save').click();
    await b.getByText('站点设置已保存').waitFor();
    await b.context().close();
    // The first device still shows the old settings; its save is refused and the new ones load.
    await input(a, 'settings-response-hours').fill('6');
    await a.getByTestId('settings-save').click();
    await a.getByTestId('settings-conflict').waitFor();
    expect(await a.getByTestId('settings-conflict').textContent()).toContain('其他人刚刚修改了站点设置');
    await expect.poll(() => input(a, 'settings-complaint-days').inputValue()).toBe('9');
    expect(await fitsWidth(a)).toBe(true);
    await shot(a, 'station-settings-conflict-phone');
    // Saving again now works.
    await input(a, 'settings-response-hours').fill('6');
    await a.getByTestId('settings-save').click();
    await a.getByText('站点设置已保存').waitFor();
    await a.context().close();
  });
});
