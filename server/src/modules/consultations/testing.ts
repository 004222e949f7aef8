import { DEMO_PASSWORD, type TestApp } from '../../test/app.js';
import { newId } from '../../lib/ids.js';
import { createUser } from '../users/users.js';

/** A second station (another county) with its own social worker `dongsg`: for scope tests. */
export async function otherStationWorker(t: TestApp, now: Date): Promise<string> {
  const iso = now.toISOString();
  const countyId = newId();
  const stationId = newId();
  await t.deps.db.insertInto('counties').values({ id: countyId, code: '110101000000', name: '北京市东城区', created_at: iso }).execute();
  await t.deps.db.insertInto('stations').values({ id: stationId, county_id: countyId, code: '110101001000', name: '东华门街道社工站', operator_model: 'government', operator_name: null, created_at: iso }).execute();
  await t.deps.db.transaction().execute((trx) =>
    createUser(trx, { username: 'dongsg', displayName: '东社工', password: DEMO_PASSWORD, roles: [{ role: 'social_worker', stationId, countyId: null }], mustChangePassword: false, demoPassword: true }, now),
  );
  return stationId;
}

/** The smallest valid images of each kind, by their magic bytes. */
export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60, 1), Buffer.from([0xff, 0xd9])]);
export const WEBP = Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.from([30, 0, 0, 0]), Buffer.from('WEBPVP8 ', 'latin1'), Buffer.alloc(22, 0)]);
