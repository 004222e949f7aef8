import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { connect } from './connect.js';
import { MIGRATIONS, migrateToLatest } from './migrate.js';
import { freshDatabase } from '../test/db.js';

describe('migrations', () => {
  it('apply once, then refuse a database migrated by a newer version', async () => {
    const fresh = await freshDatabase();
    const { db } = connect(fresh);
    try {
      expect(await migrateToLatest(db as never)).toEqual(Object.keys(MIGRATIONS));
      expect(await migrateToLatest(db as never)).toEqual([]);
      await sql`insert into kysely_migration (name, timestamp) values ('2099-01-01-from-the-future', '2099-01-01T00:00:00Z')`.execute(db);
      await expect(migrateToLatest(db as never)).rejects.toThrow(/newer version of Xiangqiao/);
    } finally {
      await db.destroy();
      await fresh.drop();
    }
  });

  it('sets SQLite up for durability', async () => {
    const fresh = await freshDatabase();
    if (fresh.databaseUrl) return fresh.drop();
    const { db } = connect(fresh);
    try {
      const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('synchronous')).toBe(2); // FULL
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('busy_timeout')).toBe(5000);
    } finally {
      await db.destroy();
      await fresh.drop();
    }
  });
});
