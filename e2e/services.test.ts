import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable, DESKTOP, fitsWidth, login, newPage, PHONE, shot, useStack } from './harness.js';

/** A Tuesday–Thursday three weeks ahead (China time), past the demo's absences in the next 12 working days. */
function targetDay(): string {
  const shanghai = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
  for (let i = 21; ; i++) {
    const d = shanghai(Date.now() + i * 86_400_000);
    const w = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (w >= 2 && w <= 4) return d;
  }
}

async function pickOption(page: Page, testId: string, label: string) {
  await page.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: label }).first().click();
  await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden', timeout: 2000 }).catch(() => undefined);
}

describe.skipIf(!browserAvailable)('services: catalogue, hours, leave and the slots they make', () => {
  const stack = useStack();
  const name = '就业指导（测试）';
  const day = targetDay();

  it('a station head creates a service type, sets a worker\'s hours, marks a leave day and sees the slots change', async () => {
    const page = await newPage(stack.browser, DESKTOP);
    await login(page, stack.server, 'zhanzhang');
    await page.getByTestId('nav-services').click();
    await page.waitForURL(/\/services/);

    // 1. A new service type, delivered by the head.
    await page.getByTestId('service-create').click();
    await page.getByTestId('service-name').fill(name);
    await page.locator('input#durationMinutes').fill('60');
    await pickOption(page, 'service-workers', '李站长');
    await page.keyboard.press('Escape');
    await shot(page, 'services-create');
    await page.getByTestId('service-save').click();
    const row = page.locator('[data-testid="services-table"] .ant-table-row').filter({ hasText: name });
    await row.waitFor();
    expect(await row.textContent()).toContain('李站长');
    expect(await row.textContent()).toContain('60分钟');
    await shot(page, 'services-catalogue');

    // 2. Weekly hours for the head: Monday morning and afternoon, copied to Tuesday–Friday.
    await page.getByTestId('tab-schedule').click();
    await pickOption(page, 'schedule-worker', '李站长');
    // Edit only once the editor shows the head's own hours. The editor remounts per worker, and the
    // pick reaches the page through a router transition that may land late: until the select itself
    // reads 李站长, "picked === shown" can still be true of the previous worker.
    await expect
      .poll(async () => {
        const label = await page.getByTestId('schedule-worker').textContent().catch(() => null);
        const picked = await page.getByTestId('schedule-worker-picked').getAttribute('data-worker');
        const shown = await page.getByTestId('hours-editor').getAttribute('data-worker').catch(() => null);
        return label?.includes('李站长') === true && !!picked && picked === shown;
      })
      .toBe(true);
    const monday = page.getByTestId('hours-day-1');
    await monday.waitFor();
    const inputs = monday.locator('input[type="time"]');
    for (let n = await inputs.count(); n > 0; n -= 2) {
      await monday.getByRole('button', { name: '删除时段' }).first().click();
      await expect.poll(() => inputs.count()).toBe(n - 2);
    }
    await page.getByTestId('hours-add-1').click();
    await expect.poll(() => inputs.count()).toBe(2);
    await page.getByTestId('hours-add-1').click();
    await expect.poll(() => inputs.count()).toBe(4);
    expect(await inputs.nth(2).inputValue()).toBe('14:00');
    await page.getByTestId('hours-copy').click();
    await page.getByTestId('hours-save').click();
    await page.getByText('上班时间已保存').waitFor();

    // 3. The preview lists the free hours of that day: 08:30, 09:30, 10:30, 14:00, 15:00, 16:00.
    await pickOption(page, 'preview-service', name);
    await page.getByTestId('preview-day').fill(day);
    await expect.poll(() => page.getByTestId('preview-count').textContent()).toBe('共6个空闲时间');
    expect(await page.getByTestId('preview-slots').textContent()).toContain('08:30–09:30');
    await shot(page, 'services-schedule');

    // 4. A whole day of leave takes every slot away; removing it brings them back.
    await page.getByTestId('exception-date').fill(day);
    await page.getByTestId('exception-add').click();
    await page.getByText('已登记').waitFor();
    await expect.poll(() => page.getByTestId('preview-count').textContent()).toBe('共0个空闲时间');
    await page.getByText('这一天没有空闲时间').waitFor();
    await shot(page, 'services-leave');
    await page.getByTestId(`exception-remove-${day}`).click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await expect.poll(() => page.getByTestId('preview-count').textContent()).toBe('共6个空闲时间');

    // 5. The holiday calendar lists 2026's 调休 days.
    await page.goto(`${stack.server.url}/services?tab=calendar&year=2026`);
    await page.locator('[data-testid="calendar-table"]').getByText('国庆节调休上班').first().waitFor();
    await shot(page, 'services-calendar');
    await page.context().close();
  });

  it('works on a phone at 375 px, and reads only for a social worker', async () => {
    const page = await newPage(stack.browser, PHONE);
    await login(page, stack.server, 'zhanzhang');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`${stack.server.url}/services`);
    await page.locator('[data-testid="services-table"] .xq-card-row').filter({ hasText: name }).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'services-phone-catalogue');
    await page.getByTestId('tab-schedule').click();
    await pickOption(page, 'schedule-worker', '李站长');
    await page.getByTestId('hours-day-5').locator('input[type="time"]').first().waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'services-phone-schedule');
    // The same page in English.
    await page.getByTestId('lang-switch').click();
    await page.getByText('Weekly working hours').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'services-phone-schedule-en');
    await page.getByTestId('lang-switch').click();
    await page.getByText('每周上班时间').waitFor();
    await page.context().close();

    const worker = await newPage(stack.browser, DESKTOP);
    await login(worker, stack.server, 'shegong1');
    await worker.waitForURL((u) => !u.pathname.startsWith('/login'));
    await worker.goto(`${stack.server.url}/services`);
    await worker.getByText('只有站长可以修改服务项目和排班').waitFor();
    await worker.locator('[data-testid="services-table"] .ant-table-row').filter({ hasText: name }).waitFor();
    expect(await worker.getByTestId('service-create').count()).toBe(0);
    await worker.context().close();
  });
});
