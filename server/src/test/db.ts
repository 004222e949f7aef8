import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { randomBytes } from 'node:crypto';

/** The dialect this test run uses: PostgreSQL when TEST_DATABASE_URL is set, SQLite otherwise. */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL || null;

/**
 * A fresh, empty database for one test file: a temp SQLite folder, or a new PostgreSQL database
 * made from TEST_DATABASE_URL (so files can run in parallel without seeing each other's rows).
 */
export async function freshDatabase(): Promise<{ dataDir: string; databaseUrl: string | null; drop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xq-test-'));
  if (!TEST_PG_URL) {
    return { dataDir, databaseUrl: null, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `xq_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
