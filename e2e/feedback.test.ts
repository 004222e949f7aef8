import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable, DESKTOP, fitsWidth, login, newPage, PHONE, SCREENSHOTS, shot, useStack, type Server } from './harness.js';

async function signedIn(page: Page, server: Server, username: string) {
  await login(page, server, username);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** The first screenful only (what a phone user sees without scrolling). */
async function screenful(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** Call the API from the signed-in page (its session cookie and CSRF token). */
async function call<T>(page: Page, method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  const res = await page.evaluate(
    async ({ method, url, body }) => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('xq_csrf='))?.slice(8) ?? '';
      const r = await fetch(url, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: r.status, text: await r.text() };
    },
    { method, url, body },
  );
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${res.text}`);
  return JSON.parse(res.text) as T;
}

const COMMENT = '张社工讲得很清楚，很耐心。';
const COMPLAINT = '活动室冬天太冷';

describe.skipIf(!browserAvailable)('feedback: a resident rates a completed service and complains; the station sees both', () => {
  const stack = useStack();
  let recordId = '';
  let appointmentId = '';
  let before = 0; // 张社工's ratings in the satisfaction report before jumin1 rates
  let residentId = ''; // 王桂英

  it('shegong1 books, checks in and completes a service for 王桂英 (jumin1) through the API', async () => {
    const resident = await newPage(stack.browser, DESKTOP);
    await signedIn(resident, stack.server, 'jumin1');
    const whom = await call<{ items: { id: string; name: string; relation: string }[] }>(resident, 'GET', '/api/appointments/residents');
    const self = whom.items.find((r) => r.relation === 'self')!;
    expect(self.name).toBe('王桂英');
    residentId = self.id;
    await resident.context().close();

    const page = await newPage(stack.browser, DESKTOP);
    await signedIn(page, stack.server, 'shegong1');
    const me = await call<{ user: { id: string } }>(page, 'GET', '/api/auth/me');
    const types = await call<{ items: { id: string; name: string; mode: string; active: boolean; workerIds: string[] }[] }>(page, 'GET', '/api/service-types?limit=100');
    const type = types.items.find((s) => s.active && s.mode === 'station' && s.workerIds.includes(me.user.id));
    expect(type, 'a station service shegong1 delivers').toBeTruthy();
    const from = new Date();
    const to = new Date(from.getTime() + 14 * 86_400_000);
    const slots = await call<{ items: { start: string; workerId: string }[] }>(page, 'GET', `/api/slots?serviceTypeId=${type!.id}&from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}&workerId=${me.user.id}`);
    const slot = slots.items[0]!;
    type A = { appointment: { id: string; version: number; serviceRecordId: string | null } };
    let a = (await call<A>(page, 'POST', '/api/appointments', { serviceTypeId: type!.id, residentId: self.id, start: slot.start, workerId: me.user.id })).appointment;
    a = (await call<A>(page, 'POST', `/api/appointments/${a.id}/check-in`, { version: a.version })).appointment;
    a = (await call<A>(page, 'POST', `/api/appointments/${a.id}/complete`, { version: a.version, summary: '讲解高龄津贴政策，核对材料。' })).appointment;
    expect(a.serviceRecordId).toBeTruthy();
    recordId = a.serviceRecordId!;
    const own = await call<{ byWorker: { id: string; count: number }[] }>(page, 'GET', '/api/feedback/satisfaction');
    before = own.byWorker.find((w) => w.id === me.user.id)?.count ?? 0;
    appointmentId = a.id;
    await page.context().close();
  });

  it('jumin1 sees 评价 on the completed appointment, gives 5 stars with a comment on a phone in elder mode', async () => {
    expect(recordId, 'completed above').not.toBe('');
    const page = await newPage(stack.browser, PHONE);
    await signedIn(page, stack.server, 'jumin1');
    await page.getByTestId('elder-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.elder)).toBe('on');

    await page.goto(`${stack.server.url}/appointments`);
    const card = page.locator(`[data-testid="my-appointment"][data-id="${appointmentId}"]`);
    await card.waitFor();
    const rateButton = card.getByTestId('my-rate');
    await rateButton.waitFor();
    expect(await rateButton.textContent()).toContain('评价');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'feedback-appointments-rate-button-phone-elder');
    await rateButton.click();

    await page.waitForURL(new RegExp(`/feedback/rate/${recordId}$`));
    await page.getByTestId('rate-page').waitFor();
    expect(await page.getByTestId('rate-question').textContent()).toBe('这次服务您满意吗？');
    await page.getByTestId('stars-5').click();
    expect(await page.getByTestId('stars-text').textContent()).toBe('非常满意');
    // Big targets: each star at least 60 px tall in elder mode.
    const box = await page.getByTestId('stars-5').boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(60);
    expect(await fitsWidth(page)).toBe(true);
    await screenful(page, 'feedback-rate-1-stars-phone-elder');
    await page.getByTestId('rate-next').click();

    expect(await page.getByTestId('rate-question').textContent()).toContain('还有什么想说的吗');
    await page.getByTestId('rate-comment').fill(COMMENT);
    await screenful(page, 'feedback-rate-2-comment-phone-elder');
    await page.getByTestId('rate-submit').click();
    await page.getByTestId('rate-thanks').waitFor();
    expect(await page.getByTestId('rate-thanks').textContent()).toContain('谢谢您的评价');
    expect(await fitsWidth(page)).toBe(true);
    await screenful(page, 'feedback-rate-3-thanks-phone-elder');

    // Rated: the button is gone, and the record no longer waits on the feedback page.
    await page.goto(`${stack.server.url}/appointments`);
    await card.waitFor();
    await expect.poll(() => card.getByTestId('my-rate').count()).toBe(0);
    await page.goto(`${stack.server.url}/feedback`);
    await page.getByTestId('feedback-resident').waitFor();
    await expect.poll(() => page.locator(`[data-testid="to-rate-card"][data-id="${recordId}"]`).count()).toBe(0);
    await page.context().close();
  });

  it('jumin1 sends a complaint from the feedback page and sees it waiting', async () => {
    const page = await newPage(stack.browser, PHONE);
    await signedIn(page, stack.server, 'jumin1');
    await page.goto(`${stack.server.url}/feedback`);
    await page.getByTestId('feedback-new').click();
    await page.getByTestId('feedback-form').waitFor();
    await page.getByTestId('feedback-form').getByText('投诉', { exact: true }).click();
    await page.getByTestId('item-subject').fill(COMPLAINT);
    await page.getByTestId('item-body').fill('上周三下午活动室没有开暖气，老人坐不住。');
    // 针对哪位工作人员: optional, the workers who served her lately first; the form says who reads what.
    expect(await page.getByTestId('item-about-hint').textContent()).toContain('不选：本站所有工作人员都能看到');
    await page.getByTestId('item-about-worker').click();
    const served = page.locator('.ant-select-dropdown').getByText('最近为您服务过的');
    await served.waitFor();
    await page.locator('.ant-select-dropdown .ant-select-item-option').filter({ hasText: '张社工' }).first().waitFor();
    // Let the dropdown's opening animation finish before the picture.
    await expect.poll(() => page.locator('.ant-select-dropdown').first().evaluate((e) => getComputedStyle(e).opacity)).toBe('1');
    await page.waitForTimeout(300);
    expect(await fitsWidth(page)).toBe(true);
    await screenful(page, 'feedback-complaint-about-worker-phone');
    // This one is about the room, not a person: left empty, so the station's workers handle it.
    await page.keyboard.press('Escape');
    await page.locator('.ant-select-dropdown').first().waitFor({ state: 'hidden' });
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'feedback-complaint-form-phone');
    await page.getByTestId('item-submit').click();
    await page.waitForURL(/\/feedback\/mine/);
    await page.getByTestId('item-sent').waitFor();
    const mine = page.getByTestId('my-item').filter({ hasText: COMPLAINT });
    await mine.waitFor();
    expect(await mine.getByTestId('item-status').textContent()).toBe('待处理');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'feedback-mine-phone');
    await page.context().close();
  });

  it('the station head sees the rating in 满意度 and the complaint in 投诉, on desktop and at 375 px', async () => {
    for (const [size, label] of [[DESKTOP, 'desktop'], [PHONE, 'phone']] as const) {
      const page = await newPage(stack.browser, size);
      await signedIn(page, stack.server, 'zhanzhang');
      await page.goto(`${stack.server.url}/feedback/satisfaction`);
      const byWorker = page.getByTestId('by-worker');
      await byWorker.waitFor();
      expect(await byWorker.textContent()).toContain('张社工');
      await page.getByTestId('chart-by-worker').locator('canvas').waitFor();
      expect(await fitsWidth(page)).toBe(true);
      await shot(page, `feedback-satisfaction-${label}`);
      // The table view of the same numbers.
      await page.getByTestId('satisfaction-view').getByText('表格').click();
      // jumin1's rating is counted: one more than before it was given.
      const row = byWorker.locator('tr').filter({ hasText: '张社工' });
      await row.waitFor();
      expect(await row.locator('td').nth(1).textContent()).toBe(String(before + 1));

      // The rating itself, with the resident's words, under the charts.
      const recent = page.locator(`[data-testid="recent-rating"][data-id="${recordId}"]`);
      await recent.waitFor();
      expect(await recent.textContent()).toContain(COMMENT);
      expect(await recent.textContent()).toContain('非常满意');

      const ratings = await call<{ items: { serviceRecordId: string; score: number; comment: string | null }[] }>(page, 'GET', '/api/ratings?limit=100');
      expect(ratings.items.find((r) => r.serviceRecordId === recordId)).toMatchObject({ score: 5, comment: COMMENT });

      await page.goto(`${stack.server.url}/feedback/complaints`);
      const complaint = page.getByTestId('item-card').filter({ hasText: COMPLAINT });
      await complaint.waitFor();
      expect(await complaint.getByTestId('item-deadline').textContent()).toMatch(/剩 \d+ 天|今天到期/);
      expect(await fitsWidth(page)).toBe(true);
      await shot(page, `feedback-complaints-${label}`);
      await page.context().close();
    }
  });

  it('shegong1 answers the complaint from the complaints tab on a phone; jumin1 reads the answer', async () => {
    const page = await newPage(stack.browser, PHONE);
    await signedIn(page, stack.server, 'shegong1');
    await page.goto(`${stack.server.url}/feedback/complaints`);
    const complaint = page.getByTestId('item-card').filter({ hasText: COMPLAINT });
    await complaint.waitFor();
    await complaint.getByTestId('item-respond').click();
    await page.getByTestId('item-response').fill('已请后勤开暖气，每天下午两点前开好。');
    await page.getByTestId('item-response-save').click();
    // Answered complaints leave the "not settled" list.
    await expect.poll(() => page.getByTestId('item-card').filter({ hasText: COMPLAINT }).count()).toBe(0);
    await page.context().close();

    const resident = await newPage(stack.browser, PHONE);
    await signedIn(resident, stack.server, 'jumin1');
    await resident.goto(`${stack.server.url}/feedback/mine`);
    const mine = resident.getByTestId('my-item').filter({ hasText: COMPLAINT });
    await mine.waitFor();
    await expect.poll(() => mine.getByTestId('item-status').textContent()).toBe('已答复');
    expect(await mine.getByTestId('my-item-response').textContent()).toContain('已请后勤开暖气');
    await shot(resident, 'feedback-mine-answered-phone');
    await resident.context().close();
  });

  it('刘社工 registers a phoned-in complaint about 张社工 at 375 px: the head sees it, 张社工 never does', async () => {
    const SUBJECT = '上门迟到一小时';
    const page = await newPage(stack.browser, PHONE);
    await signedIn(page, stack.server, 'shegong2');
    await page.goto(`${stack.server.url}/feedback/complaints`);
    await page.getByTestId('item-register').click();
    const dialog = page.locator('.ant-modal');
    await dialog.getByText('投诉', { exact: true }).click();
    expect(await dialog.getByTestId('register-about-hint').textContent()).toContain('只有站长能看到');
    await dialog.getByTestId('register-about-worker').click();
    await page.locator('.ant-select-dropdown .ant-select-item-option').filter({ hasText: '张社工' }).first().click();
    await page.locator('.ant-select-dropdown').first().waitFor({ state: 'hidden' });
    await dialog.getByLabel('标题').fill(SUBJECT);
    await dialog.getByLabel('具体内容').fill('居民来电：约好九点上门，十点才到。');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'feedback-register-complaint-about-worker-phone');
    await dialog.getByRole('button', { name: '提交' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.context().close();

    const named = await newPage(stack.browser, PHONE);
    await signedIn(named, stack.server, 'shegong1');
    const list = await call<{ items: { subject: string }[] }>(named, 'GET', '/api/feedback-items?kind=complaint&limit=100');
    expect(list.items.map((i) => i.subject)).not.toContain(SUBJECT);
    await named.goto(`${stack.server.url}/feedback/complaints?show=all`);
    await named.getByTestId('feedback-tabs').waitFor();
    await named.waitForLoadState('networkidle');
    expect(await named.getByTestId('item-card').filter({ hasText: SUBJECT }).count()).toBe(0);
    await named.context().close();

    const head = await newPage(stack.browser, PHONE);
    await signedIn(head, stack.server, 'zhanzhang');
    await head.goto(`${stack.server.url}/feedback/complaints`);
    const card = head.getByTestId('item-card').filter({ hasText: SUBJECT });
    await card.waitFor();
    expect(await card.textContent()).toContain('张社工');
    await head.context().close();
  });

  it('shegong1 records a phone rating from the follow-up list in two taps (a colleague’s service, not their own)', async () => {
    expect(residentId, 'found above').not.toBe('');
    // The stack starts without demo history: two services recorded by hand today, one by 刘社工, one by 张社工.
    const manual = async (username: string) => {
      const p = await newPage(stack.browser, DESKTOP);
      await signedIn(p, stack.server, username);
      const start = new Date(Date.now() - 2 * 3_600_000);
      const r = await call<{ record: { id: string } }>(p, 'POST', '/api/service-records', {
        residentId,
        method: 'phone',
        start: start.toISOString(),
        end: new Date(start.getTime() + 1_800_000).toISOString(),
        summary: '电话了解近况，提醒按时服药。',
      });
      await p.context().close();
      return r.record.id;
    };
    const id = await manual('shegong2');
    const ownId = await manual('shegong1');

    const page = await newPage(stack.browser, PHONE);
    await signedIn(page, stack.server, 'shegong1');
    await page.goto(`${stack.server.url}/feedback/follow-up`);
    const card = page.locator(`[data-testid="follow-up-card"][data-id="${id}"]`);
    await card.waitFor();
    // Their own service waits for someone else: no stars, a note instead.
    const own = page.locator(`[data-testid="follow-up-card"][data-id="${ownId}"]`);
    await own.getByTestId('follow-up-own').waitFor();
    expect(await own.getByTestId('follow-up-stars-4').count()).toBe(0);
    expect(await fitsWidth(page)).toBe(true);
    await screenful(page, 'feedback-follow-up-phone');
    await card.getByTestId('follow-up-stars-4').click();
    await card.getByTestId('follow-up-save').click();
    // Saved: a confirmation, and the service leaves the list.
    await page.locator('.ant-message').getByText('已记录 4 分').waitFor();
    await expect.poll(() => card.count()).toBe(0);
    await screenful(page, 'feedback-follow-up-saved-phone');
    // shegong1 recorded it but reads no colleague's scores; 刘社工, whose service it was, does.
    const rated = await call<{ rated: boolean; rating: { score: number; channel: string } | null }>(page, 'GET', `/api/feedback/to-rate/${id}`);
    expect(rated).toMatchObject({ rated: true, rating: null });
    await page.context().close();
    const worker = await newPage(stack.browser, DESKTOP);
    await signedIn(worker, stack.server, 'shegong2');
    const theirs = await call<{ rating: { score: number; channel: string } | null }>(worker, 'GET', `/api/feedback/to-rate/${id}`);
    expect(theirs.rating).toMatchObject({ score: 4, channel: 'phone' });
    await worker.context().close();
  });
});
