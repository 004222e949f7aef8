import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Group and community work (小组, 社区): one session serves many residents and is often led by more
// than one worker. It is entered once and stored as one ledger row per resident served (each row is a
// 服务人次 in every report, and each resident's timeline, consent and rights work as before), joined by
// an activity id; the workers besides the lead are listed per row.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('service_records').addColumn('activity_id', 'text').execute();
  await db.schema.createIndex('service_records_activity_idx').on('service_records').column('activity_id').where(sql.ref('activity_id'), 'is not', null).execute();
  await db.schema
    .createTable('service_record_workers')
    .addColumn('service_record_id', 'text', (c) => c.notNull().references('service_records.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('service_record_workers_pk', ['service_record_id', 'user_id'])
    .execute();
  await db.schema.createIndex('service_record_workers_user_idx').on('service_record_workers').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('service_record_workers').execute();
  await db.schema.dropIndex('service_records_activity_idx').execute();
  await db.schema.alterTable('service_records').dropColumn('activity_id').execute();
}
