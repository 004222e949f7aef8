import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { benchDatabase } from './database.js';
import { ROOT, startServer, stopServer } from './server.js';
import { boot } from '../server/src/boot.js';
import { loadConfig } from '../server/src/config.js';
import { connect } from '../server/src/db/connect.js';
import { ACTIVE_APPOINTMENT_STATUSES } from '../server/src/db/tables.js';
import { newId } from '../server/src/lib/ids.js';
import { makeIdNumber } from '../server/src/lib/identity.js';
import { seedDemo } from '../server/src/modules/setup/demo.js';
import { createUser } from '../server/src/modules/users/users.js';

/**
 * The `booking` benchmark: the real server (a child process, SQLite or BENCH_DATABASE_URL) with ten
 * workers and one 30-minute service. 50 connections each loop "read a day's slot list, book a slot"
 * over 1,000 free slots; every slot is handed out twice in random order, so half the bookings race
 * another for the same time and must get 409 slot_taken. Afterwards SQL looks for any two active
 * appointments of one worker whose blocks overlap (double bookings: must be 0). GET /api/health
 * is measured in the same run for the ratio.
 */

const RESULTS = path.join(ROOT, 'bench', 'results', 'booking.json');
const PASSWORD = 'Xiangqiao#2026';
const MASTER_KEY = Buffer.alloc(32, 7).toString('base64'); // the key bench/server.ts gives the server
const CONNECTIONS = 50;
const WORKERS = 10;
const SLOTS = 1000;
const RESIDENTS = 50;
const DAY_MS = 86_400_000;
const TARGETS = { bookP99Ms: 250, slotsP99Ms: 250 };

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** Shanghai calendar date of an instant, and the instant of a Shanghai wall-clock time (no DST in China). */
const shanghaiDate = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const shanghaiInstant = (date: string, minute: number) => new Date(Date.parse(`${date}T00:00:00Z`) - 8 * 3_600_000 + minute * 60_000);

const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

interface Res {
  status: number;
  body: string;
  ms: number;
  /** Cookies the answer set (name=value pairs). */
  cookie: string;
}

function request(base: string, method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<Res> {
  const t0 = performance.now();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${url}`, { method, agent, headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}) } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, ms: performance.now() - t0, cookie: (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ') }));
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function login(base: string, username: string): Promise<Record<string, string>> {
  const r = await request(base, 'POST', '/api/auth/login', {}, { username, password: PASSWORD });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.body}`);
  return { cookie: r.cookie, 'x-csrf-token': (JSON.parse(r.body) as { csrfToken: string }).csrfToken };
}

/** The workers, their hours (every day 08:00–18:00, so the run does not depend on the weekday) and the service. */
async function seed(dataDir: string, databaseUrl: string | null): Promise<{ serviceTypeId: string; villageId: string; firstDay: string; lastDay: string }> {
  const config = { ...loadConfig({}), dataDir, databaseUrl, masterKey: MASTER_KEY, serveWeb: false, logLevel: 'silent' as const };
  const deps = await boot(config);
  const { db } = deps;
  try {
    const now = new Date();
    await seedDemo(db, PASSWORD, now);
    const stationId = (await db.selectFrom('stations').select('id').executeTakeFirstOrThrow()).id;
    const villageId = (await db.selectFrom('villages').select('id').where('station_id', '=', stationId).orderBy('code').executeTakeFirstOrThrow()).id;
    const serviceTypeId = newId();
    const iso = now.toISOString();
    await db.insertInto('service_types').values({ id: serviceTypeId, station_id: stationId, name: '政策咨询（压测）', area: 'policy', mode: 'station', duration_minutes: 30, buffer_minutes: 0, travel_minutes: 0, resident_bookable: 1, description: null, active: 1, created_at: iso, updated_at: iso }).execute();
    for (let i = 1; i <= WORKERS; i++) {
      const userId = await db.transaction().execute((trx) =>
        createUser(trx, { username: `bench_w${String(i).padStart(2, '0')}`, displayName: `压测社工${i}`, password: PASSWORD, roles: [{ role: 'social_worker', stationId, countyId: null }], mustChangePassword: false, demoPassword: true }, now),
      );
      await db.insertInto('service_type_workers').values({ station_id: stationId, service_type_id: serviceTypeId, user_id: userId }).execute();
      await db.insertInto('worker_hours').values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ station_id: stationId, user_id: userId, weekday, start_minute: 480, end_minute: 1080 }))).execute();
    }
    // Start tomorrow; skip holidays (the national calendar) until there are enough days for 1,000 slots.
    const holidays = new Set((await db.selectFrom('calendar_days').select('date').where('kind', '=', 'holiday').execute()).map((d) => d.date));
    const perDay = WORKERS * 20;
    const days: string[] = [];
    for (let d = 1; days.length < Math.ceil(SLOTS / perDay); d++) {
      const date = shanghaiDate(new Date(now.getTime() + d * DAY_MS));
      if (!holidays.has(date)) days.push(date);
    }
    return { serviceTypeId, villageId, firstDay: days[0]!, lastDay: days[days.length - 1]! };
  } finally {
    await db.destroy();
  }
}

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

export async function runBookingBenchmark(): Promise<void> {
  const dialect = process.env.BENCH_DATABASE_URL ? 'postgres' : 'sqlite';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xq-bench-booking-'));
  const database = await benchDatabase();
  let child: ChildProcess | null = null;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    const entry = process.env.BENCH_SERVER_ENTRY ?? 'server/dist/main.js';
    console.log(`booking benchmark: ${entry}, ${dialect}, ${CONNECTIONS} connections, ${WORKERS} workers, ${SLOTS} free slots each offered twice (Node ${process.version}, ${os.cpus().length} CPUs)`);
    const { serviceTypeId, villageId, firstDay, lastDay } = await seed(dataDir, database.url);
    const server = await startServer(dataDir, { databaseUrl: database.url, pin: false });
    child = server.child;
    const base = server.base;

    const sessions = await Promise.all(['shegong1', 'shegong2', 'zhanzhang', 'bench_w01', 'bench_w02'].map((u) => login(base, u)));
    const residents: string[] = [];
    for (let i = 0; i < RESIDENTS; i++) {
      const birthDate = `19${40 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`;
      const r = await request(base, 'POST', '/api/residents', sessions[0]!, {
        name: `压测居民${i}`, gender: i % 2 ? 'male' : 'female', birthDate,
        idNumber: makeIdNumber({ addressCode: '430181', birthDate, sequence: 100 + i * 2 + (i % 2) }),
        phones: [{ number: `1381234${String(i).padStart(4, '0')}`, relation: 'self' }], villageId, categories: [], riskTier: 'normal', lawfulBasis: 'statutory_duty',
      });
      if (r.status !== 201) throw new Error(`creating resident ${i}: ${r.status} ${r.body}`);
      residents.push((JSON.parse(r.body) as { resident: { id: string } }).resident.id);
    }

    // The free slots, as the server lists them.
    const from = shanghaiInstant(firstDay, 0).toISOString();
    const to = shanghaiInstant(lastDay, 24 * 60).toISOString();
    const listed = await request(base, 'GET', `/api/slots?serviceTypeId=${serviceTypeId}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, sessions[0]!);
    if (listed.status !== 200) throw new Error(`GET /api/slots: ${listed.status} ${listed.body}`);
    const free = (JSON.parse(listed.body) as { items: { start: string; workerId: string }[] }).items.slice(0, SLOTS);
    if (free.length < SLOTS) throw new Error(`only ${free.length} free slots listed, ${SLOTS} needed`);
    const days = [...new Set(free.map((s) => shanghaiDate(new Date(s.start))))];
    const queue = shuffle([...free, ...free]);

    // Warm-up (the JIT, statement caches, one keep-alive socket per connection): health, then slot
    // reads at the measured concurrency (no bookings). With only a few sockets warmed, the first burst
    // of 50 reads at t0 measured 2.4 s for the last one while later bursts took ~0.1 s; that start-up
    // cost is not what the steady-state p99 is about (the note of issue 4 records it).
    await autocannon({ url: `${base}/api/health`, connections: CONNECTIONS, duration: 2 });
    for (let round = 0; round < 20; round++) {
      await Promise.all(
        Array.from({ length: CONNECTIONS }, (_, vu) => {
          const day = days[(round + vu) % days.length]!;
          return request(base, 'GET', `/api/slots?serviceTypeId=${serviceTypeId}&from=${encodeURIComponent(shanghaiInstant(day, 0).toISOString())}&to=${encodeURIComponent(shanghaiInstant(day, 1440).toISOString())}`, sessions[vu % sessions.length]!);
        }),
      );
    }

    const bookMs: number[] = [];
    const slotsMs: number[] = [];
    const codes = new Map<number, number>();
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, vu) => {
        const headers = sessions[vu % sessions.length]!;
        for (;;) {
          const i = next++;
          const slot = queue[i];
          if (!slot) return;
          const day = days[i % days.length]!;
          const s = await request(base, 'GET', `/api/slots?serviceTypeId=${serviceTypeId}&from=${encodeURIComponent(shanghaiInstant(day, 0).toISOString())}&to=${encodeURIComponent(shanghaiInstant(day, 1440).toISOString())}`, headers);
          slotsMs.push(s.ms);
          codes.set(s.status, (codes.get(s.status) ?? 0) + 1);
          const b = await request(base, 'POST', '/api/appointments', headers, { serviceTypeId, residentId: residents[i % residents.length], start: slot.start, workerId: slot.workerId });
          bookMs.push(b.ms);
          codes.set(b.status, (codes.get(b.status) ?? 0) + 1);
          if (b.status === 409 && !b.body.includes('slot_taken')) codes.set(-409, (codes.get(-409) ?? 0) + 1);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const requests = bookMs.length + slotsMs.length;
    const throughput = requests / seconds;

    const health = await autocannon({ url: `${base}/api/health`, connections: CONNECTIONS, duration: 5 });
    const healthRps = health.requests.total / health.duration;
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('the server died during the run');
    await stopServer(child);
    child = null;

    // Double bookings, by SQL: two active appointments of one worker whose blocks overlap.
    const { db } = connect({ databaseUrl: database.url, dataDir });
    const active = [...ACTIVE_APPOINTMENT_STATUSES];
    const doubles = await db
      .selectFrom('appointments as a')
      .innerJoin('appointments as b', (j) => j.onRef('a.worker_id', '=', 'b.worker_id').onRef('a.id', '<', 'b.id').onRef('a.block_start_at', '<', 'b.block_end_at').onRef('b.block_start_at', '<', 'a.block_end_at'))
      .select(sql<number>`count(*)`.as('n'))
      .where('a.status', 'in', active)
      .where('b.status', 'in', active)
      .executeTakeFirstOrThrow();
    const booked = await db.selectFrom('appointments').select(sql<number>`count(*)`.as('n')).where('status', 'in', active).executeTakeFirstOrThrow();
    await db.destroy();
    const doubleBookings = Number(doubles.n);
    const appointments = Number(booked.n);

    const created = codes.get(201) ?? 0;
    const taken = codes.get(409) ?? 0;
    const other = [...codes.entries()].filter(([k]) => ![200, 201, 409, -409].includes(k)).reduce((n, [, v]) => n + v, 0) + (codes.get(-409) ?? 0);
    const f = (xs: number[]) => ({ p50Ms: percentile(xs, 50), p99Ms: percentile(xs, 99), maxMs: Math.max(...xs) });
    const book = f(bookMs);
    const slots = f(slotsMs);
    const checks = [
      { name: 'double bookings found by SQL = 0', value: String(doubleBookings), pass: doubleBookings === 0 },
      { name: `every slot booked once (${SLOTS} × 201)`, value: `${created} × 201, ${appointments} active`, pass: created === SLOTS && appointments === SLOTS },
      { name: `every second try 409 slot_taken (${SLOTS})`, value: String(taken), pass: taken === SLOTS },
      { name: 'no other answers or errors', value: String(other), pass: other === 0 },
      { name: `booking p99 < ${TARGETS.bookP99Ms} ms`, value: `${book.p99Ms.toFixed(1)} ms`, pass: book.p99Ms < TARGETS.bookP99Ms },
      { name: `slot list p99 < ${TARGETS.slotsP99Ms} ms`, value: `${slots.p99Ms.toFixed(1)} ms`, pass: slots.p99Ms < TARGETS.slotsP99Ms },
    ];

    console.log('');
    console.log(`${'request'.padEnd(26)}${'count'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}`);
    console.log(`${'POST /api/appointments'.padEnd(26)}${String(bookMs.length).padStart(8)}${book.p50Ms.toFixed(1).padStart(9)}${book.p99Ms.toFixed(1).padStart(9)}${book.maxMs.toFixed(1).padStart(9)}`);
    console.log(`${'GET /api/slots (a day)'.padEnd(26)}${String(slotsMs.length).padStart(8)}${slots.p50Ms.toFixed(1).padStart(9)}${slots.p99Ms.toFixed(1).padStart(9)}${slots.maxMs.toFixed(1).padStart(9)}`);
    console.log(`${'GET /api/health'.padEnd(26)}${String(health.requests.total).padStart(8)}${health.latency.p50.toFixed(1).padStart(9)}${health.latency.p99.toFixed(1).padStart(9)}${health.latency.max.toFixed(1).padStart(9)}`);
    console.log('');
    console.log(`booking + slot reads: ${requests} requests in ${seconds.toFixed(1)} s = ${throughput.toFixed(0)} req/s; health ${healthRps.toFixed(0)} req/s; ratio ${(throughput / healthRps).toFixed(3)}`);
    console.log(`answers: ${[...codes.entries()].filter(([k]) => k > 0).map(([k, v]) => `${v} × ${k}`).join(', ')}; double bookings found by SQL: ${doubleBookings}`);
    console.log('');
    for (const c of checks) console.log(`${c.pass ? 'PASS' : 'FAIL'}  ${c.name.padEnd(42)} ${c.value}`);
    const pass = checks.every((c) => c.pass);
    console.log(`\n${pass ? 'PASS' : 'FAIL'}: booking benchmark ${pass ? 'meets' : 'misses'} its targets`);

    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    const json = {
      benchmark: 'booking', at: new Date().toISOString(), dialect, server: entry, node: process.version, cpus: os.cpus().length, loadAverage1m: os.loadavg()[0],
      connections: CONNECTIONS, workers: WORKERS, slots: SLOTS, seconds, requests, throughputReqPerSec: throughput, healthReqPerSec: healthRps, ratioToHealth: throughput / healthRps,
      book, slotList: slots, health: { p50Ms: health.latency.p50, p99Ms: health.latency.p99 }, answers: Object.fromEntries(codes), doubleBookings, activeAppointments: appointments,
      targets: TARGETS, checks, pass,
    };
    fs.writeFileSync(RESULTS, `${JSON.stringify(json, null, 2)}\n`);
    console.log(`Figures written to ${path.relative(process.cwd(), RESULTS) || RESULTS}`);
    // A double booking is a correctness failure, not a slow run.
    if (doubleBookings > 0) throw new Error(`${doubleBookings} double bookings found`);
  } finally {
    if (child) await stopServer(child);
    process.removeListener('exit', killOnExit);
    agent.destroy();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
