import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from './db.js';
import { httpLogin, startChildServer, type ChildServer } from './child.js';

const PASSWORD = 'Xiangqiao#2026';

describe('the server process', () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let server: ChildServer | null = null;
  beforeAll(async () => {
    fresh = await freshDatabase();
  });
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await fresh?.drop();
  });

  it('logs requests without passwords, cookies or tokens', async () => {
    server = await startChildServer(fresh, { LOG_LEVEL: 'info' });
    const headers = await httpLogin(server.url, 'shegong1', PASSWORD);
    await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'shegong1', password: 'Wrong-Secret-77' }) });
    await fetch(`${server.url}/api/auth/me`, { headers });
    await fetch(`${server.url}/api/auth/preferences`, { method: 'PATCH', headers, body: '{"elderMode": tru' });
    // Stop first: pino writes asynchronously, and exit flushes whatever is still buffered.
    expect(await server.stop()).toBe(0);
    // The banner prints the demo password on purpose; the request logs must never carry secrets.
    const log = server.output().split('\n').filter((l) => l.startsWith('{')).join('\n');
    expect(log).toContain('"reqId"');
    expect(log).toContain('/api/auth/me');
    for (const secret of [PASSWORD, 'Wrong-Secret-77', headers['x-csrf-token']!, headers.cookie!.split('; ')[0]!.split('=')[1]!]) {
      expect(log).not.toContain(secret);
    }
    server = null;
  });

  it('finishes in-flight requests on SIGTERM, then exits cleanly', async () => {
    const other = await freshDatabase();
    // Before set-up, listing a township's villages streams a 37 MB file: a request that takes a while.
    server = await startChildServer(other, { XQ_DEMO: '0' });
    const slow = fetch(`${server.url}/api/setup/divisions?parent=659012505`).then(async (r) => ({ status: r.status, body: (await r.json()) as { items: unknown[] } }));
    await new Promise((r) => setTimeout(r, 30));
    const exit = server.stop();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    const code = await exit;
    if (code !== 0) console.error(server.output());
    expect(code).toBe(0);
    server = null;
    await expect(fetch(`${server ?? 'http://127.0.0.1:1'}/api/health`)).rejects.toThrow();
    await other.drop();
  });
});
