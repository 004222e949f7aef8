import { randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import { boot } from '../boot.js';
import { loadConfig, type Config } from '../config.js';
import { manualClock } from '../lib/clock.js';
import type { App, Deps } from '../lib/deps.js';
import { seedDemo } from '../modules/setup/demo.js';
import { seedDemoResidents } from '../modules/setup/demo-residents.js';
import { seedDemoServices } from '../modules/setup/demo-services.js';
import { seedDemoHistory } from '../modules/setup/demo-history.js';
import { freshDatabase } from './db.js';

export const DEMO_PASSWORD = 'Xiangqiao#2026';

export interface TestApp {
  app: App;
  deps: Deps;
  clock: ReturnType<typeof manualClock>;
  close(): Promise<void>;
  /** Sign in and get a client that sends the session cookie and CSRF header. */
  login(username: string, password?: string): Promise<Agent>;
  anon: Agent;
}

export interface Agent {
  csrfToken: string | null;
  cookies: Record<string, string>;
  request(opts: InjectOptions & { url: string }): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

function makeAgent(app: App): Agent {
  const agent: Agent = {
    csrfToken: null,
    cookies: {},
    async request(opts) {
      const headers: Record<string, string> = { ...(opts.headers as Record<string, string> | undefined) };
      const cookie = Object.entries(agent.cookies).map(([k, v]) => `${k}=${v}`).join('; ');
      if (cookie) headers.cookie = cookie;
      if (agent.csrfToken && opts.method && opts.method !== 'GET' && !('x-csrf-token' in headers)) headers['x-csrf-token'] = agent.csrfToken;
      const res = await app.inject({ ...opts, headers });
      for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
        if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) delete agent.cookies[c.name];
        else agent.cookies[c.name] = c.value;
      }
      return res;
    },
    get: (url) => agent.request({ method: 'GET', url }),
    post: (url, body) => agent.request({ method: 'POST', url, ...(body === undefined ? {} : { payload: body as object }) }),
    patch: (url, body) => agent.request({ method: 'PATCH', url, payload: body as object }),
    delete: (url) => agent.request({ method: 'DELETE', url }),
  };
  return agent;
}

/** A whole server on a fresh database (SQLite or PostgreSQL per TEST_DATABASE_URL), demo data seeded. */
/**
 * `demoResidents` adds the ~200 demo residents, `demoServices` the catalogue and hours, `demoHistory` three
 * months of service history (and implies the other two). All off by default so counts stay small.
 */
export async function createTestApp(opts: { demo?: boolean; seed?: boolean; demoResidents?: boolean; demoServices?: boolean; demoHistory?: boolean; config?: Partial<Config> } = {}): Promise<TestApp> {
  const fresh = await freshDatabase();
  const config: Config = {
    ...loadConfig({}),
    dataDir: fresh.dataDir,
    databaseUrl: fresh.databaseUrl,
    demo: opts.demo ?? true,
    masterKey: randomBytes(32).toString('base64'),
    serveWeb: false,
    logLevel: 'silent',
    // Tests sign in many times a second from one address; the limiter has its own test.
    login: { maxFailures: 5, lockMinutes: 15, perIpPerMinute: 10_000 },
    ...opts.config,
  };
  // XQ_TEST_NOW runs the suite as if on another day (date-dependent data such as the demo history).
  const clock = manualClock(process.env.XQ_TEST_NOW ? new Date(process.env.XQ_TEST_NOW) : new Date());
  const deps = await boot(config, clock);
  if (opts.seed !== false) await seedDemo(deps.db, DEMO_PASSWORD, clock.now());
  if (opts.demoResidents || opts.demoHistory) await seedDemoResidents(deps.db, deps.keys, clock.now());
  if (opts.demoServices || opts.demoHistory) await seedDemoServices(deps.db, deps.keys, clock.now());
  if (opts.demoHistory) await seedDemoHistory(deps.db, deps.keys, clock.now());
  const app = await buildApp(deps, { logger: false });
  await app.ready();
  return {
    app,
    deps,
    clock,
    anon: makeAgent(app),
    async login(username, password = DEMO_PASSWORD) {
      const agent = makeAgent(app);
      const res = await agent.post('/api/auth/login', { username, password });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      agent.csrfToken = (res.json() as { csrfToken: string }).csrfToken;
      return agent;
    },
    async close() {
      await app.close();
      await deps.db.destroy();
      await fresh.drop();
    },
  };
}
