import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { listSlots } from '../scheduling/slots.js';
import { zonedInstant } from '../scheduling/zoned.js';
import { seedDemoServices } from './demo-services.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demoResidents: true });
  t.clock.set(zonedInstant('2026-11-30', 8 * 60)); // Monday morning
});
afterAll(() => t.close());

describe('demo services', () => {
  it('seeds a catalogue, hours and leave, links jumin1 to 王桂英 and her household; running again adds nothing', async () => {
    const db = t.deps.db;
    const first = await seedDemoServices(db, t.deps.keys, t.clock.now());
    expect(first.serviceTypes).toBe(6);
    expect(first.linked).toBeGreaterThanOrEqual(1);
    expect(await seedDemoServices(db, t.deps.keys, t.clock.now())).toEqual({ serviceTypes: 0, linked: 0 });

    const jumin = await db.selectFrom('users').select('id').where('username', '=', 'jumin1').executeTakeFirstOrThrow();
    const links = await db.selectFrom('resident_accounts as a').innerJoin('residents as r', 'r.id', 'a.resident_id').select(['r.name', 'a.relation', 'r.household_id']).where('a.user_id', '=', jumin.id).execute();
    expect(links.find((l) => l.relation === 'self')?.name).toBe('王桂英');
    expect(new Set(links.map((l) => l.household_id)).size).toBe(1);

    const policy = await db.selectFrom('service_types').selectAll().where('name', '=', '政策咨询').executeTakeFirstOrThrow();
    const slots = await listSlots(db, { serviceTypeId: policy.id, from: zonedInstant('2026-12-01', 0), to: zonedInstant('2026-12-02', 0) }, t.clock.now());
    // Three workers, 7 + 7 half-hour slots each (less any demo absence that day).
    expect(slots.length).toBeGreaterThan(20);
    expect(await db.selectFrom('worker_exceptions').select('id').execute()).toHaveLength(3);
  });

  it('registers 王桂英 with her grandson when the demo residents are not there', async () => {
    const bare = await createTestApp();
    try {
      const r = await seedDemoServices(bare.deps.db, bare.deps.keys, bare.clock.now());
      expect(r).toEqual({ serviceTypes: 6, linked: 2 });
      const rows = await bare.deps.db.selectFrom('resident_accounts as a').innerJoin('residents as r', 'r.id', 'a.resident_id').select(['r.name', 'a.relation']).orderBy('a.relation', 'desc').execute();
      expect(rows).toEqual([{ name: '王桂英', relation: 'self' }, { name: '王浩然', relation: 'guardian' }]);
      const consents = await bare.deps.db.selectFrom('consents').select('purpose').execute();
      expect(consents).toEqual([{ purpose: 'service' }, { purpose: 'service' }]);
    } finally {
      await bare.close();
    }
  });
});
