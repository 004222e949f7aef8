import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/tables.js';
import { AppError, badRequest, conflict } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { findTownship, listVillagesOfTownship } from '../../lib/divisions.js';
import { createUser } from '../users/users.js';

export interface StationSetup {
  townshipCode: string;
  stationName: string;
  operatorModel: 'government' | 'ngo';
  operatorName: string | null;
  head: { username: string; displayName: string; password: string };
}

export async function needsSetup(db: Kysely<DB>): Promise<boolean> {
  const s = await db.selectFrom('stations').select('id').limit(1).executeTakeFirst();
  return !s;
}

/** 长沙市浏阳市; for municipalities the data's city level is 市辖区/县, so use the province: 北京市东城区. */
function countyName(t: { provinceName: string; cityName: string; areaName: string }): string {
  return ['市辖区', '县'].includes(t.cityName) ? `${t.provinceName}${t.areaName}` : `${t.cityName}${t.areaName}`;
}

/** County, station and its villages from the national division data; idempotent on the codes. */
export async function ensureStation(
  trx: Transaction<DB>,
  input: { townshipCode: string; stationName: string; operatorModel: 'government' | 'ngo'; operatorName: string | null; villageCodes?: string[] },
  now: Date,
): Promise<{ stationId: string; countyId: string; villages: number }> {
  const town = findTownship(input.townshipCode);
  if (!town) throw badRequest('validation_failed', { townshipCode: 'unknown_township' });
  const at = now.toISOString();
  const countyCode = `${town.areaCode}000000`;
  let county = await trx.selectFrom('counties').select('id').where('code', '=', countyCode).executeTakeFirst();
  if (!county) {
    county = { id: newId(now.getTime()) };
    await trx.insertInto('counties').values({ id: county.id, code: countyCode, name: countyName(town), created_at: at }).execute();
  }
  let station = await trx.selectFrom('stations').select('id').where('code', '=', town.code12).executeTakeFirst();
  if (!station) {
    station = { id: newId(now.getTime()) };
    await trx
      .insertInto('stations')
      .values({ id: station.id, county_id: county.id, code: town.code12, name: input.stationName.trim(), operator_model: input.operatorModel, operator_name: input.operatorName, created_at: at })
      .execute();
  }
  let villages = await listVillagesOfTownship(town.code12);
  if (input.villageCodes) villages = villages.filter((v) => input.villageCodes!.includes(v.code));
  const existing = new Set((await trx.selectFrom('villages').select('code').where('station_id', '=', station.id).execute()).map((v) => v.code));
  for (const v of villages) {
    if (existing.has(v.code)) continue;
    await trx.insertInto('villages').values({ id: newId(now.getTime()), station_id: station.id, code: v.code, name: v.name, created_at: at }).execute();
  }
  return { stationId: station.id, countyId: county.id, villages: villages.length };
}

/** The first run of a real deployment: the township's station, its villages and the head's account. */
export async function setupStation(trx: Transaction<DB>, input: StationSetup, now: Date) {
  const any = await trx.selectFrom('stations').select('id').limit(1).executeTakeFirst();
  if (any) throw conflict('already_set_up');
  const r = await ensureStation(trx, input, now);
  const headId = await createUser(
    trx,
    {
      username: input.head.username,
      displayName: input.head.displayName,
      password: input.head.password,
      roles: [{ role: 'station_head', stationId: r.stationId, countyId: null }],
      // They chose this password themselves in the wizard.
      mustChangePassword: false,
    },
    now,
  ).catch((e: unknown) => {
    // Name the fields as the set-up form has them (head.password, head.username).
    if (e instanceof AppError && e.fields) {
      throw new AppError(e.status, e.id, Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [`head.${k}`, v])));
    }
    throw e;
  });
  return { ...r, headId };
}

/** Create (once) the code that claims a fresh install, for the console to print. */
export async function ensureSetupCode(db: Kysely<DB>): Promise<string> {
  const row = await db.selectFrom('app_meta').select('value').where('key', '=', 'setup_code').executeTakeFirst();
  if (row) return row.value;
  // Unambiguous letters and digits, easy to read off a console and type on a phone.
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(8);
  const code = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  await db.insertInto('app_meta').values({ key: 'setup_code', value: code }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const stored = await db.selectFrom('app_meta').select('value').where('key', '=', 'setup_code').executeTakeFirstOrThrow();
  return stored.value;
}
