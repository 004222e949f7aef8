import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateInTimeZone } from '../../lib/identity.js';
import { newId } from '../../lib/ids.js';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { createResident } from '../../test/residents.js';
import { retentionCutoff } from './retention.js';
import type { RecordOfProcessing, RetentionPage } from './schema.js';

let t: TestApp;
let worker: Agent;
let stationId: string;

beforeAll(async () => {
  t = await createTestApp();
  worker = await t.login('shegong1');
  stationId = (await t.deps.db.selectFrom('stations').select('id').executeTakeFirstOrThrow()).id;
});
afterAll(() => t.close());

/** The same month and day `years` earlier. */
const yearsBefore = (day: string, years: number) => `${Number(day.slice(0, 4)) - years}${day.slice(4)}`;
/** An instant at a wall-clock time in China. */
const shanghai = (day: string, time: string) => new Date(`${day}T${time}:00+08:00`);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('retention cutoff', () => {
  it('is the same calendar day N years ago in China time', () => {
    expect(retentionCutoff(new Date('2026-03-01T15:59:00Z'), 3)).toBe('2023-03-01');
    // 16:00 UTC is already the next day in Shanghai.
    expect(retentionCutoff(new Date('2026-03-01T16:00:00Z'), 3)).toBe('2023-03-02');
    expect(retentionCutoff(new Date('2028-02-29T04:00:00Z'), 1)).toBe('2027-02-29');
  });
});

describe('residents due for review', () => {
  let day: string; // the day the moved resident becomes due (a future day, not 29 February)
  let movedId: string;

  beforeAll(async () => {
    const today = dateInTimeZone(t.clock.now());
    day = addDays(today, 3);
    if (day.slice(5) === '02-29') day = addDays(today, 4);
    const statusDate = yearsBefore(day, 3);
    movedId = (await createResident(t, worker, { name: '罗长生', status: 'moved', statusDate })).id;
    await createResident(t, worker, { name: '罗福生', status: 'deceased', statusDate: yearsBefore(today, 10) });
    await createResident(t, worker, { name: '罗德明', status: 'deceased', statusDate: yearsBefore(today, 1) });
    await createResident(t, worker, { name: '罗永福' });
  });

  /** Move the clock, then sign in again (a jump of days ends the idle session). */
  async function at(when: Date): Promise<{ page: RetentionPage; officer: Agent }> {
    t.clock.set(when);
    const officer = await t.login('shuju');
    const res = await officer.get('/api/privacy/retention');
    expect(res.statusCode, res.body).toBe(200);
    return { page: res.json() as RetentionPage, officer };
  }

  it('lists moved or deceased residents older than N years, by China time', async () => {
    const before = await at(shanghai(day, '23:59'));
    expect(before.page.items.map((i) => i.name)).toEqual(['罗福生']);
    expect(before.page.total).toBe(1);
    expect(before.page.years).toBe(3);

    const after = await at(shanghai(addDays(day, 1), '00:01'));
    expect(after.page.items.map((i) => i.name)).toEqual(['罗福生', '罗长生']);
    expect(after.page.total).toBe(2);
    expect(after.page.items[1]).toMatchObject({ id: movedId, status: 'moved', statusDate: yearsBefore(day, 3), openRequestId: null, stationId });
  });

  it('pages with a cursor, shows an open request, and drops anonymised residents', async () => {
    const { officer } = await at(shanghai(addDays(day, 1), '08:00'));
    const p1 = (await officer.get('/api/privacy/retention?limit=1')).json() as RetentionPage;
    expect(p1.items).toHaveLength(1);
    expect(p1.total).toBe(2);
    const p2 = (await officer.get(`/api/privacy/retention?limit=1&cursor=${p1.nextCursor}`)).json() as RetentionPage;
    expect(p2.items.map((i) => i.id)).toEqual([movedId]);
    expect(p2.nextCursor).toBeNull();

    // The data officer starts a deletion request from the row.
    const d = await officer.post('/api/privacy/deletion-requests', { residentId: movedId, reason: '迁出已满三年，到期删除' });
    expect(d.statusCode, d.body).toBe(201);
    const reqId = d.json().request.id as string;
    const listed = (await officer.get('/api/privacy/retention')).json() as RetentionPage;
    expect(listed.items.find((i) => i.id === movedId)?.openRequestId).toBe(reqId);

    const head = await t.login('zhanzhang');
    expect((await head.post(`/api/privacy/deletion-requests/${reqId}/approve`, {})).statusCode).toBe(200);
    expect((await officer.post(`/api/privacy/deletion-requests/${reqId}/approve`, {})).json().request.status).toBe('executed');
    const afterwards = (await officer.get('/api/privacy/retention')).json() as RetentionPage;
    expect(afterwards.total).toBe(1);
    expect(afterwards.items.map((i) => i.name)).toEqual(['罗福生']);
  });

  it('follows XQ_RETENTION_YEARS', async () => {
    const t2 = await createTestApp({ config: { retentionYears: 1 } });
    try {
      const w = await t2.login('shegong1');
      const today = dateInTimeZone(t2.clock.now());
      await createResident(t2, w, { name: '彭国华', status: 'moved', statusDate: yearsBefore(addDays(today, -1), 1) });
      await createResident(t2, w, { name: '彭光明', status: 'moved', statusDate: addDays(today, -30) });
      const page = (await (await t2.login('zhanzhang')).get('/api/privacy/retention')).json() as RetentionPage;
      expect(page.years).toBe(1);
      expect(page.items.map((i) => i.name)).toEqual(['彭国华']);
    } finally {
      await t2.close();
    }
  });
});

describe('record of processing', () => {
  it('counts from the data, per station, with the controller, processor, purposes and recipients', async () => {
    const t3 = await createTestApp();
    try {
      const w = await t3.login('shegong1');
      const a = await createResident(t3, w, { name: '谭秀英', lawfulBasis: 'consent', categories: ['dibao', 'elderly_alone'] });
      const b = await createResident(t3, w, { name: '谭建国', gender: 'male', lawfulBasis: 'statutory_duty', categories: ['dibao'], healthNotes: null, incomeNotes: null });
      await createResident(t3, w, { name: '谭雨欣', birthDate: '2018-05-05', lawfulBasis: 'vital_interest', categories: ['left_behind_child'], phones: [], address: null, healthNotes: null, incomeNotes: null, guardianResidentId: a.id });
      const sid = (await t3.deps.db.selectFrom('stations').select('id').executeTakeFirstOrThrow()).id;
      const now = t3.clock.now().toISOString();
      const consent = (residentId: string, purpose: 'service' | 'referral_sharing' | 'volunteer_contact' | 'publicity_photos', withdrawn = false, expiresOn: string | null = null) =>
        t3.deps.db
          .insertInto('consents')
          .values({
            id: newId(), station_id: sid, resident_id: residentId, purpose, given_by: 'self', guardian_resident_id: null, guardian_name: null, guardian_relation: null,
            method: 'online', document_id: null, witness1_user_id: null, witness2_user_id: null, given_on: '2025-01-01', expires_on: expiresOn,
            withdrawn_at: withdrawn ? now : null, withdrawn_by: null, withdrawn_reason: null, recorded_by: null, created_at: now,
          })
          .execute();
      await consent(a.id, 'service');
      await consent(a.id, 'referral_sharing');
      await consent(b.id, 'service');
      await consent(b.id, 'volunteer_contact', true);
      // Expiring today: it no longer covers today (the consent module's half-open window).
      await consent(a.id, 'publicity_photos', false, dateInTimeZone(t3.clock.now()));

      // One resident erased: out of the personal-data counts, still in the totals.
      const head = await t3.login('zhanzhang');
      const officer = await t3.login('shuju');
      const d = (await w.post('/api/privacy/deletion-requests', { residentId: b.id, reason: '本人申请' })).json().request.id as string;
      await head.post(`/api/privacy/deletion-requests/${d}/approve`, {});
      await officer.post(`/api/privacy/deletion-requests/${d}/approve`, {});

      const res = await officer.get('/api/privacy/record-of-processing');
      expect(res.statusCode, res.body).toBe(200);
      const rec = res.json() as RecordOfProcessing;
      expect(rec.retentionYears).toBe(3);
      expect(rec.stations).toHaveLength(1);
      const s = rec.stations[0]!;
      expect(s.station.name).toContain('大瑶镇');
      expect(s.processor).toEqual({ name: '浏阳市乡桥社会工作服务中心（演示）', model: 'ngo' });
      expect(s.controller.countyName).toBeTruthy();
      expect(s.residents).toEqual({ total: 3, active: 2, moved: 0, deceased: 0, anonymised: 1, minors: 1 });
      expect(s.lawfulBases).toEqual([
        { basis: 'consent', residents: 1 },
        { basis: 'statutory_duty', residents: 0 },
        { basis: 'vital_interest', residents: 1 },
      ]);
      const cat = Object.fromEntries(s.categories.map((x) => [x.category, x.residents]));
      expect(cat).toMatchObject({ dibao: 1, elderly_alone: 1, left_behind_child: 1, tekun: 0 });
      const purpose = Object.fromEntries(s.purposes.map((x) => [x.purpose, x]));
      // b's standing consent was withdrawn by the anonymisation.
      expect(purpose.service).toEqual({ purpose: 'service', standing: 1, withdrawn: 1 });
      expect(purpose.volunteer_contact).toEqual({ purpose: 'volunteer_contact', standing: 0, withdrawn: 1 });
      expect(purpose.referral_sharing!.standing).toBe(1);
      expect(purpose.publicity_photos).toEqual({ purpose: 'publicity_photos', standing: 0, withdrawn: 0 });
      const data = Object.fromEntries(s.dataCategories.map((x) => [x.id, x]));
      expect(data.identity!.residents).toBe(2);
      expect(data.id_document).toMatchObject({ sensitive: true, residents: 2 });
      expect(data.contact!.residents).toBe(1);
      expect(data.health!.residents).toBe(1);
      expect(data.minors).toMatchObject({ sensitive: true, residents: 1 });
      expect(data.consent_records!.residents).toBe(1);
      expect(s.recipients).toEqual([
        { kind: 'entrusted_processor', name: '浏阳市乡桥社会工作服务中心（演示）', residents: 2 },
        { kind: 'county_supervisor', name: s.controller.countyName, residents: null },
        { kind: 'referral_partners', name: null, residents: 1 },
        { kind: 'volunteers', name: null, residents: 0 },
      ]);
      expect(s.deletionRequests).toEqual({ open: 0, executed: 1, rejected: 0 });
      expect(s.retention).toEqual({ years: 3, dueForReview: 0 });
      expect(s.securityMeasures).toContain('field_encryption');
      expect((await officer.get(`/api/privacy/record-of-processing?stationId=${sid}`)).json().stations).toHaveLength(1);
      expect((await officer.get('/api/privacy/record-of-processing?stationId=elsewhere')).json().stations).toHaveLength(0);
    } finally {
      await t3.close();
    }
  });
});
