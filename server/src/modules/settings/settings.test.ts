import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { fieldMessage } from '../../lib/i18n.js';
import { NOW, demoStation } from '../appointments/testing.js';
import { otherStationWorker } from '../../test/stations.js';
import { DEFAULT_SETTINGS } from './settings.js';
import { settingsProblems } from './validate.js';

let t: TestApp;
let stationId: string;
let otherStation: string;
let head: Agent;
let w1: Agent;
let jumin: Agent;

const valid = (updatedAt: string | null = null) => ({ stationId, updatedAt, officeHours: { '1': [[540, 720], [840, 1020]], '6': [[540, 720]] }, consultationResponseMinutes: 240, visitDays: { high: 7, priority: 14, normal: 60 }, complaintResponseDays: 3 });
const put = (a: Agent, body: unknown) => a.request({ method: 'PUT', url: '/api/station-settings', payload: body as object });
const msg = (f: Record<string, string>) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, fieldMessage(v, 'zh-CN')]));

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(NOW);
  stationId = (await demoStation(t)).stationId;
  otherStation = await otherStationWorker(t, NOW);
  head = await t.login('zhanzhang');
  w1 = await t.login('shegong1');
  jumin = await t.login('jumin1');
});
afterAll(async () => t?.close());

describe('station settings API', () => {
  it('staff read the defaults until the head saves; the head saves with an audit entry; workers see the change', async () => {
    const before = await w1.get(`/api/station-settings?stationId=${stationId}`);
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json().settings).toEqual({ stationId, customised: false, updatedAt: null, ...DEFAULT_SETTINGS });
    const res = await put(head, valid());
    expect(res.statusCode, res.body).toBe(200);
    const after = (await w1.get(`/api/station-settings?stationId=${stationId}`)).json().settings;
    expect(after).toMatchObject({ customised: true, consultationResponseMinutes: 240, visitDays: { high: 7, priority: 14, normal: 60 }, complaintResponseDays: 3, officeHours: valid().officeHours });
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'station_settings.update').execute();
    expect(audit).toHaveLength(1);
    // Saving again (with what was read) updates the one row.
    expect((await put(head, { ...valid(after.updatedAt), complaintResponseDays: 10 })).json().settings.complaintResponseDays).toBe(10);
    expect(await t.deps.db.selectFrom('station_settings').select('station_id').execute()).toHaveLength(1);
  });

  it('a change is compare-and-swap on updatedAt: a stale or missing token is 409 version_conflict and changes nothing', async () => {
    const read = async () => (await w1.get(`/api/station-settings?stationId=${stationId}`)).json().settings as { updatedAt: string | null; complaintResponseDays: number };
    const first = await read();
    expect(first.updatedAt).not.toBeNull();
    // Two heads read the same settings; the first save wins, even within the same millisecond.
    const a = await put(head, { ...valid(first.updatedAt), complaintResponseDays: 20 });
    expect(a.statusCode, a.body).toBe(200);
    const saved = a.json().settings as { updatedAt: string };
    expect(saved.updatedAt > first.updatedAt!).toBe(true);
    const b = await put(head, { ...valid(first.updatedAt), complaintResponseDays: 30 });
    expect(b.statusCode).toBe(409);
    expect(b.json().error.id).toBe('version_conflict');
    // "Never saved" is not true any more either.
    expect((await put(head, { ...valid(null), complaintResponseDays: 30 })).statusCode).toBe(409);
    expect((await read()).complaintResponseDays).toBe(20);
    // The token is required.
    const { updatedAt: _omit, ...noToken } = valid(saved.updatedAt);
    expect((await put(head, noToken)).statusCode).toBe(400);
    // A leap second passes the date-time format but is no instant: 400, not 500.
    const leap = await put(head, valid('2026-12-31T23:59:60Z'));
    expect(leap.statusCode).toBe(400);
    expect(leap.json().error.fields).toEqual(msg({ updatedAt: 'date_invalid' }));
    // The same instant in another offset is the same token.
    const shanghai = new Date(Date.parse(saved.updatedAt) + 8 * 3600_000).toISOString().replace('Z', '+08:00');
    const ok = await put(head, { ...valid(shanghai), complaintResponseDays: 21 });
    expect(ok.statusCode, ok.body).toBe(200);
    // The audit's "before" is the state that was replaced.
    const last = await t.deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'station_settings.update').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const detail = (typeof last.detail === 'string' ? JSON.parse(last.detail) : last.detail) as { before: { updatedAt: string; complaintResponseDays: number } };
    expect(detail.before).toMatchObject({ updatedAt: saved.updatedAt, complaintResponseDays: 20 });
  });

  it('the first save of a station with no row expects null: a concrete token is 409', async () => {
    await t.deps.db.deleteFrom('station_settings').where('station_id', '=', stationId).execute();
    expect((await put(head, valid(NOW.toISOString()))).statusCode).toBe(409);
    expect((await put(head, valid(null))).statusCode).toBe(200);
  });

  it('workers and residents may not change them; another station is 404', async () => {
    expect((await put(w1, valid())).statusCode).toBe(403);
    expect((await put(jumin, valid())).statusCode).toBe(403);
    expect((await jumin.get(`/api/station-settings?stationId=${stationId}`)).statusCode).toBe(403);
    expect((await put(head, { ...valid(), stationId: otherStation })).statusCode).toBe(404);
    expect((await head.get(`/api/station-settings?stationId=${otherStation}`)).statusCode).toBe(404);
  });

  it('names each bad field', async () => {
    const res = await put(head, {
      stationId,
      updatedAt: null,
      officeHours: { '1': [[540, 720], [700, 800]], '2': [[600, 500]], '3': [[0, 1500]] },
      consultationResponseMinutes: 20,
      visitDays: { high: 30, priority: 14, normal: 400 },
      complaintResponseDays: 61,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual(
      msg({
        'officeHours.1.0': 'hours_overlap',
        'officeHours.1.1': 'hours_overlap',
        'officeHours.2.0': 'end_before_start',
        'officeHours.3.0': 'minutes_of_day',
        consultationResponseMinutes: 'response_minutes_range',
        'visitDays.high': 'visit_days_order',
        'visitDays.normal': 'visit_days_range',
        complaintResponseDays: 'complaint_days_range',
      }),
    );
    const shape = await put(head, { ...valid(), officeHours: { '8': [[1, 2]] } });
    expect(shape.statusCode).toBe(400);
  });
});

describe('settingsProblems (pure)', () => {
  const base = { officeHours: {}, consultationResponseMinutes: 30, visitDays: { high: 1, priority: 1, normal: 1 }, complaintResponseDays: 1 };
  it('accepts the bounds and touching spans', () => {
    expect(settingsProblems({ ...base, officeHours: { '7': [[0, 720], [720, 1440]] } })).toEqual({});
    expect(settingsProblems({ ...base, consultationResponseMinutes: 4800, visitDays: { high: 366, priority: 366, normal: 366 }, complaintResponseDays: 60 })).toEqual({});
  });
  it('refuses out-of-range values and priority above normal', () => {
    expect(settingsProblems({ ...base, consultationResponseMinutes: 4801, visitDays: { high: 0, priority: 9, normal: 8 }, complaintResponseDays: 0 })).toEqual({
      consultationResponseMinutes: 'response_minutes_range',
      'visitDays.high': 'visit_days_range',
      'visitDays.priority': 'visit_days_order',
      complaintResponseDays: 'complaint_days_range',
    });
  });
});
