// `npm run bench -- visits-due`: the due list on a station-sized dataset, in process through app.inject
// (PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL=postgres://... in front). 30,000 residents across the demo villages,
// about 100,000 visits over two years and 20,000 older ledger entries of method 'visit'.
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createTestApp } from '../server/src/test/app.js';
import { newId } from '../server/src/lib/ids.js';
import type { ResidentTable } from '../server/src/db/tables.js';
import { cadences, dueCte } from '../server/src/modules/visits/due.js';
import { shanghaiDay } from '../server/src/modules/visits/cadence.js';

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 30_000);
const NOW = new Date('2026-11-29T02:00:00Z');

export async function runVisitsDueBenchmark(): Promise<void> {
  if (process.env.BENCH_DATABASE_URL && !process.env.TEST_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;
  const t = await createTestApp({ demoServices: true });
  t.clock.set(NOW);
  const db = t.deps.db;
  const stationId = (await db.selectFrom('stations').select('id').executeTakeFirstOrThrow()).id;
  const villages = (await db.selectFrom('villages').select('id').where('station_id', '=', stationId).orderBy('code').execute()).map((v) => v.id);
  const worker = (await db.selectFrom('users').select('id').where('username', '=', 'shegong1').executeTakeFirstOrThrow()).id;
  const tiers = ['high', 'priority', 'priority', 'normal', 'normal', 'normal', 'normal', 'normal', 'normal', 'normal'] as const;
  const t0 = performance.now();
  const rows: ResidentTable[] = [];
  for (let i = 0; i < RESIDENTS; i++) {
    const created = new Date(NOW.getTime() - (400 + (i % 300)) * 86_400_000).toISOString();
    rows.push({
      id: newId(), station_id: stationId, village_id: villages[i % villages.length]!, household_id: null, relation_to_head: null,
      name: `测试${i}`, name_initials: 'cs', name_pinyin: 'ceshi', gender: i % 2 ? 'male' : 'female', birth_date: '1950-01-01',
      id_number_enc: null, id_number_masked: null, id_number_bidx: null, no_id_reason: 'bench', address_enc: null, address_masked: null,
      health_notes_enc: null, income_notes_enc: null, disability_cert_enc: null, disability_category: null, disability_grade: null,
      guardian_resident_id: null, risk_tier: tiers[i % tiers.length]!, lawful_basis: 'statutory_duty', status: 'active', status_date: null,
      version: 1, anonymised_at: null, created_by: null, created_at: created, updated_at: created,
    });
  }
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('residents').values(rows.slice(i, i + 500)).execute();
  const visits = [];
  const records = [];
  for (let i = 0; i < rows.length; i++) {
    const n = i % 7; // 0–6 visits each, ~3.3 on average
    for (let k = 0; k < n; k++) {
      const at = new Date(NOW.getTime() - ((i * 13 + k * 97) % 720) * 86_400_000 - 3_600_000).toISOString();
      visits.push({
        id: newId(), station_id: stationId, resident_id: rows[i]!.id, worker_id: worker, visited_at: at, duration_minutes: 30, mode: 'home' as const,
        met_resident: 1 as const, observations: '正常', checklist: '{}', risk_flags: '[]', tier_before: rows[i]!.risk_tier, tier_after: rows[i]!.risk_tier,
        request_id: null, follow_up_needed: 0 as const, created_by: worker, created_at: at,
      });
    }
    if (i % 3 === 0) {
      const at = new Date(NOW.getTime() - ((i * 7) % 900) * 86_400_000).toISOString();
      records.push({
        id: newId(), station_id: stationId, resident_id: rows[i]!.id, worker_id: worker, service_type_id: null, method: 'visit' as const, start_at: at, end_at: at,
        place: null, summary: '走访', outcome: null, follow_up_needed: 0 as const, source: 'manual' as const, source_id: null, created_by: worker, created_at: at,
      });
    }
  }
  for (let i = 0; i < visits.length; i += 500) await db.insertInto('visits').values(visits.slice(i, i + 500)).execute();
  for (let i = 0; i < records.length; i += 500) await db.insertInto('service_records').values(records.slice(i, i + 500)).execute();
  if (t.deps.dialect === 'postgres') await sql`vacuum analyze`.execute(db);
  process.stdout.write(`${t.deps.dialect}: seeded ${rows.length} residents, ${visits.length} visits, ${records.length} ledger visits in ${Math.round(performance.now() - t0)} ms\n`);

  const w1 = await t.login('shegong1');
  const head = await t.login('zhanzhang');
  const time = async (label: string, run: () => Promise<{ statusCode: number; body: string }>, n = 10) => {
    await run();
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      const res = await run();
      ms.push(performance.now() - s);
      if (res.statusCode !== 200) throw new Error(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    ms.sort((a, b) => a - b);
    process.stdout.write(`  ${label.padEnd(52)} median ${ms[Math.floor(n / 2)]!.toFixed(1)} ms  max ${ms[n - 1]!.toFixed(1)} ms\n`);
  };
  await time('GET /api/visits/due?scope=all&state=due (page 1)', () => head.get('/api/visits/due?scope=all&state=due&limit=20'));
  const first = (await head.get('/api/visits/due?scope=all&state=all&limit=100')).json() as { nextCursor: string };
  await time('GET /api/visits/due?scope=all&state=all (page 2, cursor)', () => head.get(`/api/visits/due?scope=all&state=all&limit=100&cursor=${first.nextCursor}`));
  await time('GET /api/visits/due?scope=mine&tier=high&state=overdue', () => w1.get('/api/visits/due?scope=mine&tier=high&state=overdue'));
  await time('GET /api/visits/due/summary', () => head.get('/api/visits/due/summary'));
  await time('GET /api/health (for comparison)', () => t.anon.get('/api/health'));
  if (process.env.BENCH_EXPLAIN) {
    // The plan of the whole-station page query (BENCH_EXPLAIN=1).
    const days = await cadences(db, [stationId]);
    const q = sql`${dueCte(t.deps.dialect === 'postgres', { stationIds: [stationId] }, days, shanghaiDay(NOW))}
      select d.id from d where d.days_overdue >= -7 order by d.days_overdue desc, d.tier_rank, d.id limit 21`;
    const plan = t.deps.dialect === 'postgres' ? await sql`explain analyze ${q}`.execute(db) : await sql`explain query plan ${q}`.execute(db);
    for (const r of plan.rows as Record<string, unknown>[]) process.stdout.write(`${Object.values(r).join(' ')}\n`);
  }
  await t.close();
}
