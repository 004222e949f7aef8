import type { Kysely, Transaction } from 'kysely';
import type { DB, ResidentAccountRelation, ServiceArea, ServiceMode } from '../../db/tables.js';
import { writeAudit } from '../../lib/audit.js';
import { encryptField, maskAddress, type KeyRing } from '../../lib/crypto.js';
import { makeIdNumber } from '../../lib/identity.js';
import { newId } from '../../lib/ids.js';
import { insertResident } from '../residents/residents.js';
import { recordEvent } from '../residents/timeline.js';
import { addDays, isoWeekday, wallClock } from '../scheduling/zoned.js';
import { DEMO_TOWNSHIP } from './demo.js';

// The demo station's service catalogue, who delivers what, the workers' weekly hours and a few
// absences, and the resident account jumin1 linked to 王桂英 and her grandson. Run it after the
// demo accounts and demo residents (seedDemoResidents skips a station that already has residents).
// Safe to run again: each part is added only when missing.

const CATALOGUE: {
  name: string;
  area: ServiceArea;
  mode: ServiceMode;
  duration: number;
  buffer: number;
  travel: number;
  bookable: boolean;
  workers: string[];
  description: string;
}[] = [
  { name: '政策咨询', area: 'policy', mode: 'station', duration: 30, buffer: 0, travel: 0, bookable: true, workers: ['shegong1', 'shegong2', 'zhanzhang'], description: '低保、特困、临时救助、残疾人补贴、高龄津贴等政策解答与申请指引' },
  { name: '心理疏导', area: 'counselling', mode: 'station', duration: 60, buffer: 15, travel: 0, bookable: true, workers: ['shegong2'], description: '情绪困扰、家庭矛盾、丧亲哀伤的一对一倾听与疏导' },
  { name: '上门探访', area: 'elderly_care', mode: 'home_visit', duration: 60, buffer: 10, travel: 20, bookable: false, workers: ['shegong1', 'shegong2'], description: '到家中了解生活、健康和居住安全情况，行动不便的老人优先' },
  { name: '代办服务', area: 'social_assistance', mode: 'station', duration: 30, buffer: 0, travel: 0, bookable: true, workers: ['shegong1', 'shegong2'], description: '代办低保年审、残疾证换证、医保报销等材料，请带身份证和户口本' },
  { name: '电话关怀', area: 'elderly_care', mode: 'phone', duration: 15, buffer: 5, travel: 0, bookable: false, workers: ['shegong1', 'shegong2'], description: '定期电话问候独居、空巢老人' },
  { name: '法律援助咨询', area: 'legal_aid', mode: 'online', duration: 45, buffer: 15, travel: 0, bookable: true, workers: ['zhanzhang'], description: '赡养、土地、工伤等纠纷的初步法律咨询，可转介法律援助中心' },
];

const WEEKDAY_HOURS = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, start_minute: 8 * 60 + 30, end_minute: 12 * 60 },
  { weekday, start_minute: 14 * 60, end_minute: 17 * 60 + 30 },
]);

export async function seedDemoServices(db: Kysely<DB>, keys: KeyRing, now: Date, opts: { linkResident?: boolean } = {}): Promise<{ serviceTypes: number; linked: number }> {
  return db.transaction().execute(async (trx) => {
    const station = await trx.selectFrom('stations').select('id').where('code', '=', DEMO_TOWNSHIP).executeTakeFirst();
    if (!station) return { serviceTypes: 0, linked: 0 };
    const stationId = station.id;
    const iso = now.toISOString();
    const users = Object.fromEntries((await trx.selectFrom('users').select(['id', 'username']).execute()).map((u) => [u.username, u.id]));
    const workers = ['shegong1', 'shegong2', 'zhanzhang'].filter((u) => users[u]);

    let serviceTypes = 0;
    for (const s of CATALOGUE) {
      const exists = await trx.selectFrom('service_types').select('id').where('station_id', '=', stationId).where('name', '=', s.name).executeTakeFirst();
      if (exists) continue;
      const id = newId(now.getTime());
      await trx
        .insertInto('service_types')
        .values({ id, station_id: stationId, name: s.name, area: s.area, mode: s.mode, duration_minutes: s.duration, buffer_minutes: s.buffer, travel_minutes: s.travel, resident_bookable: s.bookable ? 1 : 0, description: s.description, active: 1, created_at: iso, updated_at: iso })
        .execute();
      const ids = s.workers.map((u) => users[u]).filter((u): u is string => !!u);
      if (ids.length) await trx.insertInto('service_type_workers').values(ids.map((user_id) => ({ station_id: stationId, service_type_id: id, user_id }))).execute();
      serviceTypes++;
    }

    for (const u of workers) {
      const has = await trx.selectFrom('worker_hours').select('user_id').where('user_id', '=', users[u]!).where('station_id', '=', stationId).executeTakeFirst();
      if (has) continue;
      await trx.insertInto('worker_hours').values(WEEKDAY_HOURS.map((h) => ({ ...h, station_id: stationId, user_id: users[u]! }))).execute();
      // A few absences in the coming weeks, so the demo shows leave taking slots away.
      const days = workdaysAfter(wallClock(now).date, 12);
      const absence =
        u === 'shegong2'
          ? { date: days[3]!, start_minute: null, end_minute: null, kind: 'leave' as const, note: '年休假' }
          : u === 'zhanzhang'
            ? { date: days[1]!, start_minute: 14 * 60, end_minute: 17 * 60 + 30, kind: 'training' as const, note: '县民政局社工站站长培训' }
            : { date: days[7]!, start_minute: 8 * 60 + 30, end_minute: 12 * 60, kind: 'other' as const, note: '镇政府例会' };
      await trx.insertInto('worker_exceptions').values({ id: newId(now.getTime()), station_id: stationId, user_id: users[u]!, ...absence, created_at: iso }).execute();
    }

    await seedCoverage(trx, stationId, users);

    const linked = opts.linkResident === false || !users.jumin1 ? 0 : await linkJumin1(trx, keys, stationId, users.jumin1, users.shegong1 ?? null, users.shegong2 ?? null, now);
    if (serviceTypes || linked) {
      await writeAudit(
        trx,
        { actorId: null, actorUsername: 'system', role: null, stationId, ip: null, requestId: null },
        { action: 'setup.demo_services', result: 'ok', entityType: 'station', entityId: stationId, detail: { serviceTypes, linked } },
        now,
      );
    }
    return { serviceTypes, linked };
  });
}

/** Skills per demo worker (matching) and the villages each covers (包村: matching and visit lists). */
const SKILLS: Record<string, ServiceArea[]> = {
  shegong1: ['elderly_care', 'social_assistance', 'policy'],
  shegong2: ['counselling', 'child_care', 'disability'],
  zhanzhang: ['legal_aid', 'policy', 'social_assistance'],
  zhiyuan1: ['elderly_care', 'other'],
};
/** Villages by position in code order: two each for the workers, the first for the volunteer. */
const VILLAGES: Record<string, number[]> = { shegong1: [0, 1], shegong2: [2, 3], zhiyuan1: [0] };

async function seedCoverage(trx: Transaction<DB>, stationId: string, users: Record<string, string>): Promise<void> {
  const has = await trx.selectFrom('worker_skills').select('user_id').where('station_id', '=', stationId).executeTakeFirst();
  if (has) return;
  const villages = await trx.selectFrom('villages').select('id').where('station_id', '=', stationId).orderBy('code').execute();
  const skills = Object.entries(SKILLS).flatMap(([u, areas]) => (users[u] ? areas.map((area) => ({ station_id: stationId, user_id: users[u]!, area })) : []));
  if (skills.length) await trx.insertInto('worker_skills').values(skills).execute();
  const covered = Object.entries(VILLAGES).flatMap(([u, idx]) =>
    users[u] ? idx.filter((i) => villages[i]).map((i) => ({ station_id: stationId, user_id: users[u]!, village_id: villages[i]!.id })) : [],
  );
  if (covered.length) await trx.insertInto('worker_villages').values(covered).execute();
}

/** The next `n` Monday–Friday dates after `date` (holidays are left to the calendar). */
function workdaysAfter(date: string, n: number): string[] {
  const out: string[] = [];
  for (let d = addDays(date, 1); out.length < n; d = addDays(d, 1)) if (isoWeekday(d) <= 5) out.push(d);
  return out;
}

/** jumin1 is 王桂英 (found among the demo residents, or registered here) and acts for her household. */
async function linkJumin1(trx: Transaction<DB>, keys: KeyRing, stationId: string, userId: string, w1: string | null, w2: string | null, now: Date): Promise<number> {
  const already = await trx.selectFrom('resident_accounts').select('resident_id').where('user_id', '=', userId).executeTakeFirst();
  if (already) return 0;
  let self = await trx
    .selectFrom('residents')
    .select(['id', 'household_id'])
    .where('station_id', '=', stationId)
    .where('name', '=', '王桂英')
    .where('status', '=', 'active')
    .where('anonymised_at', 'is', null)
    .orderBy('id')
    .executeTakeFirst();
  if (!self) self = await registerWangGuiying(trx, keys, stationId, w1, w2, now);
  const members = self.household_id
    ? await trx.selectFrom('residents').select(['id', 'guardian_resident_id']).where('household_id', '=', self.household_id).where('id', '<>', self.id).where('status', '=', 'active').execute()
    : [];
  const rows: { resident_id: string; relation: ResidentAccountRelation }[] = [
    { resident_id: self.id, relation: 'self' },
    ...members.map((m) => ({ resident_id: m.id, relation: (m.guardian_resident_id === self.id ? 'guardian' : 'family') as ResidentAccountRelation })),
  ];
  await trx.insertInto('resident_accounts').values(rows.map((r) => ({ ...r, user_id: userId, station_id: stationId, created_at: now.toISOString() }))).execute();
  return rows.length;
}

/** 王桂英, 80, raising her grandson while his parents work in Guangdong; both consent to services. */
async function registerWangGuiying(trx: Transaction<DB>, keys: KeyRing, stationId: string, w1: string | null, w2: string | null, now: Date): Promise<{ id: string; household_id: string | null }> {
  const village = await trx.selectFrom('villages').select(['id', 'name']).where('station_id', '=', stationId).orderBy('code').executeTakeFirstOrThrow();
  const iso = now.toISOString();
  const householdId = newId(now.getTime());
  const address = `湖南省浏阳市大瑶镇${village.name}杨家组18号`;
  await trx.insertInto('households').values({ id: householdId, station_id: stationId, village_id: village.id, address_enc: encryptField(keys, address), address_masked: maskAddress(address), created_at: iso, updated_at: iso }).execute();
  const ctx = { stationId, actorId: null, now, kind: 'created' as const, detail: { source: 'demo' } };
  const base = { villageId: village.id, householdId, noIdReason: null, disability: null, incomeNotes: null, lawfulBasis: 'consent' as const, status: 'active' as const, statusDate: null };
  const grandma = await insertResident(trx, keys, {
    ...base, name: '王桂英', gender: 'female', birthDate: '1946-03-15', idNumber: makeIdNumber({ addressCode: '430181', birthDate: '1946-03-15', sequence: 862 }),
    phones: [{ number: '13873120466', relation: 'son' }], relationToHead: 'head', address, categories: ['elderly_left_behind'], healthNotes: '高血压，长期服药', guardianResidentId: null, riskTier: 'priority',
  }, ctx);
  const grandson = await insertResident(trx, keys, {
    ...base, name: '王浩然', gender: 'male', birthDate: '2016-09-02', idNumber: makeIdNumber({ addressCode: '430181', birthDate: '2016-09-02', sequence: 863 }),
    phones: [], relationToHead: 'grandchild', address: null, categories: ['left_behind_child'], healthNotes: null, guardianResidentId: grandma, riskTier: 'priority',
  }, ctx);
  if (w1 && w2) {
    for (const [residentId, guardian] of [[grandma, null], [grandson, grandma]] as const) {
      await trx
        .insertInto('consents')
        .values({
          id: newId(now.getTime()), station_id: stationId, resident_id: residentId, purpose: 'service', given_by: guardian ? 'guardian' : 'self', guardian_resident_id: guardian,
          guardian_name: guardian ? '王桂英' : null, guardian_relation: guardian ? '祖父母' : null, method: 'in_person_witnessed', document_id: null, witness1_user_id: w1, witness2_user_id: w2,
          given_on: addDays(wallClock(now).date, -90), expires_on: null, withdrawn_at: null, withdrawn_by: null, withdrawn_reason: null, recorded_by: w1, created_at: iso,
        })
        .execute();
      await recordEvent(trx, { residentId, stationId, actorId: w1, kind: 'consent_given', detail: { purpose: 'service', method: 'in_person_witnessed', source: 'demo' } }, now);
    }
  }
  return { id: grandma, household_id: householdId };
}
