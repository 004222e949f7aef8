import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsentPurpose, LawfulBasis } from '../../db/tables.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { createResident } from '../../test/residents.js';
import { consentStatus, requireConsent, todayOf } from './consents.js';
import { coversDay } from './rules.js';
import type { ConsentView } from './schema.js';
import { otherStationWorker } from '../../test/stations.js';

let t: TestApp;
let w: Agent;
let village: string;
let otherVillage: string;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

function multipart(content: Buffer, opts: { filename?: string; type?: string; field?: string } = {}) {
  const boundary = `----xq${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${opts.field ?? 'file'}"; filename="${opts.filename ?? 'scan.png'}"\r\nContent-Type: ${opts.type ?? 'image/png'}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const upload = (a: Agent, residentId: string, content: Buffer, opts: Parameters<typeof multipart>[1] = {}) =>
  a.request({ method: 'POST', url: `/api/residents/${residentId}/consent-documents`, ...multipart(content, opts) });

const today = () => todayOf(t.clock.now());
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function expectConsentRequired(residentId: string, purpose: ConsentPurpose, at = t.clock.now()) {
  const err = await requireConsent(t.deps.db, residentId, purpose, at).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject({ status: 422, id: 'consent_required', extra: { purpose } });
}

const online = (purpose: ConsentPurpose, extra: Record<string, unknown> = {}) => ({ purpose, givenBy: 'self', method: 'online', givenOn: today(), ...extra });

async function resident(lawfulBasis: LawfulBasis = 'statutory_duty', extra: Parameters<typeof createResident>[2] = {}) {
  return createResident(t, w, { villageId: village, lawfulBasis, ...extra });
}

async function auditRows(action: string, entityId: string) {
  return t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('entity_id', '=', entityId).execute();
}

beforeAll(async () => {
  t = await createTestApp();
  w = await t.login('shegong1');
  village = (await t.deps.db.selectFrom('villages').select('id').where('code', '=', '430181110232').executeTakeFirstOrThrow()).id;
  // A second station in another county, with its own social worker, whose residents demo users may not see.
  otherVillage = newId();
  await otherStationWorker(t, new Date(), { villageId: otherVillage });
});
afterAll(async () => t?.close());

describe('giving, listing and withdrawing', () => {
  it('records a consent, lists it, and a withdrawal makes requireConsent refuse at once', async () => {
    const r = await resident('statutory_duty');
    const give = await w.post(`/api/residents/${r.id}/consents`, online('referral_sharing'));
    expect(give.statusCode, give.body).toBe(201);
    const c = give.json().consent as ConsentView;
    expect(c).toMatchObject({ purpose: 'referral_sharing', givenBy: 'self', method: 'online', standing: true, withdrawnAt: null, recordedBy: { displayName: '张社工' } });
    await expect(requireConsent(t.deps.db, r.id, 'referral_sharing', t.clock.now())).resolves.toEqual({ consentId: c.id });

    const status = (await w.get(`/api/residents/${r.id}/consent-status`)).json();
    expect(status.lawfulBasis).toBe('statutory_duty');
    const byPurpose = Object.fromEntries(status.purposes.map((p: { purpose: string }) => [p.purpose, p]));
    expect(byPurpose.referral_sharing).toMatchObject({ state: 'given', required: true, allowed: true, consentId: c.id });
    expect(byPurpose.service).toMatchObject({ state: 'missing', required: false, allowed: true });
    expect(byPurpose.volunteer_contact).toMatchObject({ state: 'missing', required: true, allowed: false });

    const wd = await w.post(`/api/consents/${c.id}/withdraw`, { reason: '本人电话告知不再同意转介' });
    expect(wd.statusCode, wd.body).toBe(200);
    expect(wd.json().consent).toMatchObject({ standing: false, withdrawnReason: '本人电话告知不再同意转介', withdrawnBy: { displayName: '张社工' } });
    await expectConsentRequired(r.id, 'referral_sharing');
    // Statutory duty still covers the service itself.
    await expect(requireConsent(t.deps.db, r.id, 'service', t.clock.now())).resolves.toEqual({ consentId: null });
    const after = (await w.get(`/api/residents/${r.id}/consent-status`)).json();
    expect(after.purposes.find((p: { purpose: string }) => p.purpose === 'referral_sharing')).toMatchObject({ state: 'withdrawn', allowed: false });

    const again = await w.post(`/api/consents/${c.id}/withdraw`, { reason: '重复操作' });
    expect(again.statusCode).toBe(422);
    expect(again.json().error.id).toBe('already_withdrawn');

    // The list keeps the withdrawn one, newest first.
    await w.post(`/api/residents/${r.id}/consents`, online('publicity_photos'));
    const list = (await w.get(`/api/residents/${r.id}/consents`)).json();
    expect(list.items.map((x: ConsentView) => x.purpose)).toEqual(['publicity_photos', 'referral_sharing']);
    expect(list.nextCursor).toBeNull();
    const p1 = (await w.get(`/api/residents/${r.id}/consents?limit=1`)).json();
    expect(p1.items).toHaveLength(1);
    expect((await w.get(`/api/residents/${r.id}/consents?limit=1&cursor=${p1.nextCursor}`)).json().items[0].purpose).toBe('referral_sharing');

    // Timeline and audit, written with the change.
    const events = await t.deps.db.selectFrom('resident_events').selectAll().where('resident_id', '=', r.id).where('kind', 'like', 'consent_%').orderBy('id').execute();
    expect(events.map((e) => [e.kind, JSON.parse(e.detail ?? '{}').purpose, JSON.parse(e.detail ?? '{}').method])).toEqual([
      ['consent_given', 'referral_sharing', 'online'],
      ['consent_withdrawn', 'referral_sharing', 'online'],
      ['consent_given', 'publicity_photos', 'online'],
    ]);
    expect(await auditRows('consent.give', c.id)).toEqual([expect.objectContaining({ result: 'ok', actor_username: 'shegong1', entity_type: 'consent' })]);
    expect(await auditRows('consent.withdraw', c.id)).toEqual([expect.objectContaining({ result: 'ok', reason: '本人电话告知不再同意转介' })]);
  });

  it('with consent as the lawful basis, service and sensitive data each need their own consent', async () => {
    const r = await resident('consent');
    await expectConsentRequired(r.id, 'service');
    await expectConsentRequired(r.id, 'sensitive_data');
    expect((await w.post(`/api/residents/${r.id}/consents`, online('service'))).statusCode).toBe(201);
    await requireConsent(t.deps.db, r.id, 'service', t.clock.now());
    await expectConsentRequired(r.id, 'sensitive_data');
    expect((await w.post(`/api/residents/${r.id}/consents`, online('sensitive_data'))).statusCode).toBe(201);
    await requireConsent(t.deps.db, r.id, 'sensitive_data', t.clock.now());
  });

  it('a new consent for the same purpose replaces the standing one in one step', async () => {
    const r = await resident('consent');
    const first = (await w.post(`/api/residents/${r.id}/consents`, online('service'))).json().consent as ConsentView;
    const second = await w.post(`/api/residents/${r.id}/consents`, online('service', { expiresOn: addDays(today(), 365) }));
    expect(second.statusCode, second.body).toBe(201);
    const rows = await t.deps.db.selectFrom('consents').selectAll().where('resident_id', '=', r.id).orderBy('id').execute();
    expect(rows.map((x) => [x.id, x.withdrawn_reason])).toEqual([
      [first.id, 'renewed'],
      [second.json().consent.id, null],
    ]);
    expect(await auditRows('consent.withdraw', first.id)).toHaveLength(1);

    // Two workers recording the same purpose at the same moment: both succeed, one stands.
    const both = await Promise.all([w.post(`/api/residents/${r.id}/consents`, online('service')), (await t.login('shegong2')).post(`/api/residents/${r.id}/consents`, online('service'))]);
    expect(both.map((x) => x.statusCode)).toEqual([201, 201]);
    const standing = await t.deps.db.selectFrom('consents').select('id').where('resident_id', '=', r.id).where('withdrawn_at', 'is', null).execute();
    expect(standing).toHaveLength(1);
  });

  it('expires on its expiry day (Asia/Shanghai), and status says so', async () => {
    const r = await resident('consent');
    const expiry = addDays(today(), 2);
    const c = await w.post(`/api/residents/${r.id}/consents`, online('volunteer_contact', { expiresOn: expiry }));
    expect(c.statusCode, c.body).toBe(201);
    // Midnight of the expiry day in Shanghai is 16:00 UTC the day before: the last covered instant is just before it.
    const midnight = new Date(`${expiry}T00:00:00+08:00`);
    const justBefore = new Date(midnight.getTime() - 1);
    await requireConsent(t.deps.db, r.id, 'volunteer_contact', justBefore);
    await expectConsentRequired(r.id, 'volunteer_contact', midnight);
    const st = await consentStatus(t.deps.db, r.id, midnight);
    expect(st.purposes.find((p) => p.purpose === 'volunteer_contact')).toMatchObject({ state: 'expired', allowed: false, consentId: null });
    expect((await consentStatus(t.deps.db, r.id, justBefore)).purposes.find((p) => p.purpose === 'volunteer_contact')).toMatchObject({ state: 'given', expiresOn: expiry });
  });

  it('requireConsent agrees with the window rule for any dates (property, against the database)', async () => {
    const r = await resident('consent');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -400, max: 0 }), fc.option(fc.integer({ min: 1, max: 500 })), fc.integer({ min: -5, max: 600 }), async (startOff, len, todayOff) => {
        const base = todayOf(t.clock.now());
        const givenOn = addDays(base, startOff);
        const expiresOn = len === null ? null : addDays(givenOn, len);
        await t.deps.db.deleteFrom('consents').where('resident_id', '=', r.id).execute();
        await t.deps.db
          .insertInto('consents')
          .values({ id: newId(), station_id: r.stationId, resident_id: r.id, purpose: 'service', given_by: 'self', guardian_resident_id: null, guardian_name: null, guardian_relation: null, method: 'online', document_id: null, witness1_user_id: null, witness2_user_id: null, given_on: givenOn, expires_on: expiresOn, withdrawn_at: null, withdrawn_by: null, withdrawn_reason: null, recorded_by: null, created_at: new Date().toISOString() })
          .execute();
        const day = addDays(base, todayOff);
        const ok = await requireConsent(t.deps.db, r.id, 'service', new Date(`${day}T09:00:00+08:00`)).then(() => true, () => false);
        expect(ok).toBe(coversDay({ givenOn, expiresOn, withdrawn: false }, day));
      }),
      { numRuns: 25 },
    );
    await t.deps.db.deleteFrom('consents').where('resident_id', '=', r.id).execute();
  });
});

describe('who may give consent and how', () => {
  it('under 14, only a guardian may consent (PIPL Art. 31)', async () => {
    const mother = await resident('statutory_duty', { name: '李秀兰', birthDate: '1990-05-01' });
    const child = await resident('consent', { name: '李小宝', birthDate: addDays(today(), -365 * 8), gender: 'male', guardianResidentId: mother.id, categories: ['left_behind_child'] });
    const self = await w.post(`/api/residents/${child.id}/consents`, online('service'));
    expect(self.statusCode).toBe(400);
    expect(Object.keys(self.json().error.fields)).toEqual(['givenBy']);
    expect(self.json().error.fields.givenBy).toContain('14');

    const noName = await w.post(`/api/residents/${child.id}/consents`, online('service', { givenBy: 'guardian' }));
    expect(noName.statusCode).toBe(400);
    expect(Object.keys(noName.json().error.fields).sort()).toEqual(['guardianName', 'guardianRelation']);

    const ok = await w.post(`/api/residents/${child.id}/consents`, online('service', { givenBy: 'guardian', guardianResidentId: mother.id, guardianRelation: '母亲' }));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().consent).toMatchObject({ givenBy: 'guardian', guardianResidentId: mother.id, guardianName: '李秀兰', guardianRelation: '母亲' });

    const adult = await resident('consent');
    const mixed = await w.post(`/api/residents/${adult.id}/consents`, online('service', { guardianName: '某某', guardianResidentId: adult.id }));
    expect(mixed.statusCode).toBe(400);
    expect(Object.keys(mixed.json().error.fields).sort()).toEqual(['guardianName', 'guardianResidentId']);
  });

  it('witnessed in person needs two different staff of the station', async () => {
    const r = await resident('consent');
    const staff = (await w.get(`/api/residents/${r.id}/consent-witnesses`)).json().items as { id: string; displayName: string }[];
    expect(staff.map((s) => s.displayName).sort()).toEqual(['刘社工', '张社工', '李站长', '陈数据'].sort());
    const [a, b] = staff;
    const body = (ids: string[]) => ({ ...online('service'), method: 'in_person_witnessed', witnessUserIds: ids });
    for (const ids of [[], [a!.id], [a!.id, a!.id]]) {
      const res = await w.post(`/api/residents/${r.id}/consents`, body(ids));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields).toEqual({ witnessUserIds: expect.any(String) });
    }
    const outsider = await t.deps.db.selectFrom('users').select('id').where('username', 'in', ['dongsg', 'zhiyuan1']).execute();
    for (const o of outsider) {
      const res = await w.post(`/api/residents/${r.id}/consents`, body([a!.id, o.id]));
      expect(res.json().error.fields.witnessUserIds).toBe('见证人须为本站工作人员');
    }
    const online2 = await w.post(`/api/residents/${r.id}/consents`, { ...online('service'), witnessUserIds: [a!.id, b!.id] });
    expect(online2.json().error.fields).toEqual({ witnessUserIds: expect.any(String) });
    const ok = await w.post(`/api/residents/${r.id}/consents`, body([a!.id, b!.id]));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().consent.witnesses).toEqual([a, b]);
  });

  it('names every bad field at once', async () => {
    const r = await resident('consent');
    const res = await w.post(`/api/residents/${r.id}/consents`, { purpose: 'service', givenBy: 'self', method: 'paper_signed', givenOn: addDays(today(), 1), expiresOn: '2020-02-30' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields).sort()).toEqual(['documentId', 'expiresOn', 'givenOn']);
    const past = await w.post(`/api/residents/${r.id}/consents`, online('service', { givenOn: addDays(today(), -30), expiresOn: addDays(today(), -1) }));
    expect(past.json().error.fields).toEqual({ expiresOn: '到期日须晚于今天' });
    const schema = await w.post(`/api/residents/${r.id}/consents`, { purpose: 'marketing', givenBy: 'self', method: 'fax', givenOn: 'yesterday', extra: 1 });
    expect(Object.keys(schema.json().error.fields).sort()).toEqual(['extra', 'givenOn', 'method', 'purpose']);
  });
});

describe('scanned forms', () => {
  it('paper consent needs an uploaded scan of this resident; the scan is stored encrypted and read back audited', async () => {
    const r = await resident('consent');
    const none = await w.post(`/api/residents/${r.id}/consents`, { ...online('service'), method: 'paper_signed' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields).toEqual({ documentId: '纸质签字须上传签字页扫描件' });

    const up = await upload(w, r.id, PNG, { filename: '签字页.png' });
    expect(up.statusCode, up.body).toBe(201);
    const doc = up.json().document;
    expect(doc).toMatchObject({ mimeType: 'image/png', sizeBytes: PNG.length });
    const stored = await t.deps.db.selectFrom('consent_documents').selectAll().where('id', '=', doc.id).executeTakeFirstOrThrow();
    expect(Buffer.from(stored.content_enc!).includes(PNG.subarray(8, 60))).toBe(false);

    const other = await resident('consent');
    const wrongOwner = await w.post(`/api/residents/${other.id}/consents`, { ...online('service'), method: 'paper_signed', documentId: doc.id });
    expect(wrongOwner.json().error.fields).toEqual({ documentId: '找不到该扫描件' });

    const ok = await w.post(`/api/residents/${r.id}/consents`, { ...online('service'), method: 'paper_signed', documentId: doc.id });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().consent.document).toMatchObject({ id: doc.id, mimeType: 'image/png' });

    const get = await w.get(`/api/consent-documents/${doc.id}`);
    expect(get.statusCode).toBe(200);
    expect(get.headers['content-type']).toBe('image/png');
    expect(get.headers['cache-control']).toBe('no-store');
    expect(Buffer.compare(get.rawPayload, PNG)).toBe(0);
    expect(await auditRows('consent_document.read', doc.id)).toEqual([expect.objectContaining({ result: 'ok', actor_username: 'shegong1', field: 'consent_document' })]);
    expect(await auditRows('consent_document.upload', doc.id)).toHaveLength(1);

    const pdf = await upload(w, r.id, PDF, { filename: 'form.pdf', type: 'application/pdf' });
    expect(pdf.json().document.mimeType).toBe('application/pdf');
  });

  it('refuses files that are not JPEG, PNG or PDF by their bytes, files over 10 MB, and requests without a file', async () => {
    const r = await resident('consent');
    for (const bytes of [Buffer.from('<script>alert(1)</script>'), Buffer.from('GIF89a....'), Buffer.from('PK\x03\x04 docx')]) {
      const res = await upload(w, r.id, bytes, { filename: 'scan.png', type: 'image/png' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields).toEqual({ file: '请上传 JPG、PNG 图片或 PDF 文件' });
    }
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]);
    const tooBig = await upload(w, r.id, big);
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().error.fields).toEqual({ file: '文件不能超过 10 MB' });
    const empty = await upload(w, r.id, Buffer.alloc(0));
    expect(empty.json().error.fields).toEqual({ file: '必填' });
    const wrongField = await upload(w, r.id, PNG, { field: 'scan' });
    expect(wrongField.json().error.fields).toEqual({ file: '必填' });
    const json = await w.post(`/api/residents/${r.id}/consent-documents`, { file: 'x' });
    expect(json.statusCode).toBe(400);
    expect(await t.deps.db.selectFrom('consent_documents').select('id').where('resident_id', '=', r.id).execute()).toHaveLength(0);
  });
});

describe('scope and roles', () => {
  it('a resident of another station is 404 on every route, and the attempt is audited as denied', async () => {
    const dong = await t.login('dongsg');
    const theirs = await createResident(t, dong, { villageId: otherVillage, lawfulBasis: 'consent' });
    const c = (await dong.post(`/api/residents/${theirs.id}/consents`, online('service'))).json().consent as ConsentView;
    const doc = (await upload(dong, theirs.id, PNG)).json().document;
    expect(doc.id).toBeTruthy();

    const before = await t.deps.db.selectFrom('audit_log').select('id').where('result', '=', 'denied').where('entity_id', '=', theirs.id).execute();
    const tries = [
      w.get(`/api/residents/${theirs.id}/consents`),
      w.get(`/api/residents/${theirs.id}/consent-status`),
      w.get(`/api/residents/${theirs.id}/consent-witnesses`),
      w.post(`/api/residents/${theirs.id}/consents`, online('service')),
      w.post(`/api/consents/${c.id}/withdraw`, { reason: '越权尝试' }),
      upload(w, theirs.id, PNG),
      w.get(`/api/consent-documents/${doc.id}`),
    ];
    for (const res of await Promise.all(tries)) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().error.id).toBe('not_found');
    }
    const after = await t.deps.db.selectFrom('audit_log').select('id').where('result', '=', 'denied').where('entity_id', '=', theirs.id).execute();
    expect(after.length - before.length).toBe(tries.length);
    // Nothing changed over there.
    await requireConsent(t.deps.db, theirs.id, 'service', t.clock.now());
    expect(await t.deps.db.selectFrom('consents').select('id').where('resident_id', '=', theirs.id).execute()).toHaveLength(1);
    // Missing ids look the same.
    expect((await w.post(`/api/consents/${newId()}/withdraw`, { reason: '不存在' })).statusCode).toBe(404);
    expect((await w.get(`/api/consent-documents/${newId()}`)).statusCode).toBe(404);
  });

  it('county supervisors, volunteers, residents and the system admin get 404 everywhere', async () => {
    const r = await resident('consent');
    const c = (await w.post(`/api/residents/${r.id}/consents`, online('service'))).json().consent as ConsentView;
    const doc = (await upload(w, r.id, PNG)).json().document;
    for (const u of ['xianqu', 'zhiyuan1', 'jumin1', 'admin']) {
      const a = await t.login(u);
      const res = await Promise.all([
        a.get(`/api/residents/${r.id}/consents`),
        a.get(`/api/residents/${r.id}/consent-status`),
        a.get(`/api/residents/${r.id}/consent-witnesses`),
        a.post(`/api/residents/${r.id}/consents`, online('service')),
        a.post(`/api/consents/${c.id}/withdraw`, { reason: '越权尝试' }),
        upload(a, r.id, PNG),
        a.get(`/api/consent-documents/${doc.id}`),
      ]);
      expect(res.map((x) => x.statusCode), u).toEqual(res.map(() => 404));
    }
    await requireConsent(t.deps.db, r.id, 'service', t.clock.now());
    expect((await t.anon.get(`/api/residents/${r.id}/consents`)).statusCode).toBe(401);
  });

  it('station heads and data officers of the station may record and withdraw', async () => {
    const r = await resident('consent');
    for (const u of ['zhanzhang', 'shuju']) {
      const a = await t.login(u);
      const c = await a.post(`/api/residents/${r.id}/consents`, online('publicity_photos'));
      expect(c.statusCode, c.body).toBe(201);
      expect((await a.post(`/api/consents/${c.json().consent.id}/withdraw`, { reason: '本人要求' })).statusCode).toBe(200);
    }
  });

  it('an anonymised resident takes no new consents or scans', async () => {
    const r = await resident('consent');
    const c = (await w.post(`/api/residents/${r.id}/consents`, online('service'))).json().consent as ConsentView;
    await t.deps.db.updateTable('residents').set({ anonymised_at: new Date().toISOString() }).where('id', '=', r.id).execute();
    const res = await w.post(`/api/residents/${r.id}/consents`, online('volunteer_contact'));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.id).toBe('resident_anonymised');
    expect((await upload(w, r.id, PNG)).json().error.id).toBe('resident_anonymised');
    await expect(requireConsent(t.deps.db, r.id, 'service', t.clock.now())).rejects.toMatchObject({ status: 422, id: 'resident_anonymised' });
    // Withdrawing is always possible.
    expect((await w.post(`/api/consents/${c.id}/withdraw`, { reason: '档案已匿名化' })).statusCode).toBe(200);
  });
});
