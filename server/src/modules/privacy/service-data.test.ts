import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../lib/ids.js';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { ERASED_TEXT, UNNAMED } from './deletion.js';
import { insertServiceRecord } from '../service-records/records.js';
import type { AccessReportView } from './schema.js';

// The precise-service tables in the person's rights: the access report hands over their
// appointments, consultations, requests, visits, records, ratings and feedback (PIPL Art. 45);
// an approved deletion erases the words and photos in them and keeps what the counts need (Art. 47).

let t: TestApp;
let worker: Agent;
let head: Agent;
let officer: Agent;
let stationId: string;
/** A demo resident with some of everything, and another whose data must stay untouched. */
let rid: string;
let bystander: string;
let attachmentId: string;
let personName: string;
let noticesAboutPerson: number;
/** A group session the person took part in with a neighbour, its shared summary naming the person. */
let neighbour: string;
let sessionId: string;

async function snapshot(residentId: string) {
  const db = t.deps.db;
  const threads = db.selectFrom('consultations').select('id').where('resident_id', '=', residentId);
  return {
    appointments: await db.selectFrom('appointments').select(['id', 'status', 'start_at', 'note', 'cancel_reason']).where('resident_id', '=', residentId).orderBy('id').execute(),
    consultations: await db.selectFrom('consultations').select(['id', 'status', 'area', 'created_at', 'first_response_at', 'subject', 'resolution']).where('resident_id', '=', residentId).orderBy('id').execute(),
    messages: await db.selectFrom('consultation_messages').select(['id', 'created_at', 'author_side', 'body']).where('consultation_id', 'in', threads).orderBy('id').execute(),
    requests: await db.selectFrom('service_requests').select(['id', 'status', 'area', 'urgency', 'created_at', 'title', 'description', 'outcome']).where('resident_id', '=', residentId).orderBy('id').execute(),
    visits: await db.selectFrom('visits').select(['id', 'visited_at', 'mode', 'tier_before', 'tier_after', 'observations', 'checklist', 'risk_flags']).where('resident_id', '=', residentId).orderBy('id').execute(),
    records: await db.selectFrom('service_records').select(['id', 'method', 'start_at', 'end_at', 'source', 'summary', 'place', 'outcome']).where('resident_id', '=', residentId).orderBy('id').execute(),
    ratings: await db.selectFrom('ratings').select(['id', 'score', 'channel', 'comment']).where('resident_id', '=', residentId).orderBy('id').execute(),
    feedback: await db.selectFrom('feedback_items').select(['id', 'kind', 'status', 'created_at', 'subject', 'body', 'response']).where('resident_id', '=', residentId).orderBy('id').execute(),
  };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;
let before: Snapshot;
let bystanderBefore: Snapshot;

beforeAll(async () => {
  t = await createTestApp({ demoHistory: true });
  worker = await t.login('shegong1');
  head = await t.login('zhanzhang');
  officer = await t.login('shuju');
  const db = t.deps.db;
  stationId = (await db.selectFrom('stations').select('id').where('code', '=', '430181110000').executeTakeFirstOrThrow()).id;
  // Whoever has the most of: closed consultations, fulfilled requests, flagged visits, rated records.
  const score = new Map<string, number>();
  const bump = (ids: { resident_id: string }[], w: number) => ids.forEach((x) => score.set(x.resident_id, (score.get(x.resident_id) ?? 0) + w));
  bump(await db.selectFrom('consultations').select('resident_id').where('status', '=', 'closed').execute(), 5);
  bump(await db.selectFrom('service_requests').select('resident_id').where('status', '=', 'fulfilled').execute(), 5);
  bump(await db.selectFrom('visits').select('resident_id').where('risk_flags', '<>', '[]').execute(), 3);
  bump(await db.selectFrom('ratings').select('resident_id').where('comment', 'is not', null).execute(), 2);
  bump(await db.selectFrom('appointments').select('resident_id').where('note', 'is not', null).execute(), 1);
  // The person must have a flagged visit (the erasure of flags is tested); the history is drawn anew each
  // day, so choose among those who have one.
  const flagged = new Set((await db.selectFrom('visits').select('resident_id').where('risk_flags', '<>', '[]').execute()).map((v) => v.resident_id));
  const ranked = [...score.entries()].sort((a, b) => b[1] - a[1]);
  rid = ranked.find(([id]) => flagged.has(id))![0];
  bystander = ranked.find(([id]) => id !== rid)![0];

  // A photo on one of the person's visits and a complaint in their name, written straight to the tables.
  const visit = await db.selectFrom('visits').select('id').where('resident_id', '=', rid).executeTakeFirstOrThrow();
  const uploader = await db.selectFrom('users').select('id').where('username', '=', 'shegong1').executeTakeFirstOrThrow();
  const now = t.clock.now().toISOString();
  attachmentId = newId();
  await db
    .insertInto('attachments')
    .values({ id: attachmentId, station_id: stationId, resident_id: rid, owner_kind: 'visit', owner_id: visit.id, mime_type: 'image/png', size_bytes: 4, sha256: 'cd'.repeat(32), content_enc: new Uint8Array([9, 8, 7, 6]), uploaded_by: uploader.id, created_at: now })
    .execute();
  await db
    .insertInto('feedback_items')
    .values({
      id: newId(), station_id: stationId, kind: 'complaint', resident_id: rid, submitted_by: null, channel: 'phone', subject: '社工上门没有带身份证复印件',
      body: '我叫某某，住杨家组，社工上次来没有把材料带齐。', about_worker_id: null, service_record_id: null, status: 'resolved', handler_id: null,
      due_at: now, escalated_at: null, escalated_to: null, response: '已向您致歉并补齐材料。', resolved_at: now, resolved_by: null, version: 2, created_at: now, updated_at: now,
    })
    .execute();
  // A message that names the person, as the consultation, request and appointment notices do.
  personName = (await db.selectFrom('residents').select('name').where('id', '=', rid).executeTakeFirstOrThrow()).name;
  const consultation = await db.selectFrom('consultations').select('id').where('resident_id', '=', rid).executeTakeFirst();
  await db
    .insertInto('notifications')
    .values({ id: newId(), user_id: uploader.id, station_id: stationId, outbox_id: null, title: '新的咨询', body: `${personName}提出了新的咨询`, link: consultation ? `/consultations/${consultation.id}` : `/residents/${rid}`, created_at: now, read_at: null })
    .execute();
  // A group session with a neighbour whose shared summary names the person.
  neighbour = ranked.find(([id]) => id !== rid && id !== bystander)![0];
  sessionId = newId();
  for (const residentId of [rid, neighbour]) {
    await db.transaction().execute((trx) =>
      insertServiceRecord(trx, {
        stationId, residentId, workerId: uploader.id, serviceTypeId: null, method: 'group', activityId: sessionId,
        start: new Date(Date.parse(now) - 86_400_000), end: new Date(Date.parse(now) - 82_800_000), place: '村活动室',
        summary: `种菜经验分享小组：${personName}讲了育苗，大家都很投入。`, outcome: `${personName}愿意下次继续分享`, followUpNeeded: false,
        source: 'manual', sourceId: null, createdBy: uploader.id,
      }, new Date(now)),
    );
  }
  noticesAboutPerson = Number((await db.selectFrom('notifications').select((eb) => eb.fn.countAll().as('n')).where('body', 'like', `%${personName}%`).executeTakeFirstOrThrow()).n);
  before = await snapshot(rid);
  bystanderBefore = await snapshot(bystander);
}, 120_000);
afterAll(() => t.close());

describe('access report: the service history (PIPL Art. 45)', () => {
  it('hands over every appointment, consultation with its messages, request, visit, record, rating and feedback', async () => {
    const res = await worker.post(`/api/privacy/residents/${rid}/access-report`, { reason: '本人到站申请查阅服务记录' });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const rep = res.json().report as AccessReportView;
    expect(rep.appointments.map((a) => a.id).sort()).toEqual(before.appointments.map((a) => a.id).sort());
    expect(rep.consultations.map((c) => c.id).sort()).toEqual(before.consultations.map((c) => c.id).sort());
    expect(rep.consultations.flatMap((c) => c.messages).map((m) => m.body).sort()).toEqual(before.messages.map((m) => m.body).sort());
    expect(rep.serviceRequests.map((q) => q.title).sort()).toEqual(before.requests.map((q) => q.title).sort());
    expect(rep.visits.map((v) => v.observations).sort()).toEqual(before.visits.map((v) => v.observations).sort());
    expect(rep.serviceRecords.map((s) => s.id).sort()).toEqual(before.records.map((s) => s.id).sort());
    expect(rep.ratings.map((g) => g.score).sort()).toEqual(before.ratings.map((g) => g.score).sort());
    expect(rep.feedback.map((f) => f.subject)).toContain('社工上门没有带身份证复印件');
    expect(before.consultations.length + before.requests.length + before.visits.length + before.records.length).toBeGreaterThan(5);
    // Checklist and flags come parsed, the way the visit form shows them.
    const v = rep.visits[0]!;
    expect(Object.keys(v.checklist)).toContain('housing_safety');
    expect(Array.isArray(v.riskFlags)).toBe(true);
    // Oldest first, like the rest of the report.
    const starts = rep.serviceRecords.map((s) => s.start);
    expect([...starts].sort()).toEqual(starts);
  });

  it('names everyone who led a group session, not only its lead', async () => {
    const db = t.deps.db;
    const rec = await db.selectFrom('service_records as s').innerJoin('users as u', 'u.id', 's.worker_id').select(['s.id', 'u.display_name']).where('s.resident_id', '=', rid).where('u.username', '<>', 'shegong2').executeTakeFirstOrThrow();
    const co = await db.selectFrom('users').select('id').where('username', '=', 'shegong2').executeTakeFirstOrThrow();
    await db.insertInto('service_record_workers').values({ service_record_id: rec.id, user_id: co.id }).onConflict((oc) => oc.doNothing()).execute();
    const rep = (await worker.post(`/api/privacy/residents/${rid}/access-report`, { reason: '本人到站申请查阅服务记录' })).json().report as AccessReportView;
    expect(rep.serviceRecords.find((s) => s.id === rec.id)!.workerName).toBe(`${rec.display_name}、刘社工`);
  });

  it('puts each section on its own sheet of the workbook, in Chinese', async () => {
    const res = await officer.post(`/api/privacy/residents/${rid}/access-report.xlsx`, { reason: '本人申请复制' });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    for (const [sheet, n] of [['预约', before.appointments.length], ['咨询', before.consultations.length], ['服务需求', before.requests.length], ['走访', before.visits.length], ['服务记录', before.records.length], ['满意度评价', before.ratings.length], ['意见建议与投诉', before.feedback.length]] as const) {
      expect(wb.getWorksheet(sheet)!.rowCount, sheet).toBe(n + 1);
    }
    const visits = wb.getWorksheet('走访')!;
    expect(visits.getRow(1).getCell(6).value).toBe('生活状况检查');
    expect(String(visits.getRow(2).getCell(6).value)).toContain('住房安全');
    const fb = wb.getWorksheet('意见建议与投诉')!;
    const kinds: string[] = [];
    fb.eachRow((row, i) => i > 1 && kinds.push(String(row.getCell(2).value)));
    expect(kinds).toContain('投诉');
  });
});

describe('deletion: the service history loses its words and photos, keeps its counts (PIPL Art. 47)', () => {
  let after: Snapshot;
  beforeAll(async () => {
    const open = await worker.post('/api/privacy/deletion-requests', { residentId: rid, reason: '本人书面申请删除个人信息' });
    expect(open.statusCode, open.body).toBe(201);
    const id = open.json().request.id as string;
    expect((await head.post(`/api/privacy/deletion-requests/${id}/approve`, {})).statusCode).toBe(200);
    const done = await officer.post(`/api/privacy/deletion-requests/${id}/approve`, {});
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().request.status).toBe('executed');
    after = await snapshot(rid);
  });

  it('erases the words of every message about the person and cancels pending ones', async () => {
    const db = t.deps.db;
    const appts = (await db.selectFrom('appointments').select('id').where('resident_id', '=', rid).execute()).map((a) => a.id);
    const outbox = await db.selectFrom('notification_outbox').select(['status', 'payload', 'appointment_id']).where((eb) => eb.or([eb('recipient_resident_id', '=', rid), ...(appts.length ? [eb('appointment_id', 'in', appts)] : [])])).execute();
    for (const o of outbox) {
      expect(o.status).not.toBe('pending');
      expect(o.payload).not.toContain(personName);
    }
    const inApp = await db.selectFrom('notifications').select(['title', 'body']).execute();
    for (const n of inApp) expect(`${n.title}${n.body}`).not.toContain(personName);
    expect(noticesAboutPerson).toBeGreaterThan(0);
  });

  it('erases the photo', async () => {
    const a = await t.deps.db.selectFrom('attachments').select(['content_enc', 'size_bytes']).where('id', '=', attachmentId).executeTakeFirstOrThrow();
    expect(a.content_enc).toBeNull();
    expect((await worker.get(`/api/photos/${attachmentId}`)).statusCode).not.toBe(200);
  });

  it('blanks consultation subjects, messages and resolutions', () => {
    expect(after.messages.length).toBe(before.messages.length);
    expect(after.messages.every((m) => m.body === ERASED_TEXT)).toBe(true);
    expect(after.consultations.every((c) => c.subject === ERASED_TEXT)).toBe(true);
    for (const [i, c] of after.consultations.entries()) expect(c.resolution).toBe(before.consultations[i]!.resolution === null ? null : ERASED_TEXT);
  });

  it('blanks visit observations and resets the checklist and risk flags', () => {
    expect(after.visits.length).toBe(before.visits.length);
    expect(before.visits.some((v) => v.risk_flags !== '[]')).toBe(true);
    for (const v of after.visits) expect(v).toMatchObject({ observations: ERASED_TEXT, checklist: '{}', risk_flags: '[]' });
  });

  it('blanks request titles, descriptions and outcomes', () => {
    expect(after.requests.length).toBe(before.requests.length);
    expect(before.requests.some((q) => q.outcome)).toBe(true);
    for (const [i, q] of after.requests.entries()) {
      expect(q).toMatchObject({ title: ERASED_TEXT, description: ERASED_TEXT });
      expect(q.outcome).toBe(before.requests[i]!.outcome === null ? null : ERASED_TEXT);
    }
  });

  it('blanks service record summaries, outcomes and places; ratings lose their comments; feedback its words', () => {
    expect(after.records.length).toBe(before.records.length);
    for (const s of after.records) {
      expect(s.summary).toBe(ERASED_TEXT);
      expect(s.place).toBeNull();
      expect([null, ERASED_TEXT]).toContain(s.outcome);
    }
    expect(before.ratings.some((g) => g.comment)).toBe(true);
    expect(after.ratings.every((g) => g.comment === null)).toBe(true);
    for (const f of after.feedback) {
      expect(f).toMatchObject({ subject: ERASED_TEXT, body: ERASED_TEXT });
      expect([null, ERASED_TEXT]).toContain(f.response);
    }
    expect(after.appointments.every((a) => a.note === null && a.cancel_reason === null)).toBe(true);
  });

  it("takes the person's name out of a group session's shared words in the other participants' rows and timelines", async () => {
    const db = t.deps.db;
    const theirs = await db.selectFrom('service_records').select(['summary', 'outcome']).where('activity_id', '=', sessionId).where('resident_id', '=', neighbour).executeTakeFirstOrThrow();
    expect(theirs).toEqual({ summary: `种菜经验分享小组：${UNNAMED}讲了育苗，大家都很投入。`, outcome: `${UNNAMED}愿意下次继续分享` });
    const event = await db.selectFrom('resident_events').select('detail').where('resident_id', '=', neighbour).where('kind', '=', 'service').where('detail', 'like', `%${sessionId}%`).executeTakeFirstOrThrow();
    expect(event.detail).not.toContain(personName);
    expect(event.detail).toContain(`${UNNAMED}讲了育苗`);
    const mine = await db.selectFrom('service_records').select('summary').where('activity_id', '=', sessionId).where('resident_id', '=', rid).executeTakeFirstOrThrow();
    expect(mine.summary).toBe(ERASED_TEXT);
  });

  it('keeps dates, areas, statuses, methods, scores and counts for the statistics', () => {
    const keep = (s: Snapshot) => ({
      appointments: s.appointments.map((a) => [a.id, a.status, a.start_at]),
      consultations: s.consultations.map((c) => [c.id, c.status, c.area, c.created_at, c.first_response_at]),
      messages: s.messages.map((m) => [m.id, m.created_at, m.author_side]),
      requests: s.requests.map((q) => [q.id, q.status, q.area, q.urgency, q.created_at]),
      visits: s.visits.map((v) => [v.id, v.visited_at, v.mode, v.tier_before, v.tier_after]),
      records: s.records.map((r) => [r.id, r.method, r.start_at, r.end_at, r.source]),
      ratings: s.ratings.map((g) => [g.id, g.score, g.channel]),
      feedback: s.feedback.map((f) => [f.id, f.kind, f.status, f.created_at]),
    });
    expect(keep(after)).toEqual(keep(before));
  });

  it('takes no new words or photos about the person: a question, a reply, a photo are 422 resident_anonymised', async () => {
    const ask = await worker.post('/api/consultations', { residentId: rid, area: 'policy', subject: '再问一下', body: '补贴的事' });
    expect(ask.statusCode).toBe(422);
    expect(ask.json().error.id).toBe('resident_anonymised');
    // A thread of theirs left open (the demo history may have given them none).
    const db = t.deps.db;
    const opener = await db.selectFrom('users').select('id').where('username', '=', 'shegong1').executeTakeFirstOrThrow();
    const iso = t.clock.now().toISOString();
    const thread = { id: newId() };
    await db.insertInto('consultations').values({ id: thread.id, station_id: stationId, resident_id: rid, area: 'policy', subject: ERASED_TEXT, status: 'open', channel: 'phone', assignee_id: null, first_response_due_at: iso, first_response_at: null, resolution: null, closed_at: null, closed_by: null, request_id: null, version: 1, opened_by: opener.id, created_at: iso, updated_at: iso }).execute();
    const reply = await worker.post(`/api/consultations/${thread.id}/messages`, { body: '补充一句' });
    expect(reply.statusCode).toBe(422);
    expect(reply.json().error.id).toBe('resident_anonymised');
    const photo = await worker.request({ method: 'POST', url: `/api/residents/${rid}/photos`, payload: 'x', headers: { 'content-type': 'text/plain' } });
    expect(photo.statusCode).toBe(422);
    expect(photo.json().error.id).toBe('resident_anonymised');
  });

  it("leaves everyone else's history and the published FAQ as they were", async () => {
    expect(await snapshot(bystander)).toEqual(bystanderBefore);
    const faq = await t.deps.db.selectFrom('faq_entries').select(['question', 'answer']).execute();
    expect(faq.length).toBeGreaterThan(0);
    expect(faq.every((f) => f.question !== ERASED_TEXT && f.answer !== ERASED_TEXT)).toBe(true);
  });

  it('the access report afterwards holds no trace of what was written', async () => {
    const res = await head.post(`/api/privacy/residents/${rid}/access-report`, { reason: '核对删除结果' });
    expect(res.statusCode).toBe(200);
    const text = JSON.stringify(res.json().report);
    for (const m of before.messages) expect(text).not.toContain(m.body);
    for (const v of before.visits) expect(text).not.toContain(v.observations);
    expect(text).not.toContain('社工上门没有带身份证复印件');
    // The timeline's service entries lost their summaries too.
    const events = await t.deps.db.selectFrom('resident_events').select('detail').where('resident_id', '=', rid).where('kind', '=', 'service').execute();
    expect(events.length).toBe(before.records.length);
    for (const e of events) expect(e.detail ?? '').not.toContain('summary');
  });
});
