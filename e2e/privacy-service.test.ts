import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { browserAvailable, fitsWidth, login, newPage, PHONE, SCREENSHOTS, shot, useStack } from './harness.js';

// The access report with the demo history: a resident's appointments, consultations, requests,
// visits, service records and ratings appear in their copy of their data, on desktop and phone.

describe.skipIf(!browserAvailable)('privacy: the access report holds the service history', () => {
  const stack = useStack({ XQ_DEMO_HISTORY: '1' });

  it('a worker generates the report for a visited resident and sees every service section', async () => {
    const page = await newPage(stack.browser);
    await login(page, stack.server, 'shegong1');
    await page.getByTestId('nav-residents').waitFor();
    // A resident of the demo history who has had a home visit.
    const id = await page.evaluate(async () => {
      const res = await fetch('/api/service-records?method=visit&limit=1', { headers: { Accept: 'application/json' } });
      const body = (await res.json()) as { items: { resident: { id: string } }[] };
      return body.items[0]!.resident.id;
    });
    await page.goto(`${stack.server.url}/residents/${id}/access-report`);
    await page.getByTestId('report-reason').fill('本人到站申请查阅服务记录（已核验身份证）');
    await page.getByTestId('report-generate').click();
    await page.getByTestId('access-report').waitFor();
    await page.getByTestId('report-visits').waitFor();
    expect(await page.getByTestId('report-visits').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('report-records').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('access-report').textContent()).toContain('走访');
    await shot(page, 'privacy-service-report-desktop');

    await page.setViewportSize(PHONE);
    await page.reload();
    await page.getByTestId('report-reason').fill('本人申请复制');
    await page.getByTestId('report-generate').click();
    await page.getByTestId('report-visits').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'privacy-service-report-phone');
    // One screen of it as a phone shows it: the visits and their checklist.
    await page.getByTestId('report-visits').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'privacy-service-report-phone-visits.png') });
    await page.context().close();
  });
});
