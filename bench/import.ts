import { benchDatabase } from './database.js';
import { ROOT, startServer, stopServer } from './server.js';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeIdNumber } from '../server/src/lib/identity.js';
import { readGrid } from '../server/src/modules/roster/sheet.js';
import { chineseName, xlsxRoster, type RosterRow } from '../server/src/modules/roster/testing.js';

/**
 * The `import` benchmark: a 10,000-row roster (.xlsx, realistic names, valid fictitious ID numbers,
 * phones, the four demo villages) sent to the real compiled server (npm start's build) on a fresh
 * data dir (SQLite, or BENCH_DATABASE_URL): a dry run, then the commit (valid_only), then the same
 * file again (everything already registered). Each is one HTTP request timed end to end. Baseline
 * in the same run: reading the same workbook in this process (exceljs, no checks, no database).
 */

const RESULTS = path.join(ROOT, 'bench', 'results', 'import.json');
const PASSWORD = 'Xiangqiao#2026';
const TARGET_TOTAL_S = 15;

function rowsCount(): number {
  const raw = process.env.BENCH_ROWS;
  const n = raw ? Number(raw) : 10_000;
  if (!Number.isInteger(n) || n < 1 || n > 50_000) throw new Error(`BENCH_ROWS must be 1–50000, got "${raw}"`);
  return n;
}

const VILLAGES = ['上升村', '枫林村', '南山村', '南阳村'];
const CATEGORY_SETS = ['低保、独居老人', '特困供养', '空巢老人', '低保边缘', '留守老人、失能老人', '残疾人', '', '计生特殊家庭'];
const RISKS = ['一般', '一般', '重点', '高风险'];
export const HEADERS = ['序号', '姓名', '性别', '身份证号码', '出生日期', '联系电话', '子女电话', '所属村', '家庭住址', '人员类别', '风险等级', '备注'];

/** Row i: a unique birth date (one day apart from 1935) makes every ID number unique. */
export function rosterRow(i: number): RosterRow {
  const birth = new Date(Date.UTC(1935, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
  const sequence = (i * 7) % 1000;
  // 430102 (长沙市芙蓉区): away from the demo residents' 430181, so none of these is already registered.
  const id = makeIdNumber({ addressCode: '430102', birthDate: birth, sequence });
  const village = VILLAGES[i % VILLAGES.length]!;
  return [
    i + 1,
    chineseName(i),
    sequence % 2 === 1 ? '男' : '女',
    id,
    birth,
    `13${String(800_000_000 + i * 37).padStart(9, '0')}`,
    i % 3 === 0 ? `15${String(900_000_000 + i * 53).padStart(9, '0')}（儿子）` : '',
    village,
    `${village}${(i % 12) + 1}组${(i % 60) + 1}号`,
    CATEGORY_SETS[i % CATEGORY_SETS.length]!,
    RISKS[i % RISKS.length]!,
    i % 10 === 0 ? '行动不便' : '',
  ];
}

async function login(base: string, username: string): Promise<{ cookie: string; csrf: string }> {
  const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (r.status !== 200) throw new Error(`login as ${username} failed: ${r.status} ${await r.text()}`);
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

interface Answer {
  rows: number;
  valid: number;
  newRows: number;
  alreadyRegistered: number;
  invalid: number;
  created: number;
  problems: unknown[];
}

async function upload(base: string, auth: { cookie: string; csrf: string }, bytes: Buffer, query: string): Promise<{ ms: number; body: Answer }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), 'bench-roster.xlsx');
  const t0 = performance.now();
  const r = await fetch(`${base}/api/residents/import?${query}`, { method: 'POST', headers: { cookie: auth.cookie, 'x-csrf-token': auth.csrf }, body: form });
  const text = await r.text();
  const ms = performance.now() - t0;
  if (r.status !== 200) throw new Error(`POST /api/residents/import?${query}: ${r.status} ${text.slice(0, 500)}`);
  return { ms, body: JSON.parse(text) as Answer };
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function runImportBenchmark(): Promise<void> {
  const n = rowsCount();
  const dialect = process.env.BENCH_DATABASE_URL ? 'postgres' : 'sqlite';
  const entry = process.env.BENCH_SERVER_ENTRY === 'src' ? 'server/src/main.ts (tsx)' : 'server/dist/main.js';
  console.log(`import benchmark: ${n.toLocaleString('en')} rows, ${entry}, ${dialect} (Node ${process.version}, ${os.cpus().length} CPUs)`);
  const t0 = performance.now();
  const rows = Array.from({ length: n }, (_, i) => rosterRow(i));
  const bytes = await xlsxRoster(HEADERS, rows);
  const genMs = performance.now() - t0;
  const p0 = performance.now();
  const grid = await readGrid(bytes);
  const parseMs = performance.now() - p0;
  if (grid.rows.length !== n + 1) throw new Error(`baseline read ${grid.rows.length} rows, expected ${n + 1}`);
  console.log(`roster: ${(bytes.length / 1024 / 1024).toFixed(2)} MB .xlsx, generated in ${s(genMs)}`);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xq-bench-import-'));
  const database = await benchDatabase();
  let child: ChildProcess | null = null;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    const server = await startServer(dataDir, { databaseUrl: database.url, pin: false });
    child = server.child;
    const auth = await login(server.base, 'shegong1');
    // Warm-up: a small file through the same route, so JIT and statement caches are not measured.
    await upload(server.base, auth, await xlsxRoster(HEADERS, rows.slice(0, 50).map((r) => [...r.slice(0, 3), null, ...r.slice(4)])), 'dryRun=true');
    const h0 = performance.now();
    for (let i = 0; i < 20; i++) await fetch(`${server.base}/api/health`);
    const healthMs = (performance.now() - h0) / 20;

    const dry = await upload(server.base, auth, bytes, 'dryRun=true');
    if (dry.body.valid !== n || dry.body.problems.length > 0) throw new Error(`dry run: ${dry.body.valid} of ${n} valid, problems: ${JSON.stringify(dry.body.problems.slice(0, 3))}`);
    const commit = await upload(server.base, auth, bytes, 'dryRun=false&mode=valid_only');
    if (commit.body.created !== n) throw new Error(`commit created ${commit.body.created} of ${n}`);
    const again = await upload(server.base, auth, bytes, 'dryRun=false&mode=valid_only');
    if (again.body.created !== 0 || again.body.alreadyRegistered !== n) throw new Error(`second import created ${again.body.created}, skipped ${again.body.alreadyRegistered}`);

    const total = dry.ms + commit.ms;
    const pass = total <= TARGET_TOTAL_S * 1000;
    console.log('');
    console.log(`${'step'.padEnd(44)}${'time'.padStart(10)}${'× parse'.padStart(10)}`);
    const line = (label: string, ms: number) => console.log(`${label.padEnd(44)}${s(ms).padStart(10)}${(ms / parseMs).toFixed(1).padStart(10)}`);
    line('baseline: read the .xlsx in-process (exceljs)', parseMs);
    line(`dry run (upload, read, check ${n} rows)`, dry.ms);
    line(`commit valid_only (check again + insert ${n})`, commit.ms);
    line('same file again (all already registered)', again.ms);
    console.log(`${'GET /api/health round trip (mean of 20)'.padEnd(44)}${`${healthMs.toFixed(2)} ms`.padStart(10)}`);
    console.log('');
    console.log(`dry run + commit: ${s(total)} for ${n.toLocaleString('en')} rows (${((total / n) * 1000).toFixed(0)} µs per row per pass pair); target ≤ ${TARGET_TOTAL_S} s`);
    console.log(`${pass ? 'PASS' : 'FAIL'}: import benchmark ${pass ? 'meets' : 'misses'} its target`);
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(
      RESULTS,
      `${JSON.stringify(
        { benchmark: 'import', at: new Date().toISOString(), dialect, server: entry, node: process.version, cpus: os.cpus().length, rows: n, fileBytes: bytes.length, parseBaselineMs: parseMs, dryRunMs: dry.ms, commitMs: commit.ms, secondImportMs: again.ms, healthMs, totalMs: total, targetTotalMs: TARGET_TOTAL_S * 1000, pass },
        null,
        2,
      )}\n`,
    );
    console.log(`Figures written to ${path.relative(process.cwd(), RESULTS) || RESULTS}`);
  } finally {
    if (child) await stopServer(child);
    process.removeListener('exit', killOnExit);
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
