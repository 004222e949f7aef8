import { sql, type Kysely, type RawBuilder } from 'kysely';
import { CATEGORIES, CONSENT_PURPOSES, LAWFUL_BASES, type DB } from '../../db/tables.js';
import { dateInTimeZone } from '../../lib/identity.js';
import type { StationScope } from '../../lib/policy.js';
import { inScopeSql } from '../../lib/sql.js';
import { countDue, retentionCutoff } from './retention.js';
import { SECURITY_MEASURES, type DataCategory, type RecordOfProcessing, type StationRecordView } from './schema.js';

/**
 * What the registry holds, by category, with the fields (API names) and whether PIPL Art. 28 /
 * GB/T 35273 Appendix B count them as sensitive. Configuration, not data: it changes with the schema.
 */
const DATA_CATEGORY_FIELDS: Record<DataCategory, { fields: string[]; sensitive: boolean }> = {
  identity: { fields: ['name', 'gender', 'birthDate', 'villageId'], sensitive: false },
  id_document: { fields: ['idNumber', 'noIdReason'], sensitive: true },
  contact: { fields: ['phones'], sensitive: true },
  address: { fields: ['address'], sensitive: true },
  household: { fields: ['householdId', 'relationToHead', 'guardianResidentId'], sensitive: false },
  assistance_category: { fields: ['categories', 'riskTier'], sensitive: true },
  health: { fields: ['healthNotes'], sensitive: true },
  income: { fields: ['incomeNotes'], sensitive: true },
  disability: { fields: ['disabilityCertificate'], sensitive: true },
  minors: { fields: ['name', 'birthDate', 'guardianResidentId'], sensitive: true },
  consent_records: { fields: ['consents'], sensitive: false },
  service_timeline: { fields: ['timeline'], sensitive: false },
};

const n = (v: unknown) => Number(v ?? 0);
const countIf = (cond: RawBuilder<unknown>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`;

/**
 * 个人信息处理活动记录 (GB/T 35273-2020 §11.3) for each station in scope, built from configuration
 * and the data itself, so it is never out of date. Counts are of people whose data is held
 * (anonymised records are counted apart: nothing about them identifies anyone any more).
 */
export async function recordOfProcessing(
  db: Kysely<DB>,
  scope: StationScope,
  opts: { now: Date; retentionYears: number; stationId?: string },
): Promise<RecordOfProcessing> {
  const today = dateInTimeZone(opts.now);
  // Under 14 on `today`: born after the same day 14 years ago.
  const minorCutoff = `${String(Number(today.slice(0, 4)) - 14).padStart(4, '0')}${today.slice(4)}`;
  const cutoff = retentionCutoff(opts.now, opts.retentionYears);
  const inScope = (col: string) => (opts.stationId ? sql<boolean>`${inScopeSql(scope, col)} and ${sql.ref(col)} = ${opts.stationId}` : inScopeSql(scope, col));

  const stations = await db
    .selectFrom('stations as s')
    .innerJoin('counties as c', 'c.id', 's.county_id')
    .select(['s.id', 's.code', 's.name', 's.operator_model', 's.operator_name', 'c.name as county_name'])
    .where(inScope('s.id'))
    .orderBy('s.code')
    .execute();
  if (stations.length === 0) return { generatedAt: opts.now.toISOString(), retentionYears: opts.retentionYears, stations: [] };

  const held = sql`r.anonymised_at is null`;
  const [residentRows, basisRows, categoryRows, consentRows, consentPeople, requestRows] = await Promise.all([
    db
      .selectFrom('residents as r')
      .where(inScope('r.station_id'))
      .groupBy('r.station_id')
      .select((eb) => [
        'r.station_id',
        eb.fn.countAll<number>().as('total'),
        countIf(sql`r.anonymised_at is null and r.status = 'active'`).as('active'),
        countIf(sql`r.anonymised_at is null and r.status = 'moved'`).as('moved'),
        countIf(sql`r.anonymised_at is null and r.status = 'deceased'`).as('deceased'),
        countIf(sql`r.anonymised_at is not null`).as('anonymised'),
        countIf(sql`${held} and r.birth_date > ${minorCutoff}`).as('minors'),
        countIf(sql`${held} and r.id_number_enc is not null`).as('id_document'),
        countIf(sql`${held} and exists (select 1 from resident_phones p where p.resident_id = r.id)`).as('contact'),
        countIf(sql`${held} and r.address_enc is not null`).as('address'),
        countIf(sql`${held} and r.household_id is not null`).as('household'),
        countIf(sql`${held} and exists (select 1 from resident_categories k where k.resident_id = r.id)`).as('assistance_category'),
        countIf(sql`${held} and r.health_notes_enc is not null`).as('health'),
        countIf(sql`${held} and r.income_notes_enc is not null`).as('income'),
        countIf(sql`${held} and (r.disability_cert_enc is not null or r.disability_category is not null)`).as('disability'),
        countIf(sql`${held} and exists (select 1 from resident_events e where e.resident_id = r.id)`).as('service_timeline'),
      ])
      .execute(),
    db
      .selectFrom('residents as r')
      .where(inScope('r.station_id'))
      .where('r.anonymised_at', 'is', null)
      .groupBy(['r.station_id', 'r.lawful_basis'])
      .select((eb) => ['r.station_id', 'r.lawful_basis', eb.fn.countAll<number>().as('n')])
      .execute(),
    db
      .selectFrom('resident_categories as k')
      .innerJoin('residents as r', 'r.id', 'k.resident_id')
      .where(inScope('k.station_id'))
      .where('r.anonymised_at', 'is', null)
      .groupBy(['k.station_id', 'k.category'])
      .select((eb) => ['k.station_id', 'k.category', eb.fn.countAll<number>().as('n')])
      .execute(),
    db
      .selectFrom('consents as c')
      .where(inScope('c.station_id'))
      .groupBy(['c.station_id', 'c.purpose'])
      .select(['c.station_id', 'c.purpose', // The same window as consents/rules.ts isStanding: [given_on, expires_on) in China time.
        countIf(sql`c.withdrawn_at is null and c.given_on <= ${today} and (c.expires_on is null or c.expires_on > ${today})`).as('standing'), countIf(sql`c.withdrawn_at is not null`).as('withdrawn')])
      .execute(),
    db
      .selectFrom('consents as c')
      .innerJoin('residents as r', 'r.id', 'c.resident_id')
      .where(inScope('c.station_id'))
      .where('r.anonymised_at', 'is', null)
      .groupBy('c.station_id')
      .select((eb) => ['c.station_id', eb.fn.count<number>('c.resident_id').distinct().as('n')])
      .execute(),
    db
      .selectFrom('deletion_requests as d')
      .where(inScope('d.station_id'))
      .groupBy('d.station_id')
      .select([
        'd.station_id',
        countIf(sql`d.executed_at is null and d.rejected_at is null`).as('open'),
        countIf(sql`d.executed_at is not null`).as('executed'),
        countIf(sql`d.rejected_at is not null`).as('rejected'),
      ])
      .execute(),
  ]);

  const records: StationRecordView[] = [];
  for (const s of stations) {
    const res = residentRows.find((r) => r.station_id === s.id);
    const heldTotal = res ? n(res.total) - n(res.anonymised) : 0;
    const dataCount: Record<DataCategory, number> = {
      identity: heldTotal,
      id_document: n(res?.id_document),
      contact: n(res?.contact),
      address: n(res?.address),
      household: n(res?.household),
      assistance_category: n(res?.assistance_category),
      health: n(res?.health),
      income: n(res?.income),
      disability: n(res?.disability),
      minors: n(res?.minors),
      consent_records: n(consentPeople.find((c) => c.station_id === s.id)?.n),
      service_timeline: n(res?.service_timeline),
    };
    const purposes = CONSENT_PURPOSES.map((purpose) => {
      const row = consentRows.find((c) => c.station_id === s.id && c.purpose === purpose);
      return { purpose, standing: n(row?.standing), withdrawn: n(row?.withdrawn) };
    });
    const standing = (p: string) => purposes.find((x) => x.purpose === p)?.standing ?? 0;
    const req = requestRows.find((d) => d.station_id === s.id);
    records.push({
      station: { id: s.id, code: s.code, name: s.name },
      controller: { name: s.name, countyName: s.county_name },
      processor: s.operator_model === 'ngo' && s.operator_name ? { name: s.operator_name, model: 'ngo' } : null,
      dataCategories: (Object.keys(DATA_CATEGORY_FIELDS) as DataCategory[]).map((id) => ({ id, ...DATA_CATEGORY_FIELDS[id], residents: dataCount[id] })),
      purposes,
      lawfulBases: LAWFUL_BASES.map((basis) => ({ basis, residents: n(basisRows.find((b) => b.station_id === s.id && b.lawful_basis === basis)?.n) })),
      categories: CATEGORIES.map((category) => ({ category, residents: n(categoryRows.find((k) => k.station_id === s.id && k.category === category)?.n) })),
      residents: {
        total: n(res?.total),
        active: n(res?.active),
        moved: n(res?.moved),
        deceased: n(res?.deceased),
        anonymised: n(res?.anonymised),
        minors: n(res?.minors),
      },
      retention: { years: opts.retentionYears, dueForReview: await countDue(db, scope, cutoff, s.id) },
      recipients: [
        ...(s.operator_model === 'ngo' && s.operator_name ? [{ kind: 'entrusted_processor' as const, name: s.operator_name, residents: heldTotal }] : []),
        { kind: 'county_supervisor' as const, name: s.county_name, residents: null },
        { kind: 'referral_partners' as const, name: null, residents: standing('referral_sharing') },
        { kind: 'volunteers' as const, name: null, residents: standing('volunteer_contact') },
      ],
      deletionRequests: { open: n(req?.open), executed: n(req?.executed), rejected: n(req?.rejected) },
      securityMeasures: [...SECURITY_MEASURES],
    });
  }
  return { generatedAt: opts.now.toISOString(), retentionYears: opts.retentionYears, stations: records };
}
