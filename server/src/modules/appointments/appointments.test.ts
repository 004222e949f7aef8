import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { createResident } from '../../test/residents.js';
import { newId } from '../../lib/ids.js';
import { startOutboxWorker } from '../notifications/worker.js';
import type { NotificationAdapter } from '../notifications/adapters.js';
import type { AppointmentView } from './schema.js';
import { MONDAY, NOW, at, demoStation, linkAccount, serviceType, type Catalogue } from './testing.js';
import { otherStationWorker } from '../../test/stations.js';

let t: TestApp;
let c: Catalogue;
let w1: Agent; // shegong1
let w2: Agent; // shegong2
let head: Agent;
let jumin: Agent;
let shuju: Agent;
let other: Agent; // a social worker of another station
let st: string; // 30 min at the station, residents may book
let staffOnly: string;
let buffered: string; // 30 min + 30 min buffer, shegong1 only
let self: string; // jumin1's own resident record
let family: string; // a household member jumin1 is linked to
let stranger: string; // a resident of the station jumin1 is not linked to
let consentBased: string; // lawful basis consent, with a service consent

const book = (a: Agent, body: Record<string, unknown>, headers: Record<string, string> = {}) => a.request({ method: 'POST', url: '/api/appointments', payload: body, headers });
const appt = (res: { json(): unknown }) => (res.json() as { appointment: AppointmentView }).appointment;
const act = (a: Agent, x: Pick<AppointmentView, 'id' | 'version'>, action: string, body: Record<string, unknown> = {}) => a.post(`/api/appointments/${x.id}/${action}`, { version: x.version, ...body });
const outbox = (appointmentId: string) => t.deps.db.selectFrom('notification_outbox').selectAll().where('appointment_id', '=', appointmentId).orderBy('due_at').orderBy('id').execute();
const timeline = async (a: Agent, residentId: string) => ((await a.get(`/api/residents/${residentId}/timeline?limit=100`)).json() as { items: { kind: string; detail: Record<string, unknown> | null }[] }).items;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(NOW);
  c = await demoStation(t);
  w1 = await t.login('shegong1');
  w2 = await t.login('shegong2');
  head = await t.login('zhanzhang');
  jumin = await t.login('jumin1');
  shuju = await t.login('shuju');
  st = await serviceType(t, c, { name: '政策咨询' });
  staffOnly = await serviceType(t, c, { name: '心理疏导', residentBookable: false });
  buffered = await serviceType(t, c, { name: '残疾人证办理指导', buffer: 30, workers: [c.workers.shegong1] });
  self = (await createResident(t, w1)).id;
  family = (await createResident(t, w1, { name: '李德明', gender: 'male', birthDate: '1946-05-02' })).id;
  stranger = (await createResident(t, w1, { name: '赵春花', birthDate: '1950-02-02' })).id;
  consentBased = (await createResident(t, w1, { name: '孙一诺', birthDate: '1990-07-07', lawfulBasis: 'consent', categories: [], healthNotes: null, incomeNotes: null, riskTier: 'normal' })).id;
  const give = await w1.post(`/api/residents/${consentBased}/consents`, { purpose: 'service', givenBy: 'self', method: 'online', givenOn: '2026-11-29' });
  expect(give.statusCode, give.body).toBe(201);
  await linkAccount(t, 'jumin1', self, 'self');
  await linkAccount(t, 'jumin1', family, 'family');

  // Another station, with its own social worker.
  await otherStationWorker(t, NOW);
  other = await t.login('dongsg');
});
afterAll(async () => t?.close());

describe('booking', () => {
  it('staff book on a resident’s behalf: confirmed, reminders in the outbox, audit and timeline', async () => {
    const res = await book(w1, { serviceTypeId: st, residentId: stranger, start: at(MONDAY, 9), workerId: c.workers.shegong1, channel: 'phone', note: '电话预约' });
    expect(res.statusCode, res.body).toBe(201);
    const a = appt(res);
    expect(a).toMatchObject({ status: 'confirmed', channel: 'phone', note: '电话预约', version: 1, start: at(MONDAY, 9), end: at(MONDAY, 9, 30), worker: { id: c.workers.shegong1, name: '张社工' }, resident: { id: stranger }, serviceType: { id: st, name: '政策咨询', mode: 'station' }, serviceRecordId: null });
    const rows = await outbox(a.id);
    const reminders = rows.filter((r) => r.template === 'appointment_reminder');
    // 2 h before, to the worker in the bell and (no account) by SMS to the resident's phone; 24 h
    // before would be Sunday 09:00, already past at booking time, so it is not written.
    expect(Date.parse(a.start) - 86_400_000).toBeLessThan(NOW.getTime());
    const d2 = new Date(Date.parse(a.start) - 7_200_000).toISOString();
    const w = c.workers.shegong1;
    expect(reminders.map((r) => `${r.due_at} ${r.channel} ${r.recipient_user_id ?? r.recipient_resident_id}`).sort()).toEqual(
      [`${d2} in_app ${w}`, `${d2} sms ${stranger}`].sort(),
    );
    expect(reminders.every((r) => r.status === 'pending')).toBe(true);
    expect(rows.some((r) => r.template === 'appointment_confirmed' && r.recipient_resident_id === stranger)).toBe(true);
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'appointment.book').where('entity_id', '=', a.id).execute();
    expect(audit).toHaveLength(1);
    expect((await timeline(w1, stranger)).find((e) => e.kind === 'appointment_booked')?.detail).toMatchObject({ appointmentId: a.id, serviceName: '政策咨询' });
  });

  it('the same worker and time again: 409 slot_taken; without a worker the next free one is chosen', async () => {
    const again = await book(w2, { serviceTypeId: st, residentId: self, start: at(MONDAY, 9), workerId: c.workers.shegong1 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.id).toBe('slot_taken');
    const any = await book(w2, { serviceTypeId: st, residentId: self, start: at(MONDAY, 9) });
    expect(any.statusCode, any.body).toBe(201);
    expect(appt(any).worker.id).toBe(c.workers.shegong2);
    const none = await book(w2, { serviceTypeId: st, residentId: family, start: at(MONDAY, 9) });
    expect(none.statusCode).toBe(409);
    expect(none.json().error.id).toBe('slot_taken');
  });

  it('a time the one bookability rule refuses: 422 not_bookable with the reason', async () => {
    const cases: [string, string][] = [
      [at(MONDAY, 12, 30), 'outside_hours'],
      [at(MONDAY, 9, 10), 'not_on_grid'],
      [at('2026-11-28', 9), 'in_past'],
      [at('2026-12-05', 9), 'outside_hours'], // Saturday
      [at('2027-03-01', 9), 'too_far_ahead'],
    ];
    for (const [start, reason] of cases) {
      const res = await book(w1, { serviceTypeId: st, residentId: stranger, start, workerId: c.workers.shegong1 });
      expect(res.statusCode, `${start} ${res.body}`).toBe(422);
      expect(res.json().error).toMatchObject({ id: 'not_bookable', reason });
    }
    const unknown = await book(w1, { serviceTypeId: newId(), residentId: stranger, start: at(MONDAY, 10) });
    expect(unknown.statusCode).toBe(400);
    expect(Object.keys(unknown.json().error.fields)).toEqual(['serviceTypeId']);
    const bad = await book(w1, { serviceTypeId: st, residentId: stranger, start: 'tomorrow', extra: 1 });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['extra', 'start']);
  });

  it('a resident account books for itself and a linked family member, requested; not for anyone else', async () => {
    const mine = await book(jumin, { serviceTypeId: st, residentId: self, start: at(MONDAY, 10) });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(appt(mine)).toMatchObject({ status: 'requested', channel: 'self', bookedBy: { name: '王桂英' } });
    // The resident's reminders go to the account's bell.
    const jid = (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'jumin1').executeTakeFirstOrThrow()).id;
    expect((await outbox(appt(mine).id)).some((r) => r.recipient_user_id === jid && r.channel === 'in_app' && r.template === 'appointment_reminder')).toBe(true);
    // The worker hears about a self-booking at once, not only from the reminders.
    const wid = appt(mine).worker.id;
    expect((await outbox(appt(mine).id)).some((r) => r.recipient_user_id === wid && r.template === 'appointment_requested')).toBe(true);
    const fam = await book(jumin, { serviceTypeId: st, residentId: family, start: at(MONDAY, 10, 30) });
    expect(fam.statusCode, fam.body).toBe(201);
    const notMine = await book(jumin, { serviceTypeId: st, residentId: stranger, start: at(MONDAY, 11) });
    expect(notMine.statusCode).toBe(404);
    const staffService = await book(jumin, { serviceTypeId: staffOnly, residentId: self, start: at(MONDAY, 11) });
    expect(staffService.statusCode).toBe(422);
    expect(staffService.json().error).toMatchObject({ id: 'not_bookable', reason: 'staff_only' });
    const channel = await book(jumin, { serviceTypeId: st, residentId: self, start: at(MONDAY, 11), channel: 'walk_in' });
    expect(channel.statusCode).toBe(400);
    expect(Object.keys(channel.json().error.fields)).toEqual(['channel']);
  });

  it('a resident account is told whom it may book for: itself first, then linked family; staff get none', async () => {
    const res = await jumin.get('/api/appointments/residents');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { id: string; relation: string }[];
    expect(items.map((i) => [i.id, i.relation])).toEqual([[self, 'self'], [family, 'family']]);
    expect((await w1.get('/api/appointments/residents')).json().items).toEqual([]);
  });

  it('staff of another station, volunteers and data officers cannot book or see', async () => {
    const res = await book(other, { serviceTypeId: st, residentId: stranger, start: at(MONDAY, 14) });
    expect(res.statusCode).toBe(404);
    const denied = await t.deps.db.selectFrom('audit_log').selectAll().where('result', '=', 'denied').where('entity_id', '=', stranger).execute();
    expect(denied.length).toBeGreaterThan(0);
    expect((await other.get('/api/appointments')).json().items).toEqual([]);
    const vol = await t.login('zhiyuan1');
    expect((await vol.get('/api/appointments')).statusCode).toBe(403);
    expect((await shuju.get('/api/appointments')).statusCode).toBe(403);
    const one = (await w1.get('/api/appointments?limit=1')).json().items[0] as AppointmentView;
    expect((await other.get(`/api/appointments/${one.id}`)).statusCode).toBe(404);
    expect((await vol.get(`/api/appointments/${one.id}`)).statusCode).toBe(404);
  });

  it('lists: staff see the station in time order with filters; a resident sees only linked people', async () => {
    const all = (await w1.get(`/api/appointments?from=${encodeURIComponent(at(MONDAY, 0))}&to=${encodeURIComponent(at('2026-12-01', 0))}`)).json().items as AppointmentView[];
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(all.map((a) => a.start)).toEqual([...all.map((a) => a.start)].sort());
    const mine = (await w2.get('/api/appointments?mine=true')).json().items as AppointmentView[];
    expect(mine.every((a) => a.worker.id === c.workers.shegong2)).toBe(true);
    const requested = (await head.get('/api/appointments?status=requested')).json().items as AppointmentView[];
    expect(requested.length).toBe(2);
    expect(requested.every((a) => a.status === 'requested')).toBe(true);
    const own = (await jumin.get('/api/appointments')).json().items as AppointmentView[];
    expect(new Set(own.map((a) => a.resident.id))).toEqual(new Set([self, family]));
    const strangers = all.find((a) => a.resident.id === stranger)!;
    expect((await jumin.get(`/api/appointments/${strangers.id}`)).statusCode).toBe(404);
    // Pages follow on without gaps or repeats.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await w1.get(`/api/appointments?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json() as { items: AppointmentView[]; nextCursor: string | null };
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(((await w1.get('/api/appointments?limit=100')).json().items as unknown[]).length);
  });

  it('Idempotency-Key: a retried booking gets the first answer and books once', async () => {
    const body = { serviceTypeId: st, residentId: stranger, start: at(MONDAY, 15), workerId: c.workers.shegong2 };
    const first = await book(w2, body, { 'idempotency-key': 'book-stranger-1500' });
    const second = await book(w2, body, { 'idempotency-key': 'book-stranger-1500' });
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(appt(second).id).toBe(appt(first).id);
    const rows = await t.deps.db.selectFrom('appointments').select('id').where('resident_id', '=', stranger).where('start_at', '=', at(MONDAY, 15)).execute();
    expect(rows).toHaveLength(1);
  });

  it('consent: a withdrawn service consent blocks booking (422 consent_required), nothing is written', async () => {
    const ok = await book(w1, { serviceTypeId: st, residentId: consentBased, start: at('2026-12-01', 9), workerId: c.workers.shegong1 });
    expect(ok.statusCode, ok.body).toBe(201);
    const consent = await t.deps.db.selectFrom('consents').select('id').where('resident_id', '=', consentBased).where('purpose', '=', 'service').executeTakeFirstOrThrow();
    expect((await w1.post(`/api/consents/${consent.id}/withdraw`, { reason: '本人电话告知撤回' })).statusCode).toBe(200);
    const refused = await book(w1, { serviceTypeId: st, residentId: consentBased, start: at('2026-12-01', 9, 30), workerId: c.workers.shegong1 });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ id: 'consent_required', purpose: 'service' });
    const rows = await t.deps.db.selectFrom('appointments').select('id').where('resident_id', '=', consentBased).execute();
    expect(rows).toHaveLength(1);
  });
});

describe('consent and bad input after booking', () => {
  it('an appointment booked before the consent was withdrawn cannot be moved or completed: 422, no service record', async () => {
    // The appointment booked in the test above, before 孙一诺 withdrew the service consent.
    const a = await t.deps.db.selectFrom('appointments').select(['id', 'version']).where('resident_id', '=', consentBased).executeTakeFirstOrThrow();
    const moved = await act(w1, a, 'reschedule', { start: at('2026-12-01', 10) });
    expect(moved.statusCode).toBe(422);
    expect(moved.json().error).toMatchObject({ id: 'consent_required', purpose: 'service' });
    const checkedIn = appt(await act(w1, a, 'check-in'));
    const done = await act(w1, checkedIn, 'complete', { summary: '不应写入' });
    expect(done.statusCode).toBe(422);
    expect(done.json().error).toMatchObject({ id: 'consent_required', purpose: 'service' });
    expect(await t.deps.db.selectFrom('service_records').select('id').where('resident_id', '=', consentBased).execute()).toEqual([]);
    expect((await t.deps.db.selectFrom('appointments').select('status').where('id', '=', a.id).executeTakeFirstOrThrow()).status).toBe('checked_in');
  });

  it('a leap second or a forged cursor is a 400 naming the field, not a 500', async () => {
    const leap = '2026-12-31T23:59:60Z';
    const booked = await book(w1, { serviceTypeId: st, residentId: stranger, start: leap, workerId: c.workers.shegong1 });
    expect(booked.statusCode).toBe(400);
    expect(booked.json().error.fields).toMatchObject({ start: expect.any(String) });
    expect((await w1.get(`/api/appointments?from=${leap}`)).json().error.fields).toMatchObject({ from: expect.any(String) });
    expect((await w1.get(`/api/appointments?to=${leap}`)).statusCode).toBe(400);
    const a = appt(await book(w1, { serviceTypeId: st, residentId: stranger, start: at('2026-12-04', 14), workerId: c.workers.shegong1 }));
    const moved = await act(w1, a, 'reschedule', { start: leap });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().error.fields).toMatchObject({ start: expect.any(String) });
    const forged = Buffer.from('junk|x').toString('base64url');
    const res = await w1.get(`/api/appointments?cursor=${forged}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toMatchObject({ cursor: expect.any(String) });
  });
});

describe('the life of an appointment', () => {
  it('requested → confirmed → checked_in → completed: compare-and-swap, one service record, on the timeline and in the ledger', async () => {
    const a0 = appt(await book(jumin, { serviceTypeId: st, residentId: self, start: at('2026-12-02', 9), workerId: c.workers.shegong1 }));
    expect(a0.status).toBe('requested');
    // Residents cannot confirm (404, as for something they cannot act on).
    expect((await act(jumin, a0, 'confirm')).statusCode).toBe(404);
    const stale = await act(w1, { id: a0.id, version: 7 }, 'confirm');
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.id).toBe('version_conflict');
    // Two confirmations racing with the same version: one wins, the other is a version conflict.
    const both = await Promise.all([act(w1, a0, 'confirm'), act(head, a0, 'confirm')]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const a1 = appt(both.find((r) => r.statusCode === 200)!);
    expect(a1).toMatchObject({ status: 'confirmed', version: 2 });
    const twice = await act(w1, a1, 'confirm');
    expect(twice.statusCode).toBe(422);
    expect(twice.json().error).toMatchObject({ id: 'invalid_transition', status: 'confirmed' });
    expect((await act(w1, a1, 'complete', { summary: '未签到不能完成' })).statusCode).toBe(422);
    const a2 = appt(await act(w1, a1, 'check-in'));
    expect(a2).toMatchObject({ status: 'checked_in', version: 3 });
    const done = await act(w1, a2, 'complete', { summary: '讲解临时救助申请流程，协助准备材料', outcome: '材料已齐', followUpNeeded: true });
    expect(done.statusCode, done.body).toBe(200);
    const a3 = appt(done);
    expect(a3.status).toBe('completed');
    expect(a3.serviceRecordId).toBeTruthy();
    expect((await act(w1, a3, 'complete', { summary: '再来一次' })).statusCode).toBe(422);
    const records = await t.deps.db.selectFrom('service_records').selectAll().where('source', '=', 'appointment').where('source_id', '=', a0.id).execute();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ method: 'station', resident_id: self, worker_id: c.workers.shegong1, follow_up_needed: 1, outcome: '材料已齐' });
    const ev = (await timeline(w1, self)).find((e) => e.kind === 'service');
    expect(ev?.detail).toMatchObject({ serviceRecordId: a3.serviceRecordId, serviceName: '政策咨询', source: 'appointment', sourceId: a0.id });
    const ledger = (await shuju.get(`/api/service-records?residentId=${self}`)).json().items as { id: string; source: string }[];
    expect(ledger.map((r) => r.id)).toContain(a3.serviceRecordId);
    // No reminder is left pending for a completed appointment.
    expect((await outbox(a0.id)).filter((r) => r.status === 'pending' && r.template === 'appointment_reminder')).toEqual([]);
  });

  it('cancel: reminders are cancelled in the same transaction and the outbox worker never sends them', async () => {
    const a = appt(await book(w1, { serviceTypeId: st, residentId: stranger, start: at('2026-12-02', 14), workerId: c.workers.shegong2 }));
    expect((await outbox(a.id)).filter((r) => r.template === 'appointment_reminder' && r.status === 'pending').length).toBe(4);
    const res = await act(jumin, a, 'cancel', { reason: '不是我的' });
    expect(res.statusCode).toBe(404);
    const cancelled = await act(w1, a, 'cancel', { reason: '本人临时有事' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(appt(cancelled)).toMatchObject({ status: 'cancelled', cancelReason: '本人临时有事' });
    const rows = await outbox(a.id);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.status === 'cancelled')).toBe(true);
    // Run the outbox worker past every due time: nothing about this appointment is sent.
    const sent: string[] = [];
    const spy: NotificationAdapter[] = (['in_app', 'sms', 'wechat'] as const).map((channel) => ({ channel, send: async (m) => void sent.push(m.outboxId) }));
    t.clock.set(new Date(Date.parse(a.start) + 60_000));
    try {
      const worker = startOutboxWorker(t.deps, { nodeId: 'test', autoStart: false, adapters: spy, batch: 500 });
      while ((await worker.runOnce()) > 0);
      await worker.stop();
    } finally {
      t.clock.set(NOW);
    }
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((id) => rows.some((r) => r.id === id))).toEqual([]);
    const after = await outbox(a.id);
    expect(after.every((r) => r.status === 'cancelled' && r.sent_at === null)).toBe(true);
    // The time is free again.
    const again = await book(w1, { serviceTypeId: st, residentId: stranger, start: at('2026-12-02', 14), workerId: c.workers.shegong2 });
    expect(again.statusCode, again.body).toBe(201);
    expect((await timeline(w1, stranger)).some((e) => e.kind === 'appointment_cancelled' && e.detail?.appointmentId === a.id)).toBe(true);
  });

  it('a resident cancels their own appointment', async () => {
    const a = appt(await book(jumin, { serviceTypeId: st, residentId: family, start: at('2026-12-03', 9) }));
    const res = await act(jumin, a, 'cancel');
    expect(res.statusCode, res.body).toBe(200);
    expect(appt(res).status).toBe('cancelled');
    expect((await act(jumin, appt(res), 'cancel')).statusCode).toBe(422);
  });

  it('reschedule: its own time does not count against it; reminders move; a taken time is 409', async () => {
    const a = appt(await book(w1, { serviceTypeId: buffered, residentId: stranger, start: at('2026-12-03', 9), workerId: c.workers.shegong1 }));
    const oldReminders = (await outbox(a.id)).filter((r) => r.template === 'appointment_reminder').map((r) => r.id);
    // Block 09:00–10:00 (30 min + 30 min buffer); 09:30 overlaps only itself.
    const moved = await act(w1, a, 'reschedule', { start: at('2026-12-03', 9, 30) });
    expect(moved.statusCode, moved.body).toBe(200);
    const m = appt(moved);
    expect(m).toMatchObject({ start: at('2026-12-03', 9, 30), end: at('2026-12-03', 10), status: 'confirmed', version: 2 });
    const rows = await outbox(a.id);
    expect(rows.filter((r) => oldReminders.includes(r.id)).every((r) => r.status === 'cancelled')).toBe(true);
    const fresh = rows.filter((r) => r.template === 'appointment_reminder' && r.status === 'pending');
    expect(new Set(fresh.map((r) => r.due_at))).toEqual(new Set([new Date(Date.parse(m.start) - 86_400_000).toISOString(), new Date(Date.parse(m.start) - 7_200_000).toISOString()]));
    // Someone else at 10:30 for the same worker; moving onto it is refused.
    const b = appt(await book(w2, { serviceTypeId: buffered, residentId: self, start: at('2026-12-03', 10, 30), workerId: c.workers.shegong1 }));
    const clash = await act(w1, m, 'reschedule', { start: at('2026-12-03', 10) });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.id).toBe('slot_taken');
    const stale = await act(w1, a, 'reschedule', { start: at('2026-12-03', 11) });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.id).toBe('version_conflict');
    expect(b.status).toBe('confirmed');
  });

  it('a resident’s move goes back to requested', async () => {
    const a = appt(await book(w1, { serviceTypeId: st, residentId: self, start: at('2026-12-04', 9), workerId: c.workers.shegong1 }));
    const moved = await act(jumin, a, 'reschedule', { start: at('2026-12-04', 9, 30) });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(appt(moved)).toMatchObject({ status: 'requested', start: at('2026-12-04', 9, 30) });
  });

  it('no-show only once the start has passed; it frees the time', async () => {
    const a = appt(await book(w1, { serviceTypeId: st, residentId: stranger, start: at(MONDAY, 16), workerId: c.workers.shegong1 }));
    const early = await act(w1, a, 'no-show');
    expect(early.statusCode).toBe(422);
    expect(early.json().error).toMatchObject({ id: 'invalid_transition', reason: 'not_started' });
    t.clock.set(new Date(Date.parse(a.start) + 20 * 60_000));
    try {
      // (A fresh sign-in: the clock jumped past the idle timeout.)
      const res = await act(await t.login('shegong1'), a, 'no-show');
      expect(res.statusCode, res.body).toBe(200);
      expect(appt(res).status).toBe('no_show');
    } finally {
      t.clock.set(NOW);
    }
    expect((await book(w1, { serviceTypeId: st, residentId: self, start: at(MONDAY, 16), workerId: c.workers.shegong1 })).statusCode).toBe(201);
  });
});
