import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { createResident } from '../../test/residents.js';
import { newId } from '../../lib/ids.js';
import { insertServiceRecord } from '../service-records/records.js';
import { zonedInstant } from '../scheduling/zoned.js';
import { MONDAY, NOW, at, demoStation, linkAccount, serviceType, type Catalogue } from '../appointments/testing.js';
import type { ItemView, RatingView, SatisfactionView, ToRateView } from './schema.js';
import { complaintSubjects, escalationHead } from './feedback.js';
import { otherStationWorker } from '../../test/stations.js';

let t: TestApp;
let c: Catalogue;
let w1: Agent; // shegong1
let w2: Agent; // shegong2
let head: Agent;
let jumin: Agent;
let other: Agent; // a social worker of another station
let headId: string;
let typeA: string;
let typeB: string;
let self: string; // jumin1's own resident record
let family: string; // linked household member
let stranger: string; // not linked to jumin1

const DAY = 86_400_000;

/** Move the manual clock; sessions idle out when it jumps, so everyone signs in again. */
async function setClock(d: Date) {
  t.clock.set(d);
  w1 = await t.login('shegong1');
  w2 = await t.login('shegong2');
  head = await t.login('zhanzhang');
  jumin = await t.login('jumin1');
  other = await t.login('dongsg');
}

/** A service record written straight into the ledger (the ledger has its own tests). */
async function record(residentId: string, o: { worker?: string; type?: string | null; start?: Date; coWorkers?: string[] } = {}): Promise<string> {
  const start = o.start ?? new Date(NOW.getTime() - DAY);
  return t.deps.db.transaction().execute((trx) =>
    insertServiceRecord(
      trx,
      {
        stationId: c.stationId,
        residentId,
        workerId: o.worker ?? c.workers.shegong1,
        serviceTypeId: o.type === undefined ? typeA : o.type,
        method: 'station',
        start,
        end: new Date(start.getTime() + 1_800_000),
        place: null,
        summary: '政策咨询',
        outcome: null,
        followUpNeeded: false,
        source: 'manual',
        sourceId: null,
        createdBy: c.workers.shegong1,
        ...(o.coWorkers ? { method: 'group' as const, activityId: newId(NOW.getTime()), coWorkerIds: o.coWorkers } : {}),
      },
      NOW,
    ),
  );
}

const rate = (a: Agent, body: Record<string, unknown>) => a.post('/api/ratings', body);
const submit = (a: Agent, body: Record<string, unknown>) => a.post('/api/feedback-items', body);
const item = (res: { json(): unknown }) => (res.json() as { item: ItemView }).item;
const items = async (a: Agent, q = '') => ((await a.get(`/api/feedback-items?limit=100${q}`)).json() as { items: ItemView[] }).items;
const toRate = async (a: Agent, q = '') => ((await a.get(`/api/feedback/to-rate?limit=100${q}`)).json() as { items: ToRateView[] }).items;
const outboxTo = (userId: string) => t.deps.db.selectFrom('notification_outbox').selectAll().where('recipient_user_id', '=', userId).where('template', '=', 'generic').execute();
const titles = async (userId: string) => (await outboxTo(userId)).map((r) => (JSON.parse(r.payload) as { title: string; link?: string }));

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(NOW);
  c = await demoStation(t);
  w1 = await t.login('shegong1');
  w2 = await t.login('shegong2');
  head = await t.login('zhanzhang');
  jumin = await t.login('jumin1');
  headId = (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'zhanzhang').executeTakeFirstOrThrow()).id;
  typeA = await serviceType(t, c, { name: '政策咨询' });
  typeB = await serviceType(t, c, { name: '心理疏导' });
  self = (await createResident(t, w1)).id;
  family = (await createResident(t, w1, { name: '李德明', gender: 'male', birthDate: '1946-05-02' })).id;
  stranger = (await createResident(t, w1, { name: '赵春花', birthDate: '1950-02-02' })).id;
  await linkAccount(t, 'jumin1', self, 'self');
  await linkAccount(t, 'jumin1', family, 'family');

  await otherStationWorker(t, NOW);
  other = await t.login('dongsg');
});
afterAll(async () => t?.close());

describe('ratings', () => {
  it('a resident rates a linked resident’s service once, online; a second rating is 409 already_rated', async () => {
    const rec = await record(family);
    expect((await toRate(jumin)).map((x) => x.serviceRecordId)).toContain(rec);
    const res = await rate(jumin, { serviceRecordId: rec, score: 5, comment: ' 很耐心 ' });
    expect(res.statusCode, res.body).toBe(201);
    const r = (res.json() as { rating: RatingView }).rating;
    expect(r).toMatchObject({ serviceRecordId: rec, score: 5, comment: '很耐心', channel: 'online', resident: { id: family }, worker: { id: c.workers.shegong1 }, serviceType: { id: typeA } });
    const again = await rate(jumin, { serviceRecordId: rec, score: 1 });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { id: 'already_rated' } });
    // Staff cannot add a second one either: the record has its rating.
    expect((await rate(w2, { serviceRecordId: rec, score: 3, channel: 'phone' })).statusCode).toBe(409);
    expect(await t.deps.db.selectFrom('ratings').select('id').where('service_record_id', '=', rec).execute()).toHaveLength(1);
    expect((await toRate(jumin)).map((x) => x.serviceRecordId)).not.toContain(rec);
    // Shown on the rating page as already rated, and on the resident's timeline.
    const page = await jumin.get(`/api/feedback/to-rate/${rec}`);
    expect(page.json()).toMatchObject({ record: { serviceRecordId: rec }, rating: { score: 5 } });
    const events = await t.deps.db.selectFrom('resident_events').select(['kind', 'detail']).where('resident_id', '=', family).where('kind', '=', 'rated').execute();
    expect(events).toHaveLength(1);
    // Every worker reads the timeline; the score is only for the worker who served and the heads.
    expect(JSON.parse(events[0]!.detail!)).toEqual({ serviceRecordId: rec });
  });

  it('ratings racing for one record: exactly one 201, the rest 409 already_rated', async () => {
    const rec = await record(self);
    const results = await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => rate(jumin, { serviceRecordId: rec, score: 1 + i })),
      ...Array.from({ length: 4 }, () => rate(w2, { serviceRecordId: rec, score: 3, channel: 'phone' })),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(await t.deps.db.selectFrom('ratings').select('id').where('service_record_id', '=', rec).execute()).toHaveLength(1);
  });

  it('a resident may rate only the services of residents linked to them; another station’s staff get 404', async () => {
    const rec = await record(stranger);
    const res = await rate(jumin, { serviceRecordId: rec, score: 4 });
    expect(res.statusCode).toBe(404);
    expect((await jumin.get(`/api/feedback/to-rate/${rec}`)).statusCode).toBe(404);
    expect((await toRate(jumin)).map((x) => x.serviceRecordId)).not.toContain(rec);
    expect((await rate(other, { serviceRecordId: rec, score: 4, channel: 'phone' })).statusCode).toBe(404);
    expect((await rate(jumin, { serviceRecordId: 'nope', score: 4 })).statusCode).toBe(404);
    // A resident cannot claim a phone rating; the score must be 1–5.
    const mine = await record(self);
    expect((await rate(jumin, { serviceRecordId: mine, score: 4, channel: 'phone' })).json()).toMatchObject({ error: { fields: { channel: '不是允许的取值' } } });
    expect((await rate(jumin, { serviceRecordId: mine, score: 6 })).statusCode).toBe(400);
    expect(await t.deps.db.selectFrom('ratings').select('id').where('service_record_id', 'in', [rec, mine]).execute()).toHaveLength(0);
  });

  it('staff record a phone rating from the follow-up list; staff cannot record an "online" rating', async () => {
    const rec = await record(stranger, { worker: c.workers.shegong2, type: typeB });
    const old = await record(stranger, { start: new Date(NOW.getTime() - 10 * DAY) });
    const list = (await toRate(w1)).map((x) => x.serviceRecordId);
    expect(list).toContain(rec);
    expect(list).not.toContain(old); // 7 days by default
    expect((await toRate(w1, '&days=14')).map((x) => x.serviceRecordId)).toContain(old);
    expect((await toRate(other)).map((x) => x.serviceRecordId)).not.toContain(rec);
    expect((await rate(w1, { serviceRecordId: rec, score: 4, channel: 'online' })).json()).toMatchObject({ error: { fields: { channel: '工作人员代录请选择电话、当面或意见箱' } } });
    const res = await rate(w1, { serviceRecordId: rec, score: 4, channel: 'phone', comment: '电话回访' });
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as { rating: RatingView }).rating).toMatchObject({ channel: 'phone', recordedBy: { name: '张社工' }, worker: { id: c.workers.shegong2 } });
    expect((await toRate(w1)).map((x) => x.serviceRecordId)).not.toContain(rec);
  });

  it('a low score (≤ 2) notifies the station head; a good one does not', async () => {
    const before = (await titles(headId)).length;
    expect((await rate(w2, { serviceRecordId: await record(stranger), score: 4, channel: 'in_person' })).statusCode).toBe(201);
    expect((await titles(headId)).length).toBe(before);
    const res = await rate(w2, { serviceRecordId: await record(stranger), score: 2, channel: 'phone', comment: '等太久' });
    expect(res.statusCode).toBe(201);
    const after = await titles(headId);
    expect(after.length).toBe(before + 1);
    expect(after[after.length - 1]).toMatchObject({ title: '收到 2 分的低分评价' });
  });

  it('a worker cannot record a rating of their own service (400 serviceRecordId own_service); a colleague or the head can', async () => {
    const rec = await record(stranger); // delivered by shegong1
    const res = await rate(w1, { serviceRecordId: rec, score: 5, channel: 'phone' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { id: 'validation_failed', fields: { serviceRecordId: '不能为自己提供的服务登记评价，请由其他工作人员回访' } } });
    expect(await t.deps.db.selectFrom('ratings').select('id').where('service_record_id', '=', rec).execute()).toHaveLength(0);
    // The resident's own turn is not taken: a colleague records it (or the resident rates it).
    const ok = await rate(head, { serviceRecordId: rec, score: 4, channel: 'phone' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((ok.json() as { rating: RatingView }).rating).toMatchObject({ worker: { id: c.workers.shegong1 }, recordedBy: { name: '李站长' } });
  });

  it('the rating page shows a rating only to those the ratings rule admits: not to a colleague of the worker', async () => {
    const rec = await record(family, { worker: c.workers.shegong2 });
    expect((await rate(jumin, { serviceRecordId: rec, score: 3, comment: '没听明白' })).statusCode).toBe(201);
    const seen = async (a: Agent) => (await a.get(`/api/feedback/to-rate/${rec}`)).json() as { rated: boolean; rating: RatingView | null };
    // shegong1 works at the station but did not deliver it: knows it is rated, not the score or words.
    expect(await seen(w1)).toMatchObject({ rated: true, rating: null });
    expect(await seen(w2)).toMatchObject({ rated: true, rating: { score: 3, comment: '没听明白' } });
    expect(await seen(head)).toMatchObject({ rated: true, rating: { score: 3 } });
    expect(await seen(jumin)).toMatchObject({ rated: true, rating: { score: 3 } });
    const unrated = await record(family, { worker: c.workers.shegong2 });
    expect(await seen({ get: (u: string) => w1.get(u.replace(rec, unrated)) } as Agent)).toMatchObject({ rated: false, rating: null });
  });

  it('a leap second or a forged cursor is a 400 naming the field, not a 500', async () => {
    const leap = encodeURIComponent('2026-06-30T23:59:60Z');
    for (const url of [`/api/ratings?from=${leap}`, `/api/ratings?to=${leap}`, `/api/feedback/satisfaction?to=${leap}`, `/api/feedback/satisfaction?from=${leap}`]) {
      const res = await head.get(url);
      expect(res.statusCode, `${url} ${res.body}`).toBe(400);
      expect((res.json() as { error: { fields: Record<string, string> } }).error.fields).toEqual({ [url.includes('from=') ? 'from' : 'to']: '日期不正确' });
    }
    const forged = [Buffer.from('junk|x').toString('base64url'), Buffer.from('2026-11-01T00:00:00.000Z').toString('base64url'), Buffer.from("2026-11-01T00:00:00.000Z|x' or 1=1|y").toString('base64url')];
    for (const base of ['/api/ratings?', '/api/feedback/to-rate?', '/api/feedback-items?']) {
      for (const cursor of forged) {
        const res = await head.get(`${base}cursor=${cursor}`);
        expect(res.statusCode, `${base} ${res.body}`).toBe(400);
        expect(res.json()).toMatchObject({ error: { id: 'validation_failed', fields: { cursor: expect.any(String) } } });
      }
    }
  });

  it('pages follow the cursor on every list, without repeats', async () => {
    for (const url of ['/api/ratings?limit=2', '/api/feedback/to-rate?days=90&limit=2', '/api/feedback-items?limit=2']) {
      const ids: string[] = [];
      let next: string | null = '';
      for (let i = 0; i < 50 && next !== null; i++) {
        const res = await head.get(`${url}${next ? `&cursor=${next}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json() as { items: { id?: string; serviceRecordId?: string }[]; nextCursor: string | null };
        ids.push(...page.items.map((x) => x.id ?? x.serviceRecordId ?? ''));
        next = page.nextCursor;
      }
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('ratings list: the head sees every worker’s, a social worker only their own', async () => {
    const all = ((await head.get('/api/ratings?limit=100')).json() as { items: RatingView[] }).items;
    expect(new Set(all.map((r) => r.worker.id))).toEqual(new Set([c.workers.shegong1, c.workers.shegong2]));
    const mine = ((await w1.get('/api/ratings?limit=100')).json() as { items: RatingView[] }).items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.worker.id === c.workers.shegong1)).toBe(true);
    // How many 2s there are depends on which of the racing ratings above won: compare with the table.
    const low = ((await head.get('/api/ratings?score=2&limit=100')).json() as { items: RatingView[] }).items;
    const twos = await t.deps.db.selectFrom('ratings').select('id').where('score', '=', 2).where('station_id', '=', c.stationId).execute();
    expect(low.length).toBeGreaterThan(0);
    expect(low.map((r) => r.id).sort()).toEqual(twos.map((r) => r.id).sort());
    expect((await jumin.get('/api/ratings')).statusCode).toBe(403);
  });

  it('completing an appointment asks the linked resident account to rate it, in the same transaction', async () => {
    const booked = await w1.post('/api/appointments', { serviceTypeId: typeA, residentId: self, start: at(MONDAY, 9), workerId: c.workers.shegong1 });
    expect(booked.statusCode, booked.body).toBe(201);
    let a = (booked.json() as { appointment: { id: string; version: number; serviceRecordId: string | null } }).appointment;
    a = ((await w1.post(`/api/appointments/${a.id}/check-in`, { version: a.version })).json() as { appointment: typeof a }).appointment;
    const done = await w1.post(`/api/appointments/${a.id}/complete`, { version: a.version, summary: '已解答' });
    expect(done.statusCode, done.body).toBe(200);
    const recId = (done.json() as { appointment: typeof a }).appointment.serviceRecordId!;
    const juminId = (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'jumin1').executeTakeFirstOrThrow()).id;
    expect((await titles(juminId)).filter((p) => p.link === `/feedback/rate/${recId}`)).toEqual([expect.objectContaining({ title: '请为本次服务评价' })]);
  });
});

describe('suggestions and complaints', () => {
  const FRIDAY = zonedInstant('2026-12-04', 10 * 60);
  const holiday = async (date: string) =>
    t.deps.db.insertInto('calendar_days').values({ date, kind: 'holiday', name: '测试假日', source: null }).onConflict((oc) => oc.column('date').doUpdateSet({ kind: 'holiday' })).execute();

  it('a complaint is due at the end of the 5th working day: over a weekend, later with a holiday', async () => {
    await setClock(FRIDAY);
    try {
      const plain = await submit(jumin, { kind: 'complaint', subject: '等候时间太长', body: '周五上午等了一个小时。' });
      expect(plain.statusCode, plain.body).toBe(201);
      // Friday 4 Dec → Mon 7 … Fri 11 Dec, due at 24:00 Beijing time.
      expect(item(plain)).toMatchObject({ kind: 'complaint', status: 'open', channel: 'online', resident: { id: self }, dueAt: zonedInstant('2026-12-12', 0).toISOString(), overdue: false });
      await holiday('2026-12-09');
      const later = await submit(jumin, { kind: 'complaint', subject: '活动室太冷', body: '暖气没开。' });
      expect(item(later).dueAt).toBe(zonedInstant('2026-12-15', 0).toISOString());
      const suggestion = await submit(jumin, { kind: 'suggestion', subject: '希望增加周末开放', body: '子女周末才能陪同。' });
      expect(item(suggestion)).toMatchObject({ kind: 'suggestion', dueAt: null, overdue: false });
    } finally {
      await t.deps.db.deleteFrom('calendar_days').where('date', '=', '2026-12-09').execute();
      await setClock(NOW);
    }
  });

  it('staff submit on someone’s behalf (phone, box); resident accounts only for linked residents; bad fields named', async () => {
    const box = await submit(w1, { kind: 'suggestion', subject: '意见箱来信', body: '希望多办健康讲座。', channel: 'box' });
    expect(box.statusCode, box.body).toBe(201);
    expect(item(box)).toMatchObject({ channel: 'box', resident: null, submittedBy: { name: '张社工' } });
    expect((await submit(w1, { kind: 'suggestion', subject: 'x', body: 'y', channel: 'online' })).json()).toMatchObject({ error: { fields: { channel: '工作人员代录请选择电话、当面或意见箱' } } });
    expect((await submit(jumin, { kind: 'suggestion', subject: 'x', body: 'y', residentId: stranger })).statusCode).toBe(404);
    const bad = await submit(jumin, { kind: 'complaint', subject: 'x', body: 'y', aboutWorkerId: 'nobody', serviceRecordId: await record(stranger) });
    expect(bad.json()).toMatchObject({ error: { id: 'validation_failed', fields: { aboutWorkerId: '须为本站工作人员', serviceRecordId: '找不到该服务记录' } } });
    expect((await submit(jumin, { kind: 'complaint', subject: '', body: 'y' })).statusCode).toBe(400);
  });

  it('a complaint about a worker is seen by the station head only, not by that worker or the other workers', async () => {
    const res = await submit(jumin, { kind: 'complaint', subject: '态度不好', body: '说话很冲。', aboutWorkerId: c.workers.shegong1 });
    expect(res.statusCode, res.body).toBe(201);
    const id = item(res).id;
    expect((await items(head)).map((x) => x.id)).toContain(id);
    expect((await items(jumin)).map((x) => x.id)).toContain(id);
    for (const w of [w1, w2]) {
      expect((await items(w)).map((x) => x.id)).not.toContain(id);
      expect((await w.get(`/api/feedback-items/${id}`)).statusCode).toBe(404);
      expect((await w.post(`/api/feedback-items/${id}/start`, { version: 1 })).statusCode).toBe(404);
    }
    // A complaint that names nobody and a suggestion are the whole station's to handle.
    const general = item(await submit(jumin, { kind: 'complaint', subject: '厕所不干净', body: '请打扫。' }));
    expect((await items(w1, '&kind=complaint')).map((x) => x.id)).toContain(general.id);
    expect((await items(other)).map((x) => x.id)).not.toContain(general.id);
    // New complaints are announced to the head.
    expect((await titles(headId)).filter((p) => p.title === '收到新的投诉').length).toBeGreaterThanOrEqual(2);
  });

  it('a complaint about a service concerns its worker: hidden from that worker, who cannot act on it', async () => {
    const rec = await record(self); // delivered by shegong1
    const res = await submit(jumin, { kind: 'complaint', subject: '服务敷衍', body: '没讲清楚就走了。', serviceRecordId: rec });
    expect(res.statusCode, res.body).toBe(201);
    const f = item(res);
    expect(f.aboutWorker).toMatchObject({ id: c.workers.shegong1 });
    expect((await items(w1)).map((x) => x.id)).not.toContain(f.id);
    expect((await w1.get(`/api/feedback-items/${f.id}`)).statusCode).toBe(404);
    for (const a of ['start', 'close', 'escalate']) expect((await w1.post(`/api/feedback-items/${f.id}/${a}`, { version: 1 })).statusCode).toBe(404);
    expect((await w1.post(`/api/feedback-items/${f.id}/respond`, { version: 1, response: '我没有敷衍' })).statusCode).toBe(404);
    expect((await items(head)).map((x) => x.id)).toContain(f.id);
    // Naming someone else explicitly wins over the service's worker.
    const named = item(await submit(jumin, { kind: 'complaint', subject: '前台态度', body: '接待时不耐烦。', serviceRecordId: rec, aboutWorkerId: c.workers.shegong2 }));
    expect(named.aboutWorker).toMatchObject({ id: c.workers.shegong2 });
    expect((await items(w1)).map((x) => x.id)).not.toContain(named.id);
    expect((await items(w2)).map((x) => x.id)).not.toContain(named.id);
  });

  it('the worker a complaint names can never handle it: not when they registered it, not as the station head', async () => {
    // A resident phones in a complaint about 张社工 and 张社工 writes it down honestly.
    const own = item(await submit(w1, { kind: 'complaint', subject: '电话投诉', body: '说上次上门迟到了。', channel: 'phone', residentId: stranger, aboutWorkerId: c.workers.shegong1 }));
    expect((await items(w1)).map((x) => x.id)).toContain(own.id); // they sent it
    for (const a of ['start', 'close', 'escalate']) expect((await w1.post(`/api/feedback-items/${own.id}/${a}`, { version: 1 })).statusCode).toBe(404);
    expect((await w1.post(`/api/feedback-items/${own.id}/respond`, { version: 1, response: '已道歉' })).statusCode).toBe(404);
    const denied = await t.deps.db.selectFrom('audit_log').select(['actor_id']).where('entity_id', '=', own.id).where('result', '=', 'denied').execute();
    expect(denied.length).toBeGreaterThanOrEqual(4);
    expect((await head.post(`/api/feedback-items/${own.id}/start`, { version: 1 })).statusCode).toBe(200);

    // A complaint about the station head: the head neither sees nor handles it.
    const about = item(await submit(jumin, { kind: 'complaint', subject: '站长不回电话', body: '打了三次没人接。', aboutWorkerId: headId }));
    expect((await items(head)).map((x) => x.id)).not.toContain(about.id);
    expect((await head.get(`/api/feedback-items/${about.id}`)).statusCode).toBe(404);
    expect((await head.post(`/api/feedback-items/${about.id}/start`, { version: 1 })).statusCode).toBe(404);
    expect((await head.post(`/api/feedback-items/${about.id}/close`, { version: 1 })).statusCode).toBe(404);
    expect((await w1.get(`/api/feedback-items/${about.id}`)).statusCode).toBe(404);
    // Not announced to the head it is about.
    expect((await titles(headId)).filter((p) => p.link === `/feedback/complaints?item=${about.id}`)).toEqual([]);
  });

  it('a complaint about a group session is kept from everyone who led it, a co-leading head too', async () => {
    // 张社工 led a group session with 李站长 as co-leader; the resident complains about the session.
    const rec = await record(self, { worker: c.workers.shegong1, coWorkers: [headId] });
    const before = (await outboxTo(headId)).length;
    const f = item(await submit(jumin, { kind: 'complaint', subject: '小组活动太吵', body: '活动安排得太乱。', serviceRecordId: rec }));
    expect(f.aboutWorker).toMatchObject({ id: c.workers.shegong1 });
    for (const a of [w1, head]) {
      expect((await items(a)).map((x) => x.id)).not.toContain(f.id);
      expect((await a.get(`/api/feedback-items/${f.id}`)).statusCode).toBe(404);
      expect((await a.post(`/api/feedback-items/${f.id}/start`, { version: 1 })).statusCode).toBe(404);
    }
    // The head co-led it: not told of it, and with no other head it cannot be escalated to anyone.
    expect((await outboxTo(headId)).length).toBe(before);
    const row = await t.deps.db.selectFrom('feedback_items').selectAll().where('id', '=', f.id).executeTakeFirstOrThrow();
    expect(await complaintSubjects(t.deps.db, row)).toEqual([c.workers.shegong1, headId]);
    expect(await escalationHead(t.deps.db, c.stationId, await complaintSubjects(t.deps.db, row))).toBeUndefined();
    // 刘社工 had no part in it and sees it as the station's staff would a complaint about a colleague: not at all.
    expect((await items(w2)).map((x) => x.id)).not.toContain(f.id);
    // The head's to-do count leaves it out as well.
    const open = async () => ((await head.get('/api/workbench')).json() as { complaintsOpen: number }).complaintsOpen;
    const counted = await open();
    // Without the co-leader row the head would see and count it: the rule above is what kept it out.
    await t.deps.db.deleteFrom('service_record_workers').where('service_record_id', '=', rec).execute();
    expect((await items(head)).map((x) => x.id)).toContain(f.id);
    expect(await open()).toBe(counted + 1);
  });

  it('whom a complaint can name: a resident sees who served their household first, staff their station', async () => {
    await record(family, { worker: c.workers.shegong2 });
    const res = await jumin.get('/api/feedback/workers');
    expect(res.statusCode, res.body).toBe(200);
    const list = (res.json() as { items: { id: string; name: string; served: boolean }[] }).items;
    const served = list.filter((w) => w.served).map((w) => w.id);
    expect(served).toEqual(expect.arrayContaining([c.workers.shegong1, c.workers.shegong2]));
    expect(list.find((w) => w.id === headId)).toMatchObject({ name: '李站长', served: false });
    expect(new Set(list.map((w) => w.id)).size).toBe(list.length);
    expect(list.findIndex((w) => !w.served)).toBeGreaterThan(list.findLastIndex((w) => w.served));
    const staff = (await w1.get('/api/feedback/workers')).json() as { items: { id: string; served: boolean }[] };
    expect(staff.items.map((w) => w.id)).toEqual(expect.arrayContaining([c.workers.shegong1, c.workers.shegong2, headId]));
    const others = (await other.get('/api/feedback/workers')).json() as { items: { id: string }[] };
    expect(others.items.map((w) => w.id)).not.toContain(c.workers.shegong1);
  });

  it('start, respond and close are compare-and-swap; the resident sees the response; residents cannot act', async () => {
    const f = item(await submit(jumin, { kind: 'complaint', subject: '路灯坏了', body: '活动中心门口。' }));
    expect((await jumin.post(`/api/feedback-items/${f.id}/start`, { version: 1 })).statusCode).toBe(404);
    const started = await w2.post(`/api/feedback-items/${f.id}/start`, { version: 1 });
    expect(started.statusCode, started.body).toBe(200);
    expect(item(started)).toMatchObject({ status: 'in_progress', handler: { name: '刘社工' }, version: 2 });
    expect((await w1.post(`/api/feedback-items/${f.id}/start`, { version: 1 })).json()).toMatchObject({ error: { id: 'version_conflict' } });
    expect((await w1.post(`/api/feedback-items/${f.id}/start`, { version: 2 })).statusCode).toBe(422);
    const answered = await w2.post(`/api/feedback-items/${f.id}/respond`, { version: 2, response: '已报修，本周内修好。' });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(item(answered)).toMatchObject({ status: 'resolved', response: '已报修，本周内修好。', overdue: false });
    expect((await w2.post(`/api/feedback-items/${f.id}/respond`, { version: 3, response: 'again' })).json()).toMatchObject({ error: { id: 'invalid_transition' } });
    const mine = (await items(jumin)).find((x) => x.id === f.id);
    expect(mine).toMatchObject({ status: 'resolved', response: '已报修，本周内修好。' });
    expect((await items(w2, '&settled=false')).map((x) => x.id)).not.toContain(f.id);
    expect((await items(w2, '&settled=true')).map((x) => x.id)).toContain(f.id);
    const closed = await w2.post(`/api/feedback-items/${f.id}/close`, { version: 3 });
    expect(item(closed)).toMatchObject({ status: 'closed', response: '已报修，本周内修好。' });
    expect((await w2.post(`/api/feedback-items/${f.id}/escalate`, { version: 4 })).statusCode).toBe(422);
  });

  it('the sweep escalates an overdue complaint to the station head once, and notifies once', async () => {
    const f = item(await submit(jumin, { kind: 'complaint', subject: '补贴没到账', body: '上月的高龄补贴。' }));
    const count = async () => (await titles(headId)).filter((p) => p.title === '投诉已超期，已转交站长' && p.link === `/feedback/complaints?item=${f.id}`).length;
    expect((await head.post('/api/feedback-items/sweep')).json()).toMatchObject({ escalated: 0 });
    expect((await w1.post('/api/feedback-items/sweep')).statusCode).toBe(403);
    await setClock(new Date(Date.parse(f.dueAt!) + 60_000));
    try {
      expect((await items(head, '&overdue=true')).map((x) => x.id)).toContain(f.id);
      const first = (await head.post('/api/feedback-items/sweep')).json() as { escalated: number };
      expect(first.escalated).toBeGreaterThanOrEqual(1);
      // The head pressed the button: the escalation is theirs in the audit log, not the system's.
      const audited = await t.deps.db.selectFrom('audit_log').select(['actor_id', 'actor_username', 'detail']).where('entity_id', '=', f.id).where('action', '=', 'feedback_item.escalate').execute();
      expect(audited).toEqual([expect.objectContaining({ actor_id: headId, actor_username: 'zhanzhang' })]);
      expect(JSON.parse(audited[0]!.detail!)).toMatchObject({ automatic: true, to: headId });
      const again = await head.post('/api/feedback-items/sweep');
      expect(again.json()).toMatchObject({ escalated: 0 });
      await setClock(new Date(Date.parse(f.dueAt!) + 2 * DAY));
      expect((await head.post('/api/feedback-items/sweep')).json()).toMatchObject({ escalated: 0 });
      const now = (await head.get(`/api/feedback-items/${f.id}`)).json() as { item: ItemView };
      expect(now.item).toMatchObject({ escalatedTo: { id: headId }, overdue: true, version: 2 });
      expect(await count()).toBe(1);
      expect(await t.deps.db.selectFrom('alert_log').select('day').where('kind', '=', 'complaint_overdue').where('subject_id', '=', f.id).execute()).toHaveLength(1);
      // Already escalated: a manual escalation is refused.
      expect((await w1.post(`/api/feedback-items/${f.id}/escalate`, { version: 2 })).statusCode).toBe(422);
    } finally {
      await setClock(NOW);
    }
  });

  it('a worker escalates by hand to the station head', async () => {
    const f = item(await submit(w1, { kind: 'suggestion', subject: '电话建议', body: '希望开设书法班。', channel: 'phone', residentId: stranger }));
    const res = await w1.post(`/api/feedback-items/${f.id}/escalate`, { version: 1 });
    expect(res.statusCode, res.body).toBe(200);
    expect(item(res)).toMatchObject({ escalatedTo: { id: headId }, status: 'open' });
  });
});

describe('satisfaction', () => {
  it('per service type, per worker and per month, exact on a known set; a social worker sees only their own', async () => {
    // Ratings given in September and October 2026 (nothing else in that range).
    const known: [string, string, number, string][] = [
      [c.workers.shegong1, typeA, 5, '2026-09-10'],
      [c.workers.shegong1, typeA, 4, '2026-10-02'],
      [c.workers.shegong2, typeA, 3, '2026-10-15'],
      [c.workers.shegong1, typeB, 1, '2026-10-31'],
    ];
    for (const [worker, type, score, day] of known) {
      const rec = await record(stranger, { worker, type, start: zonedInstant(day, 9 * 60) });
      await t.deps.db
        .insertInto('ratings')
        .values({ id: newId(), station_id: c.stationId, service_record_id: rec, resident_id: stranger, worker_id: worker, service_type_id: type, score, comment: null, channel: 'phone', recorded_by: worker, created_at: zonedInstant(day, 20 * 60).toISOString() })
        .execute();
    }
    const range = `from=${encodeURIComponent(zonedInstant('2026-09-01', 0).toISOString())}&to=${encodeURIComponent(zonedInstant('2026-11-01', 0).toISOString())}`;
    const res = await head.get(`/api/feedback/satisfaction?${range}`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json() as SatisfactionView;
    expect(s.scope).toBe('station');
    expect(s.overall).toEqual({ count: 4, average: 3.25, distribution: [1, 0, 1, 1, 1] });
    expect(s.byServiceType).toEqual([
      { id: typeA, name: '政策咨询', count: 3, average: 4, distribution: [0, 0, 1, 1, 1] },
      { id: typeB, name: '心理疏导', count: 1, average: 1, distribution: [1, 0, 0, 0, 0] },
    ]);
    expect(s.byWorker).toEqual([
      { id: c.workers.shegong1, name: '张社工', count: 3, average: 3.33, distribution: [1, 0, 0, 1, 1] },
      { id: c.workers.shegong2, name: '刘社工', count: 1, average: 3, distribution: [0, 0, 1, 0, 0] },
    ]);
    // 31 Oct 20:00 Beijing is 12:00 UTC: still October.
    expect(s.monthly).toEqual([
      { month: '2026-09', count: 1, average: 5 },
      { month: '2026-10', count: 3, average: 2.67 },
    ]);
    const own = (await w2.get(`/api/feedback/satisfaction?${range}`)).json() as SatisfactionView;
    expect(own.scope).toBe('own');
    expect(own.overall).toEqual({ count: 1, average: 3, distribution: [0, 0, 1, 0, 0] });
    expect(own.byWorker.map((w) => w.id)).toEqual([c.workers.shegong2]);
    expect((await jumin.get(`/api/feedback/satisfaction?${range}`)).statusCode).toBe(403);
    // Default: the last six months, months without ratings included.
    const def = (await head.get('/api/feedback/satisfaction')).json() as SatisfactionView;
    expect(def.monthly.map((m) => m.month)).toEqual(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
    expect((await head.get(`/api/feedback/satisfaction?from=${encodeURIComponent('2020-01-01T00:00:00Z')}`)).json()).toMatchObject({ error: { fields: { from: '时间范围不能超过24个月' } } });
  });
});
