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

describe.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL pool', () => {
  it('survives PostgreSQL closing an idle connection (no uncaught error, next query works)', async () => {
    const fresh = await freshDatabase();
    const { db } = connect({ databaseUrl: fresh.databaseUrl, dataDir: fresh.dataDir, poolSize: 2 });
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
      const admin = connect({ databaseUrl: fresh.databaseUrl, dataDir: fresh.dataDir, poolSize: 1 });
      await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(admin.db);
      await admin.db.destroy();
      await new Promise((r) => setTimeout(r, 100));
      const again = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(again.rows[0]!.one).toBe(1);
    } finally {
      await db.destroy();
      await fresh.drop();
    }
  });
});
