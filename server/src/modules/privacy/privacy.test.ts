import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../lib/audit.js';
import { newId } from '../../lib/ids.js';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { createResident, firstVillageId, residentBody } from '../../test/residents.js';
import type { ResidentDetailView } from '../residents/schema.js';
import type { AccessReportView, DeletionRequestItem } from './schema.js';

let t: TestApp;
let worker: Agent;
let head: Agent;
let officer: Agent;
let stationId: string;

beforeAll(async () => {
  t = await createTestApp();
  worker = await t.login('shegong1');
  head = await t.login('zhanzhang');
  officer = await t.login('shuju');
  stationId = (await t.deps.db.selectFrom('stations').select('id').executeTakeFirstOrThrow()).id;
});
afterAll(() => t.close());

const request = (res: { json(): unknown }) => (res.json() as { request: DeletionRequestItem }).request;

/** A signed paper consent with its scanned form, written straight to the tables (the consents module has its own tests). */
async function paperConsent(residentId: string, purpose: 'service' | 'sensitive_data' | 'referral_sharing' | 'volunteer_contact', opts: { withdrawn?: boolean; guardian?: string } = {}) {
  const now = t.clock.now().toISOString();
  const docId = newId();
  await t.deps.db.insertInto('consent_documents').values({ id: docId, station_id: stationId, resident_id: residentId, mime_type: 'image/png', size_bytes: 4, sha256: 'ab'.repeat(32), content_enc: new Uint8Array([1, 2, 3, 4]), uploaded_by: null, created_at: now }).execute();
  await t.deps.db
    .insertInto('consents')
    .values({
      id: newId(), station_id: stationId, resident_id: residentId, purpose, given_by: opts.guardian ? 'guardian' : 'self', guardian_resident_id: null,
      guardian_name: opts.guardian ?? null, guardian_relation: opts.guardian ? '女儿' : null, method: 'paper_signed', document_id: docId, witness1_user_id: null,
      witness2_user_id: null, given_on: '2025-01-02', expires_on: null, withdrawn_at: opts.withdrawn ? now : null, withdrawn_by: null,
      withdrawn_reason: opts.withdrawn ? '王秀英本人不愿再被联系' : null, recorded_by: null, created_at: now,
    })
    .execute();
}

let seq = 0;
/** A user with the given roles at the demo station (or another), signed in. */
async function userWith(roles: { role: 'station_head' | 'data_officer' | 'social_worker'; stationId: string }[]): Promise<Agent> {
  const { createUser } = await import('../users/users.js');
  const username = `pv${++seq}user`;
  await t.deps.db.transaction().execute((trx) =>
    createUser(trx, { username, displayName: `测试${seq}`, password: 'Privacy#Test2026', roles: roles.map((r) => ({ ...r, countyId: null })), mustChangePassword: false }, t.clock.now()),
  );
  return t.login(username, 'Privacy#Test2026');
}

let otherStationId: string | null = null;
async function otherStation(): Promise<string> {
  if (otherStationId) return otherStationId;
  const { ensureStation } = await import('../setup/setup.js');
  otherStationId = await t.deps.db.transaction().execute(async (trx) => (await ensureStation(trx, { townshipCode: '430181111000', stationName: '另一个社工站', operatorModel: 'government', operatorName: null, villageCodes: [] }, t.clock.now())).stationId);
  return otherStationId;
}

describe('deletion request → anonymisation', () => {
  let r: ResidentDetailView;
  let idNumber: string;
  let householdId: string;
  let memberId: string;
  let reqId: string;

  beforeAll(async () => {
    const villageId = await firstVillageId(t);
    householdId = (await worker.post('/api/households', { villageId, address: '湖南省浏阳市大瑶镇杨家组 3 号' })).json().household.id;
    const body = await residentBody(t, { name: '王秀英', birthDate: '1950-06-15', householdId, relationToHead: 'head', disabilityCertificate: null });
    idNumber = body.idNumber!;
    const res = await worker.post('/api/residents', body);
    expect(res.statusCode, res.body).toBe(201);
    r = res.json().resident;
    memberId = (await createResident(t, worker, { name: '王小军', gender: 'male', birthDate: '1980-02-01', householdId, relationToHead: 'son' })).id;
    // A correction on the timeline: the old and new names are recorded in clear.
    const patched = await worker.patch(`/api/residents/${r.id}`, { name: '王秀瑛', version: r.version });
    expect(patched.statusCode, patched.body).toBe(200);
    r = patched.json().resident;
    await paperConsent(r.id, 'service', { guardian: '王小军' });
    await paperConsent(r.id, 'volunteer_contact', { withdrawn: true });
    // 王秀瑛 also signed as guardian for 王小军 (a registered guardian's name is copied onto the consent).
    await paperConsent(memberId, 'referral_sharing', { guardian: '王秀瑛' });
    await t.deps.db.updateTable('consents').set({ guardian_resident_id: r.id }).where('resident_id', '=', memberId).where('purpose', '=', 'referral_sharing').execute();
  });

  it('any resident worker may ask; asking again hands back the open request', async () => {
    expect((await worker.post('/api/privacy/deletion-requests', { residentId: r.id })).statusCode).toBe(400);
    expect((await worker.post('/api/privacy/deletion-requests', { residentId: r.id, reason: '   ' })).statusCode).toBe(400);
    const res = await worker.post('/api/privacy/deletion-requests', { residentId: r.id, reason: '本人书面申请删除个人信息' });
    expect(res.statusCode, res.body).toBe(201);
    const d = request(res);
    reqId = d.id;
    expect(d).toMatchObject({ status: 'open', reason: '本人书面申请删除个人信息', headApproval: null, officerApproval: null, canApproveAs: [], canReject: false });
    expect(d.requestedBy.name).toBe('张社工');
    const again = await worker.post('/api/privacy/deletion-requests', { residentId: r.id, reason: '重复点击' });
    expect(again.statusCode).toBe(200);
    expect(request(again).id).toBe(reqId);
    const entry = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'privacy.deletion_request').where('entity_id', '=', r.id).execute();
    expect(entry).toHaveLength(1);
    expect(entry[0]).toMatchObject({ entity_type: 'resident', result: 'ok', reason: '本人书面申请删除个人信息' });
  });

  it('a social worker cannot list or decide requests (403)', async () => {
    expect((await worker.get('/api/privacy/deletion-requests')).statusCode).toBe(403);
    expect((await worker.post(`/api/privacy/deletion-requests/${reqId}/approve`, {})).statusCode).toBe(403);
    expect((await worker.post(`/api/privacy/deletion-requests/${reqId}/reject`, { reason: '不同意' })).statusCode).toBe(403);
  });

  it('the station head approves first; the same head cannot approve again', async () => {
    const list = await head.get('/api/privacy/deletion-requests?status=open');
    expect(list.statusCode, list.body).toBe(200);
    const item = (list.json().items as DeletionRequestItem[]).find((x) => x.id === reqId)!;
    expect(item.canApproveAs).toEqual(['station_head']);
    expect(item.resident.name).toBe('王秀瑛');
    const res = await head.post(`/api/privacy/deletion-requests/${reqId}/approve`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(request(res).headApproval?.byName).toBe('李站长');
    expect(request(res).status).toBe('open');
    const twice = await head.post(`/api/privacy/deletion-requests/${reqId}/approve`, {});
    expect(twice.statusCode).toBe(422);
    expect(twice.json().error.id).toBe('approval_not_allowed');
    expect((await head.post(`/api/privacy/deletion-requests/${reqId}/approve`, { as: 'data_officer' })).statusCode).toBe(422);
    // Nothing erased yet.
    const row = await t.deps.db.selectFrom('residents').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row.anonymised_at).toBeNull();
  });

  it("the data officer's approval anonymises in the same step: identifying data gone, counts kept", async () => {
    const before = await t.deps.db.selectFrom('residents').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    const list = (await officer.get('/api/privacy/deletion-requests?status=open')).json().items as DeletionRequestItem[];
    expect(list.find((x) => x.id === reqId)?.canApproveAs).toEqual(['data_officer']);
    const res = await officer.post(`/api/privacy/deletion-requests/${reqId}/approve`, {});
    expect(res.statusCode, res.body).toBe(200);
    const d = request(res);
    expect(d.status).toBe('executed');
    expect(d.executedAt).not.toBeNull();
    expect(d.resident.anonymised).toBe(true);

    const row = await t.deps.db.selectFrom('residents').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row.name).toMatch(/^已匿名[0-9a-f]{6}$/);
    expect(await t.deps.db.selectFrom('resident_name_keys').select('key').where('resident_id', '=', row.id).execute()).toEqual([]);
    const standing = await t.deps.db.selectFrom('consents').select('id').where('resident_id', '=', row.id).where('withdrawn_at', 'is', null).execute();
    expect(standing).toEqual([]);
    expect(row).toMatchObject({
      name_initials: '', name_pinyin: '', id_number_enc: null, id_number_masked: null, id_number_bidx: null, no_id_reason: 'anonymised',
      address_enc: null, address_masked: null, health_notes_enc: null, income_notes_enc: null, disability_cert_enc: null,
      guardian_resident_id: null, household_id: null, relation_to_head: null, birth_date: '1950-01-01',
      // What the counts are made of stays.
      gender: before.gender, village_id: before.village_id, station_id: before.station_id, risk_tier: before.risk_tier,
      status: before.status, lawful_basis: before.lawful_basis, version: before.version + 1,
    });
    expect(row.anonymised_at).not.toBeNull();
    const cats = await t.deps.db.selectFrom('resident_categories').select('category').where('resident_id', '=', r.id).orderBy('category').execute();
    expect(cats.map((c) => c.category)).toEqual(['dibao', 'elderly_alone']);
    expect(await t.deps.db.selectFrom('resident_phones').selectAll().where('resident_id', '=', r.id).execute()).toEqual([]);
    const docs = await t.deps.db.selectFrom('consent_documents').select('content_enc').where('resident_id', '=', r.id).execute();
    expect(docs.length).toBe(2);
    expect(docs.every((x) => x.content_enc === null)).toBe(true);
    const consents = await t.deps.db.selectFrom('consents').selectAll().where('resident_id', '=', r.id).execute();
    expect(JSON.stringify(consents)).not.toMatch(/王/);
    // Nor on the consent they gave as a guardian for someone else.
    const ward = await t.deps.db.selectFrom('consents').select('guardian_name').where('resident_id', '=', memberId).where('purpose', '=', 'referral_sharing').executeTakeFirstOrThrow();
    expect(ward.guardian_name).toBe('已匿名');
    expect(consents.length).toBe(2);

    // The timeline keeps what happened, not who it was about.
    const events = await t.deps.db.selectFrom('resident_events').selectAll().where('resident_id', '=', r.id).execute();
    const dump = JSON.stringify(events);
    expect(dump).not.toContain('王秀');
    expect(dump).not.toContain(idNumber);
    const nameChange = events.find((e) => e.field === 'name')!;
    expect(nameChange).toMatchObject({ kind: 'updated', old_value: null, new_value: null });
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['created', 'updated', 'deletion_requested', 'deletion_approved', 'anonymised']));

    // The household stays for the son, with its address.
    const member = await t.deps.db.selectFrom('residents').select(['household_id', 'name']).where('id', '=', memberId).executeTakeFirstOrThrow();
    expect(member).toEqual({ household_id: householdId, name: '王小军' });
    const h = await t.deps.db.selectFrom('households').select('address_enc').where('id', '=', householdId).executeTakeFirstOrThrow();
    expect(h.address_enc).not.toBeNull();

    const actions = await t.deps.db.selectFrom('audit_log').select(['action', 'entity_type', 'actor_username']).where('entity_id', '=', r.id).where('action', 'like', 'privacy.%').where('result', '=', 'ok').orderBy('seq').execute();
    expect(actions).toEqual([
      { action: 'privacy.deletion_request', entity_type: 'resident', actor_username: 'shegong1' },
      { action: 'privacy.deletion_approve', entity_type: 'resident', actor_username: 'zhanzhang' },
      { action: 'privacy.deletion_approve', entity_type: 'resident', actor_username: 'shuju' },
      { action: 'privacy.anonymise', entity_type: 'resident', actor_username: 'shuju' },
    ]);
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });

  it('the record still opens, shows as anonymised, and cannot be edited', async () => {
    const res = await worker.get(`/api/residents/${r.id}`);
    expect(res.statusCode).toBe(200);
    const v = res.json().resident as ResidentDetailView;
    expect(v.anonymised).toBe(true);
    expect(v.name).toMatch(/^已匿名/);
    expect(v.idNumberMasked).toBeNull();
    expect(v.phones).toEqual([]);
    const patch = await worker.patch(`/api/residents/${r.id}`, { name: '王秀英', version: v.version });
    expect(patch.statusCode).toBe(422);
    expect(patch.json().error.id).toBe('resident_anonymised');
    expect((await worker.post('/api/privacy/deletion-requests', { residentId: r.id, reason: '再次申请' })).json().error.id).toBe('resident_anonymised');
  });

  it('a decided request cannot be decided again (409 already_decided)', async () => {
    const again = await officer.post(`/api/privacy/deletion-requests/${reqId}/approve`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.id).toBe('already_decided');
    const rej = await head.post(`/api/privacy/deletion-requests/${reqId}/reject`, { reason: '晚了' });
    expect(rej.statusCode).toBe(409);
    expect(rej.json().error.id).toBe('already_decided');
    const executed = (await head.get('/api/privacy/deletion-requests?status=executed')).json().items as DeletionRequestItem[];
    expect(executed.map((x) => x.id)).toContain(reqId);
    expect(((await head.get('/api/privacy/deletion-requests?status=open')).json().items as DeletionRequestItem[]).map((x) => x.id)).not.toContain(reqId);
  });

  it('the same ID number can be registered again once the old record is erased', async () => {
    const res = await worker.post('/api/residents', await residentBody(t, { name: '王秀英', birthDate: '1950-06-15', idNumber }));
    expect(res.statusCode, res.body).toBe(201);
  });
});

describe('two people, always', () => {
  it('someone who is both station head and data officer gives one approval only', async () => {
    const both = await userWith([{ role: 'station_head', stationId }, { role: 'data_officer', stationId }]);
    const r = await createResident(t, worker, { name: '刘冬梅' });
    const d = request(await worker.post('/api/privacy/deletion-requests', { residentId: r.id, reason: '本人申请' }));
    const list = (await both.get('/api/privacy/deletion-requests?status=open')).json().items as DeletionRequestItem[];
    expect(list.find((x) => x.id === d.id)?.canApproveAs).toEqual(['station_head', 'data_officer']);
    const first = await both.post(`/api/privacy/deletion-requests/${d.id}/approve`, { as: 'data_officer' });
    expect(first.statusCode, first.body).toBe(200);
    expect(request(first).officerApproval).not.toBeNull();
    expect(request(first).canApproveAs).toEqual([]);
    for (const body of [{}, { as: 'station_head' }, { as: 'data_officer' }]) {
      const res = await both.post(`/api/privacy/deletion-requests/${d.id}/approve`, body);
      expect(res.statusCode).toBe(422);
      expect(res.json().error.id).toBe('approval_not_allowed');
    }
    const denied = await t.deps.db.selectFrom('audit_log').select('result').where('action', '=', 'privacy.deletion_approve').where('entity_id', '=', r.id).where('result', '=', 'denied').execute();
    expect(denied.length).toBe(3);
    // The database refuses it as well, whatever the application does.
    const row = await t.deps.db.selectFrom('deletion_requests').select('officer_approved_by').where('id', '=', d.id).executeTakeFirstOrThrow();
    await expect(
      t.deps.db.updateTable('deletion_requests').set({ head_approved_by: row.officer_approved_by, head_approved_at: t.clock.now().toISOString() }).where('id', '=', d.id).execute(),
    ).rejects.toThrow();
    const second = await head.post(`/api/privacy/deletion-requests/${d.id}/approve`, {});
    expect(request(second).status).toBe('executed');
  });

  it('the database will not store an executed request without both approvals', async () => {
    const r = await createResident(t, worker, { name: '刘春花' });
    const d = request(await worker.post('/api/privacy/deletion-requests', { residentId: r.id, reason: '本人申请' }));
    await expect(t.deps.db.updateTable('deletion_requests').set({ executed_at: t.clock.now().toISOString() }).where('id', '=', d.id).execute()).rejects.toThrow();
    await head.post(`/api/privacy/deletion-requests/${d.id}/reject`, { reason: '清理测试' });
  });
});

describe('rejecting', () => {
  it('either approver can turn a request down with a reason; then it is closed and a new one may be opened', async () => {
    const r = await createResident(t, worker, { name: '张翠兰' });
    const d = request(await worker.post('/api/privacy/deletion-requests', { residentId: r.id, reason: '家属要求' }));
    expect((await officer.post(`/api/privacy/deletion-requests/${d.id}/reject`, {})).statusCode).toBe(400);
    const res = await officer.post(`/api/privacy/deletion-requests/${d.id}/reject`, { reason: '仍在接受低保服务，依法需保留' });
    expect(res.statusCode, res.body).toBe(200);
    expect(request(res)).toMatchObject({ status: 'rejected', canReject: false, canApproveAs: [] });
    expect(request(res).rejection).toMatchObject({ byName: '陈数据', reason: '仍在接受低保服务，依法需保留' });
    const approve = await head.post(`/api/privacy/deletion-requests/${d.id}/approve`, {});
    expect(approve.statusCode).toBe(409);
    expect(approve.json().error.id).toBe('already_decided');
    const row = await t.deps.db.selectFrom('residents').select(['name', 'anonymised_at']).where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: '张翠兰', anonymised_at: null });
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'privacy.deletion_reject').where('entity_id', '=', r.id).executeTakeFirstOrThrow();
    expect(audit.reason).toBe('仍在接受低保服务，依法需保留');
    const rejected = (await head.get('/api/privacy/deletion-requests?status=rejected')).json().items as DeletionRequestItem[];
    expect(rejected.map((x) => x.id)).toContain(d.id);
    const fresh = await worker.post('/api/privacy/deletion-requests', { residentId: r.id, reason: '本人再次申请' });
    expect(fresh.statusCode).toBe(201);
    expect(request(fresh).id).not.toBe(d.id);
  });
});

describe('scope and roles', () => {
  let r: ResidentDetailView;
  let d: DeletionRequestItem;
  beforeAll(async () => {
    r = await createResident(t, worker, { name: '黄玉兰' });
    d = request(await worker.post('/api/privacy/deletion-requests', { residentId: r.id, reason: '本人申请' }));
  });

  it('the head and data officer of another station get 404, recorded as denied', async () => {
    const s = await otherStation();
    const otherHead = await userWith([{ role: 'station_head', stationId: s }]);
    const otherWorker = await userWith([{ role: 'social_worker', stationId: s }]);
    for (const a of [otherHead]) {
      const one = await a.get(`/api/privacy/deletion-requests/${d.id}`);
      expect(one.statusCode).toBe(404);
      const missing = await a.get('/api/privacy/deletion-requests/no-such-request');
      expect(missing.body).toBe(one.body.replace(d.id, 'no-such-request'));
      expect((await a.post(`/api/privacy/deletion-requests/${d.id}/approve`, {})).statusCode).toBe(404);
      expect((await a.post(`/api/privacy/deletion-requests/${d.id}/reject`, { reason: '外站' })).statusCode).toBe(404);
      expect(((await a.get('/api/privacy/deletion-requests')).json().items as unknown[]).length).toBe(0);
      expect((await a.get('/api/privacy/retention')).json().total).toBe(0);
      expect((await a.get('/api/privacy/record-of-processing')).json().stations.map((x: { station: { id: string } }) => x.station.id)).toEqual([s]);
    }
    expect((await otherWorker.post('/api/privacy/deletion-requests', { residentId: r.id, reason: '外站申请' })).statusCode).toBe(404);
    expect((await otherWorker.post(`/api/privacy/residents/${r.id}/access-report`, { reason: '外站查阅' })).statusCode).toBe(404);
    const denied = await t.deps.db.selectFrom('audit_log').select('action').where('entity_id', '=', r.id).where('result', '=', 'denied').execute();
    expect(denied.length).toBeGreaterThanOrEqual(4);
  });

  it('volunteers, residents and county supervisors reach nothing', async () => {
    for (const u of ['zhiyuan1', 'xianqu', 'jumin1']) {
      const a = await t.login(u);
      expect((await a.post(`/api/privacy/residents/${r.id}/access-report`, { reason: '查看' })).statusCode, u).toBe(404);
      expect((await a.post(`/api/privacy/residents/${r.id}/access-report.xlsx`, { reason: '查看' })).statusCode, u).toBe(404);
      expect((await a.get(`/api/privacy/deletion-requests/${d.id}`)).statusCode, u).toBe(404);
      expect((await a.post('/api/privacy/deletion-requests', { residentId: r.id, reason: '删除' })).statusCode, u).toBe(403);
      expect((await a.get('/api/privacy/deletion-requests')).statusCode, u).toBe(403);
      expect((await a.post(`/api/privacy/deletion-requests/${d.id}/approve`, {})).statusCode, u).toBe(403);
      expect((await a.get('/api/privacy/retention')).statusCode, u).toBe(403);
      expect((await a.get('/api/privacy/record-of-processing')).statusCode, u).toBe(403);
    }
  });

  it('lists are paginated newest first', async () => {
    const first = await head.get('/api/privacy/deletion-requests?limit=1');
    const page1 = first.json();
    expect(page1.items).toHaveLength(1);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = (await head.get(`/api/privacy/deletion-requests?limit=1&cursor=${page1.nextCursor}`)).json();
    expect(page2.items[0].id < page1.items[0].id).toBe(true);
    expect((await head.get('/api/privacy/deletion-requests?status=nope')).statusCode).toBe(400);
  });
});

describe('access report (查阅、复制)', () => {
  let r: ResidentDetailView;
  let idNumber: string;
  beforeAll(async () => {
    const body = await residentBody(t, { name: '周金秀', birthDate: '1946-09-09', phones: [{ number: '13912345678', relation: 'self' }, { number: '0731-83451234', relation: 'daughter' }] });
    idNumber = body.idNumber!;
    const res = await worker.post('/api/residents', body);
    r = res.json().resident;
    await paperConsent(r.id, 'service');
  });

  it('needs a reason', async () => {
    expect((await worker.post(`/api/privacy/residents/${r.id}/access-report`, {})).statusCode).toBe(400);
    const blank = await worker.post(`/api/privacy/residents/${r.id}/access-report`, { reason: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(Object.keys(blank.json().error.fields)).toEqual(['reason']);
  });

  it('holds everything in clear and is audited with the reason', async () => {
    const res = await worker.post(`/api/privacy/residents/${r.id}/access-report`, { reason: '本人到站申请查阅' });
    expect(res.statusCode, res.body).toBe(200);
    const rep = res.json().report as AccessReportView;
    expect(rep.profile).toMatchObject({ name: '周金秀', idNumber, address: '湖南省浏阳市大瑶镇南山村杨家组12号', healthNotes: '高血压，长期服药', incomeNotes: '低保金每月 600 元', lawfulBasis: 'statutory_duty' });
    expect(rep.phones).toEqual([{ number: '13912345678', relation: 'self' }, { number: '0731-83451234', relation: 'daughter' }]);
    expect(rep.categories).toEqual(['dibao', 'elderly_alone']);
    expect(rep.consents).toHaveLength(1);
    expect(rep.consents[0]).toMatchObject({ purpose: 'service', method: 'paper_signed', hasDocument: true });
    expect(rep.events.map((e) => e.kind)).toEqual(['created', 'access_report']);
    expect(rep.station.name).toContain('大瑶镇');
    expect(rep.generatedBy).toBe('张社工');
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'resident.access_report').where('entity_id', '=', r.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ result: 'ok', reason: '本人到站申请查阅', entity_type: 'resident', actor_username: 'shegong1', field: 'all' });
    expect(audit[0]!.detail).not.toContain(idNumber);
  });

  it('comes as an Excel workbook, one sheet per section', async () => {
    const res = await officer.post(`/api/privacy/residents/${r.id}/access-report.xlsx`, { reason: '本人申请复制' });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain('attachment');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['基本信息', '联系电话', '类别', '家庭', '知情同意', '时间线', '删除申请', '预约', '咨询', '服务需求', '走访', '服务记录', '满意度评价', '意见建议与投诉']);
    const basic = wb.getWorksheet('基本信息')!;
    const values = new Map<string, string>();
    basic.eachRow((row, i) => {
      if (i > 1) values.set(String(row.getCell(1).value), String(row.getCell(2).value ?? ''));
    });
    expect(values.get('姓名')).toBe('周金秀');
    expect(values.get('身份证号')).toBe(idNumber);
    expect(values.get('处理依据')).toBe('履行法定职责');
    expect(values.get('查阅事由')).toBe('本人申请复制');
    const phones = wb.getWorksheet('联系电话')!;
    expect(phones.getRow(1).values).toEqual([undefined, '序号', '号码', '关系']);
    expect(phones.getRow(3).getCell(2).value).toBe('0731-83451234');
    expect(phones.getRow(3).getCell(3).value).toBe('女儿');
    expect(wb.getWorksheet('类别')!.getRow(2).getCell(2).value).toBe('低保');
    expect(wb.getWorksheet('时间线')!.rowCount).toBe(4); // header, created, two access reports
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'resident.access_report').where('entity_id', '=', r.id).where('actor_username', '=', 'shuju').executeTakeFirstOrThrow();
    expect(audit.reason).toBe('本人申请复制');
    expect(JSON.parse(audit.detail!)).toEqual({ format: 'xlsx' });
  });

  it('works for a person without phones, household or consents', async () => {
    const bare = await createResident(t, worker, { name: '邓满秀', phones: [], address: null, healthNotes: null, incomeNotes: null, categories: [] });
    const rep = (await head.post(`/api/privacy/residents/${bare.id}/access-report`, { reason: '核对' })).json().report as AccessReportView;
    expect(rep).toMatchObject({ phones: [], categories: [], household: null, consents: [] });
    expect(rep.profile.address).toBeNull();
    const xlsx = await head.post(`/api/privacy/residents/${bare.id}/access-report.xlsx`, { reason: '核对' });
    expect(xlsx.statusCode).toBe(200);
  });
});

describe('a resident moved to another station', () => {
  it('takes their consents and open deletion request along, so the new station decides it', async () => {
    const other = await otherStation();
    const village = newId();
    await t.deps.db.insertInto('villages').values({ id: village, station_id: other, code: '430181111099', name: '搬迁测试村', created_at: t.clock.now().toISOString() }).execute();
    const mover = await userWith([{ role: 'social_worker', stationId }, { role: 'social_worker', stationId: other }]);
    const person = await createResident(t, mover, { name: '迁出人', birthDate: '1960-03-03' });
    await paperConsent(person.id, 'service');
    const open = await mover.post('/api/privacy/deletion-requests', { residentId: person.id, reason: '本人申请删除' });
    expect(open.statusCode, open.body).toBe(201);
    const current = (await mover.get(`/api/residents/${person.id}`)).json().resident as ResidentDetailView;
    const moved = await mover.patch(`/api/residents/${person.id}`, { villageId: village, version: current.version });
    expect(moved.statusCode, moved.body).toBe(200);
    const req = await t.deps.db.selectFrom('deletion_requests').select('station_id').where('resident_id', '=', person.id).executeTakeFirstOrThrow();
    expect(req.station_id).toBe(other);
    const consents = await t.deps.db.selectFrom('consents').select('station_id').where('resident_id', '=', person.id).execute();
    expect(consents.map((c) => c.station_id)).toEqual([other]);
    const docs = await t.deps.db.selectFrom('consent_documents').select('station_id').where('resident_id', '=', person.id).execute();
    expect(docs.map((d) => d.station_id)).toEqual([other]);
    // The old station's head no longer sees the request.
    expect((await head.get(`/api/privacy/deletion-requests/${request(open).id}`)).statusCode).toBe(404);
  });
});
