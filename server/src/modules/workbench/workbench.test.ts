import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app.js';

// The workbench counts by the same rules as the lists it links to: each count here is checked
// against the list itself, read through the API the way a worker would page through it.
let t: TestApp;
let worker: Agent;
let head: Agent;

async function countAll(agent: Agent, url: string): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res = await agent.get(`${url}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const body = res.json() as { items: unknown[]; nextCursor: string | null };
    n += body.items.length;
    cursor = body.nextCursor;
  } while (cursor);
  return n;
}

beforeAll(async () => {
  t = await createTestApp({ demoHistory: true });
  worker = await t.login('shegong1');
  head = await t.login('zhanzhang');
}, 120_000);
afterAll(() => t.close());

describe('GET /api/workbench', () => {
  it('counts what the lists show', async () => {
    const res = await worker.get('/api/workbench');
    expect(res.statusCode, res.body).toBe(200);
    const w = res.json();
    expect(w.consultationsWaiting).toBe(await countAll(worker, '/api/consultations?status=open'));
    expect(w.consultationsOverdue).toBe(await countAll(worker, '/api/consultations?status=open&overdue=true'));
    expect(w.consultationsOverdue).toBeGreaterThan(0);
    expect(w.requestsUnassigned).toBe(await countAll(worker, '/api/service-requests?status=open'));
    const summary = (await worker.get('/api/visits/due/summary')).json();
    expect(w.visitsOverdue).toBe(summary.overdue);
    expect(w.visitsOverdueHighTier).toBe(summary.overdueHighTier);
    expect(w.visitsOverdueHighTier).toBeGreaterThan(0);
    expect(w.myVisitsOverdue).toBe((await worker.get('/api/visits/due/summary?scope=mine')).json().overdue);
    expect(w.toRate).toBe(await countAll(worker, '/api/feedback/to-rate'));
    expect(w.toRate).toBeGreaterThan(0);
  });

  it('counts a complaint about a worker only for the station head, who alone sees it', async () => {
    const [mine, heads] = [(await worker.get('/api/workbench')).json(), (await head.get('/api/workbench')).json()];
    expect(mine.complaintsOpen).toBe(await countAll(worker, '/api/feedback-items?kind=complaint&settled=false'));
    expect(heads.complaintsOpen).toBe(await countAll(head, '/api/feedback-items?kind=complaint&settled=false'));
    const w = (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'shegong1').executeTakeFirstOrThrow()).id;
    const jumin = await t.login('jumin1');
    const residentId = (await jumin.get('/api/appointments/residents')).json().items[0].id as string;
    const filed = await jumin.post('/api/feedback-items', { kind: 'complaint', subject: '服务态度', body: '上门时不耐烦', residentId, aboutWorkerId: w, channel: 'online' });
    expect(filed.statusCode, filed.body).toBe(201);
    expect((await head.get('/api/workbench')).json().complaintsOpen).toBe(heads.complaintsOpen + 1);
    expect((await worker.get('/api/workbench')).json().complaintsOpen).toBe(mine.complaintsOpen);
    // A complaint naming the head is not counted for that head, who may not see it either.
    const h = (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'zhanzhang').executeTakeFirstOrThrow()).id;
    const before = (await head.get('/api/workbench')).json().complaintsOpen;
    const aboutHead = await jumin.post('/api/feedback-items', { kind: 'complaint', subject: '站长不回电话', body: '打了三次电话都没人接', residentId, aboutWorkerId: h, channel: 'online' });
    expect(aboutHead.statusCode, aboutHead.body).toBe(201);
    expect((await head.get('/api/workbench')).json().complaintsOpen).toBe(before);
    expect(before).toBe(await countAll(head, '/api/feedback-items?kind=complaint&settled=false'));
  });

  it('is for station staff only', async () => {
    for (const u of ['jumin1', 'zhiyuan1', 'shuju', 'xianqu']) {
      expect((await (await t.login(u)).get('/api/workbench')).statusCode, u).toBe(403);
    }
  });
});
