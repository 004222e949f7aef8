import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';
import type { ServiceTypeView } from './schema.js';
import { wallClock, zonedInstant } from './zoned.js';
import { otherStationWorker } from '../../test/stations.js';
import { newId } from '../../lib/ids.js';

let t: TestApp;
let head: Agent;
let worker: Agent;
let resident: Agent;
let admin: Agent;
let ids: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  // Tuesday 1 December 2026, 08:00 in Shanghai.
  t.clock.set(zonedInstant('2026-12-01', 8 * 60));
  head = await t.login('zhanzhang');
  worker = await t.login('shegong1');
  resident = await t.login('jumin1');
  admin = await t.login('admin');
  const users = await t.deps.db.selectFrom('users').select(['id', 'username']).execute();
  ids = Object.fromEntries(users.map((u) => [u.username, u.id]));
});
afterAll(() => t.close());

const WEEK = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, startMinute: 510, endMinute: 720 },
  { weekday, startMinute: 840, endMinute: 1050 },
]);

async function createType(body: Record<string, unknown> = {}) {
  const res = await head.post('/api/service-types', { name: `政策咨询${Math.random().toString(36).slice(2, 6)}`, area: 'policy', mode: 'station', durationMinutes: 30, residentBookable: true, workerIds: [ids.shegong1], ...body });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { serviceType: ServiceTypeView }).serviceType;
}

describe('absences across stations', () => {
  it("another station's leave entry shows its dates but not its note", async () => {
    const other = await otherStationWorker(t, t.clock.now());
    const iso = t.clock.now().toISOString();
    await t.deps.db.insertInto('worker_exceptions').values([
      { id: newId(), station_id: other, user_id: ids.shegong1!, date: '2026-12-10', start_minute: null, end_minute: null, kind: 'leave', note: '住院复查', created_at: iso },
    ]).execute();
    const mine = await head.post(`/api/workers/${ids.shegong1}/exceptions`, { date: '2026-12-11', kind: 'training', startMinute: null, endMinute: null, note: '县里培训' });
    expect(mine.statusCode, mine.body).toBe(201);
    const listed = (await (await t.login('shegong2')).get(`/api/workers/${ids.shegong1}/exceptions?from=2026-12-10&to=2026-12-11`)).json().items as { date: string; note: string | null; stationId: string }[];
    expect(listed.map((e) => [e.date, e.note])).toEqual([['2026-12-10', null], ['2026-12-11', '县里培训']]);
    await t.deps.db.deleteFrom('worker_exceptions').where('date', 'in', ['2026-12-10', '2026-12-11']).execute();
  });
});

describe('service types', () => {
  it('a station head creates one; workers and residents read it; names are unique per station', async () => {
    const st = await createType({ name: '政策咨询', description: '低保、特困、临时救助政策解答' });
    expect(st).toMatchObject({ name: '政策咨询', mode: 'station', durationMinutes: 30, bufferMinutes: 0, residentBookable: true, active: true, workerIds: [ids.shegong1] });
    expect(st.workers[0]!.displayName).toBe('张社工');
    const dup = await head.post('/api/service-types', { name: '政策咨询', area: 'policy', mode: 'station', durationMinutes: 30 });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.fields).toEqual({ name: expect.any(String) });
    const list = (await worker.get('/api/service-types?limit=100')).json() as { items: ServiceTypeView[] };
    expect(list.items.map((s) => s.id)).toContain(st.id);
    expect((await resident.get(`/api/service-types/${st.id}`)).statusCode).toBe(200);
  });

  it('names every bad field; workers must belong to the station', async () => {
    const res = await head.post('/api/service-types', { name: '', area: 'nope', mode: 'station', durationMinutes: 1, bufferMinutes: 500 });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields).sort()).toEqual(['area', 'bufferMinutes', 'durationMinutes', 'name']);
    const bad = await head.post('/api/service-types', { name: '心理疏导', area: 'counselling', mode: 'station', durationMinutes: 60, workerIds: [ids.shegong1, ids.shuju] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual({ 'workerIds.1': expect.any(String) });
  });

  it('only station heads write; residents see only active types they may book', async () => {
    expect((await worker.post('/api/service-types', { name: '代办服务', area: 'social_assistance', mode: 'station', durationMinutes: 30 })).statusCode).toBe(403);
    const internal = await createType({ name: '个案督导', residentBookable: false });
    const retired = await createType({ name: '旧项目' });
    const patched = await head.patch(`/api/service-types/${retired.id}`, { active: false, workerIds: [ids.shegong1, ids.shegong2], bufferMinutes: 10 });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().serviceType).toMatchObject({ active: false, bufferMinutes: 10, workerIds: [ids.shegong1, ids.shegong2] });
    const mine = ((await resident.get('/api/service-types?limit=100')).json() as { items: ServiceTypeView[] }).items.map((s) => s.id);
    expect(mine).not.toContain(internal.id);
    expect(mine).not.toContain(retired.id);
    expect((await resident.get(`/api/service-types/${internal.id}`)).statusCode).toBe(404);
    expect((await worker.patch(`/api/service-types/${internal.id}`, { active: false })).statusCode).toBe(403);
    // Users without a station see nothing and reach nothing.
    expect((await admin.get('/api/service-types')).statusCode).toBe(403);
  });
});

describe('hours, leave and slots', () => {
  it('a head sets hours, the slots follow; overlapping hours are refused by field', async () => {
    const st = await createType({ name: '心理疏导', area: 'counselling', durationMinutes: 60, bufferMinutes: 0 });
    const put = await head.request({ method: 'PUT', url: `/api/workers/${ids.shegong1}/hours`, payload: { items: WEEK } });
    expect(put.statusCode, put.body).toBe(200);
    expect((await worker.get(`/api/workers/${ids.shegong1}/hours`)).json().items).toHaveLength(10);
    const overlap = await head.request({ method: 'PUT', url: `/api/workers/${ids.shegong1}/hours`, payload: { items: [{ weekday: 1, startMinute: 500, endMinute: 700 }, { weekday: 1, startMinute: 600, endMinute: 800 }, { weekday: 2, startMinute: 600, endMinute: 500 }] } });
    expect(overlap.statusCode).toBe(400);
    expect(Object.keys(overlap.json().error.fields).sort()).toEqual(['items.1.startMinute', 'items.2.endMinute']);
    expect((await worker.request({ method: 'PUT', url: `/api/workers/${ids.shegong1}/hours`, payload: { items: [] } })).statusCode).toBe(403);

    const q = `/api/slots?serviceTypeId=${st.id}&from=${encodeURIComponent(zonedInstant('2026-12-02', 0).toISOString())}&to=${encodeURIComponent(zonedInstant('2026-12-03', 0).toISOString())}`;
    const before = (await resident.get(q)).json().items as { start: string; end: string; workerId: string }[];
    // 08:30–11:30 (3 hours of 60) and 14:00–17:00 (3): six one-hour slots.
    expect(before.map((s) => wallClock(new Date(s.start)).minute)).toEqual([510, 570, 630, 840, 900, 960]);
    expect(before[0]).toEqual({ start: '2026-12-02T00:30:00.000Z', end: '2026-12-02T01:30:00.000Z', workerId: ids.shegong1 });

    const leave = await head.post(`/api/workers/${ids.shegong1}/exceptions`, { date: '2026-12-02', startMinute: 840, endMinute: 1050, kind: 'training', note: '县里培训' });
    expect(leave.statusCode, leave.body).toBe(201);
    expect(leave.json().affectedAppointments).toBe(0);
    const after = (await resident.get(q)).json().items as { start: string }[];
    expect(after).toHaveLength(3);
    const listed = (await worker.get(`/api/workers/${ids.shegong1}/exceptions`)).json().items;
    expect(listed).toEqual([expect.objectContaining({ date: '2026-12-02', startMinute: 840, kind: 'training', note: '县里培训' })]);

    // A worker records their own day off; removing it brings the slots back.
    const own = await worker.post(`/api/workers/${ids.shegong1}/exceptions`, { date: '2026-12-02', kind: 'leave', startMinute: null, endMinute: null, note: null });
    expect(own.statusCode).toBe(201);
    expect((await resident.get(q)).json().items).toHaveLength(0);
    await expect((await t.login('shegong2')).post(`/api/workers/${ids.shegong1}/exceptions`, { date: '2026-12-03', kind: 'leave' }).then((r) => r.statusCode)).resolves.toBe(403);
    expect((await worker.delete(`/api/workers/${ids.shegong1}/exceptions/${own.json().exception.id}`)).statusCode).toBe(204);
    expect((await head.delete(`/api/workers/${ids.shegong1}/exceptions/${leave.json().exception.id}`)).statusCode).toBe(204);
    expect((await resident.get(q)).json().items).toHaveLength(6);
  });

  it('slot queries are validated and scoped', async () => {
    const st = await createType();
    const from = zonedInstant('2026-12-01', 0).toISOString();
    const far = zonedInstant('2027-01-15', 0).toISOString();
    const long = await worker.get(`/api/slots?serviceTypeId=${st.id}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(far)}`);
    expect(long.statusCode).toBe(400);
    expect(Object.keys(long.json().error.fields)).toEqual(['to']);
    const bad = await worker.get(`/api/slots?serviceTypeId=${st.id}&from=yesterday`);
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['from', 'to']);
    const backwards = await worker.get(`/api/slots?serviceTypeId=${st.id}&from=${encodeURIComponent(far)}&to=${encodeURIComponent(from)}`);
    expect(backwards.json().error.fields).toEqual({ to: expect.any(String) });
    expect((await worker.get(`/api/slots?serviceTypeId=nope&from=${encodeURIComponent(from)}&to=${encodeURIComponent(from)}`)).statusCode).toBe(400);
    expect((await worker.get(`/api/slots?serviceTypeId=nope&from=${encodeURIComponent(from)}&to=${encodeURIComponent(zonedInstant('2026-12-02', 0).toISOString())}`)).statusCode).toBe(404);
    await expect((await t.login('shuju')).get(`/api/workers/${ids.shegong1}/hours`).then((r) => r.statusCode)).resolves.toBe(403);
    expect((await head.get(`/api/workers/${ids.shuju}/hours`)).statusCode).toBe(404);
  });
});

describe('the national calendar', () => {
  it('anyone signed in reads it; heads and admins change it; the change moves slots', async () => {
    const cal = (await resident.get('/api/calendar?year=2026')).json().items as { date: string; kind: string }[];
    expect(cal.find((d) => d.date === '2026-10-10')).toMatchObject({ kind: 'workday' });
    expect(cal.filter((d) => d.kind === 'holiday')).toHaveLength(33);
    expect((await worker.request({ method: 'PUT', url: '/api/calendar/2026-12-04', payload: { kind: 'holiday', name: '测试' } })).statusCode).toBe(403);
    const st = await createType();
    const q = `/api/slots?serviceTypeId=${st.id}&from=${encodeURIComponent(zonedInstant('2026-12-04', 0).toISOString())}&to=${encodeURIComponent(zonedInstant('2026-12-05', 0).toISOString())}`;
    expect((await worker.get(q)).json().items.length).toBeGreaterThan(0);
    const put = await admin.request({ method: 'PUT', url: '/api/calendar/2026-12-04', payload: { kind: 'holiday', name: '地方防汛停工（演练）' } });
    expect(put.statusCode, put.body).toBe(200);
    expect((await worker.get(q)).json().items).toHaveLength(0);
    expect((await head.request({ method: 'PUT', url: '/api/calendar/2026-12-04', payload: { kind: 'normal' } })).json()).toEqual({ day: null });
    expect((await worker.get(q)).json().items.length).toBeGreaterThan(0);
    const bad = await head.request({ method: 'PUT', url: '/api/calendar/2026-02-30', payload: { kind: 'holiday' } });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['date', 'name']);
  });
});
