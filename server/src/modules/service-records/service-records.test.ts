import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { createResident } from '../../test/residents.js';
import { newId } from '../../lib/ids.js';
import { createUser } from '../users/users.js';
import { NOW, demoStation, serviceType, type Catalogue } from '../appointments/testing.js';
import type { ServiceRecordView } from './schema.js';
import { otherStationWorker } from '../../test/stations.js';

let t: TestApp;
let c: Catalogue;
let w1: Agent;
let w2: Agent;
let shuju: Agent;
let other: Agent;
let residentId: string;
let otherResident: string;
let st: string;

const manual = (extra: Record<string, unknown> = {}) => ({
  residentId,
  method: 'phone',
  start: '2026-11-28T01:00:00.000Z',
  end: '2026-11-28T01:20:00.000Z',
  summary: '电话回访：血压稳定，提醒按时服药',
  ...extra,
});

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(NOW);
  c = await demoStation(t);
  w1 = await t.login('shegong1');
  w2 = await t.login('shegong2');
  shuju = await t.login('shuju');
  st = await serviceType(t, c, { name: '助老服务' });
  residentId = (await createResident(t, w1)).id;
  const otherVillage = newId();
  await otherStationWorker(t, NOW, { villageId: otherVillage });
  other = await t.login('dongsg');
  otherResident = (await createResident(t, other, { villageId: otherVillage, name: '钱玉兰' })).id;
});
afterAll(async () => t?.close());

describe('service records', () => {
  it('a worker records a service by hand: 201, audited, on the resident’s timeline', async () => {
    const res = await w1.post('/api/service-records', manual({ serviceTypeId: st, outcome: '情况稳定', followUpNeeded: true, place: '电话' }));
    expect(res.statusCode, res.body).toBe(201);
    const r = (res.json() as { record: ServiceRecordView }).record;
    expect(r).toMatchObject({ method: 'phone', source: 'manual', sourceId: null, followUpNeeded: true, outcome: '情况稳定', place: '电话', worker: { name: '张社工' }, createdBy: { name: '张社工' }, serviceType: { id: st, name: '助老服务' }, resident: { id: residentId, name: '王桂英' } });
    const tl = (await w1.get(`/api/residents/${residentId}/timeline`)).json().items as { kind: string; detail: Record<string, unknown> }[];
    expect(tl.find((e) => e.kind === 'service')?.detail).toMatchObject({ serviceRecordId: r.id, source: 'manual', method: 'phone', serviceName: '助老服务' });
    expect(await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'service_record.create').where('entity_id', '=', r.id).execute()).toHaveLength(1);
    expect((await w2.get(`/api/service-records/${r.id}`)).json().record).toEqual(r);
  });

  it('on behalf of a colleague; bad input names each field', async () => {
    const ok = await w1.post('/api/service-records', manual({ workerId: c.workers.shegong2, method: 'visit', start: '2026-11-27T02:00:00.000Z', end: '2026-11-27T03:00:00.000Z' }));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().record.worker.id).toBe(c.workers.shegong2);
    const bad = await w1.post('/api/service-records', manual({ start: '2026-11-30T02:00:00.000Z', end: '2026-11-30T01:00:00.000Z', workerId: newId(), serviceTypeId: newId() }));
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['end', 'serviceTypeId', 'start', 'workerId']);
    const schema = await w1.post('/api/service-records', manual({ method: 'séance', summary: '', extra: true }));
    expect(schema.statusCode).toBe(400);
    expect(Object.keys(schema.json().error.fields).sort()).toEqual(['extra', 'method', 'summary']);
  });

  it('scope: another station’s worker neither reads nor writes; data officers read but do not write; residents do not read', async () => {
    expect((await other.post('/api/service-records', manual())).statusCode).toBe(404);
    expect((await other.get(`/api/service-records?residentId=${residentId}`)).json().items).toEqual([]);
    const mine = (await w1.get('/api/service-records')).json().items as ServiceRecordView[];
    expect((await other.get(`/api/service-records/${mine[0]!.id}`)).statusCode).toBe(404);
    expect((await w1.post('/api/service-records', manual({ residentId: otherResident }))).statusCode).toBe(404);
    expect((await shuju.get('/api/service-records')).json().items.length).toBe(mine.length);
    expect((await shuju.post('/api/service-records', manual())).statusCode).toBe(403);
    const jumin = await t.login('jumin1');
    expect((await jumin.get('/api/service-records')).statusCode).toBe(403);
    expect((await jumin.get(`/api/service-records/${mine[0]!.id}`)).statusCode).toBe(404);
  });

  it('lists newest first, filters by worker and time, pages without gaps', async () => {
    for (let d = 1; d <= 5; d++) {
      const day = `2026-11-${String(10 + d).padStart(2, '0')}`;
      expect((await w2.post('/api/service-records', manual({ start: `${day}T01:00:00.000Z`, end: `${day}T02:00:00.000Z`, method: 'casework' }))).statusCode).toBe(201);
    }
    const all = (await w1.get('/api/service-records?limit=100')).json().items as ServiceRecordView[];
    expect(all.map((r) => r.start)).toEqual([...all.map((r) => r.start)].sort().reverse());
    const byW2 = (await w1.get(`/api/service-records?workerId=${c.workers.shegong2}`)).json().items as ServiceRecordView[];
    expect(byW2.length).toBe(6);
    const casework = (await w1.get('/api/service-records?method=casework&followUpNeeded=false')).json().items as ServiceRecordView[];
    expect(casework.map((r) => r.method)).toEqual(['casework', 'casework', 'casework', 'casework', 'casework']);
    expect(((await w1.get('/api/service-records?followUpNeeded=true')).json().items as ServiceRecordView[]).every((r) => r.followUpNeeded)).toBe(true);
    expect((await w1.get('/api/service-records?method=séance')).statusCode).toBe(400);
    // Days in China time, as the web sends them.
    const day = (await w1.get(`/api/service-records?from=${encodeURIComponent('2026-11-13T00:00:00.000+08:00')}&to=${encodeURIComponent('2026-11-14T00:00:00.000+08:00')}`)).json().items as ServiceRecordView[];
    expect(day.map((r) => r.start)).toEqual(['2026-11-13T01:00:00.000Z']);
    const window = (await w1.get('/api/service-records?from=2026-11-12T00:00:00.000Z&to=2026-11-14T00:00:00.000Z')).json().items as ServiceRecordView[];
    expect(window.map((r) => r.start)).toEqual(['2026-11-13T01:00:00.000Z', '2026-11-12T01:00:00.000Z']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await w1.get(`/api/service-records?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json() as { items: ServiceRecordView[]; nextCursor: string | null };
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((r) => r.id));
    expect((await w1.get('/api/service-records?cursor=%%%')).statusCode).toBe(400);
  });

  it('a leap second or a forged cursor is a 400 naming the field, not a 500', async () => {
    const leap = '2026-06-30T23:59:60Z';
    const bad = await w1.post('/api/service-records', manual({ start: leap, end: leap }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toMatchObject({ start: expect.any(String), end: expect.any(String) });
    expect((await w1.get(`/api/service-records?from=${leap}`)).json().error.fields).toMatchObject({ from: expect.any(String) });
    const forged = await w1.get(`/api/service-records?cursor=${Buffer.from('junk|x').toString('base64url')}`);
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.fields).toMatchObject({ cursor: expect.any(String) });
  });

  it('Idempotency-Key: a retried entry is recorded once', async () => {
    const body = manual({ start: '2026-11-20T01:00:00.000Z', end: '2026-11-20T01:30:00.000Z' });
    const headers = { 'idempotency-key': 'record-1120-once' };
    const a = await w1.request({ method: 'POST', url: '/api/service-records', payload: body, headers });
    const b = await w1.request({ method: 'POST', url: '/api/service-records', payload: body, headers });
    expect(a.statusCode).toBe(201);
    expect(b.json().record.id).toBe(a.json().record.id);
    expect(await t.deps.db.selectFrom('service_records').select('id').where('start_at', '=', '2026-11-20T01:00:00.000Z').execute()).toHaveLength(1);
  });

  it('the ledger holds at most one record per appointment, visit or request (unique index)', async () => {
    const row = await t.deps.db.selectFrom('service_records').selectAll().executeTakeFirstOrThrow();
    const sourceId = newId();
    await t.deps.db.insertInto('service_records').values({ ...row, id: newId(), source: 'visit', source_id: sourceId }).execute();
    await expect(t.deps.db.insertInto('service_records').values({ ...row, id: newId(), source: 'visit', source_id: sourceId }).execute()).rejects.toThrow();
  });

  it('consent: a resident whose service consent is withdrawn cannot be recorded (422 consent_required)', async () => {
    const village = (await t.deps.db.selectFrom('villages').select('id').where('code', '=', '430181110232').executeTakeFirstOrThrow()).id;
    const r = await createResident(t, w1, { villageId: village, name: '孙子涵', birthDate: '1988-08-08', lawfulBasis: 'consent', categories: [], healthNotes: null, incomeNotes: null, riskTier: 'normal' });
    const refused = await w1.post('/api/service-records', manual({ residentId: r.id }));
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ id: 'consent_required', purpose: 'service' });
  });
});

describe('group and community sessions', () => {
  const session = (residentIds: string[], extra: Record<string, unknown> = {}) => ({
    residentIds,
    method: 'group',
    start: '2026-11-27T06:00:00.000Z',
    end: '2026-11-27T07:30:00.000Z',
    place: '村老年活动室',
    summary: '防诈骗小组第三节：识别冒充公检法电话',
    ...extra,
  });
  let members: string[];
  let villageId: string;
  beforeAll(async () => {
    members = [residentId];
    villageId = (await t.deps.db.selectFrom('residents').select('village_id').where('id', '=', residentId).executeTakeFirstOrThrow()).village_id;
    for (const [name, birthDate] of [['李秀珍', '1948-03-09'], ['陈国华', '1951-12-20']] as const) members.push((await createResident(t, w1, { name, birthDate, villageId })).id);
  });

  it('one entry for everyone a session served: a row each, one activity, the co-leader listed, on every timeline', async () => {
    const res = await w1.post('/api/service-records', session(members, { coWorkerIds: [c.workers.shegong2], serviceTypeId: st }));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { record: ServiceRecordView; records: ServiceRecordView[] };
    expect(body.records).toHaveLength(3);
    expect(body.record).toEqual(body.records[0]);
    const activity = body.record.activityId;
    expect(activity).toBeTruthy();
    expect(body.records.map((r) => r.resident.id)).toEqual(members);
    for (const r of body.records) {
      expect(r).toMatchObject({ activityId: activity, participants: 3, method: 'group', worker: { id: c.workers.shegong1 }, coWorkers: [{ id: c.workers.shegong2, name: '刘社工' }], summary: '防诈骗小组第三节：识别冒充公检法电话' });
      const tl = (await w1.get(`/api/residents/${r.resident.id}/timeline`)).json().items as { kind: string; detail: Record<string, unknown> }[];
      expect(tl.find((e) => e.kind === 'service' && e.detail.serviceRecordId === r.id)?.detail).toMatchObject({ activityId: activity, coWorkerIds: [c.workers.shegong2] });
    }
    expect(await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'service_record.create').where('entity_id', 'in', body.records.map((r) => r.id)).execute()).toHaveLength(3);
    // The session's rows together, and in the co-leader's own ledger.
    const rows = (await w1.get(`/api/service-records?activityId=${activity}`)).json().items as ServiceRecordView[];
    expect(rows.map((r) => r.id).sort()).toEqual(body.records.map((r) => r.id).sort());
    const hers = (await w2.get(`/api/service-records?workerId=${c.workers.shegong2}&limit=100`)).json().items as ServiceRecordView[];
    expect(hers.filter((r) => r.activityId === activity)).toHaveLength(3);
    // One-to-one work stays as it was.
    const single = (await w1.post('/api/service-records', manual())).json() as { record: ServiceRecordView; records: ServiceRecordView[] };
    expect(single.record).toMatchObject({ activityId: null, participants: 1, coWorkers: [] });
    expect(single.records).toHaveLength(1);
  });

  it('names each bad field: both forms or neither, the same person twice, a stranger as co-leader', async () => {
    const both = await w1.post('/api/service-records', session(members, { residentId }));
    expect(both.statusCode).toBe(400);
    expect(both.json().error.fields).toEqual({ residentIds: '请选择服务对象：一位居民，或小组、社区活动的多位居民' });
    const neither = await w1.post('/api/service-records', { ...manual(), residentId: undefined });
    expect(neither.statusCode).toBe(400);
    expect(Object.keys(neither.json().error.fields)).toEqual(['residentId']);
    const twice = await w1.post('/api/service-records', session([members[0]!, members[1]!, members[0]!]));
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.fields).toEqual({ 'residentIds.2': '重复选择了同一个人' });
    // Co-leaders are enabled staff or volunteers of the residents' station: not another station's worker,
    // not a made-up id, not an account that has been switched off.
    const dongsg = (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'dongsg').executeTakeFirstOrThrow()).id;
    await t.deps.db.transaction().execute((trx) =>
      createUser(trx, { username: 'tuixiu', displayName: '退休社工', password: DEMO_PASSWORD, roles: [{ role: 'social_worker', stationId: c.stationId, countyId: null }], mustChangePassword: false, demoPassword: true }, NOW),
    );
    const retired = (await t.deps.db.updateTable('users').set({ disabled: 1 }).where('username', '=', 'tuixiu').returning('id').executeTakeFirstOrThrow()).id;
    const stranger = await w1.post('/api/service-records', session(members, { coWorkerIds: [c.workers.shegong2, dongsg, newId(), retired] }));
    expect(stranger.statusCode).toBe(400);
    expect(Object.keys(stranger.json().error.fields).sort()).toEqual(['coWorkerIds.1', 'coWorkerIds.2', 'coWorkerIds.3']);
    expect((await w1.post('/api/service-records', manual({ workerId: retired }))).json().error.fields).toEqual({ workerId: '须为本站工作人员' });
    // Several people at once only as a group or community session.
    const casework = await w1.post('/api/service-records', session(members, { method: 'casework' }));
    expect(casework.statusCode).toBe(400);
    expect(casework.json().error.fields).toEqual({ residentIds: '多位居民一起参加的，请选择“小组”或“社区活动”' });
    const empty = await w1.post('/api/service-records', session([]));
    expect(empty.statusCode).toBe(400);
    expect(Object.keys(empty.json().error.fields)).toEqual(['residentIds']);
  });

  it('anyone without a service consent is named and nothing is written; a resident of another station is 404', async () => {
    const noConsent = (await createResident(t, w1, { villageId, name: '孙一诺', birthDate: '1990-07-07', lawfulBasis: 'consent', categories: [], healthNotes: null, incomeNotes: null, riskTier: 'normal' })).id;
    const before = await t.deps.db.selectFrom('service_records').select('id').execute();
    const res = await w1.post('/api/service-records', session([members[0]!, noConsent, members[1]!], { summary: '重阳节社区活动', method: 'community' }));
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error).toMatchObject({ id: 'consent_required', fields: { 'residentIds.1': '此人未同意接受服务或已撤回同意，请移出名单' } });
    expect(await t.deps.db.selectFrom('service_records').select('id').execute()).toHaveLength(before.length);
    const cross = await w1.post('/api/service-records', session([members[0]!, otherResident]));
    expect(cross.statusCode).toBe(404);
    expect(await t.deps.db.selectFrom('service_records').select('id').execute()).toHaveLength(before.length);
  });
});
