import { newId } from '../lib/ids.js';
import { createUser } from '../modules/users/users.js';
import { DEMO_PASSWORD, type TestApp } from './app.js';

/**
 * A second station (another county) with its own social worker `dongsg`, for scope tests: the demo
 * users must never see its records. With `villageId`, the station also gets that village (多福巷社区),
 * so `dongsg` can register residents there.
 */
export async function otherStationWorker(t: TestApp, now: Date, opts: { villageId?: string } = {}): Promise<string> {
  const iso = now.toISOString();
  const countyId = newId();
  const stationId = newId();
  const db = t.deps.db;
  await db.insertInto('counties').values({ id: countyId, code: '110101000000', name: '北京市东城区', created_at: iso }).execute();
  await db.insertInto('stations').values({ id: stationId, county_id: countyId, code: '110101001000', name: '东华门街道社工站', operator_model: 'government', operator_name: null, created_at: iso }).execute();
  if (opts.villageId) await db.insertInto('villages').values({ id: opts.villageId, station_id: stationId, code: '110101001001', name: '多福巷社区居委会', created_at: iso }).execute();
  await db.transaction().execute((trx) =>
    createUser(trx, { username: 'dongsg', displayName: '东社工', password: DEMO_PASSWORD, roles: [{ role: 'social_worker', stationId, countyId: null }], mustChangePassword: false, demoPassword: true }, now),
  );
  return stationId;
}
