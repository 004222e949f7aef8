import { sql, type Kysely } from 'kysely';
import { instant, isPostgres } from './dialect.js';

const ROLE_CHECK = `role in ('resident','volunteer','social_worker','station_head','data_officer','county_supervisor','system_admin')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const ts = instant(db);
  const pg = isPostgres(db);
  const int8 = pg ? 'bigint' : 'integer';

  await db.schema
    .createTable('app_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('counties')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique().check(sql`length(code) = 12`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('stations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('county_id', 'text', (c) => c.notNull().references('counties.id'))
    .addColumn('code', 'text', (c) => c.notNull().unique().check(sql`length(code) = 12`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('operator_model', 'text', (c) => c.notNull().check(sql`operator_model in ('government','ngo')`))
    .addColumn('operator_name', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stations_county_idx').on('stations').columns(['county_id']).execute();

  // Tenant table: station_id leads every index so a county or province can shard by station.
  await db.schema
    .createTable('villages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('code', 'text', (c) => c.notNull().check(sql`length(code) = 12`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('villages_station_code_uq').on('villages').columns(['station_id', 'code']).unique().execute();
  await db.schema.createIndex('villages_station_name_idx').on('villages').columns(['station_id', 'name']).execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique().check(sql`username = lower(username) and length(username) between 2 and 64`))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0).check(sql`must_change_password in (0,1)`))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0).check(sql`failed_logins >= 0`))
    .addColumn('locked_until', ts)
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0).check(sql`disabled in (0,1)`))
    .addColumn('totp_secret_enc', 'text')
    .addColumn('totp_pending_enc', 'text')
    .addColumn('totp_last_step', int8)
    .addColumn('elder_mode', 'integer', (c) => c.notNull().defaultTo(0).check(sql`elder_mode in (0,1)`))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('zh-CN').check(sql`locale in ('zh-CN','en')`))
    .addColumn('last_login_at', ts)
    .addColumn('password_changed_at', ts, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('role_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql.raw(ROLE_CHECK)))
    .addColumn('station_id', 'text', (c) => c.references('stations.id'))
    .addColumn('county_id', 'text', (c) => c.references('counties.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    // A county supervisor is bound to a county; a system admin to the deployment or one station;
    // everyone else to exactly one station.
    .addCheckConstraint(
      'role_assignments_scope_ck',
      sql`(role = 'county_supervisor' and county_id is not null and station_id is null)
        or (role = 'system_admin' and county_id is null)
        or (role not in ('county_supervisor','system_admin') and station_id is not null and county_id is null)`,
    )
    .execute();
  await db.schema
    .createIndex('role_assignments_uq')
    .on('role_assignments')
    .expression(sql`user_id, role, coalesce(station_id, ''), coalesce(county_id, '')`)
    .unique()
    .execute();
  await db.schema.createIndex('role_assignments_station_idx').on('role_assignments').columns(['station_id', 'role']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('last_seen_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('revoked_at', ts)
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('seq', int8, (c) => c.notNull().unique().check(sql`seq > 0`))
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_username', 'text')
    .addColumn('role', 'text')
    .addColumn('station_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('result', 'text', (c) => c.notNull().check(sql`result in ('ok','denied','error')`))
    .addColumn('ip', 'text')
    .addColumn('request_id', 'text')
    .addColumn('field', 'text')
    .addColumn('reason', 'text')
    .addColumn('detail', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_station_at_idx').on('audit_log').columns(['station_id', 'at']).execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').columns(['at']).execute();
  await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor_id', 'at']).execute();

  // Append-only, enforced by the database itself so no code path (or careless SQL) can rewrite history.
  if (pg) {
    await sql`create function xq_audit_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only'; end $$`.execute(db);
    await sql`create trigger audit_log_no_change before update or delete on audit_log
      for each row execute function xq_audit_append_only()`.execute(db);
    await sql`create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function xq_audit_append_only()`.execute(db);
  } else {
    await sql`create trigger audit_log_no_update before update on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The foundation migration cannot be reversed: restore a backup instead.');
}
