import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { connect, type Database_ } from '../server/src/db/connect.js';
import { enqueueNotification } from '../server/src/modules/notifications/outbox.js';
import type { Payload, TemplateId } from '../server/src/modules/notifications/templates.js';
import { freshDatabase } from '../server/src/test/db.js';
import { startChildServer, type ChildServer } from '../server/src/test/child.js';
import { browserAvailable, fitsWidth, launchBrowser, login, newPage, PHONE, shot } from './harness.js';

/**
 * The bell end to end: a message due in the outbox is delivered by the real server's worker, the
 * resident sees the unread badge, opens the drawer, marks one read, then all, and follows a link.
 */
describe.skipIf(!browserAvailable)('notifications: bell, drawer, mark read', () => {
  let server: ChildServer;
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let database: Database_;
  let browser: Browser;

  beforeAll(async () => {
    fresh = await freshDatabase();
    server = await startChildServer(fresh, { XQ_SERVE_WEB: '1', XQ_LOGIN_PER_IP_PER_MINUTE: '1000' });
    database = connect({ databaseUrl: fresh.databaseUrl, dataDir: fresh.dataDir, poolSize: 2 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await database?.db.destroy();
    await server?.stop();
    await fresh?.drop();
  });

  /** Put messages in the outbox for a user, due now, and wait for the server's worker to deliver them. */
  async function deliver(username: string, make: (now: Date) => { template: TemplateId; payload: Payload }[]) {
    const { db } = database;
    const user = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
    const before = (await db.selectFrom('notifications').select('id').where('user_id', '=', user.id).execute()).length;
    const now = new Date();
    const list = make(now);
    await db.transaction().execute(async (trx) => {
      for (const m of list) {
        await enqueueNotification(trx, { stationId: null, recipientUserId: user.id, template: m.template, payload: m.payload, dueAt: new Date(now.getTime() - 1000) }, now);
      }
    });
    await expect
      .poll(async () => (await db.selectFrom('notifications').select('id').where('user_id', '=', user.id).execute()).length, { timeout: 20_000, interval: 250 })
      .toBe(before + list.length);
  }

  const badge = (page: Page) => page.getByTestId('notification-badge').locator('.ant-badge-count, .ant-scroll-number').first();

  it('a resident sees the badge, opens the drawer, marks one read and then all', async () => {
    await deliver('jumin1', (now) => [
      { template: 'appointment_reminder', payload: { serviceName: '健康咨询', start: new Date(now.getTime() + 26 * 3_600_000).toISOString(), place: '大瑶镇社工站' } },
      { template: 'generic', payload: { title: '社工站通知', body: '本周六上午在村委会开展义诊，欢迎参加。', link: '/appointments' } },
    ]);
    const page = await newPage(browser);
    await login(page, { url: server.url, output: server.output, stop: async () => undefined }, 'jumin1');
    await page.getByTestId('notification-bell').waitFor();
    await expect.poll(() => badge(page).getAttribute('title')).toBe('2');
    await shot(page, 'notifications-badge-desktop');

    await page.getByTestId('notification-bell').click();
    const drawer = page.getByTestId('notification-drawer');
    await drawer.getByTestId('notification-item').first().waitFor();
    expect(await drawer.getByTestId('notification-item').count()).toBe(2);
    expect(await drawer.locator('[data-unread="true"]').count()).toBe(2);
    expect(await drawer.textContent()).toContain('预约提醒');
    expect(await drawer.textContent()).toContain('未接入短信/微信平台');
    await shot(page, 'notifications-drawer-desktop');

    await drawer.getByTestId('notification-read').first().click();
    await expect.poll(() => drawer.locator('[data-unread="true"]').count()).toBe(1);
    await expect.poll(() => badge(page).getAttribute('title')).toBe('1');

    await drawer.getByTestId('notification-read-all').click();
    await expect.poll(() => drawer.locator('[data-unread="true"]').count()).toBe(0);
    await expect.poll(() => page.getByTestId('notification-badge').locator('.ant-badge-count').count()).toBe(0);
    await shot(page, 'notifications-drawer-read');
    await page.context().close();
  });

  it('on a 375 px phone in elder mode the bell and drawer fit, and a link opens its page', async () => {
    await deliver('jumin1', () => [{ template: 'generic', payload: { title: '预约已确认', body: '您预约的「上门探访」已确认，请在家等候。', link: '/appointments' } }]);
    const page = await newPage(browser, PHONE);
    await login(page, { url: server.url, output: server.output, stop: async () => undefined }, 'jumin1');
    await page.getByTestId('notification-bell').waitFor();
    const elder = page.getByTestId('elder-toggle');
    if ((await elder.getAttribute('aria-checked')) !== 'true') await elder.click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.elder ?? document.body.dataset.elder)).toBe('on');
    await expect.poll(() => badge(page).getAttribute('title')).toBe('1');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'notifications-badge-phone-elder');
    await shot(page, 'notifications-badge-phone-elder');

    await page.getByTestId('notification-bell').click();
    const drawer = page.getByTestId('notification-drawer');
    await drawer.getByTestId('notification-item').first().waitFor();
    // The drawer slides in; it takes the whole width of a phone once it has arrived.
    await expect.poll(async () => (await page.locator('.ant-drawer-content-wrapper').boundingBox())?.x).toBe(0);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: 'e2e/screenshots/notifications-drawer-phone-elder.png' });

    await drawer.getByTestId('notification-open').first().click();
    await page.waitForURL(/\/appointments$/);
    await expect.poll(() => page.getByTestId('notification-badge').locator('.ant-badge-count').count()).toBe(0);
    await page.context().close();
  });
});
