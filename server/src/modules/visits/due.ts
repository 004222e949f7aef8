import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB, RiskTier } from '../../db/tables.js';
import { decodeCursorParts, encodeCursor } from '../../lib/pagination.js';
import { getStationSettings } from '../settings/settings.js';
import { DUE_SOON_DAYS, dayToIso, shanghaiDay, type VisitDays } from './cadence.js';

// The due list (走访计划) in one SQL statement per page: the latest visit per resident comes from
// index-backed max() lookups on visits (and the older service records of method 'visit'), the due
// day and the days overdue are computed in SQL, so sorting, filtering and paging happen in the
// database. 30,000 residents per station: no query per resident from the app (bench: bench/visits-due.ts).

export type DueStateFilter = 'overdue' | 'due_soon' | 'due' | 'all';

export interface DueFilters {
  /** Stations the user works at (already scoped by the caller). */
  stationIds: string[];
  /** Only residents of villages this user covers (worker_villages). */
  coveredBy?: string;
  villageId?: string;
  residentId?: string;
  tier?: RiskTier;
  state?: DueStateFilter;
}

export interface DueRow {
  id: string;
  name: string;
  station_id: string;
  village_id: string;
  village_name: string;
  risk_tier: RiskTier;
  last_at: string | null;
  due_day: number;
  days_overdue: number;
  tier_rank: number;
}

/** Days since 1970-01-01 of an instant column's Asia/Shanghai date, the same as cadence.ts shanghaiDay. */
function dayOf(pg: boolean, column: string): RawBuilder<number> {
  // Integer arithmetic on SQLite (strftime('%s') is whole seconds): no floating-point julian days.
  return pg
    ? sql<number>`((${sql.ref(column)} at time zone 'Asia/Shanghai')::date - date '1970-01-01')`
    : sql<number>`((cast(strftime('%s', ${sql.ref(column)}) as integer) + 28800) / 86400)`;
}

/** The cadence of each station in scope (its settings or the defaults). */
export async function cadences(db: Kysely<DB>, stationIds: string[]): Promise<Map<string, VisitDays>> {
  const out = new Map<string, VisitDays>();
  for (const id of stationIds) out.set(id, (await getStationSettings(db, id)).visitDays);
  return out;
}

/** The CTE `d`: one row per active, non-anonymised resident in scope, with its due day and days overdue. */
export function dueCte(pg: boolean, f: DueFilters, days: Map<string, VisitDays>, today: number) {
  const stations = sql.join(f.stationIds);
  const cad = sql.join(
    f.stationIds.map((s) => {
      const d = days.get(s)!;
      return sql`(${s}, cast(${d.high} as integer), cast(${d.priority} as integer), cast(${d.normal} as integer))`;
    }),
  );
  const conds = [sql`r.station_id in (${stations})`, sql`r.status = 'active'`, sql`r.anonymised_at is null`];
  if (f.coveredBy) conds.push(sql`r.village_id in (select wv.village_id from worker_villages wv where wv.user_id = ${f.coveredBy} and wv.station_id = r.station_id)`);
  if (f.villageId) conds.push(sql`r.village_id = ${f.villageId}`);
  if (f.residentId) conds.push(sql`r.id = ${f.residentId}`);
  if (f.tier) conds.push(sql`r.risk_tier = ${f.tier}`);
  // The latest visit of each resident, in the same statement (never a query per resident):
  // - two index seeks per resident (visits_resident_idx and service_records_resident_idx give max()
  //   straight from the index): SQLite always, PostgreSQL when a filter narrows the residents;
  // - PostgreSQL over a whole station: one hash aggregate of the station's visits, joined once, which
  //   beats 60,000 per-row subplans there (bench/visits-due.ts: 129 ms against 208 ms for 30,000 residents).
  const lastVisit = sql`(select max(v.visited_at) from visits v where v.resident_id = r.id)`;
  const lastLedger = sql`(select max(s.start_at) from service_records s where s.resident_id = r.id and s.method = 'visit' and s.source <> 'visit')`;
  const grouped = pg && !f.coveredBy && !f.villageId && !f.residentId && !f.tier;
  const lastAt = grouped ? sql`lv.last_at` : pg ? sql`greatest(${lastVisit}, ${lastLedger})` : sql`nullif(max(coalesce(${lastVisit}, ''), coalesce(${lastLedger}, '')), '')`;
  const lastCte = grouped
    ? sql`last_visit as (
      select x.resident_id, max(x.at) as last_at from (
        select resident_id, visited_at as at from visits where station_id in (${stations})
        union all
        select resident_id, start_at as at from service_records where station_id in (${stations}) and method = 'visit' and source <> 'visit'
      ) x group by x.resident_id
    ),`
    : sql``;
  const lastJoin = grouped ? sql`left join last_visit lv on lv.resident_id = r.id` : sql``;
  return sql`
    with cad (station_id, d_high, d_priority, d_normal) as (values ${cad}),
    ${lastCte}
    -- Materialised: each resident's latest visit is looked up once, not once per use below.
    d0 as materialized (
      select r.id, r.name, r.station_id, r.village_id, r.risk_tier, r.created_at, ${lastAt} as last_at,
        case r.risk_tier when 'high' then c.d_high when 'priority' then c.d_priority else c.d_normal end as cadence,
        case r.risk_tier when 'high' then 0 when 'priority' then 1 else 2 end as tier_rank
      from residents r
      join cad c on c.station_id = r.station_id
      ${lastJoin}
      where ${sql.join(conds, sql` and `)}
    ),
    d1 as (select d0.*, coalesce(d0.last_at, d0.created_at) as base_at from d0),
    d as (
      select d1.*, ${dayOf(pg, 'd1.base_at')} + d1.cadence as due_day,
        cast(${today} as integer) - (${dayOf(pg, 'd1.base_at')} + d1.cadence) as days_overdue
      from d1
    )`;
}

function stateCond(state: DueStateFilter | undefined) {
  switch (state ?? 'all') {
    case 'overdue':
      return sql`d.days_overdue > 0`;
    case 'due_soon':
      return sql`d.days_overdue between ${-DUE_SOON_DAYS} and 0`;
    case 'due':
      return sql`d.days_overdue >= ${-DUE_SOON_DAYS}`;
    case 'all':
      return sql`1 = 1`;
  }
}

/**
 * One page of the due list: most days overdue first, high tier first among equals, then by id.
 * The cursor is the last row's (days overdue, tier rank, id).
 */
export async function duePage(db: Kysely<DB>, pg: boolean, f: DueFilters, now: Date, limit: number, cursor: string | undefined): Promise<{ rows: DueRow[]; nextCursor: string | null }> {
  if (f.stationIds.length === 0) return { rows: [], nextCursor: null };
  const today = shanghaiDay(now);
  const days = await cadences(db, f.stationIds);
  const conds = [stateCond(f.state)];
  const after = decodeCursorParts(cursor, ['int', 'int', 'id'] as const);
  if (after) {
    const [od, tr, id] = after;
    conds.push(sql`(d.days_overdue < ${od} or (d.days_overdue = ${od} and (d.tier_rank > ${tr} or (d.tier_rank = ${tr} and d.id > ${id}))))`);
  }
  const q = sql<DueRow>`${dueCte(pg, f, days, today)}
    select d.id, d.name, d.station_id, d.village_id, v.name as village_name, d.risk_tier, d.last_at, d.due_day, d.days_overdue, d.tier_rank
    from d join villages v on v.id = d.village_id
    where ${sql.join(conds, sql` and `)}
    order by d.days_overdue desc, d.tier_rank asc, d.id asc
    limit ${limit + 1}`;
  const rows = (await q.execute(db)).rows.map(normalise);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { rows: items, nextCursor: rows.length > limit && last ? encodeCursor(`${last.days_overdue}|${last.tier_rank}|${last.id}`) : null };
}

const normalise = (r: DueRow): DueRow => ({ ...r, due_day: Number(r.due_day), days_overdue: Number(r.days_overdue), tier_rank: Number(r.tier_rank) });

export interface DueSummary {
  byVillage: { villageId: string; villageName: string; overdue: number; dueSoon: number }[];
  byWorker: { workerId: string; workerName: string; overdue: number; dueSoon: number }[];
  overdue: number;
  dueSoon: number;
  overdueHighTier: number;
  /** The overdue high-tier residents, most overdue first (at most 20, for the alert banner). */
  overdueHigh: { id: string; name: string; daysOverdue: number }[];
}

/** Counts per village and per covering worker (overdue, due within 7 days) and the overdue high-tier residents. */
export async function dueSummary(db: Kysely<DB>, pg: boolean, f: DueFilters, now: Date): Promise<DueSummary> {
  const empty: DueSummary = { byVillage: [], byWorker: [], overdue: 0, dueSoon: 0, overdueHighTier: 0, overdueHigh: [] };
  if (f.stationIds.length === 0) return empty;
  const today = shanghaiDay(now);
  const days = await cadences(db, f.stationIds);
  const cte = dueCte(pg, { ...f, state: 'all' }, days, today);
  // One pass over the residents, grouped by village; a worker's counts are the sums over the villages
  // they cover (a resident lives in one village, so nobody is counted twice).
  const byVillage = await sql<{ village_id: string; village_name: string; overdue: number; due_soon: number; overdue_high: number }>`${cte}
    select d.village_id, v.name as village_name,
      sum(case when d.days_overdue > 0 then 1 else 0 end) as overdue,
      sum(case when d.days_overdue between ${-DUE_SOON_DAYS} and 0 then 1 else 0 end) as due_soon,
      sum(case when d.days_overdue > 0 and d.risk_tier = 'high' then 1 else 0 end) as overdue_high
    from d join villages v on v.id = d.village_id
    group by d.village_id, v.name, v.code order by v.code`.execute(db);
  // Only the high tier: a small share of the residents.
  const high = await sql<{ id: string; name: string; days_overdue: number }>`${dueCte(pg, { ...f, tier: 'high' }, days, today)}
    select d.id, d.name, d.days_overdue from d where d.days_overdue > 0
    order by d.days_overdue desc, d.id limit 20`.execute(db);
  const n = (x: unknown) => Number(x ?? 0);
  const villages = byVillage.rows.map((r) => ({ villageId: r.village_id, villageName: r.village_name, overdue: n(r.overdue), dueSoon: n(r.due_soon) }));
  const cover = await coveringWorkers(db, villages.map((v) => v.villageId));
  const workers = new Map<string, { workerId: string; workerName: string; overdue: number; dueSoon: number }>();
  for (const v of villages) {
    for (const w of cover.get(v.villageId) ?? []) {
      const c = workers.get(w.id) ?? { workerId: w.id, workerName: w.name, overdue: 0, dueSoon: 0 };
      c.overdue += v.overdue;
      c.dueSoon += v.dueSoon;
      workers.set(w.id, c);
    }
  }
  return {
    byVillage: villages,
    byWorker: [...workers.values()].sort((x, y) => x.workerName.localeCompare(y.workerName, 'zh-CN')),
    overdue: villages.reduce((s, v) => s + v.overdue, 0),
    dueSoon: villages.reduce((s, v) => s + v.dueSoon, 0),
    overdueHighTier: byVillage.rows.reduce((s, r) => s + n(r.overdue_high), 0),
    overdueHigh: high.rows.map((r) => ({ id: r.id, name: r.name, daysOverdue: n(r.days_overdue) })),
  };
}

/** Overdue high-tier residents of all (or some) stations, with their covering workers: the sweep's input. */
export async function overdueHighTier(db: Kysely<DB>, pg: boolean, stationIds: string[], now: Date) {
  if (stationIds.length === 0) return [];
  const today = shanghaiDay(now);
  const days = await cadences(db, stationIds);
  const rows = await sql<{ id: string; name: string; station_id: string; village_id: string; days_overdue: number }>`${dueCte(pg, { stationIds, tier: 'high' }, days, today)}
    select d.id, d.name, d.station_id, d.village_id, d.days_overdue from d where d.days_overdue > 0 order by d.days_overdue desc, d.id`.execute(db);
  const cover = await coveringWorkers(db, [...new Set(rows.rows.map((r) => r.village_id))]);
  return rows.rows.map((r) => ({
    residentId: r.id,
    residentName: r.name,
    stationId: r.station_id,
    daysOverdue: Number(r.days_overdue),
    coveringWorkerIds: (cover.get(r.village_id) ?? []).map((w) => w.id),
  }));
}

/** Staff (social workers, station heads) covering each village (worker_villages), by name. */
export async function coveringWorkers(db: Kysely<DB>, villageIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const out = new Map<string, { id: string; name: string }[]>();
  if (villageIds.length === 0) return out;
  const rows = await db
    .selectFrom('worker_villages as wv')
    .innerJoin('users as u', 'u.id', 'wv.user_id')
    .select(['wv.village_id', 'u.id', 'u.display_name'])
    .where('wv.village_id', 'in', villageIds)
    .where('u.disabled', '=', 0)
    // Volunteers also cover villages (for tasks) but do not get residents' risk alerts or due lists.
    .where(({ exists, selectFrom }) => exists(selectFrom('role_assignments as ra').select('ra.id').whereRef('ra.user_id', '=', 'wv.user_id').whereRef('ra.station_id', '=', 'wv.station_id').where('ra.role', 'in', ['social_worker', 'station_head'])))
    .orderBy('u.display_name')
    .execute();
  for (const r of rows) out.set(r.village_id, [...(out.get(r.village_id) ?? []), { id: r.id, name: r.display_name }]);
  return out;
}

/** Who made each resident's latest visit (page rows only: one query for the page, not one per row). */
export async function lastVisitors(db: Kysely<DB>, rows: readonly Pick<DueRow, 'id' | 'last_at'>[]): Promise<Map<string, { id: string; name: string }>> {
  const out = new Map<string, { id: string; name: string }>();
  const visited = rows.filter((r) => r.last_at);
  if (visited.length === 0) return out;
  const ids = visited.map((r) => r.id);
  const latest = new Map(visited.map((r) => [r.id, r.last_at!]));
  const v = await db.selectFrom('visits as v').innerJoin('users as u', 'u.id', 'v.worker_id').select(['v.resident_id', 'v.visited_at as at', 'u.id', 'u.display_name']).where('v.resident_id', 'in', ids).where('v.visited_at', 'in', [...latest.values()]).execute();
  const s = await db
    .selectFrom('service_records as s')
    .innerJoin('users as u', 'u.id', 's.worker_id')
    .select(['s.resident_id', 's.start_at as at', 'u.id', 'u.display_name'])
    .where('s.resident_id', 'in', ids)
    .where('s.method', '=', 'visit')
    .where('s.start_at', 'in', [...latest.values()])
    .execute();
  for (const r of [...s, ...v]) if (latest.get(r.resident_id) === r.at) out.set(r.resident_id, { id: r.id, name: r.display_name });
  return out;
}

export async function categoriesOf(db: Kysely<DB>, residentIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (residentIds.length === 0) return out;
  const rows = await db.selectFrom('resident_categories').select(['resident_id', 'category']).where('resident_id', 'in', residentIds).orderBy('category').execute();
  for (const r of rows) out.set(r.resident_id, [...(out.get(r.resident_id) ?? []), r.category]);
  return out;
}

export const dueOnOf = (r: DueRow) => dayToIso(r.due_day);
