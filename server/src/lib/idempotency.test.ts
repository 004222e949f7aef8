import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../test/app.js';
import { residentBody } from '../test/residents.js';

let t: TestApp;
let worker: Agent;
beforeAll(async () => {
  t = await createTestApp();
  worker = await t.login('shegong1');
});
afterAll(() => t.close());

const post = (key: string, body: unknown, agent = worker) =>
  agent.request({ method: 'POST', url: '/api/residents', payload: body as object, headers: { 'idempotency-key': key } });
const count = async () => (await t.deps.db.selectFrom('residents').select('id').execute()).length;

describe('Idempotency-Key', () => {
  it('a repeated write gets the first answer and registers nobody twice', async () => {
    const body = await residentBody(t);
    const before = await count();
    const first = await post('retry-0001-abcdef', body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await post('retry-0001-abcdef', body);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await count()).toBe(before + 1);
  });

  it('the same key with a different request is refused', async () => {
    const body = await residentBody(t);
    expect((await post('retry-0002-abcdef', body)).statusCode).toBe(201);
    const other = await post('retry-0002-abcdef', { ...body, name: '别人' });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.id).toBe('idempotency_key_reused');
  });

  it('keys belong to one user', async () => {
    const head = await t.login('zhanzhang');
    const res = await post('retry-0003-abcdef', await residentBody(t), worker);
    expect(res.statusCode).toBe(201);
    const theirs = await post('retry-0003-abcdef', await residentBody(t), head);
    expect(theirs.statusCode).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('copies racing each other run the write once', async () => {
    const body = await residentBody(t);
    const before = await count();
    const results = await Promise.all(Array.from({ length: 8 }, () => post('retry-0004-abcdef', body)));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.every((c) => c === 201 || c === 409)).toBe(true);
    expect(codes.filter((c) => c === 201).length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().error.id).toBe('idempotency_in_progress');
    expect(await count()).toBe(before + 1);
  });

  it('a refused request is replayed too, and a malformed key is a 400', async () => {
    const bad = { ...(await residentBody(t)), birthDate: '2023-02-30' };
    expect((await post('retry-0005-abcdef', bad)).statusCode).toBe(400);
    expect((await post('retry-0005-abcdef', bad)).headers['idempotent-replayed']).toBe('true');
    const res = await post('short', await residentBody(t));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toHaveProperty('Idempotency-Key');
  });

  it('after a day the key may be used again', async () => {
    const body = await residentBody(t);
    expect((await post('retry-0006-abcdef', body)).statusCode).toBe(201);
    t.clock.advance(25 * 60 * 60 * 1000);
    worker = await t.login('shegong1');
    const later = await post('retry-0006-abcdef', body);
    expect(later.statusCode).toBe(409);
    expect(later.json().error.id).toBe('duplicate_resident');
  });
});
