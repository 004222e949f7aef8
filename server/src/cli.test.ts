import { spawnSync } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Database_ } from './db/connect.js';
import { freshDatabase } from './test/db.js';
import { ROOT } from './test/child.js';

type Fresh = Awaited<ReturnType<typeof freshDatabase>>;

function cli(fresh: Fresh, ...args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, XQ_DATA_DIR: fresh.dataDir, DATABASE_URL: fresh.databaseUrl ?? '', XQ_DEMO_PASSWORD: 'Xiangqiao#2026' },
    encoding: 'utf8',
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('admin command line', () => {
  let fresh: Fresh;
  let database: Database_;
  beforeAll(async () => {
    fresh = await freshDatabase();
  });
  afterAll(async () => {
    await database?.db.destroy();
    await fresh?.drop();
  });

  it('migrates, seeds, and manages users, each audited', async () => {
    expect(cli(fresh, 'migrate').out).toContain('Applied: 2026-11-29-01-foundation');
    expect(cli(fresh, 'seed-demo').out).toContain('Created demo accounts: admin');
    const add = cli(fresh, 'user', 'add', '--username', 'shegong7', '--name', '孙社工', '--role', 'social_worker', '--station', '430181110');
    expect(add.code).toBe(0);
    expect(add.out).toMatch(/Temporary password \(change at first login\): \S{12,}/);
    database = connect(fresh);
    const { db } = database;
    const user = await db.selectFrom('users').selectAll().where('username', '=', 'shegong7').executeTakeFirstOrThrow();
    expect(user.must_change_password).toBe(1);
    const role = await db.selectFrom('role_assignments').select(['role', 'station_id']).where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(role.role).toBe('social_worker');
    expect(role.station_id).toBeTruthy();

    expect(cli(fresh, 'user', 'lock', 'shegong7').code).toBe(0);
    expect((await db.selectFrom('users').select('disabled').where('id', '=', user.id).executeTakeFirstOrThrow()).disabled).toBe(1);
    expect(cli(fresh, 'user', 'unlock', 'shegong7').code).toBe(0);
    expect((await db.selectFrom('users').select('disabled').where('id', '=', user.id).executeTakeFirstOrThrow()).disabled).toBe(0);
    const reset = cli(fresh, 'user', 'reset-password', 'shegong7', '--password', 'Linshi-Mima-7788');
    expect(reset.code).toBe(0);
    const weak = cli(fresh, 'user', 'reset-password', 'shegong7', '--password', 'short');
    expect(weak.code).toBe(1);
    expect(weak.out).toContain('password_too_short');
    expect(cli(fresh, 'user', 'lock', 'nobody').code).toBe(2);

    const actions = (await db.selectFrom('audit_log').select('action').where('actor_username', '=', 'cli').orderBy('seq').execute()).map((r) => r.action);
    expect(actions).toEqual(['user.create', 'user.lock', 'user.unlock', 'user.password_reset']);
  });

  it('audit verify names the first broken link after someone edits a row', async () => {
    const ok = cli(fresh, 'audit', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Audit log intact: \d+ entries verified/);
    const { db, dialect } = database;
    const victim = await db.selectFrom('audit_log').select(['seq']).where('action', '=', 'user.lock').executeTakeFirstOrThrow();
    if (dialect === 'postgres') {
      await sql.raw('alter table audit_log disable trigger user').execute(db);
      await sql`update audit_log set actor_username = 'nobody' where seq = ${victim.seq}`.execute(db);
      await sql.raw('alter table audit_log enable trigger user').execute(db);
    } else {
      await sql.raw('drop trigger audit_log_no_update').execute(db);
      await sql`update audit_log set actor_username = 'nobody' where seq = ${victim.seq}`.execute(db);
    }
    const bad = cli(fresh, 'audit', 'verify');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`BROKEN at entry #${victim.seq}`);
    expect(bad.out).toContain('hash_mismatch');
  });

  it('sets up a real station from the division data', async () => {
    const other = await freshDatabase();
    try {
      const r = cli(other, 'setup', '--township', '430181110', '--station-name', '大瑶镇社工站', '--head-username', 'lizhan', '--head-name', '李站长');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Station created with \d+ villages/);
      expect(r.out).toMatch(/Head account password \(shown once\): \S+/);
      expect(cli(other, 'setup', '--township', '430181110', '--station-name', 'x', '--head-username', 'y', '--head-name', 'z').out).toContain('already_set_up');
    } finally {
      await other.drop();
    }
  });

  it('prints usage for an unknown command', () => {
    const r = cli(fresh, 'frobnicate');
    expect(r.code).toBe(2);
    expect(r.out).toContain('Usage: npm run cli');
  });
});
