import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable, DESKTOP, fitsWidth, login, newPage, PHONE, shot, useStack, type Server } from './harness.js';

async function signedIn(page: Page, server: Server, username: string) {
  await login(page, server, username);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

const TITLE = '需要助餐送饭';
const OUTCOME = '已联系村里的助餐点，每天中午送餐上门，第一次已送到。';

describe.skipIf(!browserAvailable)('service requests: a resident raises a need, a worker assigns the volunteer, the volunteer fulfils it, the resident sees it done', () => {
  const stack = useStack();
  let requestId = '';

  it('jumin1 raises a need on a phone, one question per screen', async () => {
    const page = await newPage(stack.browser, PHONE);
    await signedIn(page, stack.server, 'jumin1');
    await page.getByTestId('elder-toggle').click();
    await page.goto(`${stack.server.url}/requests`);
    await page.getByTestId('requests-mine').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await page.getByTestId('raise-start').click();
    await page.waitForURL(/\/requests\/new/);
    const raise = page.getByTestId('raise-need');
    // jumin1 acts for 王桂英 and her grandson: first, for whom.
    await expect.poll(() => raise.getAttribute('data-step')).toBe('who');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'requests-raise-1-who-phone-elder');
    await raise.getByRole('button', { name: '王桂英' }).click();
    await page.getByTestId('raise-next').click();
    await expect.poll(() => raise.getAttribute('data-step')).toBe('area');
    await page.getByTestId('raise-area-elderly_care').click();
    await shot(page, 'requests-raise-2-area-phone-elder');
    await page.getByTestId('raise-next').click();
    await expect.poll(() => raise.getAttribute('data-step')).toBe('what');
    await page.getByTestId('raise-title').fill(TITLE);
    await page.getByTestId('raise-description').fill('腿脚不便，做饭困难，希望每天中午有人送饭。');
    await page.getByTestId('raise-next').click();
    await expect.poll(() => raise.getAttribute('data-step')).toBe('urgency');
    await page.getByTestId('raise-urgency-high').click();
    await page.getByTestId('raise-next').click();
    await expect.poll(() => raise.getAttribute('data-step')).toBe('confirm');
    const confirm = page.getByTestId('raise-confirm');
    expect(await confirm.textContent()).toContain(TITLE);
    expect(await confirm.textContent()).toContain('王桂英');
    expect(await confirm.textContent()).toContain('较急');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'requests-raise-3-confirm-phone-elder');
    await page.getByTestId('raise-submit').click();
    await page.getByTestId('raised-alert').waitFor();
    const card = page.getByTestId('my-request').filter({ hasText: TITLE });
    await card.waitFor();
    expect(await card.getAttribute('data-status')).toBe('open');
    requestId = (await card.getAttribute('data-id')) ?? '';
    expect(requestId).not.toBe('');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'requests-mine-open-phone-elder');
    await page.context().close();
  });

  it('shegong1 finds it on the board, reads the ranked candidates and assigns 周志愿 in one tap', async () => {
    const page = await newPage(stack.browser, DESKTOP);
    await signedIn(page, stack.server, 'shegong1');
    await page.goto(`${stack.server.url}/requests`);
    const card = page.getByTestId('board-column-open').locator(`[data-testid="request-card"][data-id="${requestId}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain('较急');
    await shot(page, 'requests-board-desktop');
    await card.click();
    await page.waitForURL(new RegExp(`/requests/${requestId}$`));
    const candidates = page.getByTestId('candidate');
    await expect.poll(() => candidates.count()).toBeGreaterThan(2);
    const vol = candidates.filter({ hasText: '周志愿' });
    const why = (await vol.getByTestId('candidate-why').textContent()) ?? '';
    expect(why).toContain('擅长养老服务');
    expect(why).toContain('志愿者，随叫随到');
    const other = candidates.filter({ hasText: '刘社工' });
    expect(await other.getByTestId('candidate-why').textContent()).toContain('不擅长养老服务');
    // Scores run best first.
    const scores = (await candidates.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-score')))));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    await shot(page, 'requests-candidates-desktop');
    await vol.getByTestId('candidate-assign').click();
    await expect.poll(() => page.getByTestId('request-assignee').textContent()).toBe('周志愿');
    await expect.poll(() => page.getByTestId('request-detail').getAttribute('data-status')).toBe('assigned');

    // The same board on a phone: one list with status tabs.
    await page.setViewportSize(PHONE);
    await page.goto(`${stack.server.url}/requests?status=assigned`);
    await page.getByTestId('board-list-assigned').locator(`[data-id="${requestId}"]`).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'requests-board-phone');
    await page.goto(`${stack.server.url}/requests/${requestId}`);
    await page.getByTestId('request-detail').waitFor();
    await page.getByTestId('request-candidates').waitFor();
    await expect.poll(() => page.getByTestId('candidate').count()).toBeGreaterThan(2);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'requests-detail-candidates-phone');
    await page.context().close();
  });

  it('zhiyuan1 sees the task on a phone, starts and fulfils it', async () => {
    const page = await newPage(stack.browser, PHONE);
    await signedIn(page, stack.server, 'zhiyuan1');
    await page.goto(`${stack.server.url}/requests`);
    await page.getByTestId('requests-tasks').waitFor();
    const card = page.locator(`[data-testid="request-card"][data-id="${requestId}"]`);
    await card.waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'requests-tasks-phone');
    await card.click();
    const detail = page.getByTestId('request-detail');
    await detail.waitFor();
    // The task only: no candidates, no ID number or phone.
    expect(await page.getByTestId('request-candidates').count()).toBe(0);
    await page.getByTestId('request-start').click();
    await expect.poll(() => detail.getAttribute('data-status')).toBe('in_progress');
    await page.getByTestId('request-fulfil').click();
    await page.getByTestId('fulfil-outcome').fill(OUTCOME);
    // Let the dialog finish opening before the picture.
    await page.waitForTimeout(400);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'requests-fulfil-phone');
    await page.getByTestId('fulfil-submit').click();
    await expect.poll(() => detail.getAttribute('data-status')).toBe('fulfilled');
    await page.getByTestId('request-record').waitFor();
    await shot(page, 'requests-fulfilled-volunteer-phone');
    await page.context().close();
  });

  it('shegong1 records a need for a resident on a phone and reads the candidates in English', async () => {
    const page = await newPage(stack.browser, PHONE);
    await signedIn(page, stack.server, 'shegong1');
    await page.goto(`${stack.server.url}/requests`);
    await page.getByTestId('request-new').click();
    await page.waitForURL(/\/requests\/new/);
    await page.getByTestId('request-resident').click();
    await page.keyboard.type('wgy');
    const who = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '王桂英' }).first();
    await who.waitFor();
    await who.click();
    await page.getByTestId('request-area').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '社会救助' }).first().click();
    await page.getByTestId('request-title-input').fill('临时救助申请协助');
    await page.getByText('紧急', { exact: true }).click();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'requests-new-staff-phone');
    await page.getByTestId('request-save').click();
    const detail = page.getByTestId('request-detail');
    await detail.waitFor();
    expect(await page.getByTestId('request-title').textContent()).toBe('临时救助申请协助');
    expect(await page.getByTestId('request-urgency').first().getAttribute('data-urgency')).toBe('urgent');
    await expect.poll(() => page.getByTestId('candidate').count()).toBeGreaterThan(2);
    // shegong1 covers 社会救助: first or second, with the reason in words.
    expect(await page.getByTestId('candidate').filter({ hasText: '张社工' }).getByTestId('candidate-why').textContent()).toContain('擅长社会救助');

    await page.getByTestId('lang-switch').click();
    await page.getByText('Recommended people').waitFor();
    const why = (await page.getByTestId('candidate').filter({ hasText: '张社工' }).getByTestId('candidate-why').textContent()) ?? '';
    expect(why).toContain('Skilled in');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'requests-detail-candidates-phone-en');
    await page.getByTestId('lang-switch').click();
    await page.getByText('推荐人选').waitFor();
    await page.context().close();
  });

  it('jumin1 sees it fulfilled with every step', async () => {
    const page = await newPage(stack.browser, PHONE);
    await signedIn(page, stack.server, 'jumin1');
    await page.goto(`${stack.server.url}/requests`);
    const card = page.locator(`[data-testid="my-request"][data-id="${requestId}"]`);
    await card.waitFor();
    expect(await card.getAttribute('data-status')).toBe('fulfilled');
    expect(await card.textContent()).toContain('周志愿');
    expect(await card.textContent()).toContain(OUTCOME);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'requests-mine-fulfilled-phone');
    await card.click();
    await page.getByTestId('request-detail').waitFor();
    await expect.poll(() => page.getByTestId('request-steps').getAttribute('data-current')).toBe('fulfilled');
    await shot(page, 'requests-detail-resident-phone');
    await page.context().close();
  });
});

describe.skipIf(!browserAvailable)('coverage: the station head sees who covers which villages and areas and changes it', () => {
  const stack = useStack();

  it('zhanzhang opens 人员分工 and gives 周志愿 a second village', async () => {
    const page = await newPage(stack.browser, DESKTOP);
    await signedIn(page, stack.server, 'zhanzhang');
    await page.goto(`${stack.server.url}/services?tab=coverage`);
    const table = page.getByTestId('coverage-table');
    await table.waitFor();
    const row = table.locator('tr', { hasText: '周志愿' });
    await row.waitFor();
    expect(await row.textContent()).toContain('养老服务');
    await shot(page, 'requests-coverage-desktop');
    await row.getByTestId('coverage-edit').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const unchecked = dialog.locator('.ant-checkbox-wrapper:not(.ant-checkbox-wrapper-checked)').first();
    const village = ((await unchecked.textContent()) ?? '').trim();
    expect(village).not.toBe('');
    const box = dialog.locator('.ant-checkbox-wrapper', { hasText: village });
    await box.click();
    await expect.poll(() => box.evaluate((el) => el.classList.contains('ant-checkbox-wrapper-checked'))).toBe(true);
    await shot(page, 'requests-coverage-edit-desktop');
    await page.getByTestId('coverage-save').click();
    await expect.poll(() => row.textContent()).toContain(village);

    await page.setViewportSize(PHONE);
    await page.reload();
    await page.getByTestId('coverage-table').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'requests-coverage-phone');
    await page.context().close();
  });
});
