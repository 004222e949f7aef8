import { sql, type Kysely } from 'kysely';
import { instant, isPostgres } from './dialect.js';

// Precise service, first slice: the service catalogue, who delivers what and when (weekly hours,
// leave, the national holiday calendar with its make-up working days), appointments that can never
// double-book a worker, the notification outbox, in-app notifications and the service records every
// report is built from.

const AREAS = ['elderly_care', 'child_care', 'social_assistance', 'disability', 'counselling', 'policy', 'legal_aid', 'employment', 'other'];
const MODES = ['station', 'home_visit', 'phone', 'online'];
const ACTIVE = `('requested','confirmed','checked_in')`;

const list = (xs: string[]) => sql.raw(xs.map((x) => `'${x}'`).join(','));

export async function up(db: Kysely<unknown>): Promise<void> {
  const ts = instant(db);
  const pg = isPostgres(db);

  await db.schema
    .createTable('service_types')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 60`))
    .addColumn('area', 'text', (c) => c.notNull().check(sql`area in (${list(AREAS)})`))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in (${list(MODES)})`))
    .addColumn('duration_minutes', 'integer', (c) => c.notNull().check(sql`duration_minutes between 5 and 480`))
    // Time kept free after each appointment (notes, the next visitor); travel before home visits.
    .addColumn('buffer_minutes', 'integer', (c) => c.notNull().defaultTo(0).check(sql`buffer_minutes between 0 and 120`))
    .addColumn('travel_minutes', 'integer', (c) => c.notNull().defaultTo(0).check(sql`travel_minutes between 0 and 240`))
    .addColumn('resident_bookable', 'integer', (c) => c.notNull().defaultTo(0).check(sql`resident_bookable in (0,1)`))
    .addColumn('description', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1).check(sql`active in (0,1)`))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_types_station_name_uq').on('service_types').columns(['station_id', 'name']).unique().execute();

  // Who may deliver a service type (a worker or volunteer account of the station).
  await db.schema
    .createTable('service_type_workers')
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('service_type_id', 'text', (c) => c.notNull().references('service_types.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('service_type_workers_pk', ['service_type_id', 'user_id'])
    .execute();
  await db.schema.createIndex('service_type_workers_user_idx').on('service_type_workers').columns(['user_id']).execute();

  // Weekly working hours in Asia/Shanghai wall-clock minutes (ISO weekday 1 = Monday).
  await db.schema
    .createTable('worker_hours')
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('weekday', 'integer', (c) => c.notNull().check(sql`weekday between 1 and 7`))
    .addColumn('start_minute', 'integer', (c) => c.notNull().check(sql`start_minute between 0 and 1439`))
    .addColumn('end_minute', 'integer', (c) => c.notNull().check(sql`end_minute between 1 and 1440`))
    .addPrimaryKeyConstraint('worker_hours_pk', ['station_id', 'user_id', 'weekday', 'start_minute'])
    .addCheckConstraint('worker_hours_span_ck', sql`end_minute > start_minute`)
    .execute();

  // Leave, training and other absences; a null span is the whole day.
  await db.schema
    .createTable('worker_exceptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('date', 'text', (c) => c.notNull().check(sql`length(date) = 10`))
    .addColumn('start_minute', 'integer', (c) => c.check(sql`start_minute between 0 and 1439`))
    .addColumn('end_minute', 'integer', (c) => c.check(sql`end_minute between 1 and 1440`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('leave','training','other')`))
    .addColumn('note', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addCheckConstraint('worker_exceptions_span_ck', sql`(start_minute is null and end_minute is null) or (start_minute is not null and end_minute is not null and end_minute > start_minute)`)
    .execute();
  await db.schema.createIndex('worker_exceptions_user_date_idx').on('worker_exceptions').columns(['user_id', 'date']).execute();

  // The national calendar: public holidays, and the weekend days that become working days (调休).
  await db.schema
    .createTable('calendar_days')
    .addColumn('date', 'text', (c) => c.primaryKey().check(sql`length(date) = 10`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday','workday')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .execute();

  await db.schema
    .createTable('appointments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('service_type_id', 'text', (c) => c.notNull().references('service_types.id'))
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('worker_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('start_at', ts, (c) => c.notNull())
    .addColumn('end_at', ts, (c) => c.notNull())
    // The worker's time this appointment takes: travel before, buffer after. These never overlap.
    .addColumn('block_start_at', ts, (c) => c.notNull())
    .addColumn('block_end_at', ts, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('requested','confirmed','checked_in','completed','cancelled','no_show')`))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('self','phone','walk_in','staff')`))
    .addColumn('note', 'text')
    .addColumn('booked_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('cancel_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addCheckConstraint('appointments_span_ck', sql`end_at > start_at and block_start_at <= start_at and block_end_at >= end_at`)
    .execute();
  await db.schema.createIndex('appointments_station_start_idx').on('appointments').columns(['station_id', 'start_at']).execute();
  await db.schema.createIndex('appointments_worker_block_idx').on('appointments').columns(['worker_id', 'block_start_at', 'block_end_at']).execute();
  await db.schema.createIndex('appointments_resident_idx').on('appointments').columns(['resident_id', 'start_at']).execute();
  // No double booking, enforced by the database itself whatever the code does.
  if (pg) {
    await sql`create extension if not exists btree_gist`.execute(db);
    await sql`alter table appointments add constraint appointments_no_overlap
      exclude using gist (worker_id with =, tstzrange(block_start_at, block_end_at, '[)') with &&)
      where (status in ${sql.raw(ACTIVE)})`.execute(db);
  } else {
    // SQLite has no exclusion constraints; triggers refuse an overlapping active appointment. Write
    // transactions are BEGIN IMMEDIATE, so the check and the write cannot interleave with another's.
    for (const [event, when] of [
      ['insert', `new.status in ${ACTIVE}`],
      ['update', `new.status in ${ACTIVE}`],
    ] as const) {
      await sql`${sql.raw(`create trigger appointments_no_overlap_${event} before ${event} on appointments
        when ${when} begin
          select raise(abort, 'appointments_no_overlap')
          where exists (select 1 from appointments a
            where a.worker_id = new.worker_id and a.id <> new.id and a.status in ${ACTIVE}
              and a.block_start_at < new.block_end_at and new.block_start_at < a.block_end_at);
        end`)}`.execute(db);
    }
  }

  // Service records (服务台账): the single source of every report. One per source event.
  await db.schema
    .createTable('service_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('worker_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('service_type_id', 'text', (c) => c.references('service_types.id'))
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('casework','group','community','visit','phone','online','station')`))
    .addColumn('start_at', ts, (c) => c.notNull())
    .addColumn('end_at', ts, (c) => c.notNull())
    .addColumn('place', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('follow_up_needed', 'integer', (c) => c.notNull().defaultTo(0).check(sql`follow_up_needed in (0,1)`))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('appointment','visit','request','manual')`))
    .addColumn('source_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addCheckConstraint('service_records_span_ck', sql`end_at >= start_at`)
    .addCheckConstraint('service_records_source_ck', sql`(source = 'manual') = (source_id is null)`)
    .execute();
  // Recorded once: an appointment, visit or request yields at most one record.
  await db.schema.createIndex('service_records_source_uq').on('service_records').columns(['source', 'source_id']).unique().where(sql.ref('source_id'), 'is not', null).execute();
  await db.schema.createIndex('service_records_station_start_idx').on('service_records').columns(['station_id', 'start_at']).execute();
  await db.schema.createIndex('service_records_resident_idx').on('service_records').columns(['resident_id', 'start_at']).execute();
  await db.schema.createIndex('service_records_worker_idx').on('service_records').columns(['worker_id', 'start_at']).execute();

  // The outbox: every message to send, written in the transaction of the change that causes it.
  await db.schema
    .createTable('notification_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.references('stations.id'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('in_app','sms','wechat')`))
    .addColumn('recipient_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('recipient_resident_id', 'text', (c) => c.references('residents.id'))
    // Phone or WeChat id for sms/wechat, encrypted like every other contact detail.
    .addColumn('address_enc', 'text')
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('due_at', ts, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','sent','failed','cancelled')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', ts)
    .addColumn('sent_at', ts)
    .addColumn('last_error', 'text')
    .addColumn('appointment_id', 'text', (c) => c.references('appointments.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addCheckConstraint('notification_outbox_recipient_ck', sql`recipient_user_id is not null or recipient_resident_id is not null`)
    .execute();
  await db.schema.createIndex('notification_outbox_due_idx').on('notification_outbox').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('notification_outbox_appointment_idx').on('notification_outbox').columns(['appointment_id']).execute();

  // In-app notifications (the bell).
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('station_id', 'text', (c) => c.references('stations.id'))
    .addColumn('outbox_id', 'text', (c) => c.unique().references('notification_outbox.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('read_at', ts)
    .execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'created_at']).execute();

  // Which channels a user wants beyond in-app (JSON list), and for residents a relative's number.
  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['notification_preferences', 'notifications', 'notification_outbox', 'service_records', 'appointments', 'calendar_days', 'worker_exceptions', 'worker_hours', 'service_type_workers', 'service_types']) {
    await db.schema.dropTable(t).execute();
  }
}
