import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { connect } from './connect.js';
import { migrateToLatest } from './migrate.js';
import { freshDatabase } from '../test/db.js';

describe.skipIf(!!process.env.TEST_DATABASE_URL)('SQLite write transactions', () => {
  it('take the write lock at BEGIN, before their first statement', async () => {
    const fresh = await freshDatabase();
    const { db, file } = connect(fresh);
    await migrateToLatest(db as never);
    const other = new Database(file!);
    other.pragma('busy_timeout = 0');
    try {
      await db.transaction().execute(async (trx) => {
        // Only a read so far; with a plain BEGIN another writer could still get in here.
        await sql`select count(*) from users`.execute(trx);
        expect(() => other.prepare("insert into app_meta (key, value) values ('x', 'y')").run()).toThrow(/locked|busy/i);
      });
      // Once committed, the other connection can write.
      other.prepare("insert into app_meta (key, value) values ('x', 'y')").run();
    } finally {
      other.close();
      await db.destroy();
      await fresh.drop();
    }
  });
});
