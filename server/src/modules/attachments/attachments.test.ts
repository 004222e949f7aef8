import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { createResident } from '../../test/residents.js';
import { fieldMessage } from '../../lib/i18n.js';
import { NOW, linkAccount } from '../appointments/testing.js';
import { JPEG, PNG, WEBP } from '../consultations/testing.js';
import { otherStationWorker } from '../../test/stations.js';
import { multipart } from '../roster/testing.js';
import { MAX_PENDING_PER_USER, MAX_PHOTO_BYTES, UPLOADS_PER_MINUTE, sniffPhoto } from './attachments.js';

let t: TestApp;
let w1: Agent;
let w2: Agent;
let jumin: Agent;
let other: Agent;
let self: string;
let stranger: string;

const upload = (a: Agent, residentId: string, bytes: Buffer, type = 'image/jpeg', name = 'photo.jpg') =>
  a.request({ method: 'POST', url: `/api/residents/${residentId}/photos`, ...multipart({ name, bytes, type }) });
const photoId = (res: { json(): unknown }) => (res.json() as { photo: { id: string } }).photo.id;
const msg = (f: Record<string, string>) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, fieldMessage(v, 'zh-CN')]));

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(NOW);
  w1 = await t.login('shegong1');
  w2 = await t.login('shegong2');
  jumin = await t.login('jumin1');
  self = (await createResident(t, w1)).id;
  stranger = (await createResident(t, w1, { name: '赵春花', birthDate: '1950-02-02' })).id;
  await linkAccount(t, 'jumin1', self, 'self');
  await otherStationWorker(t, NOW);
  other = await t.login('dongsg');
});
afterAll(async () => t?.close());

describe('sniffPhoto', () => {
  it('knows JPEG, PNG and WebP by their bytes, nothing else', () => {
    expect(sniffPhoto(JPEG)).toBe('image/jpeg');
    expect(sniffPhoto(PNG)).toBe('image/png');
    expect(sniffPhoto(WEBP)).toBe('image/webp');
    expect(sniffPhoto(Buffer.from('GIF89a......'))).toBeNull();
    expect(sniffPhoto(Buffer.from('%PDF-1.7'))).toBeNull();
    expect(sniffPhoto(Buffer.from('RIFF\0\0\0\0WAVE'))).toBeNull();
    expect(sniffPhoto(Buffer.alloc(0))).toBeNull();
  });
});

describe('upload', () => {
  it('stores the sniffed type, not the declared one, encrypted; audit entry', async () => {
    const res = await upload(w1, self, PNG, 'image/jpeg', 'looks-like.jpg');
    expect(res.statusCode, res.body).toBe(201);
    const id = photoId(res);
    expect(res.json().photo).toMatchObject({ mimeType: 'image/png', sizeBytes: PNG.length });
    const row = await t.deps.db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ mime_type: 'image/png', owner_kind: null, owner_id: null, resident_id: self });
    expect(Buffer.from(row.content_enc!).includes(PNG.subarray(8, 24))).toBe(false);
    const img = await w1.get(`/api/photos/${id}`);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(img.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(img.rawPayload, PNG)).toBe(0);
    expect(await t.deps.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).execute()).toEqual([{ action: 'attachment.upload' }]);
  });

  it('refuses other types whatever they claim, empty and oversized files, naming `file`', async () => {
    const gif = await upload(w1, self, Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'image/jpeg', 'x.jpg');
    expect(gif.statusCode).toBe(400);
    expect(gif.json().error.fields).toEqual(msg({ file: 'photo_type' }));
    const html = await upload(w1, self, Buffer.from('<script>alert(1)</script>'), 'image/png', 'x.png');
    expect(html.json().error.fields).toEqual(msg({ file: 'photo_type' }));
    const empty = await upload(w1, self, Buffer.alloc(0));
    expect(empty.json().error.fields).toEqual(msg({ file: 'required' }));
    const big = await upload(w1, self, Buffer.concat([JPEG, Buffer.alloc(MAX_PHOTO_BYTES)]));
    expect(big.statusCode).toBe(400);
    expect(big.json().error.fields).toEqual(msg({ file: 'photo_too_large' }));
    const notMultipart = await w1.post(`/api/residents/${self}/photos`, { file: 'x' });
    expect(notMultipart.statusCode).toBeGreaterThanOrEqual(400);
    expect(notMultipart.statusCode).toBeLessThan(500);
  });

  it('only for residents the uploader may act for: others are 404', async () => {
    expect((await upload(jumin, self, JPEG)).statusCode).toBe(201);
    expect((await upload(jumin, stranger, JPEG)).statusCode).toBe(404);
    expect((await upload(other, self, JPEG)).statusCode).toBe(404);
  });
});

describe('claiming and reading', () => {
  it('a photo is claimed once, by its uploader, for its resident; at most six', async () => {
    const mine = photoId(await upload(jumin, self, JPEG));
    const workers = photoId(await upload(w1, self, JPEG));
    const forStranger = photoId(await upload(w1, stranger, JPEG));
    const ask = (a: Agent, residentId: string, photoIds: string[]) => a.post('/api/consultations', { residentId, area: 'other', subject: '照片', body: '见照片', photoIds });
    // Someone else's upload looks exactly like a missing one.
    expect((await ask(jumin, self, [workers])).json().error.fields).toEqual(msg({ photoIds: 'unknown_photo' }));
    // An upload about another resident cannot be attached here.
    expect((await ask(w1, self, [forStranger])).json().error.fields).toEqual(msg({ photoIds: 'unknown_photo' }));
    expect((await ask(w1, self, Array.from({ length: 7 }, () => workers))).statusCode).toBe(400);
    const ok = await ask(jumin, self, [mine, mine]);
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await ask(jumin, self, [mine])).json().error.fields).toEqual(msg({ photoIds: 'unknown_photo' }));
    const row = await t.deps.db.selectFrom('attachments').select(['owner_kind', 'owner_id']).where('id', '=', mine).executeTakeFirstOrThrow();
    expect(row.owner_kind).toBe('consultation_message');
  });

  it('readable by station staff and the uploader; 404 with a denied audit for others', async () => {
    const byWorker = photoId(await upload(w1, self, JPEG));
    const aboutStranger = photoId(await upload(w1, stranger, JPEG));
    expect((await w2.get(`/api/photos/${byWorker}`)).statusCode).toBe(200);
    // A resident account does not read a worker's pending upload (only consultation photos).
    expect((await jumin.get(`/api/photos/${byWorker}`)).statusCode).toBe(404);
    expect((await jumin.get(`/api/photos/${aboutStranger}`)).statusCode).toBe(404);
    expect((await other.get(`/api/photos/${byWorker}`)).statusCode).toBe(404);
    expect((await t.anon.get(`/api/photos/${byWorker}`)).statusCode).toBe(401);
    expect((await w1.get('/api/photos/00000000-0000-7000-8000-000000000000')).statusCode).toBe(404);
    const denied = await t.deps.db.selectFrom('audit_log').select(['action', 'result']).where('entity_id', '=', aboutStranger).where('result', '=', 'denied').execute();
    expect(denied).toHaveLength(1);
  });
});

describe('security review', () => {
  const CHECK = { housing_safety: 'ok', heating_cooling: 'ok', food: 'ok', water: 'ok', hygiene: 'ok', medication: 'ok', mobility: 'ok', mental_state: 'ok', caregiver: 'na', utilities: 'ok' };
  const visitWith = (a: Agent, residentId: string, photoIds: string[]) =>
    a.post('/api/visits', { residentId, visitedAt: new Date(NOW.getTime() - 3_600_000).toISOString(), durationMinutes: 30, mode: 'home', metResident: true, observations: '入户查看', checklist: CHECK, riskFlags: [], photoIds });
  const userId = async (username: string) => (await t.deps.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

  it('a resident account reads photos of its consultations, never visit photos; staff read both', async () => {
    const photo = photoId(await upload(w1, self, JPEG));
    const v = await visitWith(w1, self, [photo]);
    expect(v.statusCode, v.body).toBe(201);
    expect((await w2.get(`/api/photos/${photo}`)).statusCode).toBe(200);
    expect((await jumin.get(`/api/photos/${photo}`)).statusCode).toBe(404);
    const asked = photoId(await upload(jumin, self, JPEG));
    expect((await jumin.post('/api/consultations', { residentId: self, area: 'other', subject: '照片', body: '见照片', photoIds: [asked] })).statusCode).toBe(201);
    expect((await jumin.get(`/api/photos/${asked}`)).statusCode).toBe(200);
    expect((await w2.get(`/api/photos/${asked}`)).statusCode).toBe(200);
  });

  it('the uploader reads an upload only while it is unclaimed: not after being unlinked from the resident', async () => {
    const db = t.deps.db;
    const juminId = await userId('jumin1');
    const photo = photoId(await upload(jumin, self, JPEG));
    expect((await jumin.get(`/api/photos/${photo}`)).statusCode).toBe(200);
    expect((await jumin.post('/api/consultations', { residentId: self, area: 'other', subject: '照片', body: '见照片', photoIds: [photo] })).statusCode).toBe(201);
    const link = await db.selectFrom('resident_accounts').selectAll().where('user_id', '=', juminId).where('resident_id', '=', self).executeTakeFirstOrThrow();
    await db.deleteFrom('resident_accounts').where('user_id', '=', juminId).where('resident_id', '=', self).execute();
    try {
      expect((await jumin.get(`/api/photos/${photo}`)).statusCode).toBe(404);
    } finally {
      await db.insertInto('resident_accounts').values(link).execute();
    }
    expect((await jumin.get(`/api/photos/${photo}`)).statusCode).toBe(200);
  });

  it('the uploader reads an upload only while it is unclaimed: not after leaving the station', async () => {
    const db = t.deps.db;
    const w1Id = await userId('shegong1');
    const photo = photoId(await upload(w1, self, JPEG));
    expect((await visitWith(w1, self, [photo])).statusCode).toBe(201);
    const away = (await db.selectFrom('role_assignments as ra').innerJoin('users as u', 'u.id', 'ra.user_id').select('ra.station_id').where('u.username', '=', 'dongsg').executeTakeFirstOrThrow()).station_id!;
    const mine = await db.selectFrom('role_assignments').select(['id', 'station_id']).where('user_id', '=', w1Id).where('role', '=', 'social_worker').execute();
    await db.updateTable('role_assignments').set({ station_id: away }).where('user_id', '=', w1Id).where('role', '=', 'social_worker').execute();
    try {
      const moved = await t.login('shegong1');
      expect((await moved.get(`/api/photos/${photo}`)).statusCode).toBe(404);
      // A pending upload is still the uploader's own.
      const pending = (await db.selectFrom('attachments').select('id').where('uploaded_by', '=', w1Id).where('owner_id', 'is', null).executeTakeFirstOrThrow()).id;
      expect((await moved.get(`/api/photos/${pending}`)).statusCode).toBe(200);
    } finally {
      for (const m of mine) await db.updateTable('role_assignments').set({ station_id: m.station_id }).where('id', '=', m.id).execute();
    }
  });

  it(`at most ${MAX_PENDING_PER_USER} unclaimed uploads per user; unclaimed uploads older than a day are deleted on the next upload`, async () => {
    const head = await t.login('zhanzhang');
    const headId = await userId('zhanzhang');
    for (let i = 0; i < MAX_PENDING_PER_USER; i++) expect((await upload(head, self, JPEG)).statusCode).toBe(201);
    const over = await upload(head, self, JPEG);
    expect(over.statusCode).toBe(400);
    expect(over.json().error.fields).toEqual(msg({ file: 'too_many_pending' }));
    expect(fieldMessage('too_many_pending', 'en')).toBeTruthy();
    // Claiming one makes room.
    const one = (await t.deps.db.selectFrom('attachments').select('id').where('uploaded_by', '=', headId).executeTakeFirstOrThrow()).id;
    expect((await visitWith(head, self, [one])).statusCode).toBe(201);
    expect((await upload(head, self, JPEG)).statusCode).toBe(201);

    t.clock.set(new Date(NOW.getTime() + 25 * 3_600_000));
    try {
      const later = await t.login('zhanzhang');
      const fresh = await upload(later, self, JPEG);
      expect(fresh.statusCode, fresh.body).toBe(201);
      const pending = await t.deps.db.selectFrom('attachments').select('id').where('owner_id', 'is', null).execute();
      expect(pending.map((p) => p.id)).toEqual([photoId(fresh)]);
      // The claimed one stays.
      expect((await later.get(`/api/photos/${one}`)).statusCode).toBe(200);
      const audit = await t.deps.db.selectFrom('audit_log').select('detail').where('entity_id', '=', photoId(fresh)).executeTakeFirstOrThrow();
      expect(JSON.parse(audit.detail!).purgedStale).toBeGreaterThanOrEqual(MAX_PENDING_PER_USER);
    } finally {
      t.clock.set(NOW);
    }
  });

  it(`uploads are rate-limited per user (${UPLOADS_PER_MINUTE} a minute): 429, others unaffected`, async () => {
    const codes: number[] = [];
    for (let i = 0; i <= UPLOADS_PER_MINUTE; i++) codes.push((await upload(w2, self, Buffer.alloc(0))).statusCode);
    expect(codes.slice(0, UPLOADS_PER_MINUTE).every((c) => c === 400)).toBe(true);
    const limited = await upload(w2, self, JPEG);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.id).toBe('rate_limited');
    expect(codes[UPLOADS_PER_MINUTE]).toBe(429);
    // Same address, another user: not limited.
    expect((await upload(w1, self, JPEG)).statusCode).toBe(201);
  });
});
