import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptField } from '../../lib/crypto.js';
import { validateIdNumber } from '../../lib/identity.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { seedDemoResidents } from './demo-residents.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demoResidents: true });
});
afterAll(() => t.close());

describe('demo residents', () => {
  it('about 200 residents in every demo village, with households and consents', async () => {
    const rows = await t.deps.db.selectFrom('residents').selectAll().execute();
    expect(rows.length).toBeGreaterThanOrEqual(180);
    expect(rows.length).toBeLessThanOrEqual(230);
    expect(new Set(rows.map((r) => r.village_id)).size).toBe(4);
    expect(rows.every((r) => r.household_id)).toBe(true);
    const consents = await t.deps.db.selectFrom('consents').select('resident_id').distinct().execute();
    expect(consents.length).toBeGreaterThan(150);
    const cats = await t.deps.db.selectFrom('resident_categories').select('category').distinct().execute();
    expect(cats.length).toBeGreaterThanOrEqual(12);
    expect(rows.some((r) => r.status === 'deceased')).toBe(true);
    expect(rows.some((r) => r.risk_tier === 'high')).toBe(true);
  });

  it('every ID number is valid by checksum and matches birth date and gender', async () => {
    const rows = await t.deps.db.selectFrom('residents').selectAll().where('id_number_enc', 'is not', null).execute();
    for (const r of rows) {
      const id = decryptField(t.deps.keys, r.id_number_enc!);
      expect(validateIdNumber(id, { birthDate: r.birth_date, gender: r.gender }).ok, id).toBe(true);
    }
  });

  it('children under 14 have a guardian', async () => {
    const kids = await t.deps.db.selectFrom('residents').selectAll().where('birth_date', '>', `${new Date().getFullYear() - 14}-12-31`).execute();
    expect(kids.length).toBeGreaterThan(0);
    for (const k of kids) expect(k.guardian_resident_id ?? k.id).not.toBe(k.id);
  });

  it('running it again adds nothing', async () => {
    expect(await seedDemoResidents(t.deps.db, t.deps.keys, t.clock.now())).toEqual({ created: 0 });
  });

  it('the API lists them for a worker, with pinyin search', async () => {
    const a = await t.login('shegong1');
    const page = (await a.get('/api/residents?limit=100')).json();
    expect(page.items.length).toBe(100);
    expect(page.nextCursor).not.toBeNull();
  });
});
