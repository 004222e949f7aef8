import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../test/app.js';
import { base32Decode, totp } from '../../lib/totp.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const MIN = 60_000;

describe('login', () => {
  it('returns the user, a CSRF token and an HttpOnly session cookie', async () => {
    const res = await t.anon.request({ method: 'POST', url: '/api/auth/login', payload: { username: 'ShuJu', password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ username: 'shuju', displayName: '陈数据', roles: [{ role: 'data_officer' }], mustChangePassword: false });
    expect(body.user.modules).toEqual(expect.arrayContaining(['home', 'villages', 'audit']));
    expect(body.user.modules).not.toContain('users');
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const sid = res.cookies.find((c) => c.name === 'xq_sid');
    expect(sid?.httpOnly).toBe(true);
    expect(sid?.sameSite).toBe('Lax');
    expect(res.cookies.find((c) => c.name === 'xq_csrf')?.httpOnly).toBeFalsy();
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const a = await t.anon.post('/api/auth/login', { username: 'nobody', password: 'whatever-1A' });
    const b = await t.anon.post('/api/auth/login', { username: 'zhanzhang', password: 'wrong-Password-1' });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json().error.id).toBe('invalid_credentials');
    expect(b.json().error).toEqual(a.json().error);
  });

  it('answers in English when asked', async () => {
    const res = await t.anon.request({ method: 'POST', url: '/api/auth/login', headers: { 'accept-language': 'en-US,en;q=0.9' }, payload: { username: 'x', password: 'y' } });
    expect(res.json().error.message).toBe('Wrong username or password');
    const zh = await t.anon.post('/api/auth/login', { username: 'x', password: 'y' });
    expect(zh.json().error.message).toBe('用户名或密码不正确');
  });

  it('locks the account for 15 minutes on the fifth consecutive failure, and audits each', async () => {
    for (let i = 1; i <= 4; i++) {
      const r = await t.anon.post('/api/auth/login', { username: 'zhiyuan1', password: `bad-Password-${i}` });
      expect(r.statusCode).toBe(401);
    }
    const fifth = await t.anon.post('/api/auth/login', { username: 'zhiyuan1', password: 'bad-Password-5' });
    expect(fifth.statusCode).toBe(403);
    expect(fifth.json().error.id).toBe('account_locked');
    const until = Date.parse(fifth.json().error.lockedUntil);
    expect(until - t.clock.now().getTime()).toBe(15 * MIN);
    // Even the right password is refused while locked.
    const right = await t.anon.post('/api/auth/login', { username: 'zhiyuan1', password: DEMO_PASSWORD });
    expect(right.json().error.id).toBe('account_locked');
    t.clock.advance(15 * MIN + 1000);
    const later = await t.anon.post('/api/auth/login', { username: 'zhiyuan1', password: DEMO_PASSWORD });
    expect(later.statusCode).toBe(200);
    const denied = await t.deps.db.selectFrom('audit_log').select(['result', 'detail']).where('action', '=', 'auth.login').where('actor_username', '=', 'zhiyuan1').orderBy('seq').execute();
    expect(denied.map((d) => d.result)).toEqual(['denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'ok']);
  });

  it('resets the failure count after a success', async () => {
    for (let i = 0; i < 4; i++) await t.anon.post('/api/auth/login', { username: 'shegong2', password: 'bad-Password-x' });
    await t.login('shegong2');
    const r = await t.anon.post('/api/auth/login', { username: 'shegong2', password: 'bad-Password-x' });
    expect(r.statusCode).toBe(401);
  });

  it('names every bad field of a malformed login', async () => {
    const r = await t.anon.post('/api/auth/login', { username: '', extra: 1 });
    expect(r.statusCode).toBe(400);
    expect(Object.keys(r.json().error.fields).sort()).toEqual(['extra', 'password', 'username']);
  });
});

describe('sessions', () => {
  it('expire after 30 idle minutes', async () => {
    const a = await t.login('shegong1');
    t.clock.advance(29 * MIN);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
    t.clock.advance(29 * MIN); // active 29 minutes ago: still fine
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
    t.clock.advance(31 * MIN);
    const r = await a.get('/api/auth/me');
    expect(r.statusCode).toBe(401);
    expect(r.json().error.id).toBe('session_expired');
  });

  it('background polls (the bell) do not keep an unattended session alive', async () => {
    const a = await t.login('shegong1');
    for (let i = 0; i < 5; i++) {
      t.clock.advance(5 * MIN);
      expect((await a.get('/api/notifications/unread-count')).statusCode).toBe(200);
    }
    t.clock.advance(6 * MIN); // 31 minutes since the last real request (the sign-in)
    const r = await a.get('/api/notifications/unread-count');
    expect(r.statusCode).toBe(401);
    expect(r.json().error.id).toBe('session_expired');
  });

  it('expire 12 hours after login however active', async () => {
    const a = await t.login('shegong1');
    for (let h = 0; h < 11; h++) {
      t.clock.advance(25 * MIN);
      expect((await a.get('/api/auth/me')).statusCode).toBe(200);
      t.clock.advance(25 * MIN);
      expect((await a.get('/api/auth/me')).statusCode).toBe(200);
      t.clock.advance(10 * MIN);
      expect((await a.get('/api/auth/me')).statusCode).toBe(200);
    }
    t.clock.advance(61 * MIN);
    expect((await a.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('can be listed and ended by their owner only', async () => {
    const one = await t.login('zhanzhang');
    const two = await t.login('zhanzhang');
    const list = (await one.get('/api/auth/sessions')).json();
    expect(list.items.length).toBeGreaterThanOrEqual(2);
    const other = list.items.find((s: { current: boolean }) => !s.current);
    const stranger = await t.login('shegong1');
    expect((await stranger.delete(`/api/auth/sessions/${other.id}`)).statusCode).toBe(404);
    expect((await one.delete(`/api/auth/sessions/${other.id}`)).statusCode).toBe(204);
    expect((await two.get('/api/auth/me')).statusCode).toBe(401);
    expect((await one.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('end at logout', async () => {
    const a = await t.login('shegong1');
    const cookies = { ...a.cookies };
    expect((await a.post('/api/auth/logout')).statusCode).toBe(204);
    a.cookies = cookies; // replaying the old cookie must not work
    expect((await a.get('/api/auth/me')).statusCode).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses a state change without the matching header', async () => {
    const a = await t.login('shegong1');
    const none = await a.request({ method: 'PATCH', url: '/api/auth/preferences', payload: { elderMode: true }, headers: { 'x-csrf-token': '' } });
    expect(none.statusCode).toBe(403);
    expect(none.json().error.id).toBe('csrf_failed');
    const wrong = await a.request({ method: 'PATCH', url: '/api/auth/preferences', payload: { elderMode: true }, headers: { 'x-csrf-token': 'x'.repeat(43) } });
    expect(wrong.json().error.id).toBe('csrf_failed');
    const ok = await a.patch('/api/auth/preferences', { elderMode: true });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.elderMode).toBe(true);
  });

  it('refuses a header copied from another session', async () => {
    const a = await t.login('shegong1');
    const b = await t.login('shegong2');
    const r = await a.request({ method: 'PATCH', url: '/api/auth/preferences', payload: { locale: 'en' }, headers: { 'x-csrf-token': b.csrfToken! } });
    expect(r.json().error.id).toBe('csrf_failed');
  });
});

describe('passwords', () => {
  it('enforce the rules and end other sessions on change', async () => {
    const a = await t.login('shegong2');
    const other = await t.login('shegong2');
    const short = await a.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Ab1!' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields.newPassword).toBe('密码至少 10 位');
    const classes = await a.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'abcdefghijkl' });
    expect(classes.json().error.fields.newPassword).toContain('3 类');
    const common = await a.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Password123!' });
    expect(common.json().error.fields.newPassword).toContain('常见');
    const named = await a.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Shegong2-2026x' });
    expect(named.json().error.fields.newPassword).toContain('用户名');
    const wrong = await a.post('/api/auth/password', { currentPassword: 'not-It-123', newPassword: 'Qingshan-Lu-2026' });
    expect(wrong.json().error.id).toBe('wrong_password');
    const ok = await a.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Qingshan-Lu-2026' });
    expect(ok.statusCode).toBe(204);
    expect((await other.get('/api/auth/me')).statusCode).toBe(401);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
    await t.login('shegong2', 'Qingshan-Lu-2026');
  });

  it('after an admin reset, force a change before anything else', async () => {
    const admin = await t.login('admin');
    const target = await t.deps.db.selectFrom('users').select('id').where('username', '=', 'zhiyuan1').executeTakeFirstOrThrow();
    expect((await admin.post(`/api/users/${target.id}/reset-password`, { password: 'Temp-Pass-9911' })).statusCode).toBe(204);
    const u = await t.login('zhiyuan1', 'Temp-Pass-9911');
    const me = (await u.get('/api/auth/me')).json();
    expect(me.user.mustChangePassword).toBe(true);
    const blocked = await u.get('/api/villages');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.id).toBe('password_change_required');
    expect((await u.post('/api/auth/password', { currentPassword: 'Temp-Pass-9911', newPassword: 'Hongshan-Lu-88' })).statusCode).toBe(204);
    expect((await u.get('/api/auth/me')).json().user.mustChangePassword).toBe(false);
  });
});

describe('TOTP second factor', () => {
  it('is set up with a code, then required at login, and a code cannot be replayed', async () => {
    const a = await t.login('shuju');
    const setup = (await a.post('/api/auth/totp/setup')).json();
    expect(setup.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const secret = base32Decode(setup.secret);
    const code = () => totp(secret, t.clock.now().getTime());
    expect((await a.post('/api/auth/totp/enable', { otp: '000000' === code() ? '111111' : '000000' })).statusCode).toBe(400);
    const en = await a.post('/api/auth/totp/enable', { otp: code() });
    expect(en.statusCode).toBe(200);
    expect(en.json().user.totpEnabled).toBe(true);

    t.clock.advance(30_000);
    const noOtp = await t.anon.post('/api/auth/login', { username: 'shuju', password: DEMO_PASSWORD });
    expect(noOtp.statusCode).toBe(401);
    expect(noOtp.json().error.id).toBe('otp_required');
    const c = code();
    const ok = await t.anon.post('/api/auth/login', { username: 'shuju', password: DEMO_PASSWORD, otp: c });
    expect(ok.statusCode).toBe(200);
    const replay = await t.anon.post('/api/auth/login', { username: 'shuju', password: DEMO_PASSWORD, otp: c });
    expect(replay.json().error.id).toBe('otp_invalid');
    // The secret is stored encrypted, never in the clear.
    const row = await t.deps.db.selectFrom('users').select('totp_secret_enc').where('username', '=', 'shuju').executeTakeFirstOrThrow();
    expect(row.totp_secret_enc).not.toContain(setup.secret);
    expect(row.totp_secret_enc).toMatch(/^v1\./);
  });
});
