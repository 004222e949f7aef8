import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { newId } from '../../lib/ids.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // A second station in another county, whose villages no demo worker may see.
  const at = new Date().toISOString();
  const countyId = newId();
  const stationId = newId();
  await t.deps.db.insertInto('counties').values({ id: countyId, code: '110101000000', name: '北京市东城区', created_at: at }).execute();
  await t.deps.db.insertInto('stations').values({ id: stationId, county_id: countyId, code: '110101001000', name: '东华门街道社工站', operator_model: 'government', operator_name: null, created_at: at }).execute();
  await t.deps.db.insertInto('villages').values({ id: newId(), station_id: stationId, code: '110101001001', name: '多福巷社区居委会', created_at: at }).execute();
});
afterAll(async () => t?.close());

describe('villages', () => {
  it("lists only the user's stations' villages, searchable", async () => {
    const w = await t.login('shegong1');
    const all = (await w.get('/api/villages')).json();
    expect(all.items.map((v: { name: string }) => v.name)).toEqual(['上升村', '枫林村', '南山村', '南阳村']);
    expect(all.items[0]).toMatchObject({ code: '430181110232', stationName: '大瑶镇社工站（演示）' });
    expect((await w.get('/api/villages?q=南')).json().items).toHaveLength(2);
    expect((await w.get('/api/villages?q=%25')).json().items).toHaveLength(0);
    const p1 = (await w.get('/api/villages?limit=3')).json();
    expect(p1.items).toHaveLength(3);
    const p2 = (await w.get(`/api/villages?limit=3&cursor=${p1.nextCursor}`)).json();
    expect(p2).toEqual({ items: [expect.objectContaining({ name: '南阳村' })], nextCursor: null });
  });

  it('a system admin sees every station', async () => {
    const a = await t.login('admin');
    expect((await a.get('/api/villages?limit=100')).json().items).toHaveLength(5);
  });

  it('county supervisors, residents and volunteers get no village list', async () => {
    for (const u of ['xianqu', 'jumin1', 'zhiyuan1']) {
      expect((await (await t.login(u)).get('/api/villages')).statusCode).toBe(403);
    }
  });
});

describe('stations', () => {
  it('a county supervisor sees the stations of their county only', async () => {
    const s = (await (await t.login('xianqu')).get('/api/stations')).json();
    expect(s.items).toEqual([expect.objectContaining({ name: '大瑶镇社工站（演示）', countyName: '长沙市浏阳市', villageCount: 4, operatorModel: 'ngo' })]);
  });
});
