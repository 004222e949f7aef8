import { sql, type Kysely } from 'kysely';
import { instant, isPostgres } from './dialect.js';

// Precise service, second slice: what the station configures (office hours for response deadlines,
// visit cadence, complaint deadlines), which worker covers which villages and areas, consultations
// with their messages and the public FAQ, service requests with assignment, home visits, photos,
// ratings, suggestions and complaints.

const AREAS = ['elderly_care', 'child_care', 'social_assistance', 'disability', 'counselling', 'policy', 'legal_aid', 'employment', 'other'];
const list = (xs: string[]) => sql.raw(xs.map((x) => `'${x}'`).join(','));

export async function up(db: Kysely<unknown>): Promise<void> {
  const ts = instant(db);
  const blob = isPostgres(db) ? 'bytea' : 'blob';

  // One row per station; a missing row means the defaults (docs/service-work.md).
  await db.schema
    .createTable('station_settings')
    .addColumn('station_id', 'text', (c) => c.primaryKey().references('stations.id'))
    // JSON {"1":[[510,720],[840,1050]], ...}: office hours per ISO weekday in Asia/Shanghai minutes.
    .addColumn('office_hours', 'text', (c) => c.notNull())
    .addColumn('consultation_response_minutes', 'integer', (c) => c.notNull().check(sql`consultation_response_minutes between 30 and 4800`))
    .addColumn('visit_days_high', 'integer', (c) => c.notNull().check(sql`visit_days_high between 1 and 366`))
    .addColumn('visit_days_priority', 'integer', (c) => c.notNull().check(sql`visit_days_priority between 1 and 366`))
    .addColumn('visit_days_normal', 'integer', (c) => c.notNull().check(sql`visit_days_normal between 1 and 366`))
    .addColumn('complaint_response_days', 'integer', (c) => c.notNull().check(sql`complaint_response_days between 1 and 60`))
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  // The villages a worker covers (包村) and the areas they are skilled in: matching and due lists.
  await db.schema
    .createTable('worker_villages')
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addPrimaryKeyConstraint('worker_villages_pk', ['station_id', 'user_id', 'village_id'])
    .execute();
  await db.schema.createIndex('worker_villages_village_idx').on('worker_villages').columns(['village_id']).execute();
  await db.schema
    .createTable('worker_skills')
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('area', 'text', (c) => c.notNull().check(sql`area in (${list(AREAS)})`))
    .addPrimaryKeyConstraint('worker_skills_pk', ['station_id', 'user_id', 'area'])
    .execute();

  // Photos (consultations, visits): encrypted like consent scans, type sniffed on upload.
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('resident_id', 'text', (c) => c.references('residents.id'))
    .addColumn('owner_kind', 'text', (c) => c.check(sql`owner_kind in ('consultation_message','visit')`))
    .addColumn('owner_id', 'text')
    .addColumn('mime_type', 'text', (c) => c.notNull().check(sql`mime_type in ('image/jpeg','image/png','image/webp')`))
    .addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes > 0`))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content_enc', blob)
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addCheckConstraint('attachments_owner_ck', sql`(owner_kind is null) = (owner_id is null)`)
    .execute();
  await db.schema.createIndex('attachments_owner_idx').on('attachments').columns(['owner_kind', 'owner_id']).execute();

  // Service requests (服务需求): a need without a fixed time, assigned to a worker or volunteer.
  await db.schema
    .createTable('service_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('area', 'text', (c) => c.notNull().check(sql`area in (${list(AREAS)})`))
    .addColumn('title', 'text', (c) => c.notNull().check(sql`length(title) between 1 and 80`))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull().check(sql`urgency in ('low','normal','high','urgent')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','assigned','in_progress','fulfilled','cancelled')`))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('resident','staff','consultation','visit')`))
    .addColumn('source_id', 'text')
    .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
    .addColumn('assigned_by', 'text', (c) => c.references('users.id'))
    .addColumn('assigned_at', ts)
    .addColumn('due_at', ts)
    .addColumn('fulfilled_at', ts)
    .addColumn('outcome', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addCheckConstraint('service_requests_assignee_ck', sql`status in ('open','cancelled') or assignee_id is not null`)
    .addCheckConstraint('service_requests_fulfilled_ck', sql`(status = 'fulfilled') = (fulfilled_at is not null)`)
    .addCheckConstraint('service_requests_source_ck', sql`source in ('resident','staff') or source_id is not null`)
    .execute();
  await db.schema.createIndex('service_requests_station_status_idx').on('service_requests').columns(['station_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('service_requests_assignee_idx').on('service_requests').columns(['assignee_id', 'status']).execute();
  await db.schema.createIndex('service_requests_resident_idx').on('service_requests').columns(['resident_id', 'created_at']).execute();
  // A consultation or visit opens at most one request.
  await db.schema.createIndex('service_requests_source_uq').on('service_requests').columns(['source', 'source_id']).unique().where(sql.ref('source_id'), 'is not', null).execute();

  // Consultations (咨询): a thread with a first-response deadline counted in office hours.
  await db.schema
    .createTable('consultations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('area', 'text', (c) => c.notNull().check(sql`area in (${list(AREAS)})`))
    .addColumn('subject', 'text', (c) => c.notNull().check(sql`length(subject) between 1 and 80`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','answered','closed')`))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('self','phone','walk_in','staff')`))
    .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
    .addColumn('first_response_due_at', ts, (c) => c.notNull())
    .addColumn('first_response_at', ts)
    .addColumn('resolution', 'text')
    .addColumn('closed_at', ts)
    .addColumn('closed_by', 'text', (c) => c.references('users.id'))
    .addColumn('request_id', 'text', (c) => c.references('service_requests.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('opened_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addCheckConstraint('consultations_closed_ck', sql`(status = 'closed') = (closed_at is not null)`)
    .execute();
  await db.schema.createIndex('consultations_station_status_idx').on('consultations').columns(['station_id', 'status', 'first_response_due_at']).execute();
  await db.schema.createIndex('consultations_resident_idx').on('consultations').columns(['resident_id', 'created_at']).execute();
  await db.schema
    .createTable('consultation_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('consultation_id', 'text', (c) => c.notNull().references('consultations.id'))
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('author_side', 'text', (c) => c.notNull().check(sql`author_side in ('resident','staff')`))
    .addColumn('body', 'text', (c) => c.notNull().check(sql`length(body) between 1 and 4000`))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consultation_messages_thread_idx').on('consultation_messages').columns(['consultation_id', 'created_at']).execute();

  // The public FAQ: de-identified answers, published by staff, readable by anyone.
  await db.schema
    .createTable('faq_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('area', 'text', (c) => c.notNull().check(sql`area in (${list(AREAS)})`))
    .addColumn('question', 'text', (c) => c.notNull().check(sql`length(question) between 1 and 500`))
    .addColumn('answer', 'text', (c) => c.notNull().check(sql`length(answer) between 1 and 4000`))
    .addColumn('consultation_id', 'text', (c) => c.references('consultations.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('published','withdrawn')`))
    .addColumn('published_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('published_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('faq_entries_station_idx').on('faq_entries').columns(['station_id', 'status', 'published_at']).execute();

  // Home visits (走访): one row per visit; the due list is computed from the latest visit and the tier.
  await db.schema
    .createTable('visits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('worker_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('visited_at', ts, (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull().check(sql`duration_minutes between 1 and 600`))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('home','phone','video','other')`))
    .addColumn('met_resident', 'integer', (c) => c.notNull().check(sql`met_resident in (0,1)`))
    .addColumn('observations', 'text', (c) => c.notNull())
    // JSON {"item": "ok" | "concern" | "na"} for the living-condition checklist.
    .addColumn('checklist', 'text', (c) => c.notNull())
    // JSON list of risk flag ids.
    .addColumn('risk_flags', 'text', (c) => c.notNull())
    .addColumn('tier_before', 'text', (c) => c.notNull().check(sql`tier_before in ('high','priority','normal')`))
    .addColumn('tier_after', 'text', (c) => c.notNull().check(sql`tier_after in ('high','priority','normal')`))
    .addColumn('request_id', 'text', (c) => c.references('service_requests.id'))
    .addColumn('follow_up_needed', 'integer', (c) => c.notNull().defaultTo(0).check(sql`follow_up_needed in (0,1)`))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('visits_resident_idx').on('visits').columns(['resident_id', 'visited_at']).execute();
  await db.schema.createIndex('visits_station_idx').on('visits').columns(['station_id', 'visited_at']).execute();
  await db.schema.createIndex('visits_worker_idx').on('visits').columns(['worker_id', 'visited_at']).execute();

  // Satisfaction follow-up (满意度回访): one rating per service record.
  await db.schema
    .createTable('ratings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('service_record_id', 'text', (c) => c.notNull().unique().references('service_records.id'))
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('worker_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('service_type_id', 'text', (c) => c.references('service_types.id'))
    .addColumn('score', 'integer', (c) => c.notNull().check(sql`score between 1 and 5`))
    .addColumn('comment', 'text', (c) => c.check(sql`comment is null or length(comment) <= 1000`))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('online','phone','in_person')`))
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ratings_station_idx').on('ratings').columns(['station_id', 'created_at']).execute();
  await db.schema.createIndex('ratings_worker_idx').on('ratings').columns(['worker_id', 'created_at']).execute();

  // Suggestions (意见建议) and complaints (投诉). Complaints carry a deadline and can be escalated.
  await db.schema
    .createTable('feedback_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('suggestion','complaint')`))
    .addColumn('resident_id', 'text', (c) => c.references('residents.id'))
    .addColumn('submitted_by', 'text', (c) => c.references('users.id'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('online','phone','in_person','box')`))
    .addColumn('subject', 'text', (c) => c.notNull().check(sql`length(subject) between 1 and 80`))
    .addColumn('body', 'text', (c) => c.notNull().check(sql`length(body) between 1 and 4000`))
    .addColumn('about_worker_id', 'text', (c) => c.references('users.id'))
    .addColumn('service_record_id', 'text', (c) => c.references('service_records.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','in_progress','resolved','closed')`))
    .addColumn('handler_id', 'text', (c) => c.references('users.id'))
    .addColumn('due_at', ts)
    .addColumn('escalated_at', ts)
    .addColumn('escalated_to', 'text', (c) => c.references('users.id'))
    .addColumn('response', 'text')
    .addColumn('resolved_at', ts)
    .addColumn('resolved_by', 'text', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addCheckConstraint('feedback_items_due_ck', sql`kind <> 'complaint' or due_at is not null`)
    .addCheckConstraint('feedback_items_resolved_ck', sql`(status in ('resolved','closed')) = (resolved_at is not null)`)
    .execute();
  await db.schema.createIndex('feedback_items_station_idx').on('feedback_items').columns(['station_id', 'kind', 'status', 'created_at']).execute();
  await db.schema.createIndex('feedback_items_resident_idx').on('feedback_items').columns(['resident_id']).execute();

  // Sweeps (overdue high-tier visits, overdue complaints) alert once per subject and day, across nodes:
  // the primary key makes a second insert fail, so only one node's alert is sent.
  await db.schema
    .createTable('alert_log')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull().check(sql`length(day) = 10`))
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_log_pk', ['kind', 'subject_id', 'day'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['alert_log', 'feedback_items', 'ratings', 'visits', 'faq_entries', 'consultation_messages', 'consultations', 'service_requests', 'attachments', 'worker_skills', 'worker_villages', 'station_settings']) {
    await db.schema.dropTable(t).execute();
  }
}
