import { sql, type Kysely } from 'kysely';
import { instant, isPostgres } from './dialect.js';

// The residents registry (服务对象档案): the most sensitive data in the system. Sensitive values are
// stored only as ciphertext (`*_enc`), a masked copy for lists (`*_masked`) and, where exact search or
// a uniqueness rule needs it, an HMAC blind index (`*_bidx`). The rules below hold even against a
// careless query: they are constraints, not application checks.

const CATEGORIES = [
  'dibao', 'tekun', 'dibao_edge', 'rigid_expense', 'poverty_watch', 'elderly_alone', 'elderly_empty_nest',
  'elderly_left_behind', 'elderly_disabled', 'elderly_severe_disability', 'family_planning_special', 'orphan',
  'de_facto_orphan', 'left_behind_child', 'child_in_difficulty', 'disabled',
];
const RELATIONS_TO_HEAD = ['head', 'spouse', 'son', 'daughter', 'son_in_law', 'daughter_in_law', 'grandchild', 'parent', 'sibling', 'other'];
const PHONE_RELATIONS = ['self', 'son', 'daughter', 'spouse', 'parent', 'grandchild', 'sibling', 'relative', 'neighbour', 'village_cadre', 'other'];
const PURPOSES = ['service', 'sensitive_data', 'referral_sharing', 'volunteer_contact', 'publicity_photos'];

const list = (xs: string[]) => sql.raw(xs.map((x) => `'${x}'`).join(','));

export async function up(db: Kysely<unknown>): Promise<void> {
  const ts = instant(db);
  const pg = isPostgres(db);
  const blob = pg ? 'bytea' : 'blob';

  await db.schema
    .createTable('households')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('address_enc', 'text')
    .addColumn('address_masked', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('households_station_village_idx').on('households').columns(['station_id', 'village_id']).execute();

  await db.schema
    .createTable('residents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('household_id', 'text', (c) => c.references('households.id'))
    .addColumn('relation_to_head', 'text', (c) => c.check(sql`relation_to_head in (${list(RELATIONS_TO_HEAD)})`))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 50`))
    // Search keys from lib/pinyin.ts: `wgy` / `wangguiying` for 王桂英.
    .addColumn('name_initials', 'text', (c) => c.notNull())
    .addColumn('name_pinyin', 'text', (c) => c.notNull())
    .addColumn('gender', 'text', (c) => c.notNull().check(sql`gender in ('male','female')`))
    // A calendar date, not an instant: YYYY-MM-DD text on both dialects sorts and compares correctly.
    .addColumn('birth_date', 'text', (c) => c.notNull().check(sql`length(birth_date) = 10`))
    .addColumn('id_number_enc', 'text')
    .addColumn('id_number_masked', 'text')
    .addColumn('id_number_bidx', 'text')
    .addColumn('no_id_reason', 'text')
    .addColumn('address_enc', 'text')
    .addColumn('address_masked', 'text')
    .addColumn('health_notes_enc', 'text')
    .addColumn('income_notes_enc', 'text')
    .addColumn('disability_cert_enc', 'text')
    .addColumn('disability_category', 'integer', (c) => c.check(sql`disability_category between 1 and 7`))
    .addColumn('disability_grade', 'integer', (c) => c.check(sql`disability_grade between 1 and 4`))
    .addColumn('guardian_resident_id', 'text', (c) => c.references('residents.id'))
    .addColumn('risk_tier', 'text', (c) => c.notNull().check(sql`risk_tier in ('high','priority','normal')`))
    .addColumn('lawful_basis', 'text', (c) => c.notNull().check(sql`lawful_basis in ('consent','statutory_duty','vital_interest')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active','moved','deceased')`))
    .addColumn('status_date', 'text')
    // Optimistic concurrency for edits made on phones with weak signal: PATCH carries the version read.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('anonymised_at', ts)
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addCheckConstraint('residents_id_or_reason_ck', sql`anonymised_at is not null or (id_number_enc is not null and id_number_bidx is not null) or no_id_reason is not null`)
    .addCheckConstraint('residents_status_date_ck', sql`status = 'active' or status_date is not null`)
    .addCheckConstraint('residents_household_relation_ck', sql`(household_id is null) = (relation_to_head is null)`)
    .addCheckConstraint('residents_guardian_not_self_ck', sql`guardian_resident_id is null or guardian_resident_id <> id`)
    .execute();
  // The same person cannot be registered twice anywhere in the deployment (→ 409 duplicate_resident).
  await db.schema.createIndex('residents_id_number_bidx_uq').on('residents').column('id_number_bidx').unique().execute();
  // One head per household.
  await db.schema
    .createIndex('residents_household_head_uq')
    .on('residents')
    .column('household_id')
    .unique()
    .where(sql.ref('relation_to_head'), '=', 'head')
    .execute();
  await db.schema.createIndex('residents_household_idx').on('residents').columns(['household_id']).execute();
  // The list's order with every filterable column: a page is found by walking this narrow index
  // alone, never the wide rows full of ciphertext (10× faster on 100k residents; bench/search.ts).
  await db.schema
    .createIndex('residents_station_list_idx')
    .on('residents')
    .columns(['station_id', 'name_pinyin', 'id', 'name', 'village_id', 'risk_tier', 'status', 'birth_date', 'household_id'])
    .execute();
  await db.schema.createIndex('residents_station_village_idx').on('residents').columns(['station_id', 'village_id', 'name', 'birth_date']).execute();
  await db.schema.createIndex('residents_station_risk_idx').on('residents').columns(['station_id', 'risk_tier']).execute();
  await db.schema.createIndex('residents_station_birth_idx').on('residents').columns(['station_id', 'birth_date']).execute();
  await db.schema.createIndex('residents_station_status_idx').on('residents').columns(['station_id', 'status', 'status_date']).execute();
  await db.schema.createIndex('residents_guardian_idx').on('residents').columns(['guardian_resident_id']).execute();

  // Pinyin search keys: the full pinyin and every suffix of the initials, so "wgy", "gy" (given name)
  // and "mmt" (阿依古丽·买买提) are all index range scans instead of a scan of every name.
  await db.schema
    .createTable('resident_name_keys')
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id').onDelete('cascade'))
    // 0 for the full pinyin and the whole initials; n for the initials from character n on.
    .addColumn('pos', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('resident_name_keys_pk', ['station_id', 'key', 'resident_id', 'pos'])
    .execute();
  await db.schema.createIndex('resident_name_keys_resident_idx').on('resident_name_keys').columns(['resident_id']).execute();

  await db.schema
    .createTable('resident_phones')
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id').onDelete('cascade'))
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('position', 'integer', (c) => c.notNull().check(sql`position between 0 and 9`))
    .addColumn('number_enc', 'text', (c) => c.notNull())
    .addColumn('number_masked', 'text', (c) => c.notNull())
    .addColumn('number_bidx', 'text', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull().check(sql`relation in (${list(PHONE_RELATIONS)})`))
    .addPrimaryKeyConstraint('resident_phones_pk', ['resident_id', 'position'])
    .execute();
  await db.schema.createIndex('resident_phones_bidx_idx').on('resident_phones').columns(['number_bidx']).execute();

  await db.schema
    .createTable('resident_categories')
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id').onDelete('cascade'))
    .addColumn('category', 'text', (c) => c.notNull().check(sql`category in (${list(CATEGORIES)})`))
    .addPrimaryKeyConstraint('resident_categories_pk', ['station_id', 'category', 'resident_id'])
    .execute();
  await db.schema.createIndex('resident_categories_resident_idx').on('resident_categories').columns(['resident_id']).execute();

  // The timeline: every change to a resident. Sensitive fields record only that they changed.
  await db.schema
    .createTable('resident_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('field', 'text')
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('resident_events_resident_idx').on('resident_events').columns(['resident_id', 'at', 'id']).execute();

  // Scanned signed consent forms: the bytes are encrypted like every other sensitive value.
  await db.schema
    .createTable('consent_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('mime_type', 'text', (c) => c.notNull().check(sql`mime_type in ('image/jpeg','image/png','application/pdf')`))
    .addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes > 0`))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content_enc', blob)
    .addColumn('uploaded_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consent_documents_resident_idx').on('consent_documents').columns(['resident_id']).execute();

  await db.schema
    .createTable('consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in (${list(PURPOSES)})`))
    .addColumn('given_by', 'text', (c) => c.notNull().check(sql`given_by in ('self','guardian')`))
    .addColumn('guardian_resident_id', 'text', (c) => c.references('residents.id'))
    .addColumn('guardian_name', 'text')
    .addColumn('guardian_relation', 'text')
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('paper_signed','in_person_witnessed','online')`))
    .addColumn('document_id', 'text', (c) => c.references('consent_documents.id'))
    .addColumn('witness1_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('witness2_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('given_on', 'text', (c) => c.notNull().check(sql`length(given_on) = 10`))
    .addColumn('expires_on', 'text', (c) => c.check(sql`expires_on is null or length(expires_on) = 10`))
    .addColumn('withdrawn_at', ts)
    .addColumn('withdrawn_by', 'text', (c) => c.references('users.id'))
    .addColumn('withdrawn_reason', 'text')
    .addColumn('recorded_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addCheckConstraint('consents_guardian_ck', sql`given_by = 'self' or guardian_name is not null`)
    .addCheckConstraint('consents_witnesses_ck', sql`method <> 'in_person_witnessed' or (witness1_user_id is not null and witness2_user_id is not null and witness1_user_id <> witness2_user_id)`)
    .addCheckConstraint('consents_paper_ck', sql`method <> 'paper_signed' or document_id is not null`)
    .addCheckConstraint('consents_expiry_ck', sql`expires_on is null or expires_on > given_on`)
    .execute();
  // At most one standing (not withdrawn) consent per purpose; a renewal withdraws the old one.
  await db.schema
    .createIndex('consents_standing_uq')
    .on('consents')
    .columns(['resident_id', 'purpose'])
    .unique()
    .where(sql.ref('withdrawn_at'), 'is', null)
    .execute();
  await db.schema.createIndex('consents_station_idx').on('consents').columns(['station_id', 'purpose']).execute();

  // Idempotency-Key (API.md): the first answer to a retried write, per user and key, for 24 hours.
  // A phone on a weak signal resends a POST whose answer it never got; it must not register twice.
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    // Null while the first request is still running.
    .addColumn('status_code', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created_idx').on('idempotency_keys').columns(['created_at']).execute();

  // Deletion requests end in anonymisation, which needs two different people: a station head and a
  // data officer. The constraint makes "executed without both approvals" impossible to store.
  await db.schema
    .createTable('deletion_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('requested_at', ts, (c) => c.notNull())
    .addColumn('head_approved_by', 'text', (c) => c.references('users.id'))
    .addColumn('head_approved_at', ts)
    .addColumn('officer_approved_by', 'text', (c) => c.references('users.id'))
    .addColumn('officer_approved_at', ts)
    .addColumn('rejected_by', 'text', (c) => c.references('users.id'))
    .addColumn('rejected_at', ts)
    .addColumn('rejected_reason', 'text')
    .addColumn('executed_at', ts)
    .addCheckConstraint('deletion_requests_two_people_ck', sql`head_approved_by is null or officer_approved_by is null or head_approved_by <> officer_approved_by`)
    .addCheckConstraint('deletion_requests_executed_ck', sql`executed_at is null or (head_approved_at is not null and officer_approved_at is not null and rejected_at is null)`)
    .execute();
  await db.schema
    .createIndex('deletion_requests_open_uq')
    .on('deletion_requests')
    .column('resident_id')
    .unique()
    .where(sql<boolean>`executed_at is null and rejected_at is null`)
    .execute();
  await db.schema.createIndex('deletion_requests_station_idx').on('deletion_requests').columns(['station_id', 'requested_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['idempotency_keys', 'deletion_requests', 'consents', 'consent_documents', 'resident_events', 'resident_categories', 'resident_phones', 'resident_name_keys', 'residents', 'households']) {
    await db.schema.dropTable(t).execute();
  }
}
