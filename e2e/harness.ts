import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freshDatabase } from '../server/src/test/db.js';
import { startChildServer } from '../server/src/test/child.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCREENSHOTS = path.join(root, 'e2e', 'screenshots');
export const DEMO_PASSWORD = 'Xiangqiao#2026';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Browser tests run when Debian's chromium is installed; CI sets XQ_REQUIRE_BROWSER=1 so a missing one fails. */
export const browserAvailable = fs.existsSync(CHROMIUM);
if (!browserAvailable && process.env.XQ_REQUIRE_BROWSER === '1') {
  throw new Error(`Browser tests need ${CHROMIUM} (apt-get install chromium fonts-noto-cjk)`);
}

export interface Server {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/** The real server on a fresh database (SQLite, or PostgreSQL per TEST_DATABASE_URL), serving web/dist. */
export async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const dist = process.env.XQ_WEB_DIST ? path.resolve(process.env.XQ_WEB_DIST) : path.join(root, 'web', 'dist');
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    throw new Error(`${dist} is missing: build the web app first (npm test does)`);
  }
  const fresh = await freshDatabase();
  const server = await startChildServer(fresh, { XQ_SERVE_WEB: '1', XQ_LOGIN_PER_IP_PER_MINUTE: '1000', ...env });
  return {
    url: server.url,
    output: server.output,
    async stop() {
      await server.stop();
      await fresh.drop();
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const PHONE = { width: 375, height: 740 };
export const DESKTOP = { width: 1280, height: 800 };

export async function newPage(browser: Browser, size = DESKTOP): Promise<Page> {
  // Reduced motion: the app then switches antd's animations off, so a click never lands on a dialog
  // that is still opening or closing (the cause of the flaky runs; ThemeRoot honours the setting).
  const context = await browser.newContext({ viewport: size, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', deviceScaleFactor: 1, reducedMotion: 'reduce' });
  return context.newPage();
}

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export async function login(page: Page, server: Server, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${server.url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** The page has no horizontal scroll: nothing is wider than the viewport. */
export async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

/** One server and one browser for a describe block, started before its tests and stopped after. */
export function useStack(env: Record<string, string> = {}): { readonly server: Server; readonly browser: Browser } {
  let server: Server | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startServer(env);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() {
      return server!;
    },
    get browser() {
      return browser!;
    },
  };
}
