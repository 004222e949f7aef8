import type { Kysely, Transaction } from 'kysely';
import type { Category, ConsentPurpose, DB, PhoneRelation, RelationToHead, RiskTier } from '../../db/tables.js';
import { writeAudit } from '../../lib/audit.js';
import { encryptField, maskAddress, type KeyRing } from '../../lib/crypto.js';
import { ageOn, dateInTimeZone, makeIdNumber } from '../../lib/identity.js';
import { newId } from '../../lib/ids.js';
import { insertResident } from '../residents/residents.js';
import { recordEvent } from '../residents/timeline.js';
import type { ResidentValues } from '../residents/validate.js';

// About 200 fictitious residents of the demo township in realistic households: grandparents raising
// left-behind grandchildren, elderly people living alone, disabled people with certificates, 低保 and
// 特困 households. Every ID number is valid by checksum (address code 430181, 浏阳市) and invented;
// phone numbers are invented too. A fixed seed makes every demo install the same.

const SURNAMES = ['李', '王', '张', '刘', '陈', '杨', '黄', '周', '罗', '彭', '谭', '唐', '胡', '曾', '汤', '邓', '黎', '欧阳'];
const OLD_WOMEN = ['桂英', '秀英', '玉兰', '凤英', '淑珍', '冬梅', '翠兰', '菊香', '金秀', '春花', '满秀', '腊梅', '秋菊', '爱莲'];
const OLD_MEN = ['建国', '德明', '福生', '国华', '长生', '志强', '永福', '春生', '炳坤', '正清', '光明', '树林', '满堂', '家旺'];
const ADULTS_F = ['丽', '芳', '静', '红梅', '小燕', '艳', '婷', '慧'];
const ADULTS_M = ['勇', '军', '伟', '海波', '建华', '志刚', '俊', '磊'];
const KIDS_F = ['雨欣', '欣怡', '梓涵', '一诺', '可馨', '思琪', '诗涵', '语桐'];
const KIDS_M = ['浩然', '梓轩', '宇轩', '子豪', '俊熙', '明哲', '睿', '天佑'];
const STATUTORY: readonly Category[] = ['dibao', 'tekun', 'dibao_edge', 'disabled', 'orphan', 'de_facto_orphan', 'child_in_difficulty'];
const GROUPS = ['杨家组', '新屋组', '塘湾组', '枫树组', '石桥组', '大屋组', '老街组', '茶园组'];
const HEALTH = ['高血压，长期服药', '糖尿病，需定期复查', '腿脚不便，行走需拐杖', '轻度认知障碍', '视力差，白内障术后', '慢性支气管炎'];
const INCOME = ['低保金每月 620 元', '靠子女每月寄 500 元', '特困供养金每月 1,100 元', '养老金每月 180 元，种菜自给', '残疾人两项补贴每月 160 元'];

/** Deterministic PRNG (mulberry32): the same demo every time. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Person {
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  relation: RelationToHead;
  categories: Category[];
  phones: { number: string; relation: PhoneRelation }[];
  guardianOf?: number;
  disability?: { category: number; grade: number };
  health?: string;
  income?: string;
  status?: 'moved' | 'deceased';
  statusDate?: string;
  noIdReason?: string;
}

export async function seedDemoResidents(db: Kysely<DB>, keys: KeyRing, now: Date): Promise<{ created: number }> {
  return db.transaction().execute(async (trx) => {
    const station = await trx.selectFrom('stations').select('id').where('code', '=', '430181110000').executeTakeFirst();
    if (!station) return { created: 0 };
    const already = await trx.selectFrom('residents').select('id').where('station_id', '=', station.id).limit(1).executeTakeFirst();
    if (already) return { created: 0 };
    const villages = await trx.selectFrom('villages').select(['id', 'name']).where('station_id', '=', station.id).orderBy('code').execute();
    const staff = await trx.selectFrom('users').select(['id', 'username']).where('username', 'in', ['shegong1', 'shegong2']).orderBy('username').execute();
    const r = rng(20261129);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const year = Number(dateInTimeZone(now).slice(0, 4));
    const date = (ageYears: number) => {
      const y = year - ageYears;
      const m = 1 + Math.floor(r() * 12);
      const d = 1 + Math.floor(r() * 28);
      return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    };
    const phone = () => `1${pick(['37', '38', '39', '58', '87', '99'])}${String(Math.floor(r() * 1e8)).padStart(8, '0')}`;
    const sequences = new Map<string, number>();
    const idFor = (birthDate: string, gender: 'male' | 'female') => {
      const n = (sequences.get(birthDate) ?? 0) + 1;
      sequences.set(birthDate, n);
      return makeIdNumber({ addressCode: '430181', birthDate, sequence: 100 + n * 2 + (gender === 'male' ? 1 : 0) });
    };

    let created = 0;
    const iso = now.toISOString();
    for (let h = 0; h < 104; h++) {
      const village = villages[h % villages.length]!;
      const surname = pick(SURNAMES);
      const address = `湖南省浏阳市大瑶镇${village.name}${pick(GROUPS)}${1 + Math.floor(r() * 60)}号`;
      const members = household(h, surname);
      const householdId = newId(now.getTime());
      await trx.insertInto('households').values({ id: householdId, station_id: station.id, village_id: village.id, address_enc: encryptField(keys, address), address_masked: maskAddress(address), created_at: iso, updated_at: iso }).execute();
      const ids: string[] = [];
      for (const [i, p] of members.entries()) {
        const idNumber = p.noIdReason ? null : idFor(p.birthDate, p.gender);
        const age = ageOn(p.birthDate, now);
        const risk: RiskTier =
          p.categories.some((c) => ['tekun', 'de_facto_orphan', 'orphan'].includes(c)) || (p.categories.includes('elderly_alone') && age >= 80)
            ? 'high'
            : p.categories.some((c) => ['dibao', 'disabled', 'elderly_alone', 'left_behind_child', 'elderly_disabled', 'child_in_difficulty'].includes(c))
              ? 'priority'
              : 'normal';
        const values: ResidentValues = {
          name: p.name,
          gender: p.gender,
          birthDate: p.birthDate,
          idNumber,
          noIdReason: p.noIdReason ?? null,
          phones: p.phones,
          villageId: village.id,
          householdId,
          relationToHead: p.relation,
          address: i === 0 ? address : null,
          categories: p.categories,
          disability: p.disability && idNumber ? { certificate: `${idNumber}${p.disability.category}${p.disability.grade}`, ...p.disability } : null,
          healthNotes: p.health ?? null,
          incomeNotes: p.income ?? null,
          guardianResidentId: p.guardianOf !== undefined ? (ids[p.guardianOf] ?? null) : null,
          riskTier: risk,
          // Social assistance (低保, 特困, disability, orphans) is a statutory duty; other care rests on consent.
          lawfulBasis: p.categories.some((c) => STATUTORY.includes(c)) ? 'statutory_duty' : 'consent',
          status: p.status ?? 'active',
          statusDate: p.statusDate ?? null,
        };
        const id = await insertResident(trx, keys, values, { stationId: station.id, actorId: null, now, kind: 'created', detail: { source: 'demo' } });
        ids.push(id);
        created++;
        if (p.status) continue;
        await consent(trx, { stationId: station.id, residentId: id, childGuardian: p.guardianOf !== undefined ? { person: members[p.guardianOf]!, id: ids[p.guardianOf]! } : null, sensitive: !!(p.health || p.income || p.disability), staff: staff.map((s) => s.id), r, now });
      }
    }
    await writeAudit(trx, { actorId: null, actorUsername: 'system', role: null, stationId: station.id, ip: null, requestId: null }, { action: 'setup.demo_residents', result: 'ok', entityType: 'station', entityId: station.id, detail: { residents: created } }, now);
    return { created };

    /** One of several household shapes, chosen by index so every kind appears. */
    function household(h: number, surname: string): Person[] {
      const kind = h % 7;
      const oldMan = (): Person => ({ name: surname + pick(OLD_MEN), gender: 'male', birthDate: date(66 + Math.floor(r() * 22)), relation: 'head', categories: [], phones: [{ number: phone(), relation: 'son' }] });
      const oldWoman = (rel: RelationToHead): Person => ({ name: pick(SURNAMES) + pick(OLD_WOMEN), gender: 'female', birthDate: date(64 + Math.floor(r() * 24)), relation: rel, categories: [], phones: [{ number: phone(), relation: rel === 'head' ? 'daughter' : 'spouse' }] });
      const kid = (guardian: number): Person => {
        const f = r() < 0.5;
        return { name: surname + pick(f ? KIDS_F : KIDS_M), gender: f ? 'female' : 'male', birthDate: date(5 + Math.floor(r() * 9)), relation: 'grandchild', categories: ['left_behind_child'], phones: [], guardianOf: guardian };
      };
      switch (kind) {
        case 0: {
          // Grandparents raising left-behind grandchildren while the parents work in Guangdong.
          const g = oldMan();
          g.categories = ['elderly_left_behind'];
          const w = oldWoman('spouse');
          w.categories = ['elderly_left_behind'];
          return [g, w, kid(0), ...(r() < 0.5 ? [kid(0)] : [])];
        }
        case 1: {
          const w = oldWoman('head');
          w.categories = ['elderly_alone', ...(r() < 0.5 ? (['dibao'] as Category[]) : [])];
          w.health = pick(HEALTH);
          w.income = pick(INCOME);
          if (h % 21 === 1) w.phones = [{ number: `0731-8${String(Math.floor(r() * 1e6)).padStart(7, '0').slice(0, 7)}`, relation: 'neighbour' }];
          return [w];
        }
        case 2: {
          const m = oldMan();
          m.categories = ['elderly_empty_nest'];
          const w = oldWoman('spouse');
          w.categories = ['elderly_empty_nest', ...(r() < 0.3 ? (['elderly_disabled'] as Category[]) : [])];
          w.health = pick(HEALTH);
          return [m, w];
        }
        case 3: {
          // A disabled adult with a certificate, living with an elderly parent on 低保.
          const f = r() < 0.5;
          const adult: Person = { name: surname + pick(f ? ADULTS_F : ADULTS_M), gender: f ? 'female' : 'male', birthDate: date(28 + Math.floor(r() * 25)), relation: 'son', categories: ['disabled', 'dibao'], phones: [{ number: phone(), relation: 'self' }], disability: { category: 1 + Math.floor(r() * 7), grade: 1 + Math.floor(r() * 4) }, income: pick(INCOME) };
          if (f) adult.relation = 'daughter';
          const parent = oldWoman('head');
          parent.categories = ['dibao'];
          return [parent, adult];
        }
        case 4: {
          const m = oldMan();
          m.categories = ['tekun', 'elderly_alone'];
          m.income = '特困供养金每月 1,100 元';
          m.health = pick(HEALTH);
          if (h % 28 === 4) m.noIdReason = '身份证遗失，补办中';
          return [m];
        }
        case 5: {
          // A de-facto orphan (father died, mother left) or a child in difficulty, raised by a grandmother.
          const gm = oldWoman('head');
          gm.categories = ['dibao_edge'];
          const child = kid(0);
          child.categories = h % 2 === 0 ? ['de_facto_orphan'] : ['child_in_difficulty', 'poverty_watch'];
          return [gm, child];
        }
        default: {
          // Households watched against falling back into poverty; some moved away or died years ago.
          const m = oldMan();
          m.categories = ['poverty_watch'];
          const w = oldWoman('spouse');
          w.categories = h % 3 === 0 ? ['family_planning_special'] : ['rigid_expense'];
          if (h % 14 === 6) {
            m.status = 'deceased';
            m.statusDate = `${year - 5}-0${1 + (h % 9)}-15`;
          }
          if (h % 28 === 13) {
            w.status = 'moved';
            w.statusDate = `${year - 4}-10-01`;
          }
          return [m, w];
        }
      }
    }
  });
}

/** Consents the way a station records them: witnessed in person by two workers, a guardian for children. */
async function consent(
  trx: Transaction<DB>,
  o: { stationId: string; residentId: string; childGuardian: { person: Person; id: string } | null; sensitive: boolean; staff: string[]; r: () => number; now: Date },
): Promise<void> {
  const [w1, w2] = o.staff;
  if (!w1 || !w2) return;
  const days = 30 + Math.floor(o.r() * 500);
  const givenOn = dateInTimeZone(new Date(o.now.getTime() - days * 86_400_000));
  const purposes: ConsentPurpose[] = ['service', ...(o.sensitive || o.childGuardian ? (['sensitive_data'] as const) : []), ...(o.r() < 0.5 ? (['volunteer_contact'] as const) : [])];
  for (const purpose of purposes) {
    await trx
      .insertInto('consents')
      .values({
        id: newId(o.now.getTime()),
        station_id: o.stationId,
        resident_id: o.residentId,
        purpose,
        given_by: o.childGuardian ? 'guardian' : 'self',
        guardian_resident_id: o.childGuardian?.id ?? null,
        guardian_name: o.childGuardian?.person.name ?? null,
        guardian_relation: o.childGuardian ? '祖父母' : null,
        method: 'in_person_witnessed',
        document_id: null,
        witness1_user_id: w1,
        witness2_user_id: w2,
        given_on: givenOn,
        expires_on: null,
        withdrawn_at: null,
        withdrawn_by: null,
        withdrawn_reason: null,
        recorded_by: w1,
        created_at: o.now.toISOString(),
      })
      .execute();
    await recordEvent(trx, { residentId: o.residentId, stationId: o.stationId, actorId: w1, kind: 'consent_given', detail: { purpose, method: 'in_person_witnessed', source: 'demo' } }, o.now);
  }
}
