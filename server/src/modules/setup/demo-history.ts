import { randomBytes } from 'node:crypto';
import type { Insertable, Kysely, Transaction } from 'kysely';
import type {
  AppointmentChannel, AppointmentStatus, AppointmentTable, Category, ConsultationStatus, DB, FeedbackStatus, RequestStatus, RiskTier, ServiceMethod, ServiceMode,
} from '../../db/tables.js';
import { writeAudit } from '../../lib/audit.js';
import type { KeyRing } from '../../lib/crypto.js';
import { scheduleReminders } from '../appointments/appointments.js';
import { METHOD_OF_MODE } from '../service-records/records.js';
import { addOfficeMinutes, addWorkingDays, officeSpansOn, type CalendarLookup } from '../settings/office-time.js';
import { getStationSettings, type OfficeHours } from '../settings/settings.js';
import { addDays, wallClock, zonedInstant } from '../scheduling/zoned.js';
import { DEMO_TOWNSHIP } from './demo.js';
import {
  ADULT_OPENINGS, APPOINTMENT_SUMMARIES, CANCEL_REASONS, CHECKLIST_ITEMS, CHILD_OPENINGS, CLOSINGS, COMMUNITY_ACTIVITIES, COMPLAINTS, CONSULTATION_TOPICS,
  ELDER_OPENINGS, FLAG_NOTES, FOLLOW_UP_OUTCOMES, GROUPS, OUTCOMES, PHONE_CARE, PHONE_OPENINGS, RATING_GOOD_COMMENTS, RATING_LOW_COMMENTS, REQUEST_TEMPLATES, RISK_FLAGS,
  SUGGESTIONS, type ChecklistItem, type RiskFlag,
} from './demo-history-text.js';

// Three months of station life for the demo: appointments, home visits by risk tier, consultations,
// service requests, group and community work, phone care, ratings, suggestions and complaints, each
// service with its one ledger row. Rows are written straight into the fixed schema in large batches
// (thousands of rows in a few seconds), in one transaction. A seeded PRNG makes the content the same
// on every install relative to `now`; the ids are uuidv7 stamped with each row's own time, so lists
// that page by id (timelines) show the history in the order it happened.

export const HISTORY_DAYS = 91;
const UPCOMING_DAYS = 14;
const STATION_PLACE = '大瑶镇社工站';

export interface HistoryCounts {
  appointments: number;
  visits: number;
  consultations: number;
  messages: number;
  faq: number;
  requests: number;
  serviceRecords: number;
  ratings: number;
  feedback: number;
}

const NONE: HistoryCounts = { appointments: 0, visits: 0, consultations: 0, messages: 0, faq: 0, requests: 0, serviceRecords: 0, ratings: 0, feedback: 0 };

/** mulberry32: small, fast and the same everywhere. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A uuidv7 for an instant in the past (lib/ids newId never goes back in time, by design): the
 * history's ids sort in the order its events happened.
 */
export function idAt(ms: number): string {
  const b = randomBytes(16);
  for (let i = 0; i < 6; i++) b[i] = Math.floor(ms / 2 ** (8 * (5 - i))) & 0xff;
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Rows per INSERT so that rows × columns stays under SQLite's 32,766 bound parameters (PostgreSQL allows 65,535). */
export function chunkSize(columns: number): number {
  return Math.max(1, Math.floor(30_000 / columns));
}

async function insertAll<T extends keyof DB & string>(trx: Transaction<DB>, table: T, rows: Insertable<DB[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const size = chunkSize(Object.keys(rows[0]!).length);
  for (let i = 0; i < rows.length; i += size) {
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
  }
}

interface Resident {
  id: string;
  name: string;
  villageId: string;
  villageName: string;
  villageIndex: number;
  birthYear: number;
  tier: RiskTier;
  categories: Category[];
  /** First date services may be recorded (consent given on; '' for statutory duty); null never. */
  eligibleFrom: string | null;
}

type Iso = string;
const iso = (d: Date): Iso => d.toISOString();
const at = (date: string, minute: number): Date => zonedInstant(date, minute);
const plusMin = (d: Date, m: number): Date => new Date(d.getTime() + m * 60_000);

/**
 * Seed the demo station's history for the HISTORY_DAYS before `now` and a few confirmed appointments
 * in the next two weeks. Run after seedDemo, seedDemoResidents and seedDemoServices. Skips a station
 * that already has service records or visits.
 */
export async function seedDemoHistory(db: Kysely<DB>, _keys: KeyRing, now: Date): Promise<HistoryCounts> {
  return db.transaction().execute(async (trx) => {
    const station = await trx.selectFrom('stations').select('id').where('code', '=', DEMO_TOWNSHIP).executeTakeFirst();
    if (!station) return NONE;
    const stationId = station.id;
    const hasRecords = await trx.selectFrom('service_records').select('id').where('station_id', '=', stationId).limit(1).executeTakeFirst();
    const hasVisits = await trx.selectFrom('visits').select('id').where('station_id', '=', stationId).limit(1).executeTakeFirst();
    if (hasRecords || hasVisits) return NONE;
    const ctx = await load(trx, stationId, now);
    if (!ctx) return NONE;
    const counts = await generate(trx, ctx);
    await writeAudit(
      trx,
      { actorId: null, actorUsername: 'system', role: null, stationId, ip: null, requestId: null },
      { action: 'setup.demo_history', result: 'ok', entityType: 'station', entityId: stationId, detail: { ...counts } },
      now,
    );
    return counts;
  });
}

interface Ctx {
  stationId: string;
  now: Date;
  today: string;
  users: Record<'shegong1' | 'shegong2' | 'zhanzhang' | 'zhiyuan1', string> & { jumin1: string | null };
  types: Map<string, { id: string; name: string; mode: ServiceMode; duration: number; buffer: number; travel: number; workers: string[] }>;
  residents: Resident[];
  linked: Set<string>;
  hours: Map<string, OfficeHours>;
  officeHours: OfficeHours;
  calendar: CalendarLookup;
  visitDays: Record<RiskTier, number>;
  responseMinutes: number;
  complaintDays: number;
  /** worker → village indexes covered. */
  coverage: Map<string, Set<number>>;
  /** Existing active appointments and absences per worker and date (the future part must respect them). */
  busy: Map<string, [number, number][]>;
}

async function load(trx: Transaction<DB>, stationId: string, now: Date): Promise<Ctx | null> {
  const userRows = await trx.selectFrom('users').select(['id', 'username']).where('username', 'in', ['shegong1', 'shegong2', 'zhanzhang', 'zhiyuan1', 'jumin1']).execute();
  const u = Object.fromEntries(userRows.map((r) => [r.username, r.id])) as Record<string, string | undefined>;
  if (!u.shegong1 || !u.shegong2 || !u.zhanzhang || !u.zhiyuan1) return null;
  const typeRows = await trx.selectFrom('service_types').selectAll().where('station_id', '=', stationId).where('active', '=', 1).execute();
  if (typeRows.length === 0) return null;
  const stw = await trx.selectFrom('service_type_workers').select(['service_type_id', 'user_id']).where('station_id', '=', stationId).execute();
  const types = new Map(
    typeRows.map((t) => [
      t.name,
      { id: t.id, name: t.name, mode: t.mode, duration: t.duration_minutes, buffer: t.buffer_minutes, travel: t.travel_minutes, workers: stw.filter((w) => w.service_type_id === t.id).map((w) => w.user_id).sort() },
    ]),
  );
  const villages = await trx.selectFrom('villages').select(['id', 'name']).where('station_id', '=', stationId).orderBy('code').execute();
  const vIndex = new Map(villages.map((v, i) => [v.id, i]));
  const vName = new Map(villages.map((v) => [v.id, v.name]));
  const rows = await trx
    .selectFrom('residents')
    .select(['id', 'name', 'village_id', 'birth_date', 'gender', 'risk_tier', 'lawful_basis'])
    .where('station_id', '=', stationId)
    .where('status', '=', 'active')
    .where('anonymised_at', 'is', null)
    .execute();
  const cats = await trx.selectFrom('resident_categories').select(['resident_id', 'category']).where('station_id', '=', stationId).execute();
  const consents = await trx
    .selectFrom('consents')
    .select(['resident_id', 'given_on', 'expires_on'])
    .where('station_id', '=', stationId)
    .where('purpose', '=', 'service')
    .where('withdrawn_at', 'is', null)
    .execute();
  const today = wallClock(now).date;
  const consentFrom = new Map<string, string>();
  for (const c of consents) {
    // A consent that runs out before today would leave services recorded without a basis: not used.
    if (c.expires_on !== null && c.expires_on <= today) continue;
    const prev = consentFrom.get(c.resident_id);
    if (!prev || c.given_on < prev) consentFrom.set(c.resident_id, c.given_on);
  }
  const residents: Resident[] = rows
    .map((r) => ({
      id: r.id,
      name: r.name,
      villageId: r.village_id,
      villageName: vName.get(r.village_id) ?? '',
      villageIndex: vIndex.get(r.village_id) ?? 0,
      birthYear: Number(r.birth_date.slice(0, 4)),
      tier: r.risk_tier,
      categories: cats.filter((c) => c.resident_id === r.id).map((c) => c.category),
      eligibleFrom: r.lawful_basis === 'consent' ? (consentFrom.get(r.id) ?? null) : '',
      sortKey: `${r.village_id}|${r.name}|${r.birth_date}|${r.gender}`,
    }))
    // Ids are random; names and birth dates of the demo residents are not, so this order is the same everywhere.
    .sort((a, b) => (a.villageIndex - b.villageIndex) || (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
    .map(({ sortKey: _s, ...r }) => r)
    .filter((r) => r.eligibleFrom !== null);
  const linked = new Set(u.jumin1 ? (await trx.selectFrom('resident_accounts').select('resident_id').where('user_id', '=', u.jumin1).execute()).map((r) => r.resident_id) : []);

  const settings = await getStationSettings(trx, stationId);
  const first = addDays(today, -HISTORY_DAYS - 5);
  const cal = await trx.selectFrom('calendar_days').select(['date', 'kind']).where('date', '>=', first).where('date', '<=', addDays(today, 400)).execute();
  const calendar = new Map(cal.map((c) => [c.date, c.kind]));

  const wh = await trx.selectFrom('worker_hours').select(['user_id', 'weekday', 'start_minute', 'end_minute']).where('station_id', '=', stationId).execute();
  const hours = new Map<string, OfficeHours>();
  for (const h of wh) {
    const m = hours.get(h.user_id) ?? {};
    (m[String(h.weekday)] ??= []).push([h.start_minute, h.end_minute]);
    hours.set(h.user_id, m);
  }
  const wv = await trx.selectFrom('worker_villages').select(['user_id', 'village_id']).where('station_id', '=', stationId).execute();
  const coverage = new Map<string, Set<number>>();
  for (const w of wv) {
    const s = coverage.get(w.user_id) ?? new Set<number>();
    s.add(vIndex.get(w.village_id) ?? -1);
    coverage.set(w.user_id, s);
  }

  const busy = new Map<string, [number, number][]>();
  const addBusy = (user: string, date: string, s: number, e: number) => {
    const k = `${user}|${date}`;
    const l = busy.get(k) ?? [];
    l.push([s, e]);
    busy.set(k, l);
  };
  const active = await trx
    .selectFrom('appointments')
    .select(['worker_id', 'block_start_at', 'block_end_at'])
    .where('station_id', '=', stationId)
    .where('status', 'in', ['requested', 'confirmed', 'checked_in'])
    .where('block_end_at', '>', iso(now))
    .execute();
  for (const a of active) {
    const s = wallClock(new Date(a.block_start_at));
    const e = wallClock(new Date(a.block_end_at));
    addBusy(a.worker_id, s.date, s.minute, e.date === s.date ? e.minute : 1440);
  }
  const absences = await trx.selectFrom('worker_exceptions').select(['user_id', 'date', 'start_minute', 'end_minute']).where('station_id', '=', stationId).where('date', '>=', first).execute();
  for (const a of absences) addBusy(a.user_id, a.date, a.start_minute ?? 0, a.end_minute ?? 1440);

  return {
    stationId,
    now,
    today,
    users: { shegong1: u.shegong1, shegong2: u.shegong2, zhanzhang: u.zhanzhang, zhiyuan1: u.zhiyuan1, jumin1: u.jumin1 ?? null },
    types,
    residents,
    linked,
    hours,
    officeHours: settings.officeHours,
    calendar,
    visitDays: settings.visitDays,
    responseMinutes: settings.consultationResponseMinutes,
    complaintDays: settings.complaintResponseDays,
    coverage,
    busy,
  };
}

async function generate(trx: Transaction<DB>, c: Ctx): Promise<HistoryCounts> {
  const r = rng(20260829);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number) => r() < p;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const { stationId, users, now, today } = c;
  const staff = [users.shegong1, users.shegong2];

  const records: Insertable<DB['service_records']>[] = [];
  const appointments: Insertable<DB['appointments']>[] = [];
  const visits: Insertable<DB['visits']>[] = [];
  const requests: Insertable<DB['service_requests']>[] = [];
  const consultations: Insertable<DB['consultations']>[] = [];
  const messages: Insertable<DB['consultation_messages']>[] = [];
  const faq: Insertable<DB['faq_entries']>[] = [];
  const ratings: Insertable<DB['ratings']>[] = [];
  const feedback: Insertable<DB['feedback_items']>[] = [];
  const typeName = new Map([...c.types.values()].map((t) => [t.id, t.name]));

  // Working days of the window, oldest first; the future ones for the upcoming appointments.
  const spansOf = (user: string, date: string) => officeSpansOn(c.hours.get(user) ?? c.officeHours, date, c.calendar);
  const past: string[] = [];
  for (let d = addDays(today, -HISTORY_DAYS); d < today; d = addDays(d, 1)) if (officeSpansOn(c.officeHours, d, c.calendar).length) past.push(d);
  const future: string[] = [];
  for (let d = addDays(today, 1); d <= addDays(today, UPCOMING_DAYS); d = addDays(d, 1)) if (officeSpansOn(c.officeHours, d, c.calendar).length) future.push(d);

  /** The worker's booked minutes per date: nothing in the demo double-books a person. */
  const occupied = (user: string, date: string) => {
    const k = `${user}|${date}`;
    let l = c.busy.get(k);
    if (!l) c.busy.set(k, (l = []));
    return l;
  };
  const free = (user: string, date: string, s: number, e: number) => occupied(user, date).every(([a, b]) => e <= a || b <= s);
  /** A start minute on the service's grid inside the worker's hours whose whole block is free, or null. */
  const placeOnGrid = (user: string, date: string, duration: number, before: number, after: number): number | null => {
    const starts: number[] = [];
    for (const [s, e] of spansOf(user, date)) {
      for (let m = s; m + duration <= e; m += duration) if (m - before >= s && m + duration + after <= e && free(user, date, m - before, m + duration + after)) starts.push(m);
    }
    if (starts.length === 0) return null;
    const m = starts[Math.floor(r() * starts.length)]!;
    occupied(user, date).push([m - before, m + duration + after]);
    return m;
  };
  /** A free five-minute-aligned start inside the worker's hours (visits, calls, ad-hoc work), or null. */
  const placeAnywhere = (user: string, date: string, duration: number): number | null => {
    const own = spansOf(user, date);
    const spans = own.length ? own : officeSpansOn(c.officeHours, date, c.calendar);
    const starts: number[] = [];
    for (const [s, e] of spans) for (let m = s; m + duration <= e; m += 5) if (free(user, date, m, m + duration)) starts.push(m);
    if (starts.length === 0) return null;
    const m = starts[Math.floor(r() * starts.length)]!;
    occupied(user, date).push([m, m + duration]);
    return m;
  };
  const eligibleOn = (res: Resident, date: string) => res.eligibleFrom !== null && res.eligibleFrom <= date;
  const workerFor = (res: Resident): string => {
    for (const w of staff) if (c.coverage.get(w)?.has(res.villageIndex)) return w;
    return staff[res.villageIndex % 2]!;
  };
  const isChild = (res: Resident) => Number(today.slice(0, 4)) - res.birthYear < 18;
  const isElder = (res: Resident) => Number(today.slice(0, 4)) - res.birthYear >= 60;

  const record = (o: {
    residentId: string; workerId: string; typeId: string | null; method: ServiceMethod; start: Date; end: Date; place: string | null; summary: string;
    outcome: string | null; followUp: boolean; source: 'appointment' | 'visit' | 'request' | 'manual'; sourceId: string | null; createdBy: string;
    activityId?: string;
  }): string => {
    const created = plusMin(o.end, int(5, 90));
    const id = idAt(Math.min(created.getTime(), now.getTime()));
    records.push({
      id, station_id: stationId, resident_id: o.residentId, worker_id: o.workerId, service_type_id: o.typeId, method: o.method, start_at: iso(o.start), end_at: iso(o.end),
      place: o.place, summary: o.summary, outcome: o.outcome, follow_up_needed: o.followUp ? 1 : 0, source: o.source, source_id: o.sourceId, activity_id: o.activityId ?? null, created_by: o.createdBy,
      created_at: iso(created.getTime() > now.getTime() ? now : created),
    });
    return id;
  };
  const outcome = () => (chance(0.12) ? { outcome: pick(FOLLOW_UP_OUTCOMES), followUp: true } : { outcome: pick(OUTCOMES), followUp: false });

  // ---- Fixed-time work first: group sessions and community activities hold their slots. ----------
  for (const g of GROUPS) {
    const worker = g.kind === 'elder' ? users.shegong1 : users.shegong2;
    const fits = (x: Resident) =>
      g.kind === 'child' ? isChild(x) : g.kind === 'disabled' ? x.categories.includes('disabled') : isElder(x) && x.categories.some((k) => k.startsWith('elderly'));
    const members = c.residents.filter(fits).slice(0, 14);
    const t = c.types.get('心理疏导');
    let n = 0;
    for (const date of past) {
      if (wallClock(at(date, 720)).weekday !== g.weekday) continue;
      n++;
      const start = at(date, g.minute);
      const end = plusMin(start, g.duration);
      occupied(worker, date).push([g.minute, g.minute + g.duration]);
      const topic = g.topics[(n - 1) % g.topics.length]!.replace('{n}', String(n));
      // One session entered once for everyone who came (docs/service-records.md).
      const activityId = idAt(start.getTime());
      for (const m of members) {
        if (!eligibleOn(m, date) || !chance(0.85)) continue;
        record({ residentId: m.id, workerId: worker, typeId: g.kind === 'elder' ? null : (t?.id ?? null), method: 'group', start, end, place: `${STATION_PLACE}活动室`, summary: `${g.name}${topic}`, outcome: '按计划完成', followUp: false, source: 'manual', sourceId: null, createdBy: worker, activityId });
      }
    }
  }
  for (const [i, date] of past.entries()) {
    if (i % 5 !== 2) continue;
    const name = COMMUNITY_ACTIVITIES[Math.floor(i / 5) % COMMUNITY_ACTIVITIES.length]!;
    const village = c.residents[(i * 13) % c.residents.length]!;
    const worker = workerFor(village);
    const start = at(date, 9 * 60);
    const end = plusMin(start, 120);
    occupied(worker, date).push([9 * 60, 11 * 60]);
    const who = c.residents.filter((x) => x.villageIndex === village.villageIndex && eligibleOn(x, date) && !isChild(x));
    const activityId = idAt(start.getTime());
    for (const p of who) {
      if (!chance(0.7)) continue;
      record({ residentId: p.id, workerId: worker, typeId: null, method: 'community', start, end, place: `${village.villageName}村部广场`, summary: `${name}（${village.villageName}），志愿者协助组织`, outcome: '活动顺利开展', followUp: false, source: 'manual', sourceId: null, createdBy: worker, activityId });
    }
  }
  // ---- Home visits by risk tier cadence; a few residents left overdue on purpose. ----------------
  const visitMode = (tier: RiskTier) => (tier === 'high' ? 'home' : chance(tier === 'priority' ? 0.2 : 0.3) ? 'phone' : 'home');
  const overdue = new Set<string>();
  for (const tier of ['high', 'priority', 'normal'] as const) {
    const ofTier = c.residents.filter((x) => x.tier === tier);
    const want = tier === 'high' ? 2 : tier === 'priority' ? 4 : 3;
    for (let k = 0; k < want && ofTier.length; k++) overdue.add(ofTier[(k * 7 + 3) % ofTier.length]!.id);
  }
  const firstDay = past[0]!;
  const workingOnOrBefore = (date: string) => {
    let d = date;
    while (d >= firstDay && !officeSpansOn(c.officeHours, d, c.calendar).length) d = addDays(d, -1);
    return d >= firstDay ? d : null;
  };
  const flagChance: Record<RiskTier, number> = { high: 0.22, priority: 0.08, normal: 0.03 };
  for (const res of c.residents) {
    const days = c.visitDays[res.tier];
    const late = overdue.has(res.id);
    // The last visit: inside the cadence for most, past it for the overdue ones.
    let offset = late ? days + int(3, Math.max(4, Math.min(20, days))) : Math.max(1, Math.floor(days * (0.1 + 0.8 * r())));
    const dates: string[] = [];
    while (offset <= HISTORY_DAYS) {
      const d = workingOnOrBefore(addDays(today, -offset));
      if (d && (dates.length === 0 || d !== dates[dates.length - 1])) dates.push(d);
      offset += Math.max(1, days + int(-Math.floor(days / 7), Math.floor(days / 7)));
    }
    for (const date of dates.reverse()) {
      if (!eligibleOn(res, date)) continue;
      const worker = workerFor(res);
      const mode = visitMode(res.tier);
      const duration = mode === 'phone' ? int(10, 20) : int(25, 45);
      const travel = mode === 'home' ? 10 : 0;
      // On the planned day, or the nearest working day after it that still has room.
      let m: number | null = null;
      let day = date;
      for (const d of [date, ...past.filter((x) => x > date).slice(0, 3)]) {
        m = placeAnywhere(worker, d, duration + travel);
        day = d;
        if (m !== null) break;
      }
      if (m === null) continue;
      const start = at(day, m + travel);
      const end = plusMin(start, duration);
      const lostContact = res.tier === 'high' && chance(0.03);
      const flags: RiskFlag[] = lostContact ? ['lost_contact'] : chance(flagChance[res.tier]) ? [pick(RISK_FLAGS.filter((f) => f !== 'lost_contact'))] : [];
      if (flags.length && chance(0.2)) {
        const extra = pick(RISK_FLAGS.filter((f) => f !== 'lost_contact' && !flags.includes(f)));
        flags.push(extra);
      }
      const checklist: Record<ChecklistItem, 'ok' | 'concern' | 'na'> = Object.fromEntries(CHECKLIST_ITEMS.map((k) => [k, 'ok'])) as Record<ChecklistItem, 'ok' | 'concern' | 'na'>;
      if (isChild(res)) checklist.medication = 'na';
      if (!isElder(res) && !isChild(res)) checklist.caregiver = 'na';
      if (mode === 'phone') for (const k of ['housing_safety', 'water', 'hygiene', 'utilities'] as const) checklist[k] = 'na';
      for (const f of flags) checklist[FLAG_NOTES[f].item] = 'concern';
      const opening = lostContact ? '' : pick(mode === 'phone' && isElder(res) ? PHONE_OPENINGS : isChild(res) ? CHILD_OPENINGS : isElder(res) ? ELDER_OPENINGS : ADULT_OPENINGS);
      const phonePrefix = mode === 'phone' ? '电话回访：' : '';
      const observations = `${phonePrefix}${opening}${flags.map((f) => FLAG_NOTES[f].text).join('')}${flags.length ? '' : pick(CLOSINGS)}` || '情况平稳。';
      const id = idAt(plusMin(end, int(5, 60)).getTime());
      const visitedAt = iso(start);
      visits.push({
        id, station_id: stationId, resident_id: res.id, worker_id: worker, visited_at: visitedAt, duration_minutes: duration, mode, met_resident: lostContact ? 0 : 1,
        observations, checklist: JSON.stringify(checklist), risk_flags: JSON.stringify(flags), tier_before: res.tier, tier_after: res.tier, request_id: null,
        follow_up_needed: flags.length ? 1 : 0, created_by: worker, created_at: iso(plusMin(end, int(5, 60))),
      });
      record({
        residentId: res.id, workerId: worker, typeId: c.types.get(mode === 'phone' ? '电话关怀' : '上门探访')?.id ?? null, method: mode === 'phone' ? 'phone' : 'visit',
        start, end, place: mode === 'phone' ? '电话' : `${res.villageName}居民家中`, summary: observations.length > 200 ? `${observations.slice(0, 199)}…` : observations,
        outcome: flags.length ? '发现风险，需跟进' : '情况平稳', followUp: flags.length > 0, source: 'visit', sourceId: id, createdBy: worker,
      });
      // A need seen on the visit becomes a request (food, medicine) the volunteer or worker takes on.
      if (flags.includes('no_food') || flags.includes('untreated_illness')) {
        const tpl = REQUEST_TEMPLATES.find((t) => t.title === (flags.includes('no_food') ? '助餐服务' : '代购药品'))!;
        const reqId = addRequest(res, tpl, plusMin(end, 30), 'visit', id, worker);
        visits[visits.length - 1]!.request_id = reqId;
      }
    }
  }

  // ---- Appointments: about nine a day, completed mostly, some cancelled or missed. ----------------
  const bookable = ['政策咨询', '代办服务', '心理疏导', '法律援助咨询', '上门探访', '电话关怀'].flatMap((n, i) => {
    const t = c.types.get(n);
    return t && t.workers.length ? [{ t, weight: [3, 3, 1.5, 0.7, 1, 0.5][i]! }] : [];
  });
  const totalWeight = bookable.reduce((s, b) => s + b.weight, 0);
  const pickType = () => {
    let x = r() * totalWeight;
    for (const b of bookable) if ((x -= b.weight) < 0) return b.t;
    return bookable[bookable.length - 1]!.t;
  };
  const placeOf = (mode: ServiceMode, res: Resident) => (mode === 'station' ? STATION_PLACE : mode === 'home_visit' ? `${res.villageName}居民家中` : mode === 'phone' ? '电话' : '线上');
  const linkedResidents = c.residents.filter((x) => c.linked.has(x.id));
  const jumin = users.jumin1;

  const book = (date: string, res: Resident, status: AppointmentStatus, t: NonNullable<ReturnType<typeof pickType>>): boolean => {
    // Whoever of the type's workers still has room that day (the head takes the overflow of 政策咨询).
    const first = Math.floor(r() * t.workers.length);
    let worker = '';
    let m: number | null = null;
    for (let k = 0; k < t.workers.length && m === null; k++) {
      worker = t.workers[(first + k) % t.workers.length]!;
      m = placeOnGrid(worker, date, t.duration, t.travel, t.buffer);
    }
    if (m === null) return false;
    const start = at(date, m);
    const end = plusMin(start, t.duration);
    const self = jumin !== null && c.linked.has(res.id) && chance(0.6);
    const channel: AppointmentChannel = self ? 'self' : pick(['phone', 'walk_in', 'staff', 'phone'] as const);
    const created = channel === 'walk_in' ? plusMin(start, -int(5, 40)) : new Date(start.getTime() - int(1, 6) * 86_400_000 - int(0, 300) * 60_000);
    const createdAt = created.getTime() > now.getTime() ? plusMin(now, -int(30, 600)) : created;
    const id = idAt(createdAt.getTime());
    const cancelled = status === 'cancelled';
    const settled = status === 'completed' || status === 'no_show' ? plusMin(end, int(1, 30)) : cancelled ? new Date((createdAt.getTime() + start.getTime()) / 2) : createdAt;
    appointments.push({
      id, station_id: stationId, service_type_id: t.id, resident_id: res.id, worker_id: worker, start_at: iso(start), end_at: iso(end),
      block_start_at: iso(plusMin(start, -t.travel)), block_end_at: iso(plusMin(end, t.buffer)), status, channel,
      note: chance(0.15) ? pick(['行动不便，请安排一楼接待', '由儿子陪同前来', '耳背，请说话大声些', '需要带上身份证原件']) : null,
      booked_by: self ? jumin : worker, cancel_reason: cancelled ? pick(CANCEL_REASONS) : null, version: status === 'confirmed' ? 2 : status === 'completed' ? 4 : 3,
      created_at: iso(createdAt), updated_at: iso(settled.getTime() > now.getTime() ? now : settled),
    });
    if (status === 'completed') {
      const o = outcome();
      record({
        residentId: res.id, workerId: worker, typeId: t.id, method: METHOD_OF_MODE[t.mode], start, end, place: placeOf(t.mode, res),
        summary: pick(APPOINTMENT_SUMMARIES[t.name] ?? ['按预约提供服务']), ...o, source: 'appointment', sourceId: id, createdBy: worker,
      });
    }
    return true;
  };

  for (const [i, date] of past.entries()) {
    const pool = c.residents.filter((x) => eligibleOn(x, date));
    if (pool.length === 0) continue;
    const n = int(6, 11);
    for (let k = 0; k < n; k++) {
      const x = r();
      const status: AppointmentStatus = x < 0.86 ? 'completed' : x < 0.94 ? 'cancelled' : 'no_show';
      const t = pickType();
      // Nobody "fails to turn up" to a phone call: a missed call is recorded as cancelled.
      book(date, pick(pool), status === 'no_show' && t.mode === 'phone' ? 'cancelled' : status, t);
    }
    // jumin1's household comes in every few weeks, so its ratings page has something in it.
    if (linkedResidents.length && i % 15 === 7) {
      const res = linkedResidents[Math.floor(i / 15) % linkedResidents.length]!;
      const t = c.types.get(isChild(res) ? '心理疏导' : '政策咨询') ?? pickType();
      for (const d of past.slice(i, i + 5)) if (eligibleOn(res, d) && book(d, res, 'completed', t)) break;
    }
  }
  // Whatever the day's random draw, each of jumin1's people has at least two completed services, so
  // the ratings page and the timeline always have something (walk back from the most recent days).
  for (const res of linkedResidents) {
    const types = [c.types.get(isChild(res) ? '心理疏导' : '政策咨询'), c.types.get('政策咨询'), c.types.get('代办服务')].filter((x) => x !== undefined);
    const done = () => appointments.filter((a) => a.resident_id === res.id && a.status === 'completed').length;
    for (let k = past.length - 2; k >= 0 && done() < 2; k--) {
      if (!eligibleOn(res, past[k]!)) continue;
      for (const t of types) if (book(past[k]!, res, 'completed', t)) break;
    }
  }
  // The next two weeks: a handful of confirmed bookings on the grid, inside hours, clear of leave.
  let upcoming = 0;
  for (const date of future) {
    for (let k = 0; k < 2 && upcoming < 12; k++) {
      const t = pickType();
      const pool = c.residents.filter((x) => eligibleOn(x, today));
      const res = upcoming === 0 && linkedResidents[0] ? linkedResidents[0] : pick(pool);
      if (book(date, res, 'confirmed', t)) upcoming++;
    }
  }

  // ---- Service requests: every status, fulfilled ones recorded, some for the volunteer. -----------
  function addRequest(res: Resident, tpl: (typeof REQUEST_TEMPLATES)[number], created: Date, source: 'resident' | 'staff' | 'consultation' | 'visit', sourceId: string | null, by: string): string {
    const ageDays = (now.getTime() - created.getTime()) / 86_400_000;
    const x = r();
    let status: RequestStatus =
      ageDays < 5 ? pick(['open', 'assigned', 'assigned', 'in_progress'] as const) : ageDays < 14 ? (x < 0.5 ? 'fulfilled' : x < 0.7 ? 'in_progress' : x < 0.9 ? 'assigned' : 'open') : x < 0.88 ? 'fulfilled' : x < 0.95 ? 'cancelled' : 'in_progress';
    if (status === 'open' && ageDays > 14) status = 'cancelled';
    const volunteer = tpl.volunteer && res.villageIndex === 0 && chance(0.8);
    const assignee = status === 'open' || status === 'cancelled' ? null : volunteer ? users.zhiyuan1 : tpl.area === 'child_care' || tpl.area === 'disability' ? users.shegong2 : workerFor(res);
    const assignedAt = assignee ? plusMin(created, int(20, 600)) : null;
    const dueDays = tpl.urgency === 'urgent' ? 1 : tpl.urgency === 'high' ? 3 : tpl.urgency === 'normal' ? 7 : 14;
    const due = assignedAt ? new Date(created.getTime() + dueDays * 86_400_000) : null;
    let fulfilledAt: Date | null = null;
    if (status === 'fulfilled') {
      fulfilledAt = new Date((assignedAt ?? created).getTime() + int(4, Math.max(5, dueDays * 24 - 2)) * 3_600_000);
      if (fulfilledAt.getTime() > now.getTime()) fulfilledAt = plusMin(now, -int(30, 240));
    }
    const id = idAt(created.getTime());
    const updated = fulfilledAt ?? assignedAt ?? created;
    requests.push({
      id, station_id: stationId, resident_id: res.id, area: tpl.area, title: tpl.title, description: tpl.description, urgency: tpl.urgency, status, source, source_id: sourceId,
      assignee_id: assignee, assigned_by: assignee ? users.zhanzhang : null, assigned_at: assignedAt ? iso(assignedAt) : null, due_at: due ? iso(due) : null,
      fulfilled_at: fulfilledAt ? iso(fulfilledAt) : null, outcome: fulfilledAt ? tpl.outcome : null, cancel_reason: status === 'cancelled' ? pick(['居民家属已自行解决', '居民不再需要', '已通过其他渠道办理']) : null,
      version: status === 'open' ? 1 : status === 'assigned' ? 2 : 3, created_by: by, created_at: iso(created), updated_at: iso(updated.getTime() > now.getTime() ? now : updated),
    });
    if (fulfilledAt && assignee) {
      const start = plusMin(fulfilledAt, -int(40, 120));
      record({
        residentId: res.id, workerId: assignee, typeId: null, method: tpl.method, start, end: fulfilledAt, place: tpl.method === 'visit' ? `${res.villageName}居民家中` : tpl.method === 'online' ? '线上' : STATION_PLACE,
        summary: `${tpl.title}：${tpl.outcome}`, outcome: '已完成', followUp: false, source: 'request', sourceId: id, createdBy: assignee,
      });
    }
    return id;
  }
  for (const [i, date] of past.entries()) {
    if (!chance(0.9)) continue;
    for (let k = int(1, 3); k > 0; k--) {
      const pool = c.residents.filter((x) => eligibleOn(x, date));
      // jumin1 asks for help herself now and then (助餐, 家电维修 …); the rest come through the workers.
      const own = k === 1 && i % 12 === 5 ? linkedResidents.filter((x) => eligibleOn(x, date)) : [];
      const res = own.length ? pick(own) : pick(pool);
      const tpl = pick(REQUEST_TEMPLATES);
      const self = jumin !== null && c.linked.has(res.id);
      addRequest(res, tpl, at(date, int(8 * 60 + 40, 17 * 60)), self ? 'resident' : 'staff', null, self ? jumin : workerFor(res));
    }
  }

  // ---- Consultations with their messages; a few published to the FAQ. -----------------------------
  const faqTopics = new Set<string>();
  const firstReply = (created: Date) => addOfficeMinutes(c.officeHours, c.calendar, created, c.responseMinutes) ?? new Date(created.getTime() + 86_400_000);
  const consultDays = [...past, today];
  for (const [i, date] of consultDays.entries()) {
    const n = date === today ? 1 : chance(0.6) ? int(1, 3) : 0;
    for (let k = 0; k < n; k++) {
      const pool = c.residents.filter((x) => eligibleOn(x, date));
      const res = pick(pool);
      const topic = pick(CONSULTATION_TOPICS.filter((t) => (t.area === 'child_care') === isChild(res)));
      const startMinute = date === today ? Math.max(8 * 60 + 30, Math.min(wallClock(now).minute - 30, 11 * 60)) : int(8 * 60 + 30, 17 * 60);
      const created = at(date, startMinute);
      if (created.getTime() >= now.getTime()) continue;
      const due = firstReply(created);
      const assignee = ['child_care', 'disability', 'counselling'].includes(topic.area) ? users.shegong2 : topic.area === 'legal_aid' ? users.zhanzhang : workerFor(res);
      const self = jumin !== null && c.linked.has(res.id);
      const channel = self ? 'self' : pick(['phone', 'walk_in', 'phone', 'staff'] as const);
      const openedBy = self ? jumin : assignee;
      const recent = i >= consultDays.length - 6;
      // Most answered in time, some late, the last few days' ones partly still open (some overdue).
      const x = r();
      const unanswered = recent && x < 0.45;
      const lateReply = !unanswered && x > 0.82;
      let replyAt: Date | null = null;
      if (!unanswered) {
        const span = Math.max(10, (due.getTime() - created.getTime()) / 60_000);
        replyAt = lateReply ? plusMin(due, int(60, 24 * 60)) : plusMin(created, int(10, Math.floor(span * 0.8)));
        if (replyAt.getTime() >= now.getTime()) replyAt = null;
      }
      const closed = replyAt !== null && !recent && chance(0.6);
      const closedAt = closed ? plusMin(replyAt!, int(60, 3 * 24 * 60)) : null;
      const status: ConsultationStatus = closedAt && closedAt.getTime() < now.getTime() ? 'closed' : replyAt ? 'answered' : 'open';
      const id = idAt(created.getTime());
      consultations.push({
        id, station_id: stationId, resident_id: res.id, area: topic.area, subject: topic.subject, status, channel, assignee_id: assignee,
        first_response_due_at: iso(due), first_response_at: replyAt ? iso(replyAt) : null, resolution: status === 'closed' ? topic.resolution : null,
        closed_at: status === 'closed' ? iso(closedAt!) : null, closed_by: status === 'closed' ? assignee : null, request_id: null,
        version: status === 'open' ? 1 : status === 'answered' ? 2 : 3, opened_by: openedBy, created_at: iso(created),
        updated_at: iso(status === 'closed' ? closedAt! : (replyAt ?? created)),
      });
      messages.push({ id: idAt(created.getTime()), station_id: stationId, consultation_id: id, author_id: openedBy, author_side: 'resident', body: topic.question, created_at: iso(created) });
      if (replyAt) {
        messages.push({ id: idAt(replyAt.getTime()), station_id: stationId, consultation_id: id, author_id: assignee, author_side: 'staff', body: topic.answer, created_at: iso(replyAt) });
        if (chance(0.3)) {
          const t = plusMin(replyAt, int(20, 300));
          if (t.getTime() < now.getTime()) messages.push({ id: idAt(t.getTime()), station_id: stationId, consultation_id: id, author_id: openedBy, author_side: 'resident', body: pick(['好的，谢谢！', '明白了，我明天去办。', '那我需要带户口本原件吗？', '谢谢社工，麻烦你们了。']), created_at: iso(t) });
        }
      }
      if (status === 'closed' && topic.faq && !faqTopics.has(topic.subject)) {
        faqTopics.add(topic.subject);
        const pub = plusMin(closedAt!, int(60, 24 * 60));
        const when = pub.getTime() < now.getTime() ? pub : closedAt!;
        faq.push({ id: idAt(when.getTime()), station_id: stationId, area: topic.area, question: topic.faq.question, answer: topic.faq.answer, consultation_id: id, status: 'published', published_by: assignee, published_at: iso(when), updated_at: iso(when) });
      }
      // A need behind the question becomes a request, linked both ways.
      if (status === 'closed' && chance(0.12)) {
        const tpl = REQUEST_TEMPLATES.find((t) => t.area === topic.area) ?? REQUEST_TEMPLATES[0]!;
        consultations[consultations.length - 1]!.request_id = addRequest(res, tpl, plusMin(replyAt!, 5), 'consultation', id, assignee);
      }
    }
  }

  // ---- Phone care calls fill the gaps the rest of the day leaves. --------------------------------
  const phoneType = c.types.get('电话关怀');
  const callees = c.residents.filter((x) => isElder(x) && x.categories.some((k) => ['elderly_alone', 'elderly_empty_nest', 'elderly_left_behind', 'elderly_disabled', 'tekun'].includes(k)));
  if (callees.length) {
    for (const date of past) {
      // The volunteer rings the old people of his village; the head makes a few calls of his own.
      for (const caller of [users.shegong1, users.shegong2, users.zhiyuan1, users.zhanzhang]) {
        const mine = caller === users.zhiyuan1 ? callees.filter((x) => x.villageIndex === 0) : callees.filter((x) => workerFor(x) === caller);
        const list = mine.length ? mine : callees;
        const n = caller === users.zhiyuan1 ? int(8, 14) : caller === users.zhanzhang ? int(2, 4) : int(6, 10);
        for (let k = 0; k < n; k++) {
          const res = pick(list);
          if (!eligibleOn(res, date)) continue;
          const minutes = int(5, 15);
          const m = placeAnywhere(caller, date, minutes);
          if (m === null) continue;
          const start = at(date, m);
          record({ residentId: res.id, workerId: caller, typeId: phoneType?.id ?? null, method: 'phone', start, end: plusMin(start, minutes), place: '电话', summary: pick(PHONE_CARE), outcome: '情况平稳', followUp: false, source: 'manual', sourceId: null, createdBy: caller });
        }
      }
    }
  }

  // ---- Ratings: about 60% of finished services, mostly 4–5. jumin1 keeps one to rate herself. ------
  const byResident = new Map(c.residents.map((x) => [x.id, x]));
  const lastLinked = [...records].filter((x) => c.linked.has(x.resident_id) && x.source === 'appointment').sort((a, b) => (a.end_at < b.end_at ? 1 : -1))[0];
  const unrated = new Set(lastLinked ? [lastLinked.id] : []);
  for (const rec of records) {
    if (unrated.has(rec.id) || !chance(0.6)) continue;
    // The follow-up call (or the resident's own tap) comes one to three working days later, in office hours.
    const online = jumin !== null && c.linked.has(rec.resident_id);
    const served = wallClock(new Date(rec.end_at)).date;
    const earliest = addDays(served, int(1, 3));
    const day = past.find((d) => d >= earliest);
    if (!day) continue;
    const when = at(day, online ? int(7 * 60, 21 * 60) : int(9 * 60, 17 * 60));
    if (when.getTime() >= now.getTime()) continue;
    const x = r();
    const score = x < 0.6 ? 5 : x < 0.9 ? 4 : x < 0.96 ? 3 : x < 0.99 ? 2 : 1;
    ratings.push({
      id: idAt(when.getTime()), station_id: stationId, service_record_id: rec.id, resident_id: rec.resident_id, worker_id: rec.worker_id, service_type_id: rec.service_type_id ?? null,
      score, comment: score <= 3 ? pick(RATING_LOW_COMMENTS) : pick(RATING_GOOD_COMMENTS), channel: online ? 'online' : chance(0.85) ? 'phone' : 'in_person',
      recorded_by: online ? jumin : rec.worker_id === users.zhanzhang ? users.shegong1 : users.zhanzhang, created_at: iso(when),
    });
  }

  // ---- Suggestions and complaints: one complaint overdue and escalated to the station head. -------
  const submitted = (i: number) => past[Math.floor(((i + 1) * past.length) / (SUGGESTIONS.length + 2))] ?? past[0]!;
  for (const [i, s] of SUGGESTIONS.entries()) {
    const created = at(submitted(i), int(9 * 60, 16 * 60));
    const res = byResident.get(c.residents[(i * 17) % c.residents.length]!.id)!;
    const resolved = s.response ? plusMin(created, int(2, 10) * 24 * 60) : null;
    const done = resolved && resolved.getTime() < now.getTime() ? resolved : null;
    const status: FeedbackStatus = done ? 'resolved' : i % 2 ? 'in_progress' : 'open';
    feedback.push({
      id: idAt(created.getTime()), station_id: stationId, kind: 'suggestion', resident_id: i === 4 ? null : res.id, submitted_by: null, channel: pick(['box', 'phone', 'in_person'] as const),
      subject: s.subject, body: s.body, about_worker_id: null, service_record_id: null, status, handler_id: status === 'open' ? null : users.zhanzhang, due_at: null,
      escalated_at: null, escalated_to: null, response: done ? s.response : null, resolved_at: done ? iso(done) : null, resolved_by: done ? users.zhanzhang : null,
      version: status === 'open' ? 1 : 2, created_at: iso(created), updated_at: iso(done ?? created),
    });
  }
  const apptRecords = records.filter((x) => x.source === 'appointment');
  for (const [i, s] of COMPLAINTS.entries()) {
    // The last complaint came in two weeks ago and is past its deadline: escalated to the head.
    const escalatedOne = i === COMPLAINTS.length - 1;
    // The others are answered in time, or (the third) came in yesterday and is still within its deadline.
    const date = escalatedOne ? (past[past.length - 10] ?? past[0]!) : i === 2 ? (past[past.length - 1] ?? past[0]!) : submitted(i * 2);
    const created = at(date, int(9 * 60, 16 * 60));
    const due = addWorkingDays(c.calendar, created, c.complaintDays);
    const about = apptRecords[(i * 97) % Math.max(1, apptRecords.length)];
    const resolved = s.response ? new Date(Math.min(due.getTime() - 3_600_000, created.getTime() + int(1, 3) * 86_400_000)) : null;
    const done = resolved && resolved.getTime() < now.getTime() ? resolved : null;
    const status: FeedbackStatus = done ? (i === 0 ? 'closed' : 'resolved') : 'in_progress';
    const escalate = !done && due.getTime() < now.getTime();
    feedback.push({
      id: idAt(created.getTime()), station_id: stationId, kind: 'complaint', resident_id: about?.resident_id ?? c.residents[0]!.id, submitted_by: null,
      channel: pick(['phone', 'in_person', 'online'] as const), subject: s.subject, body: s.body, about_worker_id: about?.worker_id ?? null, service_record_id: about?.id ?? null,
      status, handler_id: users.zhanzhang, due_at: iso(due), escalated_at: escalate ? iso(due) : null, escalated_to: escalate ? users.zhanzhang : null,
      response: done ? s.response : null, resolved_at: done ? iso(done) : null, resolved_by: done ? users.zhanzhang : null,
      version: done ? 3 : escalate ? 3 : 2, created_at: iso(created), updated_at: iso(done ?? (escalate ? due : created)),
    });
  }

  // ---- Write: parents before children (foreign keys), each table in parameter-safe chunks. --------
  await insertAll(trx, 'appointments', appointments);
  // The upcoming bookings get their reminders, exactly as a booking through the API does.
  const typeById = new Map([...c.types.values()].map((x) => [x.id, x]));
  for (const a of appointments) {
    if (a.status !== 'confirmed') continue;
    const type = typeById.get(a.service_type_id);
    if (type) await scheduleReminders(trx, a as AppointmentTable, type, now);
  }
  // Requests from visits point at visits and visits at requests: write requests without the visit link first.
  await insertAll(trx, 'service_requests', requests);
  await insertAll(trx, 'visits', visits);
  await insertAll(trx, 'consultations', consultations);
  await insertAll(trx, 'consultation_messages', messages);
  await insertAll(trx, 'faq_entries', faq);
  await insertAll(trx, 'service_records', records);
  await insertAll(trx, 'ratings', ratings);
  await insertAll(trx, 'feedback_items', feedback);
  // Each service on the resident's timeline, as insertServiceRecord writes it.
  await insertAll(
    trx,
    'resident_events',
    records.map((x) => ({
      id: idAt(new Date(x.created_at).getTime()), station_id: stationId, resident_id: x.resident_id, at: x.created_at, actor_id: x.created_by, kind: 'service',
      field: null, old_value: null, new_value: null,
      detail: JSON.stringify({
        serviceRecordId: x.id, serviceTypeId: x.service_type_id ?? null, serviceName: x.service_type_id ? (typeName.get(x.service_type_id) ?? null) : null, method: x.method,
        start: x.start_at, end: x.end_at, workerId: x.worker_id, ...(x.activity_id ? { activityId: x.activity_id } : {}), source: x.source, sourceId: x.source_id ?? null,
        summary: x.summary.length > 200 ? `${x.summary.slice(0, 199)}…` : x.summary, followUpNeeded: x.follow_up_needed === 1,
      }),
    })),
  );

  await backdateRegistrations(trx, c, int);

  return {
    appointments: appointments.length,
    visits: visits.length,
    consultations: consultations.length,
    messages: messages.length,
    faq: faq.length,
    requests: requests.length,
    serviceRecords: records.length,
    ratings: ratings.length,
    feedback: feedback.length,
  };
}

/**
 * The demo residents were registered a moment ago, yet their history goes back three months: move
 * each one's registration (and its timeline entries for registration and consent) to before the
 * history, so a timeline reads 建档 → 签署同意 → services. Only rows written in the last hours are
 * touched, so a station's real registrations are never rewritten.
 */
async function backdateRegistrations(trx: Transaction<DB>, c: Ctx, int: (lo: number, hi: number) => number): Promise<void> {
  const recent = iso(new Date(c.now.getTime() - 6 * 3_600_000));
  const rows = await trx.selectFrom('residents').select(['id', 'created_at', 'updated_at']).where('station_id', '=', c.stationId).where('created_at', '>=', recent).execute();
  if (rows.length === 0) return;
  const consents = await trx.selectFrom('consents').select(['resident_id', 'given_on']).where('station_id', '=', c.stationId).execute();
  const firstConsent = new Map<string, string>();
  for (const x of consents) if (!firstConsent.has(x.resident_id) || x.given_on < firstConsent.get(x.resident_id)!) firstConsent.set(x.resident_id, x.given_on);
  const events = await trx
    .selectFrom('resident_events')
    .select(['id', 'resident_id', 'kind'])
    .where('station_id', '=', c.stationId)
    .where('kind', 'in', ['created', 'consent_given'])
    .where('at', '>=', recent)
    .orderBy('id')
    .execute();
  const byResident = new Map<string, typeof events>();
  for (const e of events) byResident.set(e.resident_id, [...(byResident.get(e.resident_id) ?? []), e]);
  // Same order every install: by the registration order of the seed (ids are time-ordered).
  for (const row of [...rows].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const bound = addDays(c.today, -HISTORY_DAYS - int(5, 400));
    const consentDay = firstConsent.get(row.id);
    const regDay = consentDay && consentDay < bound ? consentDay : bound;
    const registered = at(regDay, 9 * 60 + int(0, 420));
    await trx
      .updateTable('residents')
      .set({ created_at: iso(registered), ...(row.updated_at === row.created_at ? { updated_at: iso(registered) } : {}) })
      .where('id', '=', row.id)
      .execute();
    let k = 0;
    for (const e of byResident.get(row.id) ?? []) {
      const when = e.kind === 'created' ? registered : plusMin(consentDay && consentDay > regDay ? at(consentDay, 10 * 60) : registered, 10 + k++);
      await trx.updateTable('resident_events').set({ at: iso(when), id: idAt(when.getTime()) }).where('id', '=', e.id).execute();
    }
  }
}
