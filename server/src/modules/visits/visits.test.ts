import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { createResident } from '../../test/residents.js';
import { newId } from '../../lib/ids.js';
import { fieldMessage } from '../../lib/i18n.js';
import { createUser } from '../users/users.js';
import { recordsForSource } from '../service-records/records.js';
import { PNG } from '../consultations/testing.js';
import { multipart } from '../roster/testing.js';
import type { DueRowView, VisitView } from './schema.js';
import { dueOf } from './cadence.js';
import { sweepOverdueHighTier } from './sweep.js';
import { otherStationWorker } from '../../test/stations.js';

/** Sunday 29 November 2026, 10:00 in Shanghai. */
const NOW = new Date('2026-11-29T02:00:00Z');

let t: TestApp;
let w1: Agent; // shegong1: villages 1–2
let w2: Agent; // shegong2: villages 3–4
let head: Agent;
let other: Agent; // a social worker of another station
let villages: string[];
const r = {} as Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'Gone', string>;

const CHECK_OK = { housing_safety: 'ok', heating_cooling: 'ok', food: 'ok', water: 'ok', hygiene: 'ok', medication: 'ok', mobility: 'ok', mental_state: 'ok', caregiver: 'na', utilities: 'ok' };
const visitBody = (residentId: string, extra: Record<string, unknown> = {}) => ({
  residentId,
  visitedAt: new Date(NOW.getTime() - 3_600_000).toISOString(),
  durationMinutes: 40,
  mode: 'home',
  metResident: true,
  observations: '老人精神尚可，家中整洁。',
  checklist: CHECK_OK,
  riskFlags: [],
  ...extra,
});
const record = (a: Agent, body: Record<string, unknown>, key?: string) => a.request({ method: 'POST', url: '/api/visits', payload: body, headers: key ? { 'idempotency-key': key } : {} });
const due = async (a: Agent, qs: string) => {
  const res = await a.get(`/api/visits/due?limit=100&${qs}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: DueRowView[] }).items;
};
const ids = (rows: DueRowView[]) => rows.map((x) => x.resident.id);
const mine = (rows: DueRowView[]) => ids(rows).filter((id) => Object.values(r).includes(id));
const tierOf = async (a: Agent, id: string) => ((await a.get(`/api/residents/${id}`)).json() as { resident: { riskTier: string; version: number } }).resident;

/** Register a resident as if on a given date (the record's creation counts when never visited). */
async function residentOn(iso: string, name: string, village: number, riskTier: 'high' | 'priority' | 'normal', extra: Record<string, unknown> = {}) {
  t.clock.set(new Date(iso));
  const res = await createResident(t, w1, { name, villageId: villages[village], riskTier, ...extra });
  t.clock.set(NOW);
  return res.id;
}

beforeAll(async () => {
  t = await createTestApp({ demoServices: true });
  t.clock.set(NOW);
  w1 = await t.login('shegong1');
  w2 = await t.login('shegong2');
  head = await t.login('zhanzhang');
  villages = (await t.deps.db.selectFrom('villages').select('id').orderBy('code').execute()).map((v) => v.id);
  r.A = await residentOn('2026-09-01T02:00:00Z', '甲高风险', 0, 'high'); // due 8 Sep: 82 days overdue
  r.F = await residentOn('2026-08-09T02:00:00Z', '己重点', 0, 'priority'); // due 8 Sep: 82 days, but not high
  r.B = await residentOn('2026-09-01T02:00:00Z', '乙重点', 1, 'priority'); // due 1 Oct: 59 days
  r.C = await residentOn('2026-09-01T02:00:00Z', '丙一般', 2, 'normal'); // due 30 Nov: due tomorrow
  r.D = await residentOn('2026-09-01T02:00:00Z', '丁高风险', 2, 'high'); // 82 days, shegong2's village
  r.E = await residentOn('2026-06-01T02:00:00Z', '戊刚走访', 1, 'high');
  r.G = await residentOn('2026-06-01T02:00:00Z', '庚零点', 1, 'high');
  r.Gone = await residentOn('2026-06-01T02:00:00Z', '辛已故', 1, 'high');
  await t.deps.db.updateTable('residents').set({ status: 'deceased', status_date: '2026-10-01' }).where('id', '=', r.Gone).execute();

  // Another station, with its own social worker.
  await otherStationWorker(t, NOW);
  other = await t.login('dongsg');
});
afterAll(async () => t?.close());

describe('due list', () => {
  it('visits move the due day; an older service record of method visit counts too; Shanghai midnight decides the day', async () => {
    const e = await record(w1, visitBody(r.E, { visitedAt: '2026-11-25T02:00:00Z' }));
    expect(e.statusCode, e.body).toBe(201);
    // 00:30 on 22 Nov in Shanghai (21 Nov in UTC): high tier due 29 Nov, i.e. today, not overdue.
    const g = await record(w1, visitBody(r.G, { visitedAt: '2026-11-21T16:30:00Z', mode: 'phone' }));
    expect(g.statusCode, g.body).toBe(201);
    const rows = await due(w1, 'scope=all&state=all');
    const row = (id: string) => rows.find((x) => x.resident.id === id)!;
    expect(row(r.E)).toMatchObject({ dueOn: '2026-12-02', daysOverdue: -3, lastVisitAt: '2026-11-25T02:00:00.000Z', lastVisitBy: { name: '张社工' } });
    expect(row(r.G)).toMatchObject({ dueOn: '2026-11-29', daysOverdue: 0 });
    expect(row(r.A)).toMatchObject({ dueOn: '2026-09-08', daysOverdue: 82, lastVisitAt: null, lastVisitBy: null, resident: { name: '甲高风险', tier: 'high', village: { id: villages[0] }, categories: ['dibao', 'elderly_alone'] } });
    // The volunteer covering village 1 is not listed: due lists and alerts are for staff.
    expect(row(r.A).coveringWorkers.map((w) => w.name)).toEqual(['张社工']);
    expect(rows.find((x) => x.resident.id === r.Gone)).toBeUndefined();

    // A ledger entry of method 'visit' written before this module existed (source manual).
    const m = await w1.post('/api/service-records', { residentId: r.B, method: 'visit', start: '2026-11-20T02:00:00Z', end: '2026-11-20T03:00:00Z', summary: '入户了解情况' });
    expect(m.statusCode, m.body).toBe(201);
    expect((await due(w1, 'scope=all')).find((x) => x.resident.id === r.B)).toMatchObject({ dueOn: '2026-12-20', daysOverdue: -21, lastVisitBy: { name: '张社工' } });
  });

  it('sorted by days overdue, high tier first among equals; state filters', async () => {
    expect(mine(await due(head, 'scope=all&state=overdue'))).toEqual([...[r.A, r.D].sort(), r.F]);
    expect(mine(await due(head, 'scope=all&state=due_soon'))).toEqual([r.G, r.C, r.E]);
    expect(mine(await due(head, 'scope=all&state=due'))).toEqual([...[r.A, r.D].sort(), r.F, r.G, r.C, r.E]);
    expect(mine(await due(head, 'scope=all&tier=high&state=overdue'))).toEqual([r.A, r.D].sort());
    expect(mine(await due(head, `scope=all&villageId=${villages[2]}`))).toEqual([r.D, r.C]);
    expect(ids(await due(head, `residentId=${r.B}`))).toEqual([r.B]);
    // Paging with the cursor walks the same order without gaps or repeats.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await head.get(`/api/visits/due?scope=all&state=due&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json() as { items: DueRowView[]; nextCursor: string | null };
      seen.push(...ids(body.items));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen.filter((id) => Object.values(r).includes(id))).toEqual([...[r.A, r.D].sort(), r.F, r.G, r.C, r.E]);
  });

  it('mine: only the villages the user covers; workerId: another worker’s', async () => {
    expect(mine(await due(w1, 'scope=mine&state=due'))).toEqual([r.A, r.F, r.G, r.E]);
    expect(mine(await due(w2, 'scope=mine&state=due'))).toEqual([r.D, r.C]);
    const w2id = (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'shegong2').executeTakeFirstOrThrow()).id;
    expect(mine(await due(w1, `workerId=${w2id}&state=due`))).toEqual([r.D, r.C]);
    expect(await due(other, 'scope=all')).toEqual([]);
  });

  it('summary: per village and per worker, and the overdue high-tier residents', async () => {
    const res = await head.get('/api/visits/due/summary');
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json() as { byVillage: { villageId: string; overdue: number; dueSoon: number }[]; byWorker: { workerName: string; overdue: number; dueSoon: number }[]; overdueHighTier: number; overdueHigh: { id: string }[]; visitDays: unknown };
    expect(s.byVillage.find((v) => v.villageId === villages[0])).toMatchObject({ overdue: 2 });
    expect(s.byVillage.find((v) => v.villageId === villages[2])).toMatchObject({ overdue: 1, dueSoon: 1 });
    expect(s.byWorker.find((w) => w.workerName === '刘社工')).toMatchObject({ overdue: 1, dueSoon: 1 });
    expect(s.byWorker.find((w) => w.workerName === '张社工')?.overdue).toBe(2);
    expect(s.overdueHighTier).toBe(2);
    expect(s.overdueHigh.map((x) => x.id).sort()).toEqual([r.A, r.D].sort());
    expect(s.visitDays).toEqual({ high: 7, priority: 30, normal: 90 });
  });

  it('the cadence follows the station settings', async () => {
    const stationId = (await t.deps.db.selectFrom('residents').select('station_id').where('id', '=', r.C).executeTakeFirstOrThrow()).station_id;
    await t.deps.db.insertInto('station_settings').values({ station_id: stationId, office_hours: '{}', consultation_response_minutes: 420, visit_days_high: 7, visit_days_priority: 30, visit_days_normal: 60, complaint_response_days: 5, updated_by: null, updated_at: NOW.toISOString() }).execute();
    try {
      expect((await due(head, `scope=all&villageId=${villages[2]}`)).find((x) => x.resident.id === r.C)).toMatchObject({ dueOn: '2026-10-31', daysOverdue: 29 });
    } finally {
      await t.deps.db.deleteFrom('station_settings').where('station_id', '=', stationId).execute();
    }
  });
});

describe('recording a visit', () => {
  it('raises the tier in the same transaction, suggests high for serious flags, writes one service record, timeline and audit', async () => {
    const id = await residentOn('2026-11-01T02:00:00Z', '壬一般', 0, 'normal');
    const before = await tierOf(w1, id);
    const res = await record(w1, visitBody(id, { riskFlags: ['signs_of_abuse', 'fall_risk'], newTier: 'high', checklist: { ...CHECK_OK, food: 'concern' }, followUpNeeded: true }));
    expect(res.statusCode, res.body).toBe(201);
    const { visit, suggestedTier } = res.json() as { visit: VisitView; suggestedTier: string | null };
    expect(suggestedTier).toBe('high');
    expect(visit).toMatchObject({ tierBefore: 'normal', tierAfter: 'high', mode: 'home', followUpNeeded: true, riskFlags: ['signs_of_abuse', 'fall_risk'], checklist: { food: 'concern' }, worker: { name: '张社工' } });
    const after = await tierOf(w1, id);
    expect(after).toMatchObject({ riskTier: 'high', version: before.version + 1 });
    expect(await recordsForSource(t.deps.db, 'visit', visit.id)).toBe(1);
    const sr = await w1.get(`/api/service-records?residentId=${id}`);
    expect((sr.json() as { items: { method: string; source: string; sourceId: string; followUpNeeded: boolean }[] }).items).toEqual([expect.objectContaining({ method: 'visit', source: 'visit', sourceId: visit.id, followUpNeeded: true })]);
    expect(visit.serviceRecordId).toBeTruthy();
    const tl = ((await w1.get(`/api/residents/${id}/timeline?limit=50`)).json() as { items: { kind: string; field: string | null; oldValue: string | null; newValue: string | null }[] }).items;
    expect(tl.find((e) => e.kind === 'updated' && e.field === 'riskTier')).toMatchObject({ oldValue: 'normal', newValue: 'high' });
    expect(tl.some((e) => e.kind === 'service')).toBe(true);
    expect(await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'visit.create').where('entity_id', '=', visit.id).execute()).toHaveLength(1);
    // A phone visit goes into the ledger as a phone service; no flag, no suggestion.
    const phone = await record(w1, visitBody(id, { mode: 'phone', riskFlags: ['fall_risk'] }));
    expect(phone.json().suggestedTier).toBeNull();
    expect((await w1.get(`/api/service-records/${phone.json().visit.serviceRecordId}`)).json().record.method).toBe('phone');
  });

  it('lowering the tier: refused for a worker (403, nothing written), allowed for the station head', async () => {
    const id = await residentOn('2026-11-01T02:00:00Z', '癸高风险', 0, 'high');
    const refused = await record(w1, visitBody(id, { newTier: 'normal' }));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.id).toBe('tier_lowering_needs_head');
    expect((await w1.get(`/api/visits?residentId=${id}`)).json().items).toEqual([]);
    expect((await tierOf(w1, id)).riskTier).toBe('high');
    const kept = await record(w1, visitBody(id, { newTier: 'high' }));
    expect(kept.statusCode, kept.body).toBe(201);
    const lowered = await record(head, visitBody(id, { newTier: 'priority' }));
    expect(lowered.statusCode, lowered.body).toBe(201);
    expect((await tierOf(w1, id)).riskTier).toBe('priority');
  });

  it('opens a service request once (idempotent retry returns the same visit: one request, one service record)', async () => {
    const id = await residentOn('2026-11-01T02:00:00Z', '子需求', 1, 'priority');
    const body = visitBody(id, { riskFlags: ['unpaid_utilities'], openRequest: { title: '协助缴纳电费', area: 'social_assistance', urgency: 'high', description: '电费欠缴两个月，需协助申请临时救助' } });
    const key = `visit-${id}`;
    const first = await record(w1, body, key);
    expect(first.statusCode, first.body).toBe(201);
    const again = await record(w1, body, key);
    expect(again.statusCode).toBe(201);
    const v = first.json().visit as VisitView;
    expect(again.json().visit.id).toBe(v.id);
    expect(v.requestId).toBeTruthy();
    const reqs = await t.deps.db.selectFrom('service_requests').selectAll().where('resident_id', '=', id).execute();
    expect(reqs).toHaveLength(1);
    expect(reqs[0]).toMatchObject({ id: v.requestId, source: 'visit', source_id: v.id, title: '协助缴纳电费', status: 'open' });
    expect(await recordsForSource(t.deps.db, 'visit', v.id)).toBe(1);
    expect(await t.deps.db.selectFrom('visits').select('id').where('resident_id', '=', id).execute()).toHaveLength(1);
  });

  it('photos uploaded for the resident are attached to the visit; someone else’s upload is refused', async () => {
    const id = await residentOn('2026-11-01T02:00:00Z', '寅拍照', 0, 'priority');
    const upload = async (a: Agent) => {
      const res = await a.request({ method: 'POST', url: `/api/residents/${id}/photos`, ...multipart({ name: 'home.png', bytes: PNG, type: 'image/png' }) });
      expect(res.statusCode, res.body).toBe(201);
      return (res.json() as { photo: { id: string } }).photo.id;
    };
    const mine = await upload(w1);
    const theirs = await upload(w2);
    const refused = await record(w1, visitBody(id, { photoIds: [mine, theirs] }));
    expect(refused.statusCode).toBe(400);
    expect(Object.keys(refused.json().error.fields)).toEqual(['photoIds']);
    // Nothing was written by the refused save (one transaction).
    expect((await w1.get(`/api/visits?residentId=${id}`)).json().items).toEqual([]);
    const ok = await record(w1, visitBody(id, { photoIds: [mine] }));
    expect(ok.statusCode, ok.body).toBe(201);
    const v = (await w1.get(`/api/visits/${ok.json().visit.id}`)).json().visit as VisitView;
    expect(v.photoIds).toEqual([mine]);
    expect((await w1.get(`/api/photos/${mine}`)).statusCode).toBe(200);
  });

  it('bad input names each field; a future time is refused; consent is required where the basis is consent', async () => {
    const bad = await record(w1, { ...visitBody(r.A), durationMinutes: 0, mode: 'walk', riskFlags: ['bored'], checklist: { food: 'fine' }, extra: 1 });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(expect.arrayContaining(['durationMinutes', 'mode', 'extra']));
    const future = await record(w1, visitBody(r.A, { visitedAt: new Date(NOW.getTime() + 3_600_000).toISOString() }));
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields).toEqual({ visitedAt: expect.any(String) });
    const consentBased = await residentOn('2026-11-01T02:00:00Z', '丑同意', 0, 'normal', { lawfulBasis: 'consent', categories: [], healthNotes: null, incomeNotes: null });
    const refused = await record(w1, visitBody(consentBased));
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.id).toBe('consent_required');
    const gone = await record(w1, visitBody(r.Gone));
    expect(gone.statusCode).toBe(422);
    expect(gone.json().error.id).toBe('resident_not_active');
  });

  it('scope: another station’s worker gets 404 for the visit and the resident; other roles are refused', async () => {
    const v = ((await w1.get(`/api/visits?residentId=${r.E}`)).json() as { items: VisitView[] }).items[0]!;
    const one = await w2.get(`/api/visits/${v.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json().visit).toMatchObject({ id: v.id, photoIds: [], resident: { id: r.E } });
    expect((await other.get(`/api/visits/${v.id}`)).statusCode).toBe(404);
    expect((await other.get(`/api/visits/${newId()}`)).statusCode).toBe(404);
    expect((await other.get('/api/visits')).json().items).toEqual([]);
    const post = await record(other, visitBody(r.A));
    expect(post.statusCode).toBe(404);
    const denied = await t.deps.db.selectFrom('audit_log').select('id').where('result', '=', 'denied').where('entity_id', '=', v.id).execute();
    expect(denied.length).toBeGreaterThan(0);
    const shuju = await t.login('shuju');
    expect((await shuju.get('/api/visits/due')).statusCode).toBe(403);
    expect((await w1.post('/api/visits/sweep')).statusCode).toBe(403);
  });

  it('history filters by worker, village and time', async () => {
    const all = (await w1.get('/api/visits?limit=100')).json().items as VisitView[];
    expect(all.length).toBeGreaterThanOrEqual(6);
    const inVillage = (await w1.get(`/api/visits?villageId=${villages[1]}`)).json().items as VisitView[];
    expect(inVillage.every((x) => x.resident.village.id === villages[1])).toBe(true);
    const range = (await w1.get('/api/visits?from=2026-11-21T00:00:00Z&to=2026-11-26T00:00:00Z')).json().items as VisitView[];
    expect(range.map((x) => x.resident.id).sort()).toEqual([r.E, r.G].sort());
  });
});

describe('overdue high-tier alert', () => {
  const inbox = (title: string) =>
    t.deps.db.selectFrom('notification_outbox as n').innerJoin('users as u', 'u.id', 'n.recipient_user_id').select(['u.username', 'n.payload']).where('n.template', '=', 'generic').where('n.payload', 'like', `%${title}%`).execute();

  it('once per resident per Shanghai day, to the covering workers and the station head; again the next day', async () => {
    const first = await head.post('/api/visits/sweep');
    expect(first.statusCode, first.body).toBe(200);
    const names = (first.json() as { residents: { name: string }[] }).residents.map((x) => x.name);
    expect(names).toEqual(expect.arrayContaining(['甲高风险', '丁高风险']));
    expect(names).not.toContain('己重点');
    expect(names).not.toContain('庚零点');
    expect((await inbox('甲高风险')).map((n) => n.username).sort()).toEqual(['shegong1', 'zhanzhang']);
    expect((await inbox('丁高风险')).map((n) => n.username).sort()).toEqual(['shegong2', 'zhanzhang']);
    // One audit entry for the sweep, with counts only (no names, no resident ids).
    const audited = await t.deps.db.selectFrom('audit_log').select(['detail', 'result']).where('action', '=', 'visit.sweep').execute();
    expect(audited).toHaveLength(1);
    expect(JSON.parse(audited[0]!.detail!)).toEqual({ alerted: names.length, notifications: first.json().notifications, stations: 1 });
    expect(audited[0]!.detail).not.toContain('甲高风险');
    expect(audited[0]!.detail).not.toContain(r.A);

    // Later the same Shanghai day: nothing new.
    // (Sign in again: the session would time out over the jump of the clock.)
    t.clock.set(new Date('2026-11-29T15:30:00Z'));
    const again = await (await t.login('zhanzhang')).post('/api/visits/sweep');
    expect(again.json()).toMatchObject({ alerted: 0, notifications: 0 });
    expect(await inbox('甲高风险')).toHaveLength(2);

    // After Shanghai midnight it is a new day: alerted again (庚零点 is now 1 day overdue too).
    t.clock.set(new Date('2026-11-29T16:05:00Z'));
    const next = await (await t.login('zhanzhang')).post('/api/visits/sweep');
    const nextNames = (next.json() as { residents: { name: string }[] }).residents.map((x) => x.name);
    expect(nextNames).toEqual(expect.arrayContaining(['甲高风险', '丁高风险', '庚零点']));
    expect(await inbox('甲高风险')).toHaveLength(4);
    const log = await t.deps.db.selectFrom('alert_log').select(['day']).where('kind', '=', 'visit_overdue_high').where('subject_id', '=', r.A).orderBy('day').execute();
    expect(log.map((l) => l.day)).toEqual(['2026-11-29', '2026-11-30']);
    t.clock.set(NOW);
  });

  it('two nodes sweeping at once still alert each resident once that day', async () => {
    const at = new Date('2026-12-01T01:00:00Z');
    const pg = t.deps.dialect === 'postgres';
    const [x, y] = await Promise.all([sweepOverdueHighTier(t.deps.db, pg, 'all', at), sweepOverdueHighTier(t.deps.db, pg, 'all', at)]);
    const ids = [...x.residents, ...y.residents].map((z) => z.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([r.A, r.D]));
    expect(await inbox('甲高风险')).toHaveLength(6);
  });
});

describe('security review', () => {
  const fieldsOf = (res: { json(): unknown }) => (res.json() as { error: { fields: Record<string, string> } }).error.fields;
  const zh = (code: string) => fieldMessage(code, 'zh-CN');

  it('the audit entry of a visit counts the risk flags and does not name them (the log outlives erasure)', async () => {
    const id = await residentOn('2026-11-01T02:00:00Z', '卯标记', 0, 'normal');
    const res = await record(w1, visitBody(id, { riskFlags: ['signs_of_abuse', 'self_harm_talk'] }));
    expect(res.statusCode, res.body).toBe(201);
    const visit = (res.json() as { visit: VisitView }).visit;
    expect(visit.riskFlags).toEqual(['signs_of_abuse', 'self_harm_talk']);
    const audit = await t.deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'visit.create').where('entity_id', '=', visit.id).executeTakeFirstOrThrow();
    expect(audit.detail).not.toContain('signs_of_abuse');
    expect(audit.detail).not.toContain('self_harm_talk');
    expect(JSON.parse(audit.detail!)).toMatchObject({ riskFlagCount: 2 });
  });

  it('visitedAt: a leap second is 400 (not 500); at most 30 days back and not in the future', async () => {
    const leap = await record(w1, visitBody(r.A, { visitedAt: '2026-06-30T23:59:60Z' }));
    expect(leap.statusCode, leap.body).toBe(400);
    expect(fieldsOf(leap)).toEqual({ visitedAt: zh('date_invalid') });
    const old = await record(w1, visitBody(r.A, { visitedAt: new Date(NOW.getTime() - 31 * 86_400_000).toISOString() }));
    expect(old.statusCode).toBe(400);
    expect(fieldsOf(old)).toEqual({ visitedAt: zh('visit_too_old') });
    expect(fieldMessage('visit_too_old', 'en')).toMatch(/30 days/);
    const future = await record(w1, visitBody(r.A, { visitedAt: new Date(NOW.getTime() + 60_000).toISOString() }));
    expect(fieldsOf(future)).toEqual({ visitedAt: zh('time_in_future') });
    const id = await residentOn('2026-09-01T02:00:00Z', '辰补录', 0, 'normal');
    const ok = await record(w1, visitBody(id, { visitedAt: new Date(NOW.getTime() - 29 * 86_400_000).toISOString() }));
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('history: leap-second filters and forged cursors answer 400 naming the field; the due list’s cursor too', async () => {
    const leap = await w1.get('/api/visits?from=2026-06-30T23:59:60Z');
    expect(leap.statusCode, leap.body).toBe(400);
    expect(fieldsOf(leap)).toEqual({ from: zh('date_invalid') });
    const leapTo = await w1.get('/api/visits?to=2026-06-30T23:59:60Z');
    expect(fieldsOf(leapTo)).toEqual({ to: zh('date_invalid') });
    const forge = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
    for (const c of [forge('yesterday|x'), forge('2026-11-01T00:00:00.000Z'), forge('2026-11-01T00:00:00.000Z|a|b'), forge("x' or 1=1|y")]) {
      const res = await w1.get(`/api/visits?cursor=${c}`);
      expect(res.statusCode, res.body).toBe(400);
      expect(Object.keys(fieldsOf(res))).toEqual(['cursor']);
    }
    for (const c of [forge('many|0|x'), forge('1.5|0|x'), forge('3|0'), forge('99999999999999999999|0|x')]) {
      const res = await w1.get(`/api/visits/due?cursor=${c}`);
      expect(res.statusCode, res.body).toBe(400);
      expect(Object.keys(fieldsOf(res))).toEqual(['cursor']);
    }
    // A real cursor still pages.
    const p1 = await w1.get('/api/visits?limit=1');
    const next = (p1.json() as { nextCursor: string }).nextCursor;
    expect((await w1.get(`/api/visits?limit=1&cursor=${next}`)).statusCode).toBe(200);
    const d1 = await w1.get('/api/visits/due?limit=1');
    expect((await w1.get(`/api/visits/due?limit=1&cursor=${(d1.json() as { nextCursor: string }).nextCursor}`)).statusCode).toBe(200);
  });

  it('recording a visit for a resident the user may read but not visit: 404 with a denied audit entry', async () => {
    const main = (await t.deps.db.selectFrom('residents').select('station_id').where('id', '=', r.A).executeTakeFirstOrThrow()).station_id;
    const away = (await t.deps.db.selectFrom('stations').select('id').where('code', '=', '110101001000').executeTakeFirstOrThrow()).id;
    // A social worker of the other station who is also the data officer here: reads residents here, visits only there.
    await t.deps.db.transaction().execute((trx) =>
      createUser(
        trx,
        { username: 'shuangzhi', displayName: '双职', password: DEMO_PASSWORD, roles: [{ role: 'social_worker', stationId: away, countyId: null }, { role: 'data_officer', stationId: main, countyId: null }], mustChangePassword: false, demoPassword: true },
        NOW,
      ),
    );
    const both = await t.login('shuangzhi');
    expect((await both.get(`/api/residents/${r.B}`)).statusCode).toBe(200);
    const res = await record(both, visitBody(r.B));
    expect(res.statusCode).toBe(404);
    const denied = await t.deps.db.selectFrom('audit_log').select(['action', 'result']).where('entity_id', '=', r.B).where('result', '=', 'denied').execute();
    expect(denied).toEqual([{ action: 'POST /api/visits', result: 'denied' }]);
    expect(await t.deps.db.selectFrom('visits').select('id').where('resident_id', '=', r.B).where('worker_id', '=', (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'shuangzhi').executeTakeFirstOrThrow()).id).execute()).toEqual([]);
  });
});

describe('the SQL and cadence.ts agree', () => {
  it('property: for any creation time, last visit and clock, GET /api/visits/due gives dueOf’s answer', async () => {
    const db = t.deps.db;
    const template = await db.selectFrom('residents').selectAll().where('id', '=', r.A).executeTakeFirstOrThrow();
    const workerId = (await db.selectFrom('users').select('id').where('username', '=', 'shegong1').executeTakeFirstOrThrow()).id;
    // Every generated clock stays before NOW (base + at most 500 days), so the signed-in session stays valid.
    const base = Date.parse('2025-01-01T00:00:00Z');
    const DAY = 86_400_000;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300 * DAY }),
        fc.option(fc.integer({ min: 0, max: 300 * DAY }), { nil: null }),
        fc.integer({ min: 0, max: 200 * DAY }),
        fc.constantFrom('high' as const, 'priority' as const, 'normal' as const),
        async (createdMs, visitMs, laterMs, tier) => {
          const createdAt = new Date(base + createdMs).toISOString();
          const visitedAt = visitMs === null ? null : new Date(base + visitMs).toISOString();
          const now = new Date(base + Math.max(createdMs, visitMs ?? 0) + laterMs);
          const id = newId();
          await db.insertInto('residents').values({ ...template, id, name: '性质测试', id_number_enc: null, id_number_masked: null, id_number_bidx: null, no_id_reason: 'test', household_id: null, guardian_resident_id: null, risk_tier: tier, created_at: createdAt, updated_at: createdAt }).execute();
          if (visitedAt) {
            await db.insertInto('visits').values({ id: newId(), station_id: template.station_id, resident_id: id, worker_id: workerId, visited_at: visitedAt, duration_minutes: 30, mode: 'home', met_resident: 1, observations: '测试', checklist: '{}', risk_flags: '[]', tier_before: tier, tier_after: tier, request_id: null, follow_up_needed: 0, created_by: workerId, created_at: visitedAt }).execute();
          }
          t.clock.set(now);
          try {
            const res = await head.get(`/api/visits/due?residentId=${id}`);
            expect(res.statusCode, res.body).toBe(200);
            const row = (res.json() as { items: DueRowView[] }).items[0]!;
            const want = dueOf(visitedAt, createdAt, tier, { high: 7, priority: 30, normal: 90 }, now);
            expect({ dueOn: row.dueOn, daysOverdue: row.daysOverdue }).toEqual(want);
            // The whole-station query (PostgreSQL takes its other plan there) says the same.
            const all = ((await head.get('/api/visits/due?scope=all&limit=100')).json() as { items: DueRowView[] }).items.find((x) => x.resident.id === id)!;
            expect({ dueOn: all.dueOn, daysOverdue: all.daysOverdue }).toEqual(want);
          } finally {
            t.clock.set(NOW);
            await db.deleteFrom('visits').where('resident_id', '=', id).execute();
            await db.deleteFrom('residents').where('id', '=', id).execute();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
