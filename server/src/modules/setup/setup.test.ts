import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { ensureSetupCode } from './setup.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: false, seed: false });
});
afterAll(async () => t?.close());

const body = (setupCode: string) => ({
  setupCode,
  townshipCode: '430181110',
  stationName: '大瑶镇社工站',
  operatorModel: 'government',
  head: { username: 'lizhan', displayName: '李站长', password: 'Dayao-Zhan-2026' },
});

describe('first-run set-up', () => {
  it('walks the divisions down to villages', async () => {
    expect((await t.anon.get('/api/setup/status')).json()).toEqual({ needsSetup: true, demo: false });
    const provinces = (await t.anon.get('/api/setup/divisions')).json().items;
    expect(provinces).toContainEqual({ code: '43', name: '湖南省' });
    expect((await t.anon.get('/api/setup/divisions?parent=4301')).json().items).toContainEqual({ code: '430181', name: '浏阳市' });
    expect((await t.anon.get('/api/setup/divisions?parent=430181')).json().items).toContainEqual({ code: '430181110', name: '大瑶镇' });
    const villages = (await t.anon.get('/api/setup/divisions?parent=430181110')).json().items;
    expect(villages).toContainEqual({ code: '430181110232', name: '上升村' });
  });

  it('needs the code printed on the console, then creates station, villages and head', async () => {
    const code = await ensureSetupCode(t.deps.db);
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect((await t.anon.post('/api/setup', body('WRONGCOD'))).statusCode).toBe(403);
    const weak = await t.anon.post('/api/setup', { ...body(code), head: { username: 'lizhan', displayName: '李站长', password: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.fields).toHaveProperty('head.password');
    const ok = await t.anon.post('/api/setup', body(code));
    expect(ok.statusCode).toBe(201);
    expect(ok.json().villages).toBeGreaterThan(10);
    expect((await t.anon.get('/api/setup/status')).json().needsSetup).toBe(false);
    expect((await t.anon.post('/api/setup', body(code))).statusCode).toBe(409);
    expect((await t.anon.get('/api/setup/divisions')).statusCode).toBe(409);
    const head = await t.login('lizhan', 'Dayao-Zhan-2026');
    const me = (await head.get('/api/auth/me')).json().user;
    expect(me.roles[0].role).toBe('station_head');
    expect(me.stations[0].name).toBe('大瑶镇社工站');
    const villages = (await head.get('/api/villages?limit=100')).json().items;
    expect(villages.length).toBe(ok.json().villages);
  });

  it('outside demo mode, privileged roles must set up a second factor first', async () => {
    const { createUser } = await import('../users/users.js');
    const station = await t.deps.db.selectFrom('stations').select('id').executeTakeFirstOrThrow();
    await t.deps.db.transaction().execute((trx) =>
      createUser(trx, { username: 'officer', displayName: '数据员', password: 'Shuju-Guan-2026', roles: [{ role: 'data_officer', stationId: station.id, countyId: null }], mustChangePassword: false }, new Date()),
    );
    const a = await t.login('officer', 'Shuju-Guan-2026');
    const me = (await a.get('/api/auth/me')).json().user;
    expect(me.totpSetupRequired).toBe(true);
    const r = await a.get('/api/audit');
    expect(r.statusCode).toBe(403);
    expect(r.json().error.id).toBe('totp_setup_required');
  });
});

