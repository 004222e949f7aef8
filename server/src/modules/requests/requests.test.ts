import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { newId } from '../../lib/ids.js';
import { recordsForSource } from '../service-records/records.js';
import { fieldMessage } from '../../lib/i18n.js';
import { encodeCursor } from '../../lib/pagination.js';
import { createResident } from '../../test/residents.js';
import { linkAccount } from '../appointments/testing.js';
import { availableMinutes } from './requests.js';
import type { CandidateView, RequestView } from './schema.js';
import { otherStationWorker } from '../../test/stations.js';

let t: TestApp;
let w1: Agent; // shegong1: villages 1–2, elderly_care/social_assistance/policy
let w2: Agent; // shegong2
let head: Agent;
let jumin: Agent;
let vol: Agent; // zhiyuan1: village 1, elderly_care/other
let shuju: Agent;
let other: Agent; // a social worker of another station
let users: Record<string, string>;
let stationId: string;
let villages: { id: string; name: string }[];
let self: string; // jumin1's own resident record
let family: string; // a household member jumin1 acts for
let inVillage1: string; // a statutory-basis resident of the first village, not linked to jumin1
let inVillage3: string;

const create = (a: Agent, body: Record<string, unknown>, headers: Record<string, string> = {}) => a.request({ method: 'POST', url: '/api/service-requests', payload: body, headers });
const reqOf = (res: { json(): unknown }) => (res.json() as { request: RequestView }).request;
const act = (a: Agent, r: Pick<RequestView, 'id' | 'version'>, action: string, body: Record<string, unknown> = {}) => a.post(`/api/service-requests/${r.id}/${action}`, { version: r.version, ...body });
const list = async (a: Agent, query = '') => {
  const res = await a.get(`/api/service-requests?limit=100${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: RequestView[]; nextCursor: string | null }).items;
};
const need = (residentId: string, extra: Record<string, unknown> = {}) => ({ residentId, area: 'elderly_care', title: '需要助餐', description: '腿脚不便，希望每天送餐', urgency: 'normal', ...extra });
const fulfilBody = (now: Date) => ({ outcome: '已联系助餐点每日送餐', method: 'visit', start: new Date(now.getTime() - 3_600_000).toISOString(), end: new Date(now.getTime() - 1_800_000).toISOString() });

beforeAll(async () => {
  t = await createTestApp({ demoResidents: true, demoServices: true });
  const db = t.deps.db;
  const rows = await db.selectFrom('users').select(['id', 'username']).execute();
  users = Object.fromEntries(rows.map((r) => [r.username, r.id]));
  stationId = (await db.selectFrom('stations').select('id').orderBy('created_at').executeTakeFirstOrThrow()).id;
  villages = await db.selectFrom('villages').select(['id', 'name']).where('station_id', '=', stationId).orderBy('code').execute();
  const linked = await db.selectFrom('resident_accounts').select(['resident_id', 'relation']).where('user_id', '=', users.jumin1!).execute();
  self = linked.find((l) => l.relation === 'self')!.resident_id;
  family = linked.find((l) => l.relation !== 'self')!.resident_id;
  const pick = async (villageId: string) =>
    (
      await db
        .selectFrom('residents')
        .select('id')
        .where('village_id', '=', villageId)
        .where('lawful_basis', '=', 'statutory_duty')
        .where('status', '=', 'active')
        .where('id', 'not in', linked.map((l) => l.resident_id))
        .orderBy('id')
        .executeTakeFirstOrThrow()
    ).id;
  inVillage1 = await pick(villages[0]!.id);
  inVillage3 = await pick(villages[2]!.id);
  w1 = await t.login('shegong1');
  w2 = await t.login('shegong2');
  head = await t.login('zhanzhang');
  jumin = await t.login('jumin1');
  vol = await t.login('zhiyuan1');
  shuju = await t.login('shuju');

  await otherStationWorker(t, new Date());
  other = await t.login('dongsg');
}, 120_000);
afterAll(async () => t?.close());

describe('raising a need', () => {
  it('a resident raises one for herself and for a linked family member (source resident), not for anyone else', async () => {
    const a = await create(jumin, need(self, { urgency: 'high' }));
    expect(a.statusCode, a.body).toBe(201);
    expect(reqOf(a)).toMatchObject({ status: 'open', source: 'resident', urgency: 'high', resident: { id: self }, assignee: null, version: 1 });
    const b = await create(jumin, need(family, { title: '代办低保年审', area: 'social_assistance' }));
    expect(b.statusCode, b.body).toBe(201);
    const c = await create(jumin, need(inVillage1));
    expect(c.statusCode).toBe(404);
  });

  it('staff raise one for a station resident (source staff); a retried create with the same Idempotency-Key returns the first', async () => {
    const key = `req-${newId()}`;
    const a = await create(w1, need(inVillage1, { title: '上门理发' }), { 'idempotency-key': key });
    const b = await create(w1, need(inVillage1, { title: '上门理发' }), { 'idempotency-key': key });
    expect(a.statusCode, a.body).toBe(201);
    expect(reqOf(b).id).toBe(reqOf(a).id);
    expect(reqOf(a).source).toBe('staff');
    const n = await t.deps.db.selectFrom('service_requests').select('id').where('title', '=', '上门理发').execute();
    expect(n).toHaveLength(1);
  });

  it('refuses bad input naming each field, volunteers and other stations', async () => {
    const bad = await create(w1, { residentId: inVillage1, area: 'cooking', title: '', description: 'x', urgency: 'soon' });
    expect(bad.statusCode).toBe(400);
    const fields = (bad.json() as { error: { fields: Record<string, string> } }).error.fields;
    expect(Object.keys(fields).sort()).toEqual(['area', 'title', 'urgency']);
    expect((await create(w1, need(inVillage1, { title: '   ' }))).statusCode).toBe(400);
    expect((await create(vol, need(inVillage1))).statusCode).toBe(403);
    expect((await create(other, need(inVillage1))).statusCode).toBe(404);
  });

  it('staff need the service consent of a consent-based resident', async () => {
    const r = await createResident(t, w1, { name: '李同意', birthDate: '1949-04-04', lawfulBasis: 'consent', categories: [], healthNotes: null, incomeNotes: null });
    const res = await create(w1, need(r.id));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.id).toBe('consent_required');
  });
});

describe('who sees what', () => {
  it('lists urgent first and filters; residents see only their linked residents', async () => {
    const u = reqOf(await create(w1, need(inVillage3, { urgency: 'urgent', title: '临时救助申请', area: 'social_assistance' })));
    const low = reqOf(await create(w1, need(inVillage3, { urgency: 'low', title: '政策咨询' })));
    const all = await list(w1);
    expect(all[0]!.id).toBe(u.id);
    const ranks = all.map((r) => ['urgent', 'high', 'normal', 'low'].indexOf(r.urgency));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect((await list(w1, '&urgency=low')).map((r) => r.id)).toEqual([low.id]);
    expect((await list(w1, `&villageId=${villages[2]!.id}`)).map((r) => r.id).sort()).toEqual([u.id, low.id].sort());
    expect((await list(w1, '&area=social_assistance')).every((r) => r.area === 'social_assistance')).toBe(true);
    const mine = await list(jumin);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.every((r) => r.resident.id === self || r.resident.id === family)).toBe(true);
    expect(await list(other)).toEqual([]);
    // Pagination: two pages of one, in the same order as one page of two.
    const p1 = await w1.get('/api/service-requests?limit=1');
    const next = (p1.json() as { nextCursor: string }).nextCursor;
    const p2 = await w1.get(`/api/service-requests?limit=1&cursor=${next}`);
    expect([...(p1.json() as { items: RequestView[] }).items, ...(p2.json() as { items: RequestView[] }).items].map((r) => r.id)).toEqual(all.slice(0, 2).map((r) => r.id));
  });

  it('answers 404 (and audits the denial) for a request out of scope, exactly as for a missing one', async () => {
    const r = reqOf(await create(w1, need(inVillage1, { title: '修理门锁' })));
    expect((await other.get(`/api/service-requests/${r.id}`)).statusCode).toBe(404);
    expect((await jumin.get(`/api/service-requests/${r.id}`)).statusCode).toBe(404);
    expect((await vol.get(`/api/service-requests/${r.id}`)).statusCode).toBe(404);
    expect((await w1.get(`/api/service-requests/${newId()}`)).statusCode).toBe(404);
    expect((await shuju.get(`/api/service-requests/${r.id}`)).statusCode).toBe(404);
    const denied = await t.deps.db.selectFrom('audit_log').select('result').where('entity_id', '=', r.id).where('result', '=', 'denied').execute();
    expect(denied.length).toBeGreaterThanOrEqual(3);
  });
});

describe('working a request', () => {
  it('a need whose person was erased on request since cannot be fulfilled into a new record (422)', async () => {
    const person = (await createResident(t, w1, { name: '宋秋菊', lawfulBasis: 'statutory_duty' })).id;
    let r = reqOf(await create(w1, need(person, { title: '代办医保' })));
    r = reqOf(await act(w1, r, 'assign', { assigneeId: users.shegong1 }));
    await t.deps.db.updateTable('residents').set({ anonymised_at: t.clock.now().toISOString() }).where('id', '=', person).execute();
    const done = await act(w1, r, 'fulfil', fulfilBody(t.clock.now()));
    expect(done.statusCode).toBe(422);
    expect(done.json().error.id).toBe('resident_anonymised');
    expect(await recordsForSource(t.deps.db, 'request', r.id)).toBe(0);
  });

  it('assign → start → fulfil: CAS on version and state, notices, one service record, steps visible to the resident', async () => {
    let r = reqOf(await create(jumin, need(self, { title: '需要买菜帮忙' })));
    // The volunteer sees nothing before being given it.
    expect((await list(vol)).find((x) => x.id === r.id)).toBeUndefined();
    expect((await act(w1, r, 'start')).statusCode).toBe(422);
    expect((await act(w1, r, 'assign', { assigneeId: users.dongsg })).statusCode).toBe(400);
    expect((await act(vol, r, 'assign', { assigneeId: users.zhiyuan1 })).statusCode).toBe(404);
    const assigned = await act(w1, r, 'assign', { assigneeId: users.zhiyuan1 });
    expect(assigned.statusCode, assigned.body).toBe(200);
    // The same stale version again: someone changed it meanwhile.
    const stale = await act(w2, r, 'assign', { assigneeId: users.shegong2 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.id).toBe('version_conflict');
    r = reqOf(assigned);
    expect(r).toMatchObject({ status: 'assigned', assignee: { id: users.zhiyuan1, name: '周志愿' }, version: 2 });
    const toVol = await t.deps.db.selectFrom('notification_outbox').select(['payload']).where('recipient_user_id', '=', users.zhiyuan1!).where('channel', '=', 'in_app').execute();
    expect(toVol.some((n) => n.payload.includes(r.id))).toBe(true);
    const toResident = await t.deps.db.selectFrom('notification_outbox').select(['payload']).where('recipient_user_id', '=', users.jumin1!).execute();
    expect(toResident.some((n) => n.payload.includes(r.id) && n.payload.includes('已分派'))).toBe(true);

    // The volunteer now sees the task: the resident's name, village and the task, nothing sensitive.
    const seen = await list(vol);
    expect(seen.map((x) => x.id)).toContain(r.id);
    expect(seen.every((x) => x.assignee?.id === users.zhiyuan1)).toBe(true);
    const one = await vol.get(`/api/service-requests/${r.id}`);
    expect(one.statusCode).toBe(200);
    const body = one.body;
    expect(one.json().request.resident).toEqual({ id: null, name: expect.any(String) });
    expect(one.json().request.village.name).toBeTruthy();
    for (const word of ['idNumber', 'phone', 'health', 'income', 'address', 'birth']) expect(body.toLowerCase()).not.toContain(word.toLowerCase());
    // The resident side cannot work on it; the volunteer cannot cancel it.
    expect((await act(jumin, r, 'start')).statusCode).toBe(403);
    expect((await act(vol, r, 'cancel', { reason: '不想做' })).statusCode).toBe(404);
    expect((await vol.get(`/api/service-requests/${r.id}/candidates`)).statusCode).toBe(404);

    r = reqOf(await act(vol, r, 'start'));
    expect(r.status).toBe('in_progress');
    const now = t.clock.now();
    const future = await act(vol, r, 'fulfil', { ...fulfilBody(now), start: new Date(now.getTime() + 3_600_000).toISOString(), end: new Date(now.getTime() + 7_200_000).toISOString() });
    expect(future.statusCode).toBe(400);
    const backwards = await act(vol, r, 'fulfil', { ...fulfilBody(now), end: new Date(now.getTime() - 7_200_000).toISOString() });
    expect(backwards.statusCode).toBe(400);
    expect(Object.keys(backwards.json().error.fields)).toEqual(['end']);
    const done = await act(vol, r, 'fulfil', fulfilBody(now));
    expect(done.statusCode, done.body).toBe(200);
    const f = reqOf(done);
    expect(f).toMatchObject({ status: 'fulfilled', outcome: '已联系助餐点每日送餐', version: 4 });
    expect(f.serviceRecordId).toBeTruthy();
    // Exactly one ledger row, with the volunteer as the one who served, even after a retry.
    expect((await act(vol, r, 'fulfil', fulfilBody(now))).statusCode).toBe(409);
    expect((await act(vol, f, 'fulfil', fulfilBody(now))).statusCode).toBe(422);
    expect(await recordsForSource(t.deps.db, 'request', r.id)).toBe(1);
    const rec = await t.deps.db.selectFrom('service_records').selectAll().where('source', '=', 'request').where('source_id', '=', r.id).executeTakeFirstOrThrow();
    expect(rec).toMatchObject({ worker_id: users.zhiyuan1, resident_id: self, method: 'visit', outcome: '已联系助餐点每日送餐' });

    // The resident sees every step.
    const detail = await jumin.get(`/api/service-requests/${r.id}`);
    expect(detail.json().history.map((h: { status: string }) => h.status)).toEqual(['open', 'assigned', 'in_progress', 'fulfilled']);
    expect(detail.json().request.resident.id).toBe(self);
    const events = await t.deps.db.selectFrom('resident_events').select(['kind', 'detail']).where('resident_id', '=', self).execute();
    expect(events.filter((e) => e.kind === 'service_request_status' && (e.detail ?? '').includes(r.id))).toHaveLength(3);
    expect(events.some((e) => e.kind === 'service' && (e.detail ?? '').includes(r.id))).toBe(true);
  });

  it('racing writers: of 8 concurrent assigns and 8 concurrent fulfils on one version, exactly one wins each; one ledger row', async () => {
    const r = reqOf(await create(w1, need(inVillage3, { title: '并发分派' })));
    const assigns = await Promise.all(Array.from({ length: 8 }, (_, i) => act(i % 2 ? w1 : w2, r, 'assign', { assigneeId: i % 2 ? users.shegong1 : users.shegong2 })));
    expect(assigns.map((x) => x.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const won = reqOf(assigns.find((x) => x.statusCode === 200)!);
    const now = t.clock.now();
    const fulfils = await Promise.all(Array.from({ length: 8 }, () => act(w1, won, 'fulfil', fulfilBody(now))));
    expect(fulfils.map((x) => x.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect(await recordsForSource(t.deps.db, 'request', r.id)).toBe(1);
  });

  it('cancel: the resident only before assignment, staff at any open step, never twice', async () => {
    const a = reqOf(await create(jumin, need(self, { title: '想要轮椅' })));
    const c = await act(jumin, a, 'cancel', { reason: '家里已经买了' });
    expect(c.statusCode, c.body).toBe(200);
    expect(reqOf(c)).toMatchObject({ status: 'cancelled', cancelReason: '家里已经买了' });
    expect((await act(w1, reqOf(c), 'cancel', { reason: '重复' })).statusCode).toBe(422);

    let b = reqOf(await create(jumin, need(self, { title: '陪同就医' })));
    b = reqOf(await act(w1, b, 'assign', { assigneeId: users.shegong1 }));
    expect((await act(jumin, b, 'cancel', { reason: '不需要了' })).statusCode).toBe(422);
    expect((await act(w1, b, 'cancel', { reason: '' })).statusCode).toBe(400);
    expect(reqOf(await act(w1, b, 'cancel', { reason: '居民已自行解决' })).status).toBe('cancelled');
  });
});

describe('ranked candidates', () => {
  it('ranks the station’s people with the demo coverage and explains each score', async () => {
    const r = reqOf(await create(w1, need(inVillage1, { area: 'elderly_care', title: '独居老人助餐' })));
    const res = await w1.get(`/api/service-requests/${r.id}/candidates`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { area: string; village: { id: string }; items: CandidateView[] };
    expect(body.village.id).toBe(villages[0]!.id);
    const by = (u: string) => body.items.find((c) => c.user.id === users[u])!;
    // shegong1 and zhiyuan1 both have elderly_care and cover the first village: they lead.
    expect(body.items.slice(0, 2).map((c) => c.user.id).sort()).toEqual([users.shegong1, users.zhiyuan1].sort());
    expect(by('shegong1').reasons).toMatchObject({ hasSkill: true, coversVillage: true });
    expect(by('zhiyuan1')).toMatchObject({ role: 'volunteer', reasons: { hasSkill: true, coversVillage: true } });
    expect(by('shegong2').reasons).toMatchObject({ hasSkill: false, coversVillage: false });
    expect(by('shegong2').parts.skill).toBe(0);
    expect(by('shegong1').parts.skill).toBe(40);
    expect(by('zhanzhang').role).toBe('station_head');
    for (const c of body.items) {
      expect(c.score).toBe(c.parts.skill + c.parts.village + c.parts.workload + c.parts.availability);
      expect(c.maxScore).toBe(110);
    }
    const scores = body.items.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    // More open work for shegong1 lowers its workload part.
    const before = by('shegong1').parts.workload;
    for (let i = 0; i < 3; i++) {
      const x = reqOf(await create(w1, need(inVillage3, { title: `负载${i}` })));
      await act(w1, x, 'assign', { assigneeId: users.shegong1 });
    }
    const again = ((await w1.get(`/api/service-requests/${r.id}/candidates`)).json() as { items: CandidateView[] }).items.find((c) => c.user.id === users.shegong1)!;
    expect(again.reasons.openRequests).toBe(by('shegong1').reasons.openRequests + 3);
    expect(again.parts.workload).toBeLessThan(before);

    expect((await jumin.get(`/api/service-requests/${r.id}/candidates`)).statusCode).toBe(404);
    expect((await other.get(`/api/service-requests/${r.id}/candidates`)).statusCode).toBe(404);
  });
});

describe('availability for matching', () => {
  it('counts working minutes in the next 3 China days from now, taking out leave and partial exceptions', async () => {
    const db = t.deps.db;
    const w = users.shegong2!;
    const dates = ['2026-11-30', '2026-12-01', '2026-12-02'];
    await db.deleteFrom('worker_exceptions').where('user_id', '=', w).where('date', 'in', dates).execute();
    // Monday 08:00 in Shanghai: three whole working days of 08:30–12:00 and 14:00–17:30.
    const monday8 = new Date('2026-11-30T00:00:00Z');
    expect((await availableMinutes(db, stationId, [w], monday8)).minutes.get(w)).toBe(3 * 420);
    const iso = new Date().toISOString();
    await db
      .insertInto('worker_exceptions')
      .values([
        { id: newId(), station_id: stationId, user_id: w, date: dates[1]!, start_minute: null, end_minute: null, kind: 'leave', note: null, created_at: iso },
        { id: newId(), station_id: stationId, user_id: w, date: dates[2]!, start_minute: 9 * 60, end_minute: 11 * 60, kind: 'training', note: null, created_at: iso },
      ])
      .execute();
    const after = await availableMinutes(db, stationId, [w], monday8);
    expect(after.minutes.get(w)).toBe(420 + 0 + 300);
    expect(after.withHours.has(w)).toBe(true);
    // From Monday 15:00 only the rest of that afternoon counts today.
    expect((await availableMinutes(db, stationId, [w], new Date('2026-11-30T07:00:00Z'))).minutes.get(w)).toBe(150 + 0 + 300);
    // The volunteer has no weekly hours: available on request.
    expect((await availableMinutes(db, stationId, [users.zhiyuan1!], monday8)).withHours.has(users.zhiyuan1!)).toBe(false);
    await db.deleteFrom('worker_exceptions').where('user_id', '=', w).where('date', 'in', dates).execute();
  });
});

describe('coverage', () => {
  it('staff read it; only the station head changes it, with an audit entry', async () => {
    const res = await w1.get('/api/workers/coverage');
    expect(res.statusCode, res.body).toBe(200);
    const cov = res.json() as { stationId: string; villages: { id: string }[]; workers: { id: string; villageIds: string[]; areas: string[] }[] };
    expect(cov.stationId).toBe(stationId);
    const s2 = cov.workers.find((w) => w.id === users.shegong2)!;
    expect(s2.villageIds).toEqual([villages[2]!.id, villages[3]!.id]);
    expect(s2.areas.sort()).toEqual(['child_care', 'counselling', 'disability']);

    const body = { villageIds: [villages[0]!.id], areas: ['elderly_care', 'disability'] };
    expect((await w1.request({ method: 'PUT', url: `/api/workers/${users.shegong2}/coverage`, payload: body })).statusCode).toBe(404);
    const put = await head.request({ method: 'PUT', url: `/api/workers/${users.shegong2}/coverage`, payload: body });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().worker).toMatchObject({ id: users.shegong2, villageIds: [villages[0]!.id] });
    const audit = await t.deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'worker.coverage').where('entity_id', '=', users.shegong2!).execute();
    expect(audit).toHaveLength(1);
    const bad = await head.request({ method: 'PUT', url: `/api/workers/${users.shegong2}/coverage`, payload: { villageIds: [newId()], areas: ['cooking'] } });
    expect(bad.statusCode).toBe(400);
    expect((await head.request({ method: 'PUT', url: `/api/workers/${users.dongsg}/coverage`, payload: body })).statusCode).toBe(404);
    expect((await other.get(`/api/workers/coverage?stationId=${stationId}`)).statusCode).toBe(404);
    expect((await jumin.get('/api/workers/coverage')).statusCode).toBe(403);
  });
});

describe('security review', () => {
  const fieldsOf = (res: { json(): unknown }) => (res.json() as { error: { fields: Record<string, string> } }).error.fields;
  const zh = (code: string) => fieldMessage(code, 'zh-CN');

  it('the cancel reason stays in the request, the audit log only records that there was one', async () => {
    const a = reqOf(await create(jumin, need(self, { title: '取消原因' })));
    const reason = '孙子下周回家，不需要了';
    const c = await act(jumin, a, 'cancel', { reason });
    expect(c.statusCode, c.body).toBe(200);
    expect(reqOf(c).cancelReason).toBe(reason);
    const audit = await t.deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'service_request.cancel').where('entity_id', '=', a.id).executeTakeFirstOrThrow();
    expect(audit.detail).not.toContain('孙子');
    expect(JSON.parse(audit.detail!)).toEqual({ hasReason: true, by: 'resident' });
  });

  it('a volunteer moved to another station no longer lists, opens, starts or fulfils the requests it had been given', async () => {
    const db = t.deps.db;
    let r = reqOf(await create(w1, need(inVillage1, { title: '志愿者调走' })));
    r = reqOf(await act(w1, r, 'assign', { assigneeId: users.zhiyuan1 }));
    expect((await list(vol)).map((x) => x.id)).toContain(r.id);
    const away = (await db.selectFrom('stations').select('id').where('code', '=', '110101001000').executeTakeFirstOrThrow()).id;
    // Still a volunteer (of the other station), so the requests module still lets it in.
    await db.updateTable('role_assignments').set({ station_id: away }).where('user_id', '=', users.zhiyuan1!).where('role', '=', 'volunteer').execute();
    try {
      const moved = await t.login('zhiyuan1');
      expect((await list(moved)).map((x) => x.id)).not.toContain(r.id);
      expect((await moved.get(`/api/service-requests/${r.id}`)).statusCode).toBe(404);
      expect((await act(moved, r, 'start')).statusCode).toBe(404);
      expect((await act(moved, r, 'fulfil', fulfilBody(t.clock.now()))).statusCode).toBe(404);
      const row = await db.selectFrom('service_requests').select(['status', 'version']).where('id', '=', r.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'assigned', version: r.version });
      const denied = await db.selectFrom('audit_log').select('action').where('entity_id', '=', r.id).where('result', '=', 'denied').execute();
      expect(denied.length).toBeGreaterThanOrEqual(3);
    } finally {
      await db.updateTable('role_assignments').set({ station_id: stationId }).where('user_id', '=', users.zhiyuan1!).where('role', '=', 'volunteer').execute();
    }
    // Back at the station: the task is there again.
    expect((await list(vol)).map((x) => x.id)).toContain(r.id);
  });

  it('fulfil: the end not in the future, at most 24 hours of service; leap seconds are 400, not 500', async () => {
    let r = reqOf(await create(w1, need(inVillage1, { title: '时长上限' })));
    r = reqOf(await act(w1, r, 'assign', { assigneeId: users.shegong1 }));
    const now = t.clock.now();
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const future = await act(w1, r, 'fulfil', { ...fulfilBody(now), start: at(-3_600_000), end: at(3_600_000) });
    expect(future.statusCode).toBe(400);
    expect(fieldsOf(future)).toEqual({ end: zh('time_in_future') });
    const long = await act(w1, r, 'fulfil', { ...fulfilBody(now), start: at(-25 * 3_600_000), end: at(-60_000) });
    expect(long.statusCode).toBe(400);
    expect(fieldsOf(long)).toEqual({ end: zh('service_too_long') });
    expect(fieldMessage('service_too_long', 'en')).toMatch(/24 hours/);
    const leap = await act(w1, r, 'fulfil', { ...fulfilBody(now), start: '2026-06-30T23:59:60Z' });
    expect(leap.statusCode, leap.body).toBe(400);
    expect(fieldsOf(leap)).toEqual({ start: zh('date_invalid') });
    const leapEnd = await act(w1, r, 'fulfil', { ...fulfilBody(now), end: '2026-06-30T23:59:60Z' });
    expect(fieldsOf(leapEnd)).toEqual({ end: zh('date_invalid') });
    // Exactly 24 hours is allowed.
    const day = await act(w1, r, 'fulfil', { ...fulfilBody(now), start: at(-24 * 3_600_000 - 60_000), end: at(-60_000) });
    expect(day.statusCode, day.body).toBe(200);
  });

  it('a forged cursor answers 400 naming `cursor`, never a database error', async () => {
    for (const c of [encodeCursor('0|junk|x'), encodeCursor('9|2026-11-01T00:00:00.000Z|x'), encodeCursor('0|2026-11-01T00:00:00.000Z'), encodeCursor("1|x' or 1=1|y"), encodeCursor('a|2026-11-01T00:00:00.000Z|x')]) {
      const res = await w1.get(`/api/service-requests?cursor=${c}`);
      expect(res.statusCode, res.body).toBe(400);
      expect(Object.keys(fieldsOf(res))).toEqual(['cursor']);
    }
  });

  it('a resident account asking for a family member needs the service consent; for itself it consents by asking; not for someone inactive', async () => {
    const relative = (await createResident(t, w1, { name: '王同意', birthDate: '1948-03-03', lawfulBasis: 'consent', categories: [], healthNotes: null, incomeNotes: null })).id;
    await linkAccount(t, 'jumin1', relative, 'family');
    const forRelative = await create(jumin, need(relative));
    expect(forRelative.statusCode, forRelative.body).toBe(422);
    expect(forRelative.json().error.id).toBe('consent_required');
    expect(await t.deps.db.selectFrom('service_requests').select('id').where('resident_id', '=', relative).execute()).toEqual([]);

    // Her own record, consent-based and without a service consent: asking is consenting.
    const db = t.deps.db;
    const before = await db.selectFrom('residents').select('lawful_basis').where('id', '=', self).executeTakeFirstOrThrow();
    const standing = (await db.selectFrom('consents').select('id').where('resident_id', '=', self).where('purpose', '=', 'service').where('withdrawn_at', 'is', null).execute()).map((c) => c.id);
    const hide = standing.length ? db.updateTable('consents').where('id', 'in', standing) : null;
    await db.updateTable('residents').set({ lawful_basis: 'consent' }).where('id', '=', self).execute();
    if (hide) await hide.set({ withdrawn_at: t.clock.now().toISOString() }).execute();
    try {
      const own = await create(jumin, need(self, { title: '自己申请' }));
      expect(own.statusCode, own.body).toBe(201);
    } finally {
      await db.updateTable('residents').set({ lawful_basis: before.lawful_basis }).where('id', '=', self).execute();
      if (hide) await hide.set({ withdrawn_at: null }).execute();
    }

    await db.updateTable('residents').set({ status: 'moved', status_date: '2026-10-01' }).where('id', '=', relative).execute();
    const gone = await create(jumin, need(relative));
    expect(gone.statusCode).toBe(422);
    expect(gone.json().error.id).toBe('resident_not_active');
    const byStaff = await create(w1, need(relative));
    expect(byStaff.json().error.id).toBe('resident_not_active');
  });
});
