import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { newId } from '../../lib/ids.js';
import { createUser } from '../users/users.js';
import { createResident } from '../../test/residents.js';
import { NOW, demoStation, linkAccount, type Catalogue } from '../appointments/testing.js';
import { multipart } from '../roster/testing.js';
import { fieldMessage } from '../../lib/i18n.js';
import { containsPersonalData } from './consultations.js';
import type { ConsultationDetail, ConsultationView, FaqEntryView } from './schema.js';
import { PNG } from './testing.js';
import { otherStationWorker } from '../../test/stations.js';

let t: TestApp;
let c: Catalogue;
let w1: Agent; // shegong1
let w2: Agent; // shegong2
let head: Agent;
let jumin: Agent;
let other: Agent; // a social worker of another station
let self: string; // jumin1's own resident record
let family: string; // a household member jumin1 is linked to
let stranger: string; // a resident jumin1 is not linked to
let consentBased: string; // lawful basis consent, no consent given

/** Friday 27 November 2026, 16:00 in Shanghai. */
const FRIDAY_4PM = new Date('2026-11-27T08:00:00Z');

const ask = (a: Agent, body: Record<string, unknown>) => a.post('/api/consultations', { area: 'policy', subject: '高龄补贴怎么申请', body: '请问八十岁以上的老人高龄补贴要带什么材料？', ...body });
const detail = (res: { json(): unknown }) => (res.json() as { consultation: ConsultationDetail }).consultation;
const list = async (a: Agent, qs = '') => (await a.get(`/api/consultations?limit=100${qs}`)).json() as { items: ConsultationView[]; nextCursor: string | null };
const outboxFor = (link: string) => t.deps.db.selectFrom('notification_outbox').selectAll().where('payload', 'like', `%${link}%`).execute();
/** Field errors come back as zh-CN messages: the expected codes, translated. */
const msg = (f: Record<string, string>) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, fieldMessage(v, 'zh-CN')]));
const userId = async (username: string) => (await t.deps.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

/** Sessions expire when the manual clock jumps a day ahead: sign in again at the new time. */
async function relogin() {
  [w1, w2, head, jumin, other] = await Promise.all([t.login('shegong1'), t.login('shegong2'), t.login('zhanzhang'), t.login('jumin1'), t.login('dongsg')]);
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(NOW);
  c = await demoStation(t);
  w1 = await t.login('shegong1');
  w2 = await t.login('shegong2');
  head = await t.login('zhanzhang');
  jumin = await t.login('jumin1');
  self = (await createResident(t, w1)).id;
  family = (await createResident(t, w1, { name: '王浩然', gender: 'male', birthDate: '2015-05-02', categories: [], guardianResidentId: self } as never)).id;
  stranger = (await createResident(t, w1, { name: '赵春花', birthDate: '1950-02-02', phones: [{ number: '13900001111', relation: 'self' }] })).id;
  consentBased = (await createResident(t, w1, { name: '孙一诺', birthDate: '1990-07-07', lawfulBasis: 'consent', categories: [], healthNotes: null, incomeNotes: null, riskTier: 'normal' })).id;
  await linkAccount(t, 'jumin1', self, 'self');
  await linkAccount(t, 'jumin1', family, 'family');
  await otherStationWorker(t, NOW);
  other = await t.login('dongsg');
});
afterAll(async () => t?.close());

describe('asking', () => {
  it('a resident asks for herself: channel self, due after one office day counted from Monday, workers told, timeline and audit', async () => {
    t.clock.set(NOW); // Sunday 10:00: the weekend does not count; Monday 8:30–17:30 less lunch is 420 minutes.
    const res = await ask(jumin, { residentId: self });
    expect(res.statusCode, res.body).toBe(201);
    const x = detail(res);
    expect(x).toMatchObject({ status: 'open', channel: 'self', resident: { id: self }, firstResponseDueAt: '2026-11-30T09:30:00.000Z', firstResponseAt: null, overdue: false, version: 1, assignee: null });
    expect(x.messages).toHaveLength(1);
    expect(x.messages[0]).toMatchObject({ authorSide: 'resident', body: '请问八十岁以上的老人高龄补贴要带什么材料？', photoIds: [] });
    const notes = await outboxFor(`/consultations/${x.id}`);
    expect(notes.map((n) => n.recipient_user_id).sort()).toEqual([c.workers.shegong1, c.workers.shegong2].sort());
    expect(notes.every((n) => n.template === 'generic' && n.channel === 'in_app')).toBe(true);
    const tl = (await w1.get(`/api/residents/${self}/timeline?limit=50`)).json() as { items: { kind: string }[] };
    expect(tl.items.map((e) => e.kind)).toContain('consultation_opened');
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'entity_id']).where('entity_id', '=', x.id).execute();
    expect(audit.map((a) => a.action)).toContain('consultation.open');
  });

  it('a question asked on Friday at 16:00 is due on Monday at 16:00 (90 minutes Friday, 330 on Monday)', async () => {
    t.clock.set(FRIDAY_4PM);
    const res = await ask(w1, { residentId: stranger, channel: 'phone' });
    expect(res.statusCode, res.body).toBe(201);
    expect(detail(res)).toMatchObject({ channel: 'phone', firstResponseDueAt: '2026-11-30T08:00:00.000Z', messages: [{ authorSide: 'staff' }] });
    t.clock.set(NOW);
  });

  it('follows the station head’s response time and a make-up working day', async () => {
    const put = await head.request({ method: 'PUT', url: '/api/station-settings', payload: { stationId: c.stationId, officeHours: { '1': [[540, 1020]], '2': [[540, 1020]], '3': [[540, 1020]], '4': [[540, 1020]], '5': [[540, 1020]] }, consultationResponseMinutes: 120, visitDays: { high: 7, priority: 30, normal: 90 }, complaintResponseDays: 5, updatedAt: null } });
    expect(put.statusCode, put.body).toBe(200);
    await t.deps.db.insertInto('calendar_days').values({ date: '2026-11-28', kind: 'workday', name: '调休上班', source: null } as never).execute();
    try {
      t.clock.set(FRIDAY_4PM); // Friday 16:00–17:00 (60), Saturday is a make-up working day: 9:00 + 60 → 10:00.
      const res = await ask(jumin, { residentId: self });
      expect(detail(res).firstResponseDueAt).toBe('2026-11-28T02:00:00.000Z');
    } finally {
      await t.deps.db.deleteFrom('calendar_days').where('date', '=', '2026-11-28').execute();
      await t.deps.db.deleteFrom('station_settings').where('station_id', '=', c.stationId).execute();
      t.clock.set(NOW);
    }
  });

  it('a station with no office hours: due in seven days', async () => {
    await head.request({ method: 'PUT', url: '/api/station-settings', payload: { stationId: c.stationId, officeHours: {}, consultationResponseMinutes: 120, visitDays: { high: 7, priority: 30, normal: 90 }, complaintResponseDays: 5, updatedAt: null } });
    try {
      const res = await ask(jumin, { residentId: self });
      expect(detail(res).firstResponseDueAt).toBe(new Date(NOW.getTime() + 7 * 86_400_000).toISOString());
    } finally {
      await t.deps.db.deleteFrom('station_settings').where('station_id', '=', c.stationId).execute();
    }
  });

  it('a resident asks only for linked people, with channel self; others are 404', async () => {
    expect((await ask(jumin, { residentId: family })).statusCode).toBe(201);
    expect((await ask(jumin, { residentId: stranger })).statusCode).toBe(404);
    const ch = await ask(jumin, { residentId: self, channel: 'phone' });
    expect(ch.statusCode).toBe(400);
    expect(ch.json().error.fields).toEqual(msg({ channel: 'not_allowed_value' }));
    expect((await ask(other, { residentId: self })).statusCode).toBe(404);
  });

  it('staff opening a thread for a resident whose basis is consent need the service consent', async () => {
    const res = await ask(w1, { residentId: consentBased });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.id).toBe('consent_required');
  });

  it('names each bad field', async () => {
    const res = await w1.post('/api/consultations', { residentId: self, area: 'nope', subject: '', body: 'x' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields).sort()).toEqual(expect.arrayContaining(['area']));
    const blank = await ask(w1, { residentId: self, subject: '   ', body: '  ' });
    expect(blank.json().error.fields).toEqual(msg({ subject: 'required', body: 'required' }));
  });

  it('attaches the asker’s own unclaimed photo, once', async () => {
    const up = await jumin.request({ method: 'POST', url: `/api/residents/${self}/photos`, ...multipart({ name: 'a.png', bytes: PNG, type: 'image/png' }) });
    expect(up.statusCode, up.body).toBe(201);
    const photo = (up.json() as { photo: { id: string } }).photo.id;
    const res = await ask(jumin, { residentId: self, photoIds: [photo] });
    expect(res.statusCode, res.body).toBe(201);
    expect(detail(res).messages[0]!.photoIds).toEqual([photo]);
    const again = await ask(jumin, { residentId: self, photoIds: [photo] });
    expect(again.json().error.fields).toEqual(msg({ photoIds: 'unknown_photo' }));
    expect((await w1.get(`/api/photos/${photo}`)).statusCode).toBe(200);
  });
});

describe('answering', () => {
  let thread: ConsultationDetail;
  beforeAll(async () => {
    t.clock.set(NOW);
    thread = detail(await ask(jumin, { residentId: self, subject: '低保复核' }));
  });

  it('is overdue once the clock passes the deadline without a staff reply; overdue threads list first', async () => {
    expect((await list(w1, '&overdue=true')).items.map((x) => x.id)).not.toContain(thread.id);
    t.clock.set(new Date(Date.parse(thread.firstResponseDueAt) + 60_000));
    await relogin();
    const overdue = await list(w1, '&overdue=true');
    expect(overdue.items.map((x) => x.id)).toContain(thread.id);
    expect(overdue.items.every((x) => x.overdue)).toBe(true);
    const all = await list(w1);
    const firstNot = all.items.findIndex((x) => !x.overdue);
    expect(all.items.slice(firstNot).some((x) => x.overdue)).toBe(false);
    const dues = all.items.slice(0, firstNot).map((x) => x.firstResponseDueAt);
    expect([...dues].sort()).toEqual(dues);
    expect((await w1.get(`/api/consultations/${thread.id}`)).json().consultation.overdue).toBe(true);
  });

  it('pages through the same order with the cursor', async () => {
    const all = (await list(w1)).items.map((x) => x.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await w1.get(`/api/consultations?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json() as { items: ConsultationView[]; nextCursor: string | null };
      seen.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it('a forged cursor is a 400 naming the cursor (never a database error on PostgreSQL)', async () => {
    const forge = (v: string) => Buffer.from(v, 'utf8').toString('base64url');
    for (const cursor of [forge('0|junk|x'), forge('x|2026-11-30T09:30:00.000Z|abc'), forge('0|2026-11-30T09:30:00.000Z'), forge('1|2026-13-45T99:00:00.000Z|abc')]) {
      const res = await w1.get(`/api/consultations?limit=2&cursor=${cursor}`);
      expect(res.statusCode, `${cursor}: ${res.body}`).toBe(400);
      expect(res.json().error.fields).toEqual(msg({ cursor: 'invalid' }));
    }
  });

  it('the first staff reply records the first response and tells the resident’s account; a resident reply reopens it', async () => {
    const now = t.clock.now().toISOString();
    const r = await w2.post(`/api/consultations/${thread.id}/messages`, { body: '请带身份证和户口本到站里办理。' });
    expect(r.statusCode, r.body).toBe(201);
    expect(detail(r)).toMatchObject({ status: 'answered', firstResponseAt: now, overdue: false });
    const jid = await userId('jumin1');
    expect((await outboxFor(`/consultations/${thread.id}`)).some((n) => n.recipient_user_id === jid)).toBe(true);
    t.clock.advance(60_000);
    await w1.post(`/api/consultations/${thread.id}/messages`, { body: '补充：也可以线上办理。' });
    const again = detail(await jumin.post(`/api/consultations/${thread.id}/messages`, { body: '谢谢，线上在哪里办？' }));
    expect(again).toMatchObject({ status: 'open', firstResponseAt: now, overdue: false });
    expect(again.messages.map((m) => m.authorSide)).toEqual(['resident', 'staff', 'staff', 'resident']);
    expect((await list(jumin)).items.find((x) => x.id === thread.id)?.status).toBe('open');
  });

  it('two staff replying at once: both messages kept, one first response', async () => {
    const x = detail(await ask(jumin, { residentId: self, subject: '同时回复' }));
    const [a, b] = await Promise.all([w1.post(`/api/consultations/${x.id}/messages`, { body: '甲回复' }), w2.post(`/api/consultations/${x.id}/messages`, { body: '乙回复' })]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const final = (await w1.get(`/api/consultations/${x.id}`)).json().consultation as ConsultationDetail;
    expect(final.messages.map((m) => m.body).sort()).toEqual(['乙回复', '请问八十岁以上的老人高龄补贴要带什么材料？', '甲回复'].sort());
    expect(final).toMatchObject({ status: 'answered', version: 3 });
    const audits = await t.deps.db.selectFrom('audit_log').select('detail').where('entity_id', '=', x.id).where('action', '=', 'consultation.reply').execute();
    expect(audits.filter((r) => (r.detail ?? '').includes('firstResponse'))).toHaveLength(1);
  });

  it('a staff reply to a resident without an account goes to the SMS log (recipientResidentId)', async () => {
    const x = detail(await ask(w1, { residentId: stranger, channel: 'walk_in' }));
    await w1.post(`/api/consultations/${x.id}/messages`, { body: '已为您登记。' });
    const rows = await outboxFor(`/consultations/${x.id}`);
    expect(rows.some((n) => n.channel === 'sms' && n.recipient_resident_id === stranger && n.recipient_user_id === null)).toBe(true);
  });

  it('scope: lists and reads are limited to the station or the linked residents; others get 404', async () => {
    const x = detail(await ask(w1, { residentId: stranger }));
    expect((await list(jumin)).items.every((i) => [self, family].includes(i.resident.id))).toBe(true);
    expect((await jumin.get(`/api/consultations/${x.id}`)).statusCode).toBe(404);
    expect((await other.get(`/api/consultations/${x.id}`)).statusCode).toBe(404);
    expect((await list(other)).items).toEqual([]);
    expect((await other.post(`/api/consultations/${x.id}/messages`, { body: 'x' })).statusCode).toBe(404);
    // Staff-only actions look like a missing thread to the resident.
    for (const path of ['assign', 'close', 'convert', 'faq']) {
      expect((await jumin.post(`/api/consultations/${thread.id}/${path}`, { version: 1 })).statusCode).toBe(404);
    }
    const denied = await t.deps.db.selectFrom('audit_log').select('result').where('entity_id', '=', x.id).where('result', '=', 'denied').execute();
    expect(denied.length).toBeGreaterThan(0);
    expect((await w1.get('/api/consultations/00000000-0000-7000-8000-000000000000')).statusCode).toBe(404);
  });

  it('filters by status, area, assignee and resident', async () => {
    expect((await list(w1, `&residentId=${family}`)).items.every((x) => x.resident.id === family)).toBe(true);
    expect((await list(w1, '&status=answered')).items.every((x) => x.status === 'answered')).toBe(true);
    expect((await list(w1, '&area=child_care')).items).toEqual([]);
    const bad = await w1.get('/api/consultations?status=nope');
    expect(bad.statusCode).toBe(400);
  });

  it('assign and close are compare-and-swap on version; only station staff can be assigned', async () => {
    const x = detail(await ask(jumin, { residentId: self }));
    const me = await userId('shegong1');
    const a = await w1.post(`/api/consultations/${x.id}/assign`, { version: x.version, assigneeId: me });
    expect(a.statusCode, a.body).toBe(200);
    expect(detail(a)).toMatchObject({ assignee: { id: me, name: '张社工' }, version: 2 });
    const stale = await w2.post(`/api/consultations/${x.id}/assign`, { version: x.version, assigneeId: await userId('shegong2') });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.id).toBe('version_conflict');
    expect((await w1.post(`/api/consultations/${x.id}/assign`, { version: 2, assigneeId: await userId('dongsg') })).json().error.fields).toEqual(msg({ assigneeId: 'unknown_worker' }));
    // A disabled account of the station is no longer someone a thread can go to.
    await t.deps.db.transaction().execute((trx) =>
      createUser(trx, { username: 'tuixiu', displayName: '退休社工', password: DEMO_PASSWORD, roles: [{ role: 'social_worker', stationId: c.stationId, countyId: null }], mustChangePassword: false, demoPassword: true }, NOW),
    );
    await t.deps.db.updateTable('users').set({ disabled: 1 }).where('username', '=', 'tuixiu').execute();
    const toDisabled = await w1.post(`/api/consultations/${x.id}/assign`, { version: 2, assigneeId: await userId('tuixiu') });
    expect(toDisabled.statusCode).toBe(400);
    expect(toDisabled.json().error.fields).toEqual(msg({ assigneeId: 'unknown_worker' }));
    expect((await list(w1, `&assigneeId=${me}`)).items.map((i) => i.id)).toContain(x.id);
    const closed = await w1.post(`/api/consultations/${x.id}/close`, { version: 2, resolution: '已电话告知办理流程' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(detail(closed)).toMatchObject({ status: 'closed', resolution: '已电话告知办理流程', version: 3 });
    expect((await w1.post(`/api/consultations/${x.id}/close`, { version: 3, resolution: '再次' })).statusCode).toBe(422);
    const reply = await jumin.post(`/api/consultations/${x.id}/messages`, { body: '还有问题' });
    expect(reply.statusCode).toBe(422);
    expect(reply.json().error.id).toBe('invalid_transition');
  });

  it('converts into a service request once; the second time is 409', async () => {
    const x = detail(await ask(jumin, { residentId: self, subject: '家里水管坏了' }));
    const body = { version: x.version, title: '上门维修水管', area: 'elderly_care', urgency: 'high', description: '独居老人家中水管漏水' };
    const r = await w1.post(`/api/consultations/${x.id}/convert`, body);
    expect(r.statusCode, r.body).toBe(200);
    const requestId = detail(r).requestId!;
    const req = await t.deps.db.selectFrom('service_requests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();
    expect(req).toMatchObject({ source: 'consultation', source_id: x.id, resident_id: self, title: '上门维修水管', urgency: 'high', status: 'open' });
    const twice = await w1.post(`/api/consultations/${x.id}/convert`, { ...body, version: detail(r).version });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.id).toBe('already_converted');
    // Even past the application check (as when two conversions race): the unique index answers.
    await t.deps.db.updateTable('consultations').set({ request_id: null }).where('id', '=', x.id).execute();
    const raced = await w1.post(`/api/consultations/${x.id}/convert`, { ...body, version: detail(r).version });
    expect(raced.statusCode).toBe(409);
    expect(await t.deps.db.selectFrom('service_requests').select('id').where('source_id', '=', x.id).execute()).toHaveLength(1);
  });
});

describe('FAQ', () => {
  let x: ConsultationDetail;
  beforeAll(async () => {
    x = detail(await ask(jumin, { residentId: self, subject: '高龄补贴' }));
    // Her household: another member (the grandson's record stays outside it).
    const member = (await createResident(t, w1, { name: '王建国', gender: 'male', birthDate: '1972-03-03' })).id;
    const row = await t.deps.db.selectFrom('residents').select(['station_id', 'village_id']).where('id', '=', self).executeTakeFirstOrThrow();
    const householdId = newId();
    await t.deps.db.insertInto('households').values({ id: householdId, station_id: row.station_id, village_id: row.village_id, address_enc: null, address_masked: null, created_at: NOW.toISOString(), updated_at: NOW.toISOString() }).execute();
    await t.deps.db.updateTable('residents').set({ household_id: householdId, relation_to_head: 'head' }).where('id', '=', self).execute();
    await t.deps.db.updateTable('residents').set({ household_id: householdId, relation_to_head: 'son' }).where('id', '=', member).execute();
  });

  it.each([
    ['the resident’s name', { question: '王桂英问：高龄补贴怎么申请？' }, 'question'],
    ['a mobile number', { answer: '请拨打 139 1234 5678 咨询' }, 'answer'],
    ['an ID number', { answer: '身份证 43018119480315002X 的老人可以申请' }, 'answer'],
    ['the resident’s masked phone', { answer: '已回电 138****5678' }, 'answer'],
    ['a household member’s name', { answer: '已请王建国代为办理' }, 'answer'],
    ['the village and group of the address', { answer: '南山村杨家组的老人到村委会申请' }, 'answer'],
    ['the whole local address with full-width digits', { answer: '已上门到南山村杨家组１２号' }, 'answer'],
    ['an old 15-digit ID number', { answer: '身份证 430181480315002 的老人' }, 'answer'],
    ['an ID number written with spaces', { answer: '身份证 4301  8119　4803  1500  2X 的老人' }, 'answer'],
    ['an ID number in full-width digits', { answer: '身份证４３０１８１１９４８０３１５００２Ｘ的老人' }, 'answer'],
  ])('refuses text that contains %s', async (_what, patch, field) => {
    const res = await w1.post(`/api/consultations/${x.id}/faq`, { question: '八十岁以上老人如何申请高龄补贴？', answer: '带身份证和户口本到社工站或村委会申请。', ...patch });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual(msg({ [field]: 'contains_personal_data' }));
    expect(res.json().error.message).toBeTruthy();
  });

  it('refuses the asking account holder’s and linked accounts’ names on a household member’s thread', async () => {
    const y = detail(await ask(jumin, { residentId: family, subject: '孩子上学补助' }));
    const base = { question: '困境儿童上学有补助吗？', answer: '可以到社工站申请教育救助。' };
    expect((await w1.post(`/api/consultations/${y.id}/faq`, base)).statusCode).toBe(201);
    const res = await w1.post(`/api/consultations/${y.id}/faq`, { ...base, answer: '已告知王桂英，可以到社工站申请教育救助。' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual(msg({ answer: 'contains_personal_data' }));
  });

  it('publishes a de-identified entry anyone can read without signing in; staff withdraw it', async () => {
    const res = await w1.post(`/api/consultations/${x.id}/faq`, { question: '八十岁以上老人如何申请高龄补贴？', answer: '带身份证和户口本到社工站或村委会申请，每月发放。' });
    expect(res.statusCode, res.body).toBe(201);
    const entry = (res.json() as { faqEntry: FaqEntryView }).faqEntry;
    expect(entry).toMatchObject({ area: 'policy', status: 'published', stationId: c.stationId });
    const pub = await t.anon.get(`/api/faq?stationId=${c.stationId}`);
    expect(pub.statusCode).toBe(200);
    expect((pub.json() as { items: FaqEntryView[] }).items.map((i) => i.id)).toContain(entry.id);
    expect(pub.body).not.toContain('王桂英');
    expect(((await t.anon.get(`/api/faq?q=${encodeURIComponent('户口本')}`)).json() as { items: FaqEntryView[] }).items.map((i) => i.id)).toEqual([entry.id]);
    expect(((await t.anon.get('/api/faq?q=%25')).json() as { items: unknown[] }).items).toEqual([]);
    expect(((await t.anon.get('/api/faq?area=child_care')).json() as { items: unknown[] }).items).toEqual([]);
    expect((await w1.get(`/api/consultations/${x.id}`)).json().consultation.faqEntries.map((f: FaqEntryView) => f.id)).toEqual([entry.id]);
    expect((await jumin.get(`/api/consultations/${x.id}`)).json().consultation.faqEntries).toEqual([]);
    expect((await other.post(`/api/faq-entries/${entry.id}/withdraw`)).statusCode).toBe(404);
    const denied = await t.deps.db.selectFrom('audit_log').select(['action', 'result', 'entity_type', 'station_id']).where('entity_id', '=', entry.id).where('result', '=', 'denied').execute();
    expect(denied).toEqual([{ action: 'POST /api/faq-entries/:id/withdraw', result: 'denied', entity_type: 'faq_entry', station_id: c.stationId }]);
    expect((await other.post(`/api/faq-entries/${'0'.repeat(26)}/withdraw`)).statusCode).toBe(404);
    expect((await jumin.post(`/api/faq-entries/${entry.id}/withdraw`)).statusCode).toBe(404);
    const w = await w1.post(`/api/faq-entries/${entry.id}/withdraw`);
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json().faqEntry.status).toBe('withdrawn');
    expect((await w1.post(`/api/faq-entries/${entry.id}/withdraw`)).statusCode).toBe(422);
    expect(((await t.anon.get('/api/faq')).json() as { items: FaqEntryView[] }).items.map((i) => i.id)).not.toContain(entry.id);
  });

  it('the personal-data check (pure)', () => {
    const who = { name: '王桂英', phones: ['13812345678'], maskedPhones: ['138****5678'] };
    expect(containsPersonalData('高龄补贴每月发放', who)).toBe(false);
    expect(containsPersonalData('电话 010-12345678', who)).toBe(false);
    expect(containsPersonalData('请找王桂英', who)).toBe(true);
    expect(containsPersonalData('号码 138 1234 5678', who)).toBe(true);
    expect(containsPersonalData('15012345678', who)).toBe(true);
    expect(containsPersonalData('11010519491231002x', who)).toBe(true);
  });
});
