import { SqliteAdapter, sql, type Kysely } from 'kysely';
import type { Category, DB, ResidentTable } from '../../db/tables.js';
import { badRequest } from '../../lib/errors.js';
import { ageOn, dateInTimeZone, validateIdNumber, validatePhone } from '../../lib/identity.js';
import { normalizePinyinQuery, prefixUpperBound } from '../../lib/pinyin.js';
import type { Principal, StationScope } from '../../lib/policy.js';
import { contains, inScopeSql } from '../../lib/sql.js';
import type { KeyRing } from '../../lib/crypto.js';
import { revealableFields } from './access.js';
import { idNumberIndex, phoneIndex } from './residents.js';
import type { ResidentDetailView, ResidentListFilters, ResidentListItemView } from './schema.js';

/** Up to this many pinyin matches are fetched by id; more are found by walking the list index. */
const FEW_MATCHES = 500;

function isSqlite(db: Kysely<DB>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** Cursor over (name_pinyin, id): base64url JSON, checked on the way in. */
function encodeCursor(pinyin: string, id: string): string {
  return Buffer.from(JSON.stringify([pinyin, id]), 'utf8').toString('base64url');
}
function decodeCursor(c: string | undefined): [string, string] | null {
  if (!c) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw badRequest('validation_failed', { cursor: 'invalid' });
}

/** Born on or before this date ⇔ at least `years` old today (29 Feb falls back to 28 Feb). */
function bornBy(today: string, years: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const yy = y - years;
  const last = new Date(Date.UTC(yy, m, 0)).getUTCDate();
  return `${String(yy).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * The resident list: the one scope, then the filters. Text search follows Chinese habits: a full
 * ID number or phone matches exactly through the blind index (never by fragments, which the index
 * cannot answer and which would let anyone enumerate numbers); letters search pinyin; anything else
 * is a name fragment.
 */
export async function listResidents(db: Kysely<DB>, keys: KeyRing, scope: StationScope, f: ResidentListFilters, now: Date) {
  const limit = f.limit ?? 20;
  const after = decodeCursor(f.cursor);
  // Step 1 reads only columns of residents_station_list_idx; step 2 fetches the page's rows.
  let q = db.selectFrom('residents as r').select(['r.id', 'r.name_pinyin']).where(inScopeSql(scope, 'r.station_id'));
  // Set when a filter picks few rows through its own index (pinyin keys, exact ID or phone): then
  // reading those rows and sorting them beats walking the list index (SQLite cannot tell which is which).
  let selective = false;
  if (f.stationId) q = q.where('r.station_id', '=', f.stationId);
  if (f.villageId) q = q.where('r.village_id', '=', f.villageId);
  if (f.riskTier) q = q.where('r.risk_tier', '=', f.riskTier);
  if (f.status) q = q.where('r.status', '=', f.status);
  if (f.householdId) q = q.where('r.household_id', '=', f.householdId);
  if (f.category) {
    // Read through the category table's primary key (station_id, category, resident_id).
    // Categories are often common (a seventh of a station may be 低保): walk the list index in name
    // order and test membership, which stops after one page. On SQLite a unary + keeps the planner
    // from driving the query by the category set and sorting thousands of wide rows instead.
    const members = db.selectFrom('resident_categories').select('resident_id').where(inScopeSql(scope, 'station_id')).where('category', '=', f.category);
    q = isSqlite(db) ? q.where(sql<boolean>`+${sql.ref('r.id')} in (${members})`) : q.where('r.id', 'in', members);
  }
  const today = dateInTimeZone(now);
  if (f.ageMin !== undefined) q = q.where('r.birth_date', '<=', bornBy(today, f.ageMin));
  if (f.ageMax !== undefined) q = q.where('r.birth_date', '>', bornBy(today, f.ageMax + 1));

  const text = f.q?.trim() ?? '';
  if (text) {
    const compact = text.replace(/[\s-]/g, '');
    const id = /^\d{17}[\dXx]$/.test(compact) ? validateIdNumber(compact, undefined, now) : null;
    if (id?.ok) {
      selective = true;
      q = q.where('r.id_number_bidx', '=', idNumberIndex(keys, id.normalized));
    } else if (/^[\d\s()+-]+$/.test(text)) {
      selective = true;
      const phone = validatePhone(text);
      // Digits that are not a whole phone number find nothing: no fragment search on numbers.
      const bidx = phone.ok ? phoneIndex(keys, phone.normalized) : '-';
      q = q.where('r.id', 'in', db.selectFrom('resident_phones').select('resident_id').where('number_bidx', '=', bidx));
    } else {
      const py = normalizePinyinQuery(text);
      if (py) {
        // An index range scan over the search keys (lib/pinyin.ts pinyinSearchRows), not a LIKE scan.
        const bound = prefixUpperBound(py);
        let matches = db.selectFrom('resident_name_keys').select('resident_id').where(inScopeSql(scope, 'station_id')).where('key', '>=', py);
        if (bound !== null) matches = matches.where('key', '<', bound);
        if (py.length < 2) matches = matches.where('pos', '=', 0);
        // Few matches (wgy): fetch them by id and sort. Many (w, gy): walk the list in name order,
        // which fills a page quickly. Neither planner can tell the two apart from the query alone.
        const few = await matches.distinct().limit(FEW_MATCHES + 1).execute();
        if (few.length <= FEW_MATCHES) {
          selective = true;
          q = few.length ? q.where('r.id', 'in', few.map((k) => k.resident_id)) : q.where(sql<boolean>`1 = 0`);
        } else q = q.where('r.id', 'in', matches);
      } else q = q.where(contains('r.name', text));
    }
  }
  if (after) {
    const [p, id] = after;
    q = q.where((eb) => eb.or([eb('r.name_pinyin', '>', p), eb.and([eb('r.name_pinyin', '=', p), eb('r.id', '>', id)])]));
  }
  // Ordering by an expression stops either planner from walking the name-order index for a
  // handful of known rows (PostgreSQL too expects a page to fill early and walks 100k entries).
  const order = selective ? sql<string>`${sql.ref('r.name_pinyin')} || ''` : sql<string>`${sql.ref('r.name_pinyin')}`;
  const hits = await q.orderBy(order).orderBy('r.id').limit(limit + 1).execute();
  const more = hits.length > limit;
  const page = more ? hits.slice(0, limit) : hits;
  const last = page[page.length - 1];
  const full = page.length ? await db.selectFrom('residents').selectAll().where('id', 'in', page.map((h) => h.id)).execute() : [];
  const byId = new Map(full.map((r) => [r.id, r]));
  const items = page.map((h) => byId.get(h.id)).filter((r): r is ResidentTable => r !== undefined);
  const [extras, names] = await Promise.all([extrasFor(db, items.map((r) => r.id)), villageNames(db, items.map((r) => r.village_id))]);
  return {
    items: items.map((r) => listItem(r, names.get(r.village_id) ?? '', extras, now)),
    nextCursor: more && last ? encodeCursor(last.name_pinyin, last.id) : null,
  };
}

async function villageNames(db: Kysely<DB>, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('villages').select(['id', 'name']).where('id', 'in', unique).execute();
  return new Map(rows.map((v) => [v.id, v.name]));
}

interface Extras {
  phones: Map<string, { numberMasked: string; relation: ResidentListItemView['phones'][number]['relation'] }[]>;
  categories: Map<string, Category[]>;
}

async function extrasFor(db: Kysely<DB>, ids: string[]): Promise<Extras> {
  const phones = new Map<string, Extras['phones'] extends Map<string, infer V> ? V : never>();
  const categories = new Map<string, Category[]>();
  if (ids.length === 0) return { phones, categories };
  const [ph, cats] = await Promise.all([
    db.selectFrom('resident_phones').select(['resident_id', 'number_masked', 'relation', 'position']).where('resident_id', 'in', ids).orderBy('resident_id').orderBy('position').execute(),
    db.selectFrom('resident_categories').select(['resident_id', 'category']).where('resident_id', 'in', ids).execute(),
  ]);
  for (const p of ph) {
    const list = phones.get(p.resident_id) ?? [];
    list.push({ numberMasked: p.number_masked, relation: p.relation });
    phones.set(p.resident_id, list);
  }
  for (const c of cats) {
    const list = categories.get(c.resident_id) ?? [];
    list.push(c.category);
    categories.set(c.resident_id, list);
  }
  return { phones, categories };
}

const CATEGORY_ORDER = new Map<string, number>();
['dibao', 'tekun', 'dibao_edge', 'rigid_expense', 'poverty_watch', 'elderly_alone', 'elderly_empty_nest', 'elderly_left_behind', 'elderly_disabled', 'elderly_severe_disability', 'family_planning_special', 'orphan', 'de_facto_orphan', 'left_behind_child', 'child_in_difficulty', 'disabled'].forEach((c, i) => CATEGORY_ORDER.set(c, i));

function listItem(r: ResidentTable, villageName: string, x: Extras, now: Date): ResidentListItemView {
  return {
    id: r.id,
    stationId: r.station_id,
    villageId: r.village_id,
    villageName,
    householdId: r.household_id,
    name: r.name,
    gender: r.gender,
    birthDate: r.birth_date,
    age: ageOn(r.birth_date, now),
    idNumberMasked: r.id_number_masked,
    phones: x.phones.get(r.id) ?? [],
    categories: (x.categories.get(r.id) ?? []).sort((a, b) => (CATEGORY_ORDER.get(a) ?? 0) - (CATEGORY_ORDER.get(b) ?? 0)),
    riskTier: r.risk_tier,
    status: r.status,
    anonymised: r.anonymised_at !== null,
  };
}

/** The detail a staff member sees: masked values, plus which of them this user may reveal. */
export async function residentDetail(db: Kysely<DB>, p: Principal, r: ResidentTable, now: Date): Promise<ResidentDetailView> {
  const [village, extras, guardian] = await Promise.all([
    db.selectFrom('villages').select('name').where('id', '=', r.village_id).executeTakeFirstOrThrow(),
    extrasFor(db, [r.id]),
    r.guardian_resident_id
      ? db.selectFrom('residents').select(['id', 'name']).where('id', '=', r.guardian_resident_id).executeTakeFirst()
      : Promise.resolve(undefined),
  ]);
  return {
    ...listItem(r, village.name, extras, now),
    relationToHead: r.relation_to_head,
    noIdReason: r.no_id_reason,
    addressMasked: r.address_masked,
    hasHealthNotes: r.health_notes_enc !== null,
    hasIncomeNotes: r.income_notes_enc !== null,
    disability:
      r.disability_category !== null && r.disability_grade !== null
        ? { category: r.disability_category, grade: r.disability_grade, certificateMasked: `${r.id_number_masked ?? '******************'}${r.disability_category}${r.disability_grade}` }
        : null,
    guardian: guardian ? { id: guardian.id, name: guardian.name } : null,
    lawfulBasis: r.lawful_basis,
    statusDate: r.status_date,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    revealable: r.anonymised_at ? [] : revealableFields(p, r.station_id),
  };
}

/** Count matching rows (for the list header); same scope and filters as the list. */
export async function countInScope(db: Kysely<DB>, scope: StationScope): Promise<number> {
  const row = await db.selectFrom('residents').select(sql<number>`count(*)`.as('n')).where(inScopeSql(scope, 'station_id')).executeTakeFirstOrThrow();
  return Number(row.n);
}
