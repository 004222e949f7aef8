import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { createResident } from '../../test/residents.js';
import { NOW, demoStation, linkAccount, type Catalogue } from '../appointments/testing.js';
import { otherStationWorker } from '../../test/stations.js';
import { remindComplaintsDueSoon } from './feedback.js';
import type { ItemView } from './schema.js';

let t: TestApp;
let c: Catalogue;
let headId: string;
let otherStation: string;

const HOUR = 3_600_000;
const item = (res: { statusCode: number; body: string; json(): unknown }) => {
  expect(res.statusCode, res.body).toBeLessThan(300);
  return (res.json() as { item: ItemView }).item;
};
/** Who was reminded of this complaint's deadline. */
const reminded = async (id: string) =>
  (await t.deps.db.selectFrom('notification_outbox').select(['recipient_user_id', 'payload']).where('payload', 'like', `%/feedback/complaints?item=${id}%`).execute())
    .filter((r) => (JSON.parse(r.payload) as { title: string }).title === '投诉即将到期')
    .map((r) => r.recipient_user_id)
    .sort();
const login = async (u: string, at: Date): Promise<Agent> => {
  t.clock.set(at);
  return t.login(u);
};

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(NOW);
  c = await demoStation(t);
  headId = (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'zhanzhang').executeTakeFirstOrThrow()).id;
  otherStation = await otherStationWorker(t, NOW);
  const self = (await createResident(t, await t.login('shegong1'))).id;
  await linkAccount(t, 'jumin1', self, 'self');
});
afterAll(async () => t?.close());

describe('complaint deadline reminders', () => {
  it('a working day before the deadline the station head is reminded, once; not two days before', async () => {
    const jumin = await login('jumin1', NOW); // Sunday 29 November: five working days → end of Friday 4 December
    const f = item(await jumin.post('/api/feedback-items', { kind: 'complaint', subject: '送餐总是迟到', body: '这周三次超过十二点。' }));
    expect(f.dueAt).toBe('2026-12-04T16:00:00.000Z');
    const due = Date.parse(f.dueAt!);
    // Wednesday 10:00: the deadline is two working days away.
    expect(await remindComplaintsDueSoon(t.deps.db, new Date(due - 62 * HOUR))).toBe(0);
    // Thursday 10:00: due by the end of the next working day.
    expect(await remindComplaintsDueSoon(t.deps.db, new Date(due - 38 * HOUR))).toBeGreaterThanOrEqual(1);
    expect(await reminded(f.id)).toEqual([headId]);
    expect(await remindComplaintsDueSoon(t.deps.db, new Date(due - 30 * HOUR))).toBe(0);
    expect(await remindComplaintsDueSoon(t.deps.db, new Date(due - HOUR))).toBe(0);
    expect(await reminded(f.id)).toEqual([headId]);
    const body = await t.deps.db.selectFrom('notification_outbox').select('payload').where('recipient_user_id', '=', headId).where('payload', 'like', '%投诉即将到期%').where('payload', 'like', `%${f.id}%`).executeTakeFirstOrThrow();
    expect(JSON.parse(body.payload)).toMatchObject({ body: '投诉「送餐总是迟到」将于 2026-12-04 到期，请在期限内答复。' });
  });

  it('once someone has taken it on, only the handler is reminded — never the worker it names; settled complaints never', async () => {
    const worker = await login('shegong2', NOW);
    const named = item(await worker.post('/api/feedback-items', { kind: 'complaint', subject: '上门不守时', body: '约好九点，十一点才来。', channel: 'phone', aboutWorkerId: c.workers.shegong1 }));
    const plain = item(await worker.post('/api/feedback-items', { kind: 'complaint', subject: '电话打不通', body: '站里电话一直占线。', channel: 'phone' }));
    const settled = item(await worker.post('/api/feedback-items', { kind: 'complaint', subject: '活动通知太晚', body: '头天晚上才说。', channel: 'phone' }));
    expect(item(await worker.post(`/api/feedback-items/${plain.id}/start`, { version: plain.version })).handler?.id).toBe(c.workers.shegong2);
    item(await worker.post(`/api/feedback-items/${settled.id}/respond`, { version: settled.version, response: '以后提前三天通知。' }));
    const head = await login('zhanzhang', NOW);
    expect(item(await head.post(`/api/feedback-items/${named.id}/start`, { version: named.version })).handler?.id).toBe(headId);

    const thursday = new Date(Date.parse(named.dueAt!) - 38 * HOUR);
    expect(await remindComplaintsDueSoon(t.deps.db, thursday, [otherStation])).toBe(0);
    expect(await remindComplaintsDueSoon(t.deps.db, thursday, [c.stationId])).toBeGreaterThanOrEqual(2);
    expect(await reminded(named.id)).toEqual([headId]);
    expect(await reminded(plain.id)).toEqual([c.workers.shegong2]);
    expect(await reminded(settled.id)).toEqual([]);
  });

  it('a complaint about the head, not taken: the workers are reminded, never the head; a handler who has left: the heads', async () => {
    const worker = await login('shegong2', NOW);
    const aboutHead = item(await worker.post('/api/feedback-items', { kind: 'complaint', subject: '站长态度生硬', body: '来办事被训了一顿。', channel: 'phone', aboutWorkerId: headId }));
    const left = item(await worker.post('/api/feedback-items', { kind: 'complaint', subject: '材料弄丢了', body: '交的复印件找不到了。', channel: 'phone' }));
    item(await worker.post(`/api/feedback-items/${left.id}/start`, { version: left.version }));
    await t.deps.db.updateTable('users').set({ disabled: 1 }).where('id', '=', c.workers.shegong2).execute();
    try {
      expect(await remindComplaintsDueSoon(t.deps.db, new Date(Date.parse(aboutHead.dueAt!) - 38 * HOUR))).toBeGreaterThanOrEqual(2);
      expect(await reminded(aboutHead.id)).toEqual([c.workers.shegong1]);
      expect(await reminded(left.id)).toEqual([headId]);
    } finally {
      await t.deps.db.updateTable('users').set({ disabled: 0 }).where('id', '=', c.workers.shegong2).execute();
    }
  });

  it('the head’s manual sweep reports the reminders it sent', async () => {
    const jumin = await login('jumin1', NOW);
    const f = item(await jumin.post('/api/feedback-items', { kind: 'complaint', subject: '活动室没开门', body: '周二下午去了两次。' }));
    const head = await login('zhanzhang', new Date(Date.parse(f.dueAt!) - 38 * HOUR));
    const res = await head.post('/api/feedback-items/sweep');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ escalated: 0, reminded: 1 });
    expect(await reminded(f.id)).toEqual([headId]);
    expect((await head.post('/api/feedback-items/sweep')).json()).toEqual({ escalated: 0, reminded: 0 });
  });
});
