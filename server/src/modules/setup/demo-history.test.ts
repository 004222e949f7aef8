import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { TEST_PG_URL } from '../../test/db.js';
import { wallClock } from '../scheduling/zoned.js';
import { chunkSize, seedDemoHistory, type HistoryCounts } from './demo-history.js';

let t: TestApp;
let counts: HistoryCounts;
let ms = 0;
beforeAll(async () => {
  t = await createTestApp({ demoResidents: true, demoServices: true });
  const start = performance.now();
  counts = await seedDemoHistory(t.deps.db, t.deps.keys, t.clock.now());
  ms = performance.now() - start;
  process.stdout.write(`demo history on ${TEST_PG_URL ? 'PostgreSQL' : 'SQLite'}: ${Math.round(ms)} ms, ${JSON.stringify(counts)}\n`);
}, 120_000);
afterAll(() => t.close());

const ACTIVE = ['requested', 'confirmed', 'checked_in'] as const;

describe('demo history', () => {
  it('writes three months of history in the expected amounts, fast', async () => {
    expect(counts.serviceRecords).toBeGreaterThanOrEqual(3000);
    expect(counts.serviceRecords).toBeLessThanOrEqual(4200);
    expect(counts.appointments).toBeGreaterThan(300);
    expect(counts.visits).toBeGreaterThan(300);
    expect(counts.consultations).toBeGreaterThan(50);
    expect(counts.messages).toBeGreaterThan(counts.consultations);
    expect(counts.faq).toBeGreaterThanOrEqual(3);
    expect(counts.requests).toBeGreaterThan(80);
    expect(counts.feedback).toBeGreaterThanOrEqual(8);
    const ratio = counts.ratings / counts.serviceRecords;
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(0.7);
    expect(ms).toBeLessThan(30_000);
    const db = t.deps.db;
    const n = async (table: 'service_records' | 'appointments' | 'visits' | 'ratings') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await n('service_records')).toBe(counts.serviceRecords);
    expect(await n('visits')).toBe(counts.visits);
    // Each service is on its resident's timeline once.
    const events = await db.selectFrom('resident_events').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'service').executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(counts.serviceRecords);
  });

  it('is idempotent: a second run adds nothing', async () => {
    const again = await seedDemoHistory(t.deps.db, t.deps.keys, t.clock.now());
    expect(Object.values(again).every((v) => v === 0)).toBe(true);
    const n = await t.deps.db.selectFrom('service_records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(counts.serviceRecords);
  });

  it('keeps batches under both dialects\' parameter limits', () => {
    for (const cols of [1, 12, 16, 21, 40]) expect(chunkSize(cols) * cols).toBeLessThanOrEqual(32_766);
  });

  it('never overlaps a worker\'s appointments, and upcoming ones are confirmed, inside hours, on working days', async () => {
    const db = t.deps.db;
    const rows = await db.selectFrom('appointments').select(['id', 'worker_id', 'status', 'start_at', 'end_at', 'block_start_at', 'block_end_at']).orderBy('worker_id').orderBy('block_start_at').execute();
    // Not only the active ones: the demo never double-books anyone, past or future.
    const byWorker = new Map<string, typeof rows>();
    for (const a of rows) byWorker.set(a.worker_id, [...(byWorker.get(a.worker_id) ?? []), a]);
    for (const list of byWorker.values()) {
      for (let i = 1; i < list.length; i++) expect(new Date(list[i]!.block_start_at).getTime()).toBeGreaterThanOrEqual(new Date(list[i - 1]!.block_end_at).getTime());
    }
    const now = t.clock.now();
    const active = rows.filter((a) => (ACTIVE as readonly string[]).includes(a.status));
    expect(active.length).toBeGreaterThanOrEqual(5);
    const holidays = new Set((await db.selectFrom('calendar_days').select('date').where('kind', '=', 'holiday').execute()).map((d) => d.date));
    for (const a of active) {
      expect(a.status).toBe('confirmed');
      const s = new Date(a.start_at);
      expect(s.getTime()).toBeGreaterThan(now.getTime());
      expect(s.getTime()).toBeLessThan(now.getTime() + 15 * 86_400_000);
      const w = wallClock(s);
      const e = wallClock(new Date(a.end_at));
      expect(holidays.has(w.date)).toBe(false);
      const inMorning = w.minute >= 510 && e.minute <= 720;
      const inAfternoon = w.minute >= 840 && e.minute <= 1050;
      expect(inMorning || inAfternoon).toBe(true);
    }
    // Each upcoming booking has its pending reminders, like one made through the API.
    const reminders = await db.selectFrom('notification_outbox').select(['appointment_id', 'status']).where('template', '=', 'appointment_reminder').execute();
    for (const a of active) expect(reminders.some((x) => x.appointment_id === a.id && x.status === 'pending')).toBe(true);
    // Past ones are settled: completed, cancelled with a reason, or missed.
    const pastRows = await db.selectFrom('appointments').select(['status', 'cancel_reason']).where('start_at', '<', now.toISOString()).execute();
    expect(new Set(pastRows.map((a) => a.status))).toEqual(new Set(['completed', 'cancelled', 'no_show']));
    expect(pastRows.filter((a) => a.status === 'cancelled').every((a) => a.cancel_reason)).toBe(true);
  });

  it('gives every service record its source row, and every completed appointment, visit and fulfilled request its record', async () => {
    const db = t.deps.db;
    const recs = await db.selectFrom('service_records').select(['source', 'source_id', 'method', 'start_at']).execute();
    const ids = {
      appointment: new Set((await db.selectFrom('appointments').select('id').where('status', '=', 'completed').execute()).map((x) => x.id)),
      visit: new Set((await db.selectFrom('visits').select('id').execute()).map((x) => x.id)),
      request: new Set((await db.selectFrom('service_requests').select('id').where('status', '=', 'fulfilled').execute()).map((x) => x.id)),
    };
    const seen = { appointment: new Set<string>(), visit: new Set<string>(), request: new Set<string>() };
    for (const r of recs) {
      if (r.source === 'manual') {
        expect(r.source_id).toBeNull();
        continue;
      }
      expect(ids[r.source].has(r.source_id!)).toBe(true);
      seen[r.source].add(r.source_id!);
    }
    for (const k of ['appointment', 'visit', 'request'] as const) expect(seen[k].size).toBe(ids[k].size);
    const methods = new Set(recs.map((r) => r.method));
    for (const m of ['group', 'community', 'phone', 'visit', 'station']) expect(methods.has(m as never)).toBe(true);
    // Group sessions and community activities are entered once per session: their rows share an
    // activity (same start, same method), and one-to-one work has none.
    const sessions = await db.selectFrom('service_records').select(['activity_id', 'method', 'start_at']).where('method', 'in', ['group', 'community']).execute();
    expect(sessions.every((r) => r.activity_id !== null)).toBe(true);
    const byActivity = new Map<string, Set<string>>();
    for (const r of sessions) byActivity.set(r.activity_id!, (byActivity.get(r.activity_id!) ?? new Set()).add(`${r.method}|${r.start_at}`));
    expect([...byActivity.values()].every((v) => v.size === 1)).toBe(true);
    expect(sessions.length / byActivity.size).toBeGreaterThan(3);
    expect(await db.selectFrom('service_records').select('id').where('method', 'not in', ['group', 'community']).where('activity_id', 'is not', null).execute()).toEqual([]);
    const nowMs = t.clock.now().getTime();
    const oldest = Math.min(...recs.map((r) => new Date(r.start_at).getTime()));
    expect(nowMs - oldest).toBeLessThanOrEqual(93 * 86_400_000);
    expect(recs.every((r) => new Date(r.start_at).getTime() < nowMs)).toBe(true);
  });

  it('serves only residents it may: active, not anonymised, and with a standing service consent where consent is the basis', async () => {
    const db = t.deps.db;
    const rows = await db
      .selectFrom('service_records as s')
      .innerJoin('residents as r', 'r.id', 's.resident_id')
      .select(['s.resident_id', 's.start_at', 'r.status', 'r.anonymised_at', 'r.lawful_basis'])
      .execute();
    const consents = await db.selectFrom('consents').select(['resident_id', 'given_on']).where('purpose', '=', 'service').where('withdrawn_at', 'is', null).execute();
    const from = new Map<string, string>();
    for (const c of consents) if (!from.has(c.resident_id) || c.given_on < from.get(c.resident_id)!) from.set(c.resident_id, c.given_on);
    for (const r of rows) {
      expect(r.status).toBe('active');
      expect(r.anonymised_at).toBeNull();
      if (r.lawful_basis === 'consent') {
        expect(from.has(r.resident_id)).toBe(true);
        expect(from.get(r.resident_id)! <= wallClock(new Date(r.start_at)).date).toBe(true);
      }
    }
  });

  it('visits follow the risk tiers, with checklists, flags and a few residents overdue (high tier included)', async () => {
    const db = t.deps.db;
    const visits = await db.selectFrom('visits as v').innerJoin('residents as r', 'r.id', 'v.resident_id').select(['v.resident_id', 'v.visited_at', 'v.checklist', 'v.risk_flags', 'v.observations', 'r.risk_tier']).execute();
    const items = ['housing_safety', 'heating_cooling', 'food', 'water', 'hygiene', 'medication', 'mobility', 'mental_state', 'caregiver', 'utilities'];
    const flags = new Set(['fall_risk', 'no_food', 'unpaid_utilities', 'untreated_illness', 'signs_of_abuse', 'self_harm_talk', 'caregiver_absent', 'unsafe_housing', 'lost_contact']);
    let flagged = 0;
    for (const v of visits) {
      const c = JSON.parse(v.checklist) as Record<string, string>;
      expect(Object.keys(c).sort()).toEqual([...items].sort());
      expect(Object.values(c).every((x) => ['ok', 'concern', 'na'].includes(x))).toBe(true);
      const f = JSON.parse(v.risk_flags) as string[];
      expect(f.every((x) => flags.has(x))).toBe(true);
      if (f.length) flagged++;
      expect(v.observations.length).toBeGreaterThan(0);
    }
    expect(flagged).toBeGreaterThan(5);
    const last = new Map<string, { at: string; tier: string }>();
    for (const v of visits) if (!last.has(v.resident_id) || last.get(v.resident_id)!.at < v.visited_at) last.set(v.resident_id, { at: v.visited_at, tier: v.risk_tier });
    const days = { high: 7, priority: 30, normal: 90 } as Record<string, number>;
    const now = t.clock.now().getTime();
    const overdue = [...last.values()].filter((l) => now - new Date(l.at).getTime() > days[l.tier]! * 86_400_000);
    expect(overdue.length).toBeGreaterThanOrEqual(4);
    expect(overdue.filter((o) => o.tier === 'high').length).toBeGreaterThanOrEqual(2);
    // High-tier residents are seen about weekly: most have eight or more visits in the quarter.
    const perHigh = new Map<string, number>();
    for (const v of visits) if (v.risk_tier === 'high') perHigh.set(v.resident_id, (perHigh.get(v.resident_id) ?? 0) + 1);
    const often = [...perHigh.values()].filter((n) => n >= 8).length;
    expect(often / perHigh.size).toBeGreaterThan(0.6);
  });

  it('has consultations answered in time, late, open and overdue, closed with a resolution; FAQ entries published', async () => {
    const db = t.deps.db;
    const rows = await db.selectFrom('consultations').selectAll().execute();
    const now = t.clock.now().toISOString();
    expect(rows.filter((c) => c.first_response_at && c.first_response_at <= c.first_response_due_at).length).toBeGreaterThan(rows.length / 2);
    expect(rows.some((c) => c.first_response_at && c.first_response_at > c.first_response_due_at)).toBe(true);
    expect(rows.some((c) => c.status === 'open' && c.first_response_due_at < now)).toBe(true);
    const closed = rows.filter((c) => c.status === 'closed');
    expect(closed.length).toBeGreaterThan(5);
    expect(closed.every((c) => c.resolution && c.closed_at && c.closed_by)).toBe(true);
    const msgs = await db.selectFrom('consultation_messages').select(['consultation_id', 'author_side']).execute();
    for (const c of rows) expect(msgs.some((m) => m.consultation_id === c.id && m.author_side === 'resident')).toBe(true);
    for (const c of rows.filter((x) => x.first_response_at)) expect(msgs.some((m) => m.consultation_id === c.id && m.author_side === 'staff')).toBe(true);
    const faq = await db.selectFrom('faq_entries').selectAll().execute();
    expect(faq.every((f) => f.status === 'published')).toBe(true);
    // De-identified: no resident's name appears in a published answer.
    const names = (await db.selectFrom('residents').select('name').execute()).map((r) => r.name);
    for (const f of faq) expect(names.some((n) => f.question.includes(n) || f.answer.includes(n))).toBe(false);
  });

  it('has requests in every status, some for the volunteer, and ratings and feedback that make sense', async () => {
    const db = t.deps.db;
    const reqs = await db.selectFrom('service_requests').select(['status', 'assignee_id', 'source']).execute();
    expect(new Set(reqs.map((r) => r.status))).toEqual(new Set(['open', 'assigned', 'in_progress', 'fulfilled', 'cancelled']));
    const volunteer = await db.selectFrom('users').select('id').where('username', '=', 'zhiyuan1').executeTakeFirstOrThrow();
    expect(reqs.filter((r) => r.assignee_id === volunteer.id).length).toBeGreaterThanOrEqual(3);
    expect(new Set(reqs.map((r) => r.source))).toEqual(new Set(['staff', 'resident', 'visit', 'consultation']));

    const ratings = await db.selectFrom('ratings').select(['score', 'comment', 'channel']).execute();
    const high = ratings.filter((r) => r.score >= 4).length;
    expect(high / ratings.length).toBeGreaterThan(0.8);
    expect(ratings.filter((r) => r.score <= 2).every((r) => r.comment)).toBe(true);
    expect(new Set(ratings.map((r) => r.channel))).toContain('online');
    expect(new Set(ratings.map((r) => r.channel))).toContain('phone');

    const fb = await db.selectFrom('feedback_items').selectAll().execute();
    expect(fb.filter((f) => f.kind === 'suggestion').length).toBeGreaterThanOrEqual(4);
    const complaints = fb.filter((f) => f.kind === 'complaint');
    expect(complaints.length).toBeGreaterThanOrEqual(3);
    const now = t.clock.now().toISOString();
    const escalated = complaints.filter((c) => c.escalated_at && !c.resolved_at && c.due_at! < now);
    expect(escalated.length).toBe(1);
  });

  it("gives jumin1's household completed appointments, one still unrated", async () => {
    const db = t.deps.db;
    const jumin = await db.selectFrom('users').select('id').where('username', '=', 'jumin1').executeTakeFirstOrThrow();
    const linked = (await db.selectFrom('resident_accounts').select('resident_id').where('user_id', '=', jumin.id).execute()).map((r) => r.resident_id);
    expect(linked.length).toBe(2);
    for (const id of linked) {
      const done = await db.selectFrom('appointments').select('id').where('resident_id', '=', id).where('status', '=', 'completed').execute();
      expect(done.length).toBeGreaterThanOrEqual(2);
    }
    const unrated = await db
      .selectFrom('service_records as s')
      .leftJoin('ratings as r', 'r.service_record_id', 's.id')
      .select('s.id')
      .where('s.resident_id', 'in', linked)
      .where('s.source', '=', 'appointment')
      .where('r.id', 'is', null)
      .execute();
    expect(unrated.length).toBeGreaterThanOrEqual(1);
    // Her upcoming booking is there too.
    const next = await db.selectFrom('appointments').select('id').where('resident_id', 'in', linked).where('status', '=', 'confirmed').execute();
    expect(next.length).toBeGreaterThanOrEqual(1);
  });

  it('moves the demo registrations before the history, so a timeline starts with 建档', async () => {
    const db = t.deps.db;
    const first = await db.selectFrom('service_records').select(['resident_id', (eb) => eb.fn.min('start_at').as('first')]).groupBy('resident_id').execute();
    const created = new Map((await db.selectFrom('residents').select(['id', 'created_at']).execute()).map((r) => [r.id, r.created_at]));
    for (const f of first) expect(created.get(f.resident_id)! < String(f.first)).toBe(true);
    const some = first[0]!.resident_id;
    const timeline = await db.selectFrom('resident_events').select(['kind', 'at']).where('resident_id', '=', some).orderBy('id').execute();
    expect(timeline[0]!.kind).toBe('created');
    expect(timeline.map((e) => e.at)).toEqual([...timeline.map((e) => e.at)].sort());
  });

  it('is deterministic: the same station on the same day gets the same history', async () => {
    const other = await createTestApp({ demoResidents: true, demoServices: true });
    try {
      other.clock.set(t.clock.now());
      const second = await seedDemoHistory(other.deps.db, other.deps.keys, t.clock.now());
      expect(second).toEqual(counts);
      const text = async (app: TestApp) =>
        (await app.deps.db.selectFrom('service_records').select(['summary', 'start_at']).orderBy('start_at').orderBy('summary').execute()).map((r) => `${r.start_at} ${r.summary}`).join('\n');
      expect(await text(other)).toBe(await text(t));
    } finally {
      await other.close();
    }
  }, 120_000);

});
