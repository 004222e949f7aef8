import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';

let t: TestApp;
let stationId: string;
beforeAll(async () => {
  t = await createTestApp();
  stationId = (await t.deps.db.selectFrom('stations').select('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

describe('user administration', () => {
  it('a system admin creates an account that must change its password at first login', async () => {
    const admin = await t.login('admin');
    const r = await admin.post('/api/users', { username: 'Shegong3', displayName: '孙社工', password: 'Chuqi-Mima-2026', roles: [{ role: 'social_worker', stationId }] });
    expect(r.statusCode).toBe(201);
    expect(r.json().user).toMatchObject({ username: 'shegong3', mustChangePassword: true, roles: [{ role: 'social_worker', stationId }] });
    const u = await t.login('shegong3', 'Chuqi-Mima-2026');
    expect((await u.get('/api/auth/me')).json().user.mustChangePassword).toBe(true);
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.create').where('entity_id', '=', r.json().user.id).execute();
    expect(audit).toHaveLength(1);
  });

  it('names each bad field and refuses weak passwords and taken names', async () => {
    const admin = await t.login('admin');
    const bad = await admin.post('/api/users', { username: '!', displayName: '', password: 'x', roles: [] });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['displayName', 'roles', 'username']);
    const weak = await admin.post('/api/users', { username: 'weak1', displayName: 'W', password: 'abc', roles: [{ role: 'volunteer', stationId }] });
    expect(weak.json().error.fields).toEqual({ password: '密码至少 10 位' });
    const taken = await admin.post('/api/users', { username: 'shegong1', displayName: 'X', password: 'Chuqi-Mima-2026', roles: [{ role: 'volunteer', stationId }] });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.id).toBe('duplicate_username');
    const scope = await admin.post('/api/users', { username: 'cty', displayName: 'X', password: 'Chuqi-Mima-2026', roles: [{ role: 'county_supervisor', stationId }] });
    expect(scope.statusCode).toBe(400);
  });

  it('a station head administers only their own station, and cannot grant admin roles', async () => {
    const head = await t.login('zhanzhang');
    const list = (await head.get('/api/users?limit=100')).json();
    const names = list.items.map((u: { username: string }) => u.username);
    expect(names).toContain('shegong1');
    expect(names).not.toContain('admin');
    expect(names).not.toContain('xianqu');
    const admin = await t.deps.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect((await head.post(`/api/users/${admin.id}/lock`)).statusCode).toBe(404);
    // Indistinguishable from a user that does not exist, but recorded as a denied attempt.
    const ghost = await head.post('/api/users/00000000-0000-7000-8000-000000000000/lock');
    expect(ghost.statusCode).toBe(404);
    expect(ghost.json()).toEqual((await head.post(`/api/users/${admin.id}/lock`)).json());
    const denied = await t.deps.db.selectFrom('audit_log').select(['entity_id', 'result', 'actor_username']).where('entity_id', '=', admin.id).where('result', '=', 'denied').execute();
    expect(denied.length).toBe(2);
    expect(denied[0]!.actor_username).toBe('zhanzhang');
    expect((await head.post('/api/users', { username: 'boss2', displayName: 'X', password: 'Chuqi-Mima-2026', roles: [{ role: 'system_admin' }] })).statusCode).toBe(403);
    expect((await head.post('/api/users', { username: 'vol2', displayName: '志愿者二', password: 'Chuqi-Mima-2026', roles: [{ role: 'volunteer', stationId }] })).statusCode).toBe(201);
  });

  it('lock ends sessions and refuses login; unlock restores it', async () => {
    const admin = await t.login('admin');
    const victim = await t.login('shegong2');
    const id = (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'shegong2').executeTakeFirstOrThrow()).id;
    expect((await admin.post(`/api/users/${id}/lock`)).statusCode).toBe(204);
    expect((await victim.get('/api/auth/me')).statusCode).toBe(401);
    const denied = await t.anon.post('/api/auth/login', { username: 'shegong2', password: 'Xiangqiao#2026' });
    expect(denied.json().error.id).toBe('account_locked');
    const row = (await admin.get('/api/users?q=shegong2')).json().items[0];
    expect(row.locked).toBe(true);
    expect((await admin.post(`/api/users/${id}/unlock`)).statusCode).toBe(204);
    await t.login('shegong2');
  });

  it('filters by role and pages by cursor', async () => {
    const admin = await t.login('admin');
    const workers = (await admin.get('/api/users?role=social_worker')).json();
    expect(workers.items.every((u: { roles: { role: string }[] }) => u.roles.some((r) => r.role === 'social_worker'))).toBe(true);
    const p1 = (await admin.get('/api/users?limit=3')).json();
    const p2 = (await admin.get(`/api/users?limit=3&cursor=${p1.nextCursor}`)).json();
    expect(p1.items).toHaveLength(3);
    expect(p2.items[0].username > p1.items[2].username).toBe(true);
  });

  it('other roles cannot reach it', async () => {
    for (const u of ['shegong1', 'shuju', 'jumin1', 'zhiyuan1', 'xianqu']) {
      const a = await t.login(u);
      expect((await a.get('/api/users')).statusCode).toBe(403);
    }
  });
});
