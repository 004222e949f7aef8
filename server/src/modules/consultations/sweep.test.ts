import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';
import { createResident } from '../../test/residents.js';
import { NOW, demoStation, linkAccount, type Catalogue } from '../appointments/testing.js';
import type { ConsultationDetail } from './schema.js';
import { OVERDUE_ALERT, sweepOverdueConsultations } from './sweep.js';
import { otherStationWorker } from '../../test/stations.js';
import { startOutboxWorker } from '../notifications/worker.js';

let t: TestApp;
let c: Catalogue;
let w1: Agent;
let jumin: Agent;
let self: string;
let headId: string;
let otherStation: string;

const DAY = 86_400_000;
const ask = async (a: Agent, body: Record<string, unknown>) => {
  const res = await a.post('/api/consultations', { area: 'policy', subject: '高龄补贴怎么申请', body: '请问要带什么材料？', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { consultation: ConsultationDetail }).consultation;
};
/** Who was told that this thread is overdue. */
const toldAbout = async (id: string) =>
  (await t.deps.db.selectFrom('notification_outbox').select(['recipient_user_id', 'payload']).where('payload', 'like', `%/consultations/${id}%`).execute())
    .filter((r) => (JSON.parse(r.payload) as { title: string }).title === '咨询超时未答复')
    .map((r) => r.recipient_user_id)
    .sort();
const after = (iso: string, ms: number) => new Date(Date.parse(iso) + ms);

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(NOW);
  c = await demoStation(t);
  w1 = await t.login('shegong1');
  jumin = await t.login('jumin1');
  self = (await createResident(t, w1)).id;
  await linkAccount(t, 'jumin1', self, 'self');
  headId = (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'zhanzhang').executeTakeFirstOrThrow()).id;
  otherStation = await otherStationWorker(t, NOW);
});
afterAll(async () => t?.close());

describe('overdue consultations', () => {
  it('past the deadline without a reply: the workers and the head are told once; the assignee alone when there is one; answered threads never', async () => {
    t.clock.set(NOW);
    const open = await ask(jumin, { residentId: self, subject: '低保复核要多久' });
    const assigned = await ask(jumin, { residentId: self, subject: '助听器补贴' });
    const answered = await ask(jumin, { residentId: self, subject: '临时救助' });
    const a = await w1.post(`/api/consultations/${assigned.id}/assign`, { version: 1, assigneeId: c.workers.shegong2 });
    expect(a.statusCode, a.body).toBe(200);
    expect((await w1.post(`/api/consultations/${answered.id}/messages`, { body: '带身份证和户口本来站里即可。' })).statusCode).toBe(201);

    // Not yet due: nothing.
    expect(await sweepOverdueConsultations(t.deps.db, after(open.firstResponseDueAt, -60_000))).toEqual([]);

    const late = after(open.firstResponseDueAt, 60_000);
    const alerted = await sweepOverdueConsultations(t.deps.db, late);
    expect(alerted).toEqual(expect.arrayContaining([open.id, assigned.id]));
    expect(alerted).not.toContain(answered.id);
    expect(await toldAbout(open.id)).toEqual([c.workers.shegong1, c.workers.shegong2, headId].sort());
    expect(await toldAbout(assigned.id)).toEqual([c.workers.shegong2, headId].sort());
    expect(await toldAbout(answered.id)).toEqual([]);

    // Once: later sweeps, that day and the next, send nothing more.
    expect(await sweepOverdueConsultations(t.deps.db, after(open.firstResponseDueAt, 3_600_000))).toEqual([]);
    expect(await sweepOverdueConsultations(t.deps.db, after(open.firstResponseDueAt, DAY))).toEqual([]);
    expect(await toldAbout(open.id)).toHaveLength(3);
    expect(await t.deps.db.selectFrom('alert_log').select('day').where('kind', '=', OVERDUE_ALERT).where('subject_id', '=', open.id).execute()).toHaveLength(1);
  });

  it('two nodes sweeping at the same moment alert once', async () => {
    t.clock.set(NOW);
    const x = await ask(jumin, { residentId: self, subject: '残疾证年审' });
    const late = after(x.firstResponseDueAt, 60_000);
    const [one, two] = await Promise.all([sweepOverdueConsultations(t.deps.db, late), sweepOverdueConsultations(t.deps.db, late)]);
    expect([...one, ...two].filter((id) => id === x.id)).toHaveLength(1);
    expect(await toldAbout(x.id)).toHaveLength(3);
  });

  it('only the stations asked for, and only deadlines of the last week', async () => {
    t.clock.set(NOW);
    const x = await ask(jumin, { residentId: self, subject: '医保报销' });
    const late = after(x.firstResponseDueAt, 60_000);
    expect(await sweepOverdueConsultations(t.deps.db, late, [otherStation])).toEqual([]);
    expect(await sweepOverdueConsultations(t.deps.db, late, [])).toEqual([]);
    // Eight days on, a deadline nobody was told about is left to the inbox (red there).
    expect(await sweepOverdueConsultations(t.deps.db, after(x.firstResponseDueAt, 8 * DAY))).toEqual([]);
    expect(await toldAbout(x.id)).toEqual([]);
    expect(await sweepOverdueConsultations(t.deps.db, late, [c.stationId])).toEqual([x.id]);
  });

  it('reaches the bell in each recipient’s language', async () => {
    t.clock.set(NOW);
    await t.deps.db.updateTable('users').set({ locale: 'en' }).where('id', '=', headId).execute();
    try {
      const x = await ask(jumin, { residentId: self, subject: '养老保险' });
      const late = after(x.firstResponseDueAt, 60_000);
      expect(await sweepOverdueConsultations(t.deps.db, late)).toContain(x.id);
      t.clock.set(late);
      const w = startOutboxWorker(t.deps, { nodeId: 'sweep-test', autoStart: false, onError: () => undefined });
      while ((await w.runOnce()) > 0);
      await w.stop();
      const bell = await t.deps.db.selectFrom('notifications').select(['user_id', 'title', 'body']).where('link', '=', `/consultations/${x.id}`).execute();
      const of = (user: string) => bell.filter((n) => n.user_id === user).map(({ title, body }) => ({ title, body }));
      expect(of(headId)).toEqual([{ title: 'Question overdue', body: '"养老保险" has passed its first-response deadline without an answer; please reply.' }]);
      expect(of(c.workers.shegong1)).toContainEqual({ title: '咨询超时未答复', body: '居民咨询「养老保险」已超过首次答复时限，请尽快回复。' });
      expect(of(c.workers.shegong1)).toContainEqual({ title: '新的居民咨询', body: '「养老保险」，请在期限内答复。' });
    } finally {
      await t.deps.db.updateTable('users').set({ locale: 'zh-CN' }).where('id', '=', headId).execute();
      t.clock.set(NOW);
    }
  });
});
