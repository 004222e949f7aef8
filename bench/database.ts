import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * With BENCH_DATABASE_URL, a new database made from it and dropped afterwards, so a run never
 * writes into (or finds its residents already in) the database the URL names.
 */
export async function benchDatabase(): Promise<{ url: string | null; drop(): Promise<void> }> {
  const admin = process.env.BENCH_DATABASE_URL;
  if (!admin) return { url: null, drop: async () => undefined };
  const name = `xq_bench_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}
