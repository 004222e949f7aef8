import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql, type Insertable } from 'kysely';
import { benchDatabase } from './database.js';
import { buildApp } from '../server/src/app.js';
import { boot } from '../server/src/boot.js';
import { loadConfig } from '../server/src/config.js';
import { newId } from '../server/src/lib/ids.js';
import { makeIdNumber } from '../server/src/lib/identity.js';
import { nameKeyRows, phoneIndex, residentColumns } from '../server/src/modules/residents/residents.js';
import type { ResidentValues } from '../server/src/modules/residents/validate.js';
import { seedDemo } from '../server/src/modules/setup/demo.js';
import type { Category, ResidentCategoryTable, ResidentPhoneTable, ResidentTable } from '../server/src/db/tables.js';

/**
 * The `search` benchmark: 100,000 residents in one station (SQLite in a temp dir, or
 * BENCH_DATABASE_URL for PostgreSQL), then the list queries a worker types all day, each run many
 * times through the whole app (app.inject: routing, auth, validation, serialisation included).
 * Prints p50/p99 per query and the ratio of each p50 to GET /api/health measured in the same run.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'bench', 'results', 'search.json');
const N = Number(process.env.BENCH_RESIDENTS ?? 100_000);
const ROUNDS = 60;
const TARGET_P99_MS = 100;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['桂英', '秀英', '玉兰', '建国', '德明', '福生', '国华', '子涵', '浩然', '雨欣', '志强', '丽', '军', '芳', '海波', '春花', '冬梅', '长生', '一诺', '思琪'];
const CATS: Category[] = ['dibao', 'tekun', 'elderly_alone', 'elderly_empty_nest', 'left_behind_child', 'disabled', 'poverty_watch'];

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export async function runSearchBenchmark(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xq-bench-search-'));
  const database = await benchDatabase();
  const config = { ...loadConfig({}), dataDir, databaseUrl: database.url, masterKey: randomBytes(32).toString('base64'), serveWeb: false, logLevel: 'silent' };
  const deps = await boot(config);
  const { db, keys } = deps;
  await seedDemo(db, 'Xiangqiao#2026', new Date());
  const station = await db.selectFrom('stations').select('id').executeTakeFirstOrThrow();
  const villages = await db.selectFrom('villages').select('id').where('station_id', '=', station.id).execute();

  const t0 = performance.now();
  const now = new Date().toISOString();
  let firstId = '';
  let firstPhone = '';
  const BATCH = 500;
  for (let start = 0; start < N; start += BATCH) {
    const rows: Insertable<ResidentTable>[] = [];
    const phones: Insertable<ResidentPhoneTable>[] = [];
    const cats: Insertable<ResidentCategoryTable>[] = [];
    const nameKeys: ReturnType<typeof nameKeyRows> = [];
    for (let i = start; i < Math.min(N, start + BATCH); i++) {
      const y = 1930 + (i % 90);
      const birthDate = `${y}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
      const gender = i % 2 ? 'male' : 'female';
      // Birth dates repeat every 1,260 rows (lcm of 90, 12, 28); a new address code per block keeps IDs distinct.
      const idNumber = makeIdNumber({ addressCode: String(430100 + Math.floor(i / 1260)), birthDate, sequence: gender === 'male' ? 1 : 2 });
      const phone = `13${String(100000000 + i).slice(-9)}`;
      if (i === 0) {
        firstId = idNumber;
        firstPhone = phone;
      }
      const v: ResidentValues = {
        name: SURNAMES[i % SURNAMES.length]! + GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]!,
        gender, birthDate, idNumber, noIdReason: null, phones: [{ number: phone, relation: 'self' }],
        villageId: villages[i % villages.length]!.id, householdId: null, relationToHead: null, address: `大瑶镇某组${i}号`,
        categories: [CATS[i % CATS.length]!], disability: null, healthNotes: null, incomeNotes: null, guardianResidentId: null,
        riskTier: (['normal', 'priority', 'high'] as const)[i % 3]!, lawfulBasis: 'statutory_duty', status: 'active', statusDate: null,
      };
      const id = newId();
      rows.push({ ...residentColumns(keys, v), id, station_id: station.id, version: 1, anonymised_at: null, created_by: null, created_at: now, updated_at: now });
      phones.push({ resident_id: id, station_id: station.id, position: 0, number_enc: 'x', number_masked: '138****0000', number_bidx: phoneIndex(keys, phone), relation: 'self' as const });
      cats.push({ station_id: station.id, resident_id: id, category: v.categories[0]! });
      nameKeys.push(...nameKeyRows(id, station.id, v.name));
    }
    await db.transaction().execute(async (trx) => {
      // SQLite allows 32,766 bound values per statement; ~36 columns × 500 rows fits.
      await trx.insertInto('residents').values(rows).execute();
      await trx.insertInto('resident_phones').values(phones).execute();
      await trx.insertInto('resident_categories').values(cats).execute();
      await trx.insertInto('resident_name_keys').values(nameKeys).execute();
    });
  }
  const seedSeconds = (performance.now() - t0) / 1000;
  // Fresh statistics, as a database that grew over months would have.
  await sql`analyze`.execute(db);

  const app = await buildApp(deps, { logger: false });
  await app.ready();
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'shegong1', password: 'Xiangqiao#2026' } });
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const first = await app.inject({ method: 'GET', url: '/api/residents?limit=20', headers: { cookie } });
  const cursor = (first.json() as { nextCursor: string }).nextCursor;

  const queries: Record<string, string> = {
    health: '/api/health',
    'list first page': '/api/residents?limit=20',
    'list next page': `/api/residents?limit=20&cursor=${cursor}`,
    'name fragment 桂英': `/api/residents?q=${encodeURIComponent('桂英')}`,
    'name fragment, no match': `/api/residents?q=${encodeURIComponent('龘')}`,
    'pinyin, no match': '/api/residents?q=qqq',
    'pinyin initials wgy': '/api/residents?q=wgy',
    'pinyin initials (inner) gy': '/api/residents?q=gy',
    'full ID number': `/api/residents?q=${firstId}`,
    'full phone': `/api/residents?q=${firstPhone}`,
    'category tekun': '/api/residents?category=tekun',
    'age 80–90 high risk': '/api/residents?ageMin=80&ageMax=90&riskTier=high',
    'village + category': `/api/residents?villageId=${villages[1]!.id}&category=elderly_alone`,
  };
  const results: Record<string, { p50: number; p99: number; items: number }> = {};
  for (const [name, url] of Object.entries(queries)) {
    const times: number[] = [];
    let items = 0;
    for (let i = 0; i < ROUNDS + 5; i++) {
      const s = performance.now();
      const res = await app.inject({ method: 'GET', url, headers: { cookie } });
      const ms = performance.now() - s;
      if (res.statusCode !== 200) throw new Error(`${name}: HTTP ${res.statusCode} ${res.body}`);
      if (i >= 5) times.push(ms);
      items = (res.json() as { items?: unknown[] }).items?.length ?? 0;
    }
    results[name] = { p50: percentile(times, 50), p99: percentile(times, 99), items };
  }
  const health = results.health!.p50;
  console.log(`search benchmark: ${N.toLocaleString('en')} residents on ${deps.dialect}, seeded in ${seedSeconds.toFixed(1)} s; ${ROUNDS} rounds per query through app.inject\n`);
  console.log(`${'query'.padEnd(30)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'×health'.padStart(8)} ${'items'.padStart(6)}`);
  let worst = 0;
  for (const [name, r] of Object.entries(results)) {
    if (name !== 'health') worst = Math.max(worst, r.p99);
    console.log(`${name.padEnd(30)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${(r.p50 / health).toFixed(1).padStart(8)} ${String(r.items).padStart(6)}`);
  }
  const pass = worst <= TARGET_P99_MS;
  console.log(`\nworst p99 ${worst.toFixed(1)} ms (target ≤ ${TARGET_P99_MS} ms): ${pass ? 'PASS' : 'FAIL'}`);
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, JSON.stringify({ at: new Date().toISOString(), dialect: deps.dialect, residents: N, seedSeconds, results, worstP99Ms: worst, pass }, null, 2));
  await app.close();
  await db.destroy();
  await database.drop();
  if (process.env.BENCH_KEEP) console.log(`kept the database in ${dataDir}`);
  else fs.rmSync(dataDir, { recursive: true, force: true });
}
