import { spawn } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../../db/connect.js';
import { newId } from '../../lib/ids.js';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { ROOT } from '../../test/child.js';
import { createResident } from '../../test/residents.js';
import type { NotificationAdapter } from './adapters.js';
import { cancelNotificationsForAppointment, enqueueNotification } from './outbox.js';
import { backoffMs, MAX_ATTEMPTS, startOutboxWorker, type OutboxWorker } from './worker.js';

let t: TestApp;
let shegong: Agent;
let userId: (name: string) => Promise<string>;
const workers: OutboxWorker[] = [];

function worker(opts: Partial<Parameters<typeof startOutboxWorker>[1]> = {}): OutboxWorker {
  const w = startOutboxWorker(t.deps, { nodeId: 'node-a', autoStart: false, onError: () => undefined, ...opts });
  workers.push(w);
  return w;
}

async function stationId(): Promise<string> {
  return (await t.deps.db.selectFrom('stations').select('id').executeTakeFirstOrThrow()).id;
}

const reminder = (start = '2026-12-03T01:30:00Z') => ({ serviceName: '健康咨询', start, place: '大瑶镇社工站' });

async function enqueueFor(user: string, extra: { dueAt?: Date; appointmentId?: string; residentId?: string } = {}) {
  const now = t.clock.now();
  return t.deps.db.transaction().execute((trx) =>
    enqueueNotification(trx, { stationId: null, recipientUserId: user, recipientResidentId: extra.residentId ?? null, template: 'appointment_reminder', payload: reminder(), dueAt: extra.dueAt ?? now, appointmentId: extra.appointmentId ?? null }, now),
  );
}

/** A bare appointment row to hang reminders on (the booking rules are the appointments module's). */
async function appointmentRow(residentId: string, workerId: string): Promise<string> {
  const db = t.deps.db;
  const now = t.clock.now().toISOString();
  const station = await stationId();
  const typeId = newId();
  await db.insertInto('service_types').values({ id: typeId, station_id: station, name: `健康咨询 ${typeId.slice(-6)}`, area: 'elderly_care', mode: 'station', duration_minutes: 30, buffer_minutes: 0, travel_minutes: 0, resident_bookable: 1, description: null, active: 1, created_at: now, updated_at: now }).execute();
  const id = newId();
  const start = new Date(Date.parse('2027-01-05T01:00:00Z') + Math.floor(Math.random() * 1e6) * 3_600_000);
  await db
    .insertInto('appointments')
    .values({ id, station_id: station, service_type_id: typeId, resident_id: residentId, worker_id: workerId, start_at: start.toISOString(), end_at: new Date(start.getTime() + 1_800_000).toISOString(), block_start_at: start.toISOString(), block_end_at: new Date(start.getTime() + 1_800_000).toISOString(), status: 'confirmed', channel: 'staff', note: null, booked_by: workerId, cancel_reason: null, version: 1, created_at: now, updated_at: now })
    .execute();
  return id;
}

const outbox = (id: string) => t.deps.db.selectFrom('notification_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

beforeAll(async () => {
  t = await createTestApp();
  shegong = await t.login('shegong1');
  userId = async (name) => (await t.deps.db.selectFrom('users').select('id').where('username', '=', name).executeTakeFirstOrThrow()).id;
});

afterAll(async () => {
  for (const w of workers) await w.stop();
  await t.close();
});

beforeEach(async () => {
  // Tests move the clock by hours; sign in again so the session is fresh.
  shegong = await t.login('shegong1');
  await t.deps.db.deleteFrom('notifications').execute();
  await t.deps.db.deleteFrom('notification_outbox').execute();
  await t.deps.db.deleteFrom('notification_preferences').execute();
});

describe('enqueue and deliver', () => {
  it('delivers a due in-app message once, rendered in the user’s language, and leaves future ones', async () => {
    const me = await userId('shegong1');
    const [due] = await enqueueFor(me);
    const [later] = await enqueueFor(me, { dueAt: new Date(t.clock.now().getTime() + 3_600_000) });
    const w = worker();
    expect(await w.runOnce()).toBe(1);
    expect(await w.runOnce()).toBe(0);
    const row = await outbox(due!);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, channel: 'in_app', lease_owner: 'node-a' });
    expect((await outbox(later!)).status).toBe('pending');
    const list = (await shegong.get('/api/notifications')).json() as { items: { id: string; title: string; body: string; link: string; readAt: string | null }[] };
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ title: '预约提醒', link: '/appointments', readAt: null });
    // 2026-12-03T01:30Z is 09:30 in Beijing.
    expect(list.items[0]!.body).toContain('「健康咨询」');
    expect(list.items[0]!.body).toContain('09:30');

    t.clock.advance(3_600_000);
    await t.deps.db.updateTable('users').set({ locale: 'en' }).where('id', '=', me).execute();
    expect(await w.runOnce()).toBe(1);
    shegong = await t.login('shegong1');
    const en = (await shegong.get('/api/notifications?limit=1')).json() as { items: { title: string; body: string }[] };
    expect(en.items[0]!.title).toBe('Appointment reminder');
    await t.deps.db.updateTable('users').set({ locale: 'zh-CN' }).where('id', '=', me).execute();
  });

  it('in-app delivery is idempotent: a second notification for the same outbox row is refused', async () => {
    const me = await userId('shegong1');
    const [id] = await enqueueFor(me);
    await worker().runOnce();
    const n = await t.deps.db.selectFrom('notifications').selectAll().where('outbox_id', '=', id!).executeTakeFirstOrThrow();
    await expect(t.deps.db.insertInto('notifications').values({ ...n, id: newId() }).execute()).rejects.toThrow();
  });
});

describe('cancellation', () => {
  it('never sends a reminder cancelled before it was claimed', async () => {
    const worker1 = await userId('shegong1');
    const resident = await createResident(t, shegong);
    const appt = await appointmentRow(resident.id, worker1);
    const ids = await enqueueFor(worker1, { appointmentId: appt });
    const n = await t.deps.db.transaction().execute((trx) => cancelNotificationsForAppointment(trx, appt, t.clock.now()));
    expect(n).toBe(1);
    expect(await worker().runOnce()).toBe(0);
    expect((await outbox(ids[0]!)).status).toBe('cancelled');
    expect(await t.deps.db.selectFrom('notifications').selectAll().execute()).toHaveLength(0);
  });

  it('never sends a reminder cancelled between claim and delivery', async () => {
    const worker1 = await userId('shegong1');
    const resident = await createResident(t, shegong);
    const appt = await appointmentRow(resident.id, worker1);
    const ids = await enqueueFor(worker1, { appointmentId: appt });
    let claimed: string[] = [];
    const w = worker({
      onClaimed: async (rows) => {
        claimed = rows;
        await t.deps.db.transaction().execute((trx) => cancelNotificationsForAppointment(trx, appt, t.clock.now()));
      },
    });
    expect(await w.runOnce()).toBe(0);
    expect(claimed).toEqual(ids);
    expect((await outbox(ids[0]!)).status).toBe('cancelled');
    expect(await t.deps.db.selectFrom('notifications').selectAll().execute()).toHaveLength(0);
  });

  it('leaves sent messages alone when an appointment is cancelled afterwards', async () => {
    const worker1 = await userId('shegong1');
    const resident = await createResident(t, shegong);
    const appt = await appointmentRow(resident.id, worker1);
    const [id] = await enqueueFor(worker1, { appointmentId: appt });
    await worker().runOnce();
    expect(await t.deps.db.transaction().execute((trx) => cancelNotificationsForAppointment(trx, appt, t.clock.now()))).toBe(0);
    expect((await outbox(id!)).status).toBe('sent');
  });
});

describe('retries', () => {
  it('backs off exponentially after adapter errors and gives up after five attempts', async () => {
    const me = await userId('shegong1');
    const [id] = await enqueueFor(me);
    let calls = 0;
    const broken: NotificationAdapter = {
      channel: 'in_app',
      send: async () => {
        calls += 1;
        throw new Error('gateway timeout');
      },
    };
    const w = worker({ adapters: [broken] });
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const before = t.clock.now();
      expect(await w.runOnce()).toBe(0);
      const row = await outbox(id!);
      expect(row.attempts).toBe(attempt);
      expect(row.last_error).toBe('gateway timeout');
      if (attempt < MAX_ATTEMPTS) {
        expect(row.status).toBe('pending');
        expect(row.lease_owner).toBeNull();
        expect(Date.parse(row.due_at)).toBe(before.getTime() + backoffMs(attempt));
        // Not due yet: nothing is tried.
        t.clock.advance(backoffMs(attempt) - 1000);
        await w.runOnce();
        expect(calls).toBe(attempt);
        t.clock.advance(1000);
      } else {
        expect(row.status).toBe('failed');
      }
    }
    expect([backoffMs(1), backoffMs(2), backoffMs(3), backoffMs(4)]).toEqual([30_000, 60_000, 120_000, 240_000]);
    t.clock.advance(3_600_000);
    await w.runOnce();
    expect(calls).toBe(MAX_ATTEMPTS);
  });

  it('takes over a message whose claimer died once its lease runs out', async () => {
    const me = await userId('shegong1');
    const [id] = await enqueueFor(me);
    await t.deps.db.updateTable('notification_outbox').set({ lease_owner: 'dead-node', lease_until: new Date(t.clock.now().getTime() + 60_000).toISOString() }).where('id', '=', id!).execute();
    const w = worker();
    expect(await w.runOnce()).toBe(0);
    t.clock.advance(61_000);
    expect(await w.runOnce()).toBe(1);
    expect((await outbox(id!)).lease_owner).toBe('node-a');
  });
});

describe('several nodes', () => {
  it('two app servers racing over 200 due rows deliver each exactly once', async () => {
    const me = await userId('shegong1');
    // The other process reads the system clock; nodes of one deployment agree on the time.
    t.clock.set(new Date());
    const now = t.clock.now();
    const rows = Array.from({ length: 200 }, (_, i) => ({
      id: newId(now.getTime()),
      station_id: null,
      channel: 'in_app' as const,
      recipient_user_id: me,
      recipient_resident_id: null,
      address_enc: null,
      template: 'generic',
      payload: JSON.stringify({ title: `消息 ${i}`, body: '测试' }),
      due_at: new Date(now.getTime() - 1000).toISOString(),
      status: 'pending' as const,
      attempts: 0,
      lease_owner: null,
      lease_until: null,
      sent_at: null,
      last_error: null,
      appointment_id: null,
      created_at: now.toISOString(),
    }));
    await t.deps.db.insertInto('notification_outbox').values(rows).execute();

    // Node B: another process on the same database (the realistic case for both dialects).
    const cfg = t.deps.config;
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/modules/notifications/testing/outbox-node.ts', 'node-b'], {
      cwd: ROOT,
      env: { ...process.env, XQ_DATA_DIR: cfg.dataDir, DATABASE_URL: cfg.databaseUrl ?? '', XQ_MASTER_KEY: cfg.masterKey ?? '', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (out.includes('ready')) {
          clearInterval(check);
          resolve();
        }
      }, 5);
      void exited.then(() => {
        clearInterval(check);
        reject(new Error(`node-b exited early: ${err}`));
      });
    });

    // Node A here; on PostgreSQL also node C on a second pool of its own.
    const local = [worker({ nodeId: 'node-a', batch: 10 })];
    let second: ReturnType<typeof connect> | null = null;
    if (t.deps.dialect === 'postgres') {
      second = connect({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, poolSize: 4 });
      local.push(startOutboxWorker({ ...t.deps, db: second.db }, { nodeId: 'node-c', batch: 10, autoStart: false }));
    }
    const drain = async (w: OutboxWorker) => {
      let sent = 0;
      for (let idle = 0; idle < 3; ) {
        const n = await w.runOnce();
        sent += n;
        idle = n === 0 ? idle + 1 : 0;
        // A pause between batches, as a real loop has, so the other nodes get the lock too.
        await new Promise((r) => setTimeout(r, n === 0 ? 20 : 3));
      }
      return sent;
    };
    const localSent = await Promise.all(local.map(drain));
    expect(await exited, err).toBe(0);
    const childSent = (JSON.parse(out.trim().split('\n').pop()!) as { sent: number }).sent;
    if (second) await second.db.destroy();

    expect(localSent.reduce((a, b) => a + b, 0) + childSent).toBe(200);
    const delivered = await t.deps.db.selectFrom('notifications').select('outbox_id').execute();
    expect(delivered).toHaveLength(200);
    expect(new Set(delivered.map((d) => d.outbox_id)).size).toBe(200);
    const byNode = await t.deps.db.selectFrom('notification_outbox').select(['lease_owner', 'status']).execute();
    expect(byNode.every((r) => r.status === 'sent')).toBe(true);
    const counts: Record<string, number> = {};
    for (const r of byNode) counts[r.lease_owner ?? '?'] = (counts[r.lease_owner ?? '?'] ?? 0) + 1;
    expect(counts['node-a'] ?? 0).toBe(localSent[0]);
    expect(counts['node-b'] ?? 0).toBe(childSent);
    if (second) expect(counts['node-c'] ?? 0).toBe(localSent[1]);
    // Who sent how many (each run differs; the point is that the sum is exact).
    process.stdout.write(`outbox race on ${t.deps.dialect}: ${JSON.stringify(counts)}\n`);
  }, 60_000);
});

describe('SMS and WeChat (not connected: logged only)', () => {
  it('a resident without an account gets an SMS to their first phone, decrypted only at send time and masked in the log', async () => {
    const resident = await createResident(t, shegong, { phones: [{ number: '13912345678', relation: 'daughter' }] });
    const now = t.clock.now();
    const ids = await t.deps.db.transaction().execute((trx) =>
      enqueueNotification(trx, { stationId: null, recipientResidentId: resident.id, template: 'appointment_cancelled', payload: { ...reminder(), reason: '工作人员临时外出' }, dueAt: now }, now),
    );
    expect(ids).toHaveLength(1);
    const row = await outbox(ids[0]!);
    expect(row).toMatchObject({ channel: 'sms', address_enc: null, recipient_user_id: null });
    expect(row.payload).not.toContain('13912345678');
    expect(await worker().runOnce()).toBe(1);
    const file = path.join(t.deps.config.dataDir, 'outbox-sms.log');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('13912345678');
    const line = JSON.parse(text.trim().split('\n').pop()!) as { connected: boolean; to: { phone: string }; title: string; body: string };
    expect(line.connected).toBe(false);
    expect(line.to.phone).toBe('139****5678');
    expect(line.title).toBe('预约已取消');
    expect(line.body).toContain('工作人员临时外出');
  });

  it('a resident with no phone gets no SMS row', async () => {
    const resident = await createResident(t, shegong, { phones: [] });
    const now = t.clock.now();
    const ids = await t.deps.db.transaction().execute((trx) => enqueueNotification(trx, { stationId: null, recipientResidentId: resident.id, template: 'generic', payload: { title: 'x', body: 'y' }, dueAt: now }, now));
    expect(ids).toEqual([]);
  });

  it('a user who chose SMS and WeChat gets them besides in-app', async () => {
    const put = await shegong.request({ method: 'PUT', url: '/api/notifications/preferences', payload: { channels: ['wechat', 'sms'] } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({ channels: ['sms', 'wechat'], connected: { sms: false, wechat: false } });
    const resident = await createResident(t, shegong);
    const ids = await enqueueFor(await userId('shegong1'), { residentId: resident.id });
    const channels = await Promise.all(ids.map(async (id) => (await outbox(id)).channel));
    expect(channels.sort()).toEqual(['in_app', 'sms', 'wechat']);
    expect(await worker().runOnce()).toBe(3);
    expect(existsSync(path.join(t.deps.config.dataDir, 'outbox-wechat.log'))).toBe(true);
    // Without a resident to take a phone from, SMS is skipped (staff accounts hold no phone).
    const only = await enqueueFor(await userId('shegong1'));
    expect(await Promise.all(only.map(async (id) => (await outbox(id)).channel))).toEqual(['in_app', 'wechat']);
  });
});

describe('routes', () => {
  it('preferences: default none, bad channel → 400 naming the field, change audited', async () => {
    expect((await shegong.get('/api/notifications/preferences')).json()).toEqual({ channels: [], connected: { sms: false, wechat: false } });
    const bad = await shegong.request({ method: 'PUT', url: '/api/notifications/preferences', payload: { channels: ['fax'] } });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys((bad.json() as { error: { fields: Record<string, string> } }).error.fields).join()).toContain('channels');
    const ok = await shegong.request({ method: 'PUT', url: '/api/notifications/preferences', payload: { channels: ['sms'] } });
    expect(ok.statusCode).toBe(200);
    expect((await shegong.get('/api/notifications/preferences')).json()).toMatchObject({ channels: ['sms'] });
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('action', '=', 'notification.preferences').execute();
    expect(audit.length).toBeGreaterThan(0);
    expect((await t.anon.get('/api/notifications/preferences')).statusCode).toBe(401);
  });

  it('unread count, list filters, paging, mark read and read-all — own notifications only', async () => {
    const me = await userId('shegong1');
    const other = await t.login('shegong2');
    for (let i = 0; i < 3; i++) await enqueueFor(me);
    await enqueueFor(await userId('shegong2'));
    await worker().runOnce();
    expect((await shegong.get('/api/notifications/unread-count')).json()).toEqual({ count: 3 });
    expect((await other.get('/api/notifications/unread-count')).json()).toEqual({ count: 1 });

    const page1 = (await shegong.get('/api/notifications?limit=2')).json() as { items: { id: string }[]; nextCursor: string | null };
    expect(page1.items).toHaveLength(2);
    const page2 = (await shegong.get(`/api/notifications?limit=2&cursor=${page1.nextCursor}`)).json() as { items: { id: string }[]; nextCursor: string | null };
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();

    const first = page1.items[0]!.id;
    expect((await other.post(`/api/notifications/${first}/read`)).statusCode).toBe(404);
    expect((await shegong.post(`/api/notifications/${first}/read`)).statusCode).toBe(204);
    expect((await shegong.post(`/api/notifications/${first}/read`)).statusCode).toBe(204);
    expect((await shegong.get('/api/notifications/unread-count')).json()).toEqual({ count: 2 });
    const unread = (await shegong.get('/api/notifications?unread=true')).json() as { items: { id: string }[] };
    expect(unread.items.map((i) => i.id)).not.toContain(first);
    expect(unread.items).toHaveLength(2);

    expect((await shegong.post('/api/notifications/read-all')).json()).toEqual({ count: 2 });
    expect((await shegong.get('/api/notifications/unread-count')).json()).toEqual({ count: 0 });
    expect((await other.get('/api/notifications/unread-count')).json()).toEqual({ count: 1 });
    expect((await shegong.get('/api/notifications?cursor=!!')).statusCode).toBe(400);
  });

  it('the worker loop runs by itself and stops cleanly', async () => {
    const me = await userId('shegong1');
    await enqueueFor(me);
    const w = startOutboxWorker(t.deps, { nodeId: 'loop', intervalMs: 20 });
    for (let i = 0; i < 100; i++) {
      if ((await t.deps.db.selectFrom('notifications').select('id').execute()).length > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await w.stop();
    expect((await shegong.get('/api/notifications/unread-count')).json()).toEqual({ count: 1 });
  });
});
