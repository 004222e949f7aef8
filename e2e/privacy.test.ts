import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable, fitsWidth, login, newPage, PHONE, SCREENSHOTS, shot, useStack } from './harness.js';

/** A demo resident (first of the list) as the signed-in user sees it. */
async function firstResident(page: Page, skip = 0): Promise<{ id: string; name: string }> {
  return page.evaluate(async (n) => {
    const res = await fetch(`/api/residents?limit=${n + 1}`, { headers: { Accept: 'application/json' } });
    const body = (await res.json()) as { items: { id: string; name: string }[] };
    const r = body.items[n]!;
    return { id: r.id, name: r.name };
  }, skip);
}

async function approveFirstOpen(page: Page, name: string) {
  await page.getByTestId('nav-privacy').click();
  await page.waitForURL(/\/privacy/);
  const row = page.locator('[data-testid="deletion-table"] .ant-table-row').filter({ hasText: name });
  await row.waitFor();
  await row.locator('[data-testid^="deletion-approve-"]').click();
  await page.getByTestId('deletion-approve-confirm').click();
  // The dialog closes only when the server has answered; until then it covers the page.
  await page.getByTestId('deletion-approve-confirm').waitFor({ state: 'hidden' });
  await page.locator('.ant-modal-wrap').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
}

describe.skipIf(!browserAvailable)('privacy: deletion with two approvals, access report, record of processing', () => {
  const stack = useStack();

  it('a worker asks for deletion, the station head and the data officer approve, the record is anonymised', async () => {
    const worker = await newPage(stack.browser);
    await login(worker, stack.server, 'shegong1');
    await worker.getByTestId('nav-residents').waitFor();
    const r = await firstResident(worker);
    await worker.goto(`${stack.server.url}/residents/${r.id}`);
    await worker.getByTestId('resident-name').waitFor();
    await worker.getByTestId('privacy-request-deletion').click();
    // The modal's form must be mounted before OK is pressed (the dialog opens with an animation).
    await worker.getByTestId('deletion-request-reason').waitFor();
    // A reason is required. Under load the first press can land while the dialog is still opening,
    // so press again until the form answers (pressing with an empty reason changes nothing).
    await expect
      .poll(
        async () => {
          await worker.getByTestId('deletion-request-submit').click();
          return worker.locator('.ant-form-item-explain-error').count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBeGreaterThan(0);
    await worker.getByTestId('deletion-request-reason').fill('本人书面申请删除个人信息（已核验身份）');
    await shot(worker, 'privacy-request-deletion');
    await worker.getByTestId('deletion-request-submit').click();
    await worker.getByText('删除申请已提交').waitFor();
    await worker.context().close();

    const head = await newPage(stack.browser);
    await login(head, stack.server, 'zhanzhang');
    await head.getByTestId('nav-privacy').waitFor();
    await approveFirstOpen(head, r.name);
    await head.getByText('已批准').first().waitFor();
    const row = head.locator('[data-testid="deletion-table"] .ant-table-row').filter({ hasText: r.name });
    await expect.poll(() => row.locator('[data-testid^="approval-head-"]').textContent()).toContain('李站长');
    // The head cannot give the second approval as well.
    await expect.poll(() => row.locator('[data-testid^="deletion-approve-"]').count()).toBe(0);
    await shot(head, 'privacy-head-approved');
    await head.context().close();

    const officer = await newPage(stack.browser);
    await login(officer, stack.server, 'shuju');
    await officer.getByTestId('nav-privacy').waitFor();
    await approveFirstOpen(officer, r.name);
    // The toast (not the filter's own label) says the record was anonymised.
    await officer.locator('.ant-message-notice').filter({ hasText: '已匿名化' }).waitFor();
    await officer.getByTestId('deletion-status-filter').getByText('已匿名化').click();
    await officer.waitForURL(/status=executed/);
    await officer.locator('[data-testid="deletion-table"] .ant-table-row').first().waitFor();
    await shot(officer, 'privacy-executed-desktop');

    await officer.goto(`${stack.server.url}/residents/${r.id}`);
    await expect.poll(() => officer.getByTestId('resident-name').textContent()).toMatch(/^已匿名/);
    expect(await officer.getByTestId('privacy-request-deletion').count()).toBe(0);
    expect(await officer.getByTestId('resident-edit').count()).toBe(0);
    await shot(officer, 'privacy-resident-anonymised');

    await officer.setViewportSize(PHONE);
    await officer.goto(`${stack.server.url}/privacy?status=executed`);
    await officer.locator('[data-testid="deletion-table"] .xq-card-row').first().waitFor();
    expect(await fitsWidth(officer)).toBe(true);
    await shot(officer, 'privacy-executed-phone');
    await officer.context().close();
  });

  it('a worker hands a resident a copy of their data: reason, printable report, Excel', async () => {
    const page = await newPage(stack.browser);
    await login(page, stack.server, 'shegong1');
    await page.getByTestId('nav-residents').waitFor();
    const r = await firstResident(page, 1);
    await page.goto(`${stack.server.url}/residents/${r.id}`);
    await page.getByTestId('privacy-access-report').click();
    await page.waitForURL(/access-report/);
    await page.getByTestId('report-reason').fill('本人到站申请查阅（已核验身份证）');
    await page.getByTestId('report-generate').click();
    await page.getByTestId('access-report').waitFor();
    await expect.poll(() => page.getByTestId('report-profile').textContent()).toMatch(/430181\d{11}[\dX]/);
    expect(await page.getByTestId('report-station').textContent()).toContain('大瑶镇');
    await shot(page, 'privacy-access-report-desktop');
    const download = page.waitForEvent('download');
    await page.getByTestId('report-download').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
    // The printed form (A4, page numbers in the margin) for a person to look at.
    await page.pdf({ path: path.join(SCREENSHOTS, 'privacy-access-report.pdf'), format: 'A4' });

    await page.setViewportSize(PHONE);
    await page.reload();
    await page.getByTestId('report-reason').fill('本人申请复制');
    await page.getByTestId('report-generate').click();
    await page.getByTestId('access-report').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'privacy-access-report-phone');
    await page.context().close();
  });

  it('the data officer reads the retention list and the record of processing, on desktop and phone', async () => {
    const page = await newPage(stack.browser);
    await login(page, stack.server, 'shuju');
    await page.getByTestId('nav-privacy').waitFor();
    await page.goto(`${stack.server.url}/privacy?tab=retention`);
    await page.getByTestId('retention-intro').waitFor();
    await shot(page, 'privacy-retention-desktop');
    // Start a deletion request from a row: the reason comes filled in, and the row then says so.
    const row = page.locator('[data-testid="retention-table"] .ant-table-row').first();
    await row.locator('[data-testid^="retention-request-"]').click();
    await expect.poll(() => page.getByTestId('retention-request-reason').inputValue()).toMatch(/已满 3 年/);
    await page.getByTestId('retention-request-submit').click();
    await row.getByText('已有删除申请').waitFor();
    await page.getByTestId('privacy-tab-record').click();
    await page.waitForURL(/tab=record/);
    await expect.poll(() => page.getByTestId('record-counts').first().textContent()).toMatch(/合计 \d+/);
    await shot(page, 'privacy-record-desktop');
    await page.setViewportSize(PHONE);
    await page.reload();
    await page.getByTestId('record-counts').first().waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'privacy-record-phone');
    await page.context().close();
  });
});
