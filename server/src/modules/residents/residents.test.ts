import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { createResident, firstVillageId, nextIdNumber, residentBody } from '../../test/residents.js';
import type { ResidentDetailView } from './schema.js';

let t: TestApp;
let worker: Agent;
let head: Agent;
let officer: Agent;

beforeAll(async () => {
  t = await createTestApp();
  worker = await t.login('shegong1');
  head = await t.login('zhanzhang');
  officer = await t.login('shuju');
});
afterAll(() => t.close());

const detail = (res: { json(): unknown }) => (res.json() as { resident: ResidentDetailView }).resident;

describe('registering a resident', () => {
  it('stores sensitive fields encrypted and returns them masked', async () => {
    const body = await residentBody(t, { name: '王桂英' });
    const res = await worker.post('/api/residents', body);
    expect(res.statusCode, res.body).toBe(201);
    const r = detail(res);
    expect(r.idNumberMasked).toBe(`${body.idNumber!.slice(0, 4)}**********${body.idNumber!.slice(-4)}`);
    expect(r.phones).toEqual([{ numberMasked: '138****5678', relation: 'self' }]);
    expect(r.addressMasked).toBe('湖南省浏阳市****');
    expect(r.hasHealthNotes).toBe(true);
    expect(JSON.stringify(r)).not.toContain(body.idNumber!);
    expect(JSON.stringify(r)).not.toContain('高血压');
    expect(r.revealable).toContain('idNumber');
    const row = await t.deps.db.selectFrom('residents').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    for (const col of [row.id_number_enc, row.address_enc, row.health_notes_enc, row.income_notes_enc]) expect(col).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(body.idNumber!);
    expect(JSON.stringify(row)).not.toContain('高血压');
    const phones = await t.deps.db.selectFrom('resident_phones').selectAll().where('resident_id', '=', r.id).execute();
    expect(JSON.stringify(phones)).not.toContain('13812345678');
  });

  it('registers a name in a script without pinyin (Tibetan): no search keys, no error', async () => {
    const res = await worker.post('/api/residents', await residentBody(t, { name: 'བཀྲ་ཤིས' }));
    expect(res.statusCode, res.body).toBe(201);
    expect(detail(res).name).toBe('བཀྲ་ཤིས');
  });

  it('names every bad field, with the ID problem spelled out', async () => {
    const body = await residentBody(t);
    const wrongCheck = body.idNumber!.slice(0, 17) + (body.idNumber!.endsWith('1') ? '2' : '1');
    const res = await worker.post('/api/residents', { ...body, idNumber: wrongCheck, phones: [{ number: '12345', relation: 'self' }], birthDate: '2023-02-30' });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.fields;
    expect(Object.keys(fields).sort()).toEqual(['birthDate', 'idNumber', 'phones.0.number']);
    expect(fields.idNumber).toContain('校验');
  });

  it('refuses an ID number whose birth date or gender disagrees', async () => {
    const body = await residentBody(t, { birthDate: '1950-01-01' });
    const res = await worker.post('/api/residents', { ...body, birthDate: '1950-01-02' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.idNumber).toMatch(/出生日期/);
    const g = await worker.post('/api/residents', { ...body, gender: 'male' });
    expect(g.json().error.fields.idNumber).toMatch(/性别/);
  });

  it('needs an ID number or a reason for its absence', async () => {
    const { idNumber: _id, ...body } = await residentBody(t);
    const res = await worker.post('/api/residents', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toHaveProperty('idNumber');
    const ok = await worker.post('/api/residents', { ...body, name: '无证老人', noIdReason: '户籍在外省，未办理' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(detail(ok).idNumberMasked).toBeNull();
  });

  it('refuses the same ID number twice anywhere: 409 duplicate_resident', async () => {
    const body = await residentBody(t);
    expect((await worker.post('/api/residents', body)).statusCode).toBe(201);
    const again = await head.post('/api/residents', { ...body, name: '另一个名字', idNumber: body.idNumber!.toLowerCase() });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.id).toBe('duplicate_resident');
  });

  it('the database itself refuses a second row with the same blind index', async () => {
    const r = await createResident(t, worker);
    const row = await t.deps.db.selectFrom('residents').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    await expect(t.deps.db.insertInto('residents').values({ ...row, id: 'copy' }).execute()).rejects.toThrow();
  });

  it('warns about a possible duplicate without an ID number until confirmed', async () => {
    const villageId = await firstVillageId(t);
    const base = { name: '李秀兰', gender: 'female' as const, birthDate: '1941-07-07', noIdReason: '身份证遗失', villageId, riskTier: 'normal' as const, lawfulBasis: 'consent' as const };
    expect((await worker.post('/api/residents', base)).statusCode).toBe(201);
    const second = await worker.post('/api/residents', base);
    expect(second.statusCode).toBe(409);
    expect(second.json().error.id).toBe('possible_duplicate');
    expect(second.json().error.matches[0]).toMatchObject({ name: '李秀兰', birthDate: '1941-07-07' });
    const confirmed = await worker.post('/api/residents', { ...base, confirmDuplicate: true });
    expect(confirmed.statusCode).toBe(201);
  });

  it('requires a guardian under 14, except for orphans', async () => {
    const child = await residentBody(t, { name: '小明', birthDate: '2016-05-01', gender: 'male', categories: ['left_behind_child'] });
    const res = await worker.post('/api/residents', child);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toHaveProperty('guardianResidentId');
    const grandma = await createResident(t, worker, { name: '小明奶奶' });
    const ok = await worker.post('/api/residents', { ...child, guardianResidentId: grandma.id });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(detail(ok).guardian).toEqual({ id: grandma.id, name: '小明奶奶' });
    const orphan = await worker.post('/api/residents', await residentBody(t, { name: '小红', birthDate: '2015-01-01', categories: ['de_facto_orphan'] }));
    expect(orphan.statusCode).toBe(201);
  });

  it('parses a disability certificate into category and grade', async () => {
    const body = await residentBody(t, { categories: ['disabled'] });
    const res = await worker.post('/api/residents', { ...body, disabilityCertificate: `${body.idNumber}42` });
    expect(res.statusCode, res.body).toBe(201);
    expect(detail(res).disability).toMatchObject({ category: 4, grade: 2 });
    const bad = await worker.post('/api/residents', { ...(await residentBody(t)), disabilityCertificate: `${body.idNumber}92` });
    expect(bad.json().error.fields.disabilityCertificate).toMatch(/类别/);
  });

  it('a moved or deceased resident needs the date', async () => {
    const res = await worker.post('/api/residents', await residentBody(t, { status: 'deceased' }));
    expect(res.json().error.fields).toHaveProperty('statusDate');
  });
});

describe('finding residents', () => {
  let target: ResidentDetailView;
  let idNumber: string;
  beforeAll(async () => {
    const body = await residentBody(t, { name: '钟秀英', phones: [{ number: '0731-83451234', relation: 'son' }], categories: ['tekun'], riskTier: 'high' });
    idNumber = body.idNumber!;
    const res = await worker.post('/api/residents', body);
    target = detail(res);
  });
  const ids = async (query: string) => ((await worker.get(`/api/residents?${query}`)).json() as { items: { id: string }[] }).items.map((i) => i.id);

  it('by name fragment, pinyin initials and full pinyin', async () => {
    expect(await ids(`q=${encodeURIComponent('秀英')}`)).toContain(target.id);
    expect(await ids('q=zxy')).toContain(target.id);
    expect(await ids('q=xy')).toContain(target.id);
    expect(await ids('q=zhongxiu')).toContain(target.id);
    expect(await ids('q=zxz')).not.toContain(target.id);
  });

  it('by full ID number or phone, never by fragments', async () => {
    expect(await ids(`q=${idNumber}`)).toEqual([target.id]);
    expect(await ids(`q=${idNumber.toLowerCase()}`)).toEqual([target.id]);
    expect(await ids(`q=${idNumber.slice(0, 14)}`)).toEqual([]);
    expect(await ids(`q=${encodeURIComponent('0731 8345 1234')}`)).toEqual([target.id]);
    expect(await ids('q=83451234')).toEqual([]);
    expect(await ids('q=1234')).toEqual([]);
  });

  it('by category, risk tier, village, age range and status', async () => {
    expect(await ids('category=tekun')).toContain(target.id);
    expect(await ids('category=orphan')).not.toContain(target.id);
    expect(await ids('riskTier=high')).toContain(target.id);
    expect(await ids('riskTier=normal')).not.toContain(target.id);
    expect(await ids(`villageId=${target.villageId}`)).toContain(target.id);
    expect(await ids(`ageMin=${target.age}&ageMax=${target.age}`)).toContain(target.id);
    expect(await ids(`ageMin=${target.age + 1}`)).not.toContain(target.id);
    expect(await ids(`ageMax=${target.age - 1}`)).not.toContain(target.id);
    expect(await ids('status=active')).toContain(target.id);
    expect((await worker.get('/api/residents?ageMin=80&ageMax=60')).statusCode).toBe(400);
  });

  it('a pinyin query with hundreds of matches pages through every one of them', async () => {
    const { residentColumns, nameKeyRows } = await import('./residents.js');
    const { newId } = await import('../../lib/ids.js');
    const villageId = await firstVillageId(t);
    const station = await t.deps.db.selectFrom('villages').select('station_id').where('id', '=', villageId).executeTakeFirstOrThrow();
    const iso = t.clock.now().toISOString();
    // More than the few-matches cut-off (500), so the list walks the name index instead.
    const rows = Array.from({ length: 520 }, (_, i) => {
      const values = { name: `马${['晓', '小', '效'][i % 3]}${['燕', '艳', '雁'][i % 3]}`, gender: 'female' as const, birthDate: '1980-01-01', idNumber: null, noIdReason: '测试', phones: [], villageId, householdId: null, relationToHead: null, address: null, categories: [], disability: null, healthNotes: null, incomeNotes: null, guardianResidentId: null, riskTier: 'normal' as const, lawfulBasis: 'consent' as const, status: 'active' as const, statusDate: null };
      return { ...residentColumns(t.deps.keys, values), id: newId(), station_id: station.station_id, version: 1, anonymised_at: null, created_by: null, created_at: iso, updated_at: iso };
    });
    await t.deps.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 100) await trx.insertInto('residents').values(rows.slice(i, i + 100)).execute();
      const keys = rows.flatMap((r) => nameKeyRows(r.id, r.station_id, r.name));
      for (let i = 0; i < keys.length; i += 500) await trx.insertInto('resident_name_keys').values(keys.slice(i, i + 500)).execute();
    });
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const res = await worker.get(`/api/residents?q=mxy&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json() as { items: { id: string; name: string }[]; nextCursor: string | null };
      for (const i of body.items) seen.add(i.id);
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(520);
    // And a query matching a handful is fetched by id: same answer shape.
    expect(await ids('q=zxy')).toContain(target.id);
  });

  it('pages with a cursor without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await worker.get(`/api/residents?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json() as { items: { id: string }[]; nextCursor: string | null };
      seen.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const all = (await t.deps.db.selectFrom('residents').select('id').execute()).length;
    expect(seen.length).toBe(all);
    expect((await worker.get('/api/residents?cursor=nonsense')).statusCode).toBe(400);
  });
});

describe('who sees what', () => {
  let r: ResidentDetailView;
  beforeAll(async () => {
    r = await createResident(t, worker, { name: '范围测试' });
  });

  it('county supervisors, volunteers and residents get 404 for a record and 403 for the list', async () => {
    for (const u of ['xianqu', 'zhiyuan1', 'jumin1', 'admin']) {
      const a = await t.login(u);
      const one = await a.get(`/api/residents/${r.id}`);
      expect(one.statusCode, u).toBe(404);
      expect((await a.post(`/api/residents/${r.id}/reveal`, { field: 'idNumber', reason: '测试' })).statusCode, u).toBe(404);
      expect((await a.get('/api/residents')).statusCode, u).toBe(403);
    }
  });

  it('a worker of another station gets 404, recorded as denied', async () => {
    const other = await otherStationWorker();
    const res = await other.get(`/api/residents/${r.id}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.id).toBe('not_found');
    const missing = await other.get('/api/residents/does-not-exist');
    expect(missing.body).toBe(res.body.replace(r.id, 'does-not-exist'));
    expect(((await other.get('/api/residents?limit=100')).json() as { items: unknown[] }).items).toEqual([]);
    const denied = await t.deps.db.selectFrom('audit_log').selectAll().where('entity_id', '=', r.id).where('result', '=', 'denied').execute();
    expect(denied.length).toBeGreaterThan(0);
  });

  it('reveal needs a reason, returns the clear value and is audited with field and reason', async () => {
    expect((await worker.post(`/api/residents/${r.id}/reveal`, { field: 'idNumber' })).statusCode).toBe(400);
    const res = await officer.post(`/api/residents/${r.id}/reveal`, { field: 'idNumber', reason: '核对身份信息' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().value).toMatch(/^430181\d{11}[\dX]$/);
    const entry = await t.deps.db.selectFrom('audit_log').selectAll().where('entity_id', '=', r.id).where('action', '=', 'resident.reveal').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ field: 'idNumber', reason: '核对身份信息', result: 'ok', actor_username: 'shuju' });
    const phones = await worker.post(`/api/residents/${r.id}/reveal`, { field: 'phones', reason: '电话联系' });
    expect(phones.json().phones).toEqual([{ number: '13812345678', relation: 'self' }]);
    const health = await worker.post(`/api/residents/${r.id}/reveal`, { field: 'healthNotes', reason: '入户走访' });
    expect(health.json().value).toBe('高血压，长期服药');
  });

  it('opening a record is audited', async () => {
    await head.get(`/api/residents/${r.id}`);
    const views = await t.deps.db.selectFrom('audit_log').selectAll().where('entity_id', '=', r.id).where('action', '=', 'resident.view').execute();
    expect(views.some((v) => v.actor_username === 'zhanzhang')).toBe(true);
  });
});

describe('editing and the timeline', () => {
  it('records old → new for plain fields and only "changed" for sensitive ones', async () => {
    const r = await createResident(t, worker, { name: '时间线', riskTier: 'normal' });
    const res = await worker.patch(`/api/residents/${r.id}`, { version: r.version, riskTier: 'high', address: '新地址 8 号', phones: [{ number: '13900001111', relation: 'son' }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(detail(res).version).toBe(2);
    expect(detail(res).riskTier).toBe('high');
    const tl = (await worker.get(`/api/residents/${r.id}/timeline`)).json() as { items: { kind: string; field: string | null; oldValue: string | null; newValue: string | null; actor: { displayName: string } | null }[] };
    const byField = Object.fromEntries(tl.items.filter((e) => e.kind === 'updated').map((e) => [e.field, e]));
    expect(byField.riskTier).toMatchObject({ oldValue: 'normal', newValue: 'high' });
    expect(byField.address).toMatchObject({ oldValue: null, newValue: null });
    expect(byField.phones).toMatchObject({ oldValue: null, newValue: null });
    expect(tl.items.at(-1)?.kind).toBe('created');
    expect(tl.items[0]?.actor?.displayName).toBe('张社工');
    expect(JSON.stringify(tl)).not.toContain('13900001111');
  });

  it('null erases a stored sensitive value (a correction) and the timeline says only that it changed', async () => {
    const r = await createResident(t, worker);
    const res = await worker.patch(`/api/residents/${r.id}`, { version: r.version, healthNotes: null, address: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(detail(res)).toMatchObject({ hasHealthNotes: false, addressMasked: null, hasIncomeNotes: true });
    const row = await t.deps.db.selectFrom('residents').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row.health_notes_enc).toBeNull();
  });

  it('refuses an edit from a stale copy: 409 version_conflict', async () => {
    const r = await createResident(t, worker);
    expect((await worker.patch(`/api/residents/${r.id}`, { version: 1, riskTier: 'high' })).statusCode).toBe(200);
    const stale = await head.patch(`/api/residents/${r.id}`, { version: 1, riskTier: 'normal' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.id).toBe('version_conflict');
  });

  it('an edit to a taken ID number is a duplicate', async () => {
    const a = await residentBody(t);
    await worker.post('/api/residents', a);
    const b = await createResident(t, worker);
    const res = await worker.patch(`/api/residents/${b.id}`, { version: b.version, idNumber: a.idNumber });
    expect(res.statusCode).toBe(409);
  });
});

describe('households', () => {
  it('groups members with one head and a shared address', async () => {
    const villageId = await firstVillageId(t);
    const h = await worker.post('/api/households', { villageId, address: '杨家组 3 号' });
    expect(h.statusCode, h.body).toBe(201);
    const householdId = h.json().household.id as string;
    const headRes = await createResident(t, worker, { name: '户主甲', householdId, relationToHead: 'head', birthDate: '1950-02-02', gender: 'male' });
    await createResident(t, worker, { name: '配偶乙', householdId, relationToHead: 'spouse', birthDate: '1952-03-03' });
    const second = await worker.post('/api/residents', await residentBody(t, { name: '又一户主', householdId, relationToHead: 'head' }));
    expect(second.statusCode).toBe(400);
    expect(second.json().error.fields).toHaveProperty('relationToHead');
    const view = (await worker.get(`/api/households/${householdId}`)).json().household;
    expect(view.head).toEqual({ id: headRes.id, name: '户主甲' });
    expect(view.members.map((m: { name: string }) => m.name)).toEqual(['户主甲', '配偶乙']);
    expect(view.addressMasked).toBe('杨家组****');
    const other = await otherStationWorker();
    expect((await other.get(`/api/households/${householdId}`)).statusCode).toBe(404);
    expect((await (await t.login('xianqu')).get(`/api/households/${householdId}`)).statusCode).toBe(404);
  });
});

let otherAgent: Agent | null = null;
/** A social worker of a second station in the same county. */
async function otherStationWorker(): Promise<Agent> {
  if (otherAgent) return otherAgent;
  const station = await t.deps.db.selectFrom('stations').selectAll().executeTakeFirstOrThrow();
  const { ensureStation } = await import('../setup/setup.js');
  const { createUser } = await import('../users/users.js');
  const now = t.clock.now();
  await t.deps.db.transaction().execute(async (trx) => {
    const s = await ensureStation(trx, { townshipCode: '430181111000', stationName: '另一个社工站', operatorModel: 'government', operatorName: null, villageCodes: [] }, now);
    expect(s.countyId).toBe(station.county_id);
    await createUser(trx, { username: 'other1', displayName: '外站社工', password: 'Another#Station2026', roles: [{ role: 'social_worker', stationId: s.stationId, countyId: null }], mustChangePassword: false }, now);
  });
  otherAgent = await t.login('other1', 'Another#Station2026');
  return otherAgent;
}

// Keep the generator honest: two calls never give the same number.
it('test ID numbers are distinct', () => {
  expect(nextIdNumber('1950-01-01')).not.toBe(nextIdNumber('1950-01-01'));
});
