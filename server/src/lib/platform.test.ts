import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

function concrete(url: string): string {
  return url.replace(/:(\w+)/g, '00000000-0000-7000-8000-000000000000');
}

describe('route table', () => {
  it('every route that is not public answers 401 without a session', async () => {
    const routes = t.app.routeTable.filter((r) => r.config?.policy?.kind !== 'public');
    expect(routes.length).toBeGreaterThan(15);
    for (const r of routes) {
      for (const method of [r.method].flat()) {
        if (method === 'HEAD') continue;
        const res = await t.app.inject({ method: method as 'GET', url: concrete(r.url), payload: method === 'GET' ? undefined : {} });
        expect([method, r.url, res.statusCode]).toEqual([method, r.url, 401]);
      }
    }
  });

  it('lists only these routes as public', () => {
    const open = t.app.routeTable
      .filter((r) => r.config?.policy?.kind === 'public' && !r.url.startsWith('/api/docs'))
      .flatMap((r) => [r.method].flat().filter((m) => m !== 'HEAD').map((m) => `${m} ${r.url.replace(/\/$/, '')}`));
    expect([...new Set(open)].sort()).toEqual([
      'GET /api/faq',
      'GET /api/health',
      'GET /api/openapi.json',
      'GET /api/setup/divisions',
      'GET /api/setup/status',
      'POST /api/auth/login',
      'POST /api/setup',
    ]);
  });

  it('a route registered without a policy stops the app from starting', async () => {
    const { buildApp } = await import('../app.js');
    const built = await buildApp(t.deps, { logger: false });
    expect(() => built.get('/api/oops', { schema: {} }, async () => 'x')).toThrow(/has no policy/);
    await built.close();
  });
});

describe('HTTP hardening', () => {
  it('health reports the dialect and version', async () => {
    const r = await t.anon.get('/api/health');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: 'ok', db: t.deps.dialect, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('malformed JSON is 400 invalid_json', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.id).toBe('invalid_json');
  });

  it('an oversized body is refused', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'a', password: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(r.statusCode).toBe(413);
    expect(r.json().error.id).toBe('payload_too_large');
  });

  it('unknown and wrong-typed fields are each named', async () => {
    const a = await t.login('shegong1');
    const r = await a.patch('/api/auth/preferences', { elderMode: 'yes', locale: 'fr', colour: 'red' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ id: 'validation_failed', fields: { elderMode: expect.any(String), locale: expect.any(String), colour: '不允许的字段' } });
  });

  it('sets security headers with a CSP that works on plain HTTP', async () => {
    const r = await t.anon.get('/api/health');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(r.headers['strict-transport-security']).toBeUndefined();
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('unknown API paths are JSON 404s', async () => {
    const r = await t.anon.get('/api/nope');
    expect(r.statusCode).toBe(404);
    expect(r.json().error.id).toBe('not_found');
  });

  it('rate-limits logins per IP', async () => {
    const limited = await createTestApp({ seed: false, config: { login: { maxFailures: 5, lockMinutes: 15, perIpPerMinute: 3 } } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.anon.post('/api/auth/login', { username: `u${i}`, password: 'x' })).statusCode);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      const last = await limited.anon.post('/api/auth/login', { username: 'u', password: 'x' });
      expect(last.json().error.id).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });
});

describe('API docs', () => {
  it('serves OpenAPI 3 generated from the route schemas', async () => {
    const doc = (await t.anon.get('/api/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/audit/verify', '/api/villages']));
    expect(doc.paths['/api/auth/login'].post.requestBody).toBeDefined();
  });

  it('is browsable at /api/docs', async () => {
    const r = await t.anon.get('/api/docs/');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('swagger');
  });
});
