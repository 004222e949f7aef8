import type { Config } from './config.js';
import { connect, type Database_ } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import type { Clock } from './lib/clock.js';
import { systemClock } from './lib/clock.js';
import { loadKeyRing } from './lib/crypto.js';
import type { Deps } from './lib/deps.js';
import { VERSION } from './version.js';

/** Open the database, migrate it, load keys: everything main, cli and tests share. */
export async function boot(config: Config, clock: Clock = systemClock): Promise<Deps & { database: Database_ }> {
  const database = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db as never);
  } catch (e) {
    await database.db.destroy();
    if (database.readDb !== database.db) await database.readDb.destroy();
    throw e;
  }
  const keys = loadKeyRing({ masterKey: config.masterKey, dataDir: config.dataDir });
  return { db: database.db, readDb: database.readDb, dialect: database.dialect, config, clock, keys, version: VERSION, database };
}
