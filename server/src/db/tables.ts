/**
 * Row types as the app sees them on both dialects: instants are ISO-8601 UTC strings, booleans
 * are 0/1 integers (SQLite has no boolean type and better-sqlite3 refuses to bind JS booleans).
 */
export type Role =
  | 'resident'
  | 'volunteer'
  | 'social_worker'
  | 'station_head'
  | 'data_officer'
  | 'county_supervisor'
  | 'system_admin';

export const ROLES: readonly Role[] = [
  'resident',
  'volunteer',
  'social_worker',
  'station_head',
  'data_officer',
  'county_supervisor',
  'system_admin',
];

export type Flag = 0 | 1;

export interface CountyTable {
  id: string;
  code: string;
  name: string;
  created_at: string;
}

export interface StationTable {
  id: string;
  county_id: string;
  code: string;
  name: string;
  /** government: staffed by the government itself; ngo: services bought from a social organisation. */
  operator_model: 'government' | 'ngo';
  /** The organisation that employs the workers (an NGO is an entrusted processor under PIPL Art. 21). */
  operator_name: string | null;
  created_at: string;
}

export interface VillageTable {
  id: string;
  station_id: string;
  code: string;
  name: string;
  created_at: string;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  must_change_password: Flag;
  failed_logins: number;
  locked_until: string | null;
  /** Locked by an administrator until unlocked by one. */
  disabled: Flag;
  totp_secret_enc: string | null;
  totp_pending_enc: string | null;
  totp_last_step: number | null;
  elder_mode: Flag;
  locale: 'zh-CN' | 'en';
  last_login_at: string | null;
  password_changed_at: string;
  created_at: string;
  updated_at: string;
}

export interface RoleAssignmentTable {
  id: string;
  user_id: string;
  role: Role;
  station_id: string | null;
  county_id: string | null;
  created_at: string;
}

export interface SessionTable {
  id: string;
  /** SHA-256 of the cookie token: a copy of the database does not let anyone log in. */
  token_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  revoked_at: string | null;
}

export type AuditResult = 'ok' | 'denied' | 'error';

export interface AuditLogTable {
  id: string;
  seq: number;
  at: string;
  actor_id: string | null;
  actor_username: string | null;
  role: string | null;
  station_id: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  result: AuditResult;
  ip: string | null;
  request_id: string | null;
  field: string | null;
  reason: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export interface AppMetaTable {
  key: string;
  value: string;
}

export type Category =
  | 'dibao' | 'tekun' | 'dibao_edge' | 'rigid_expense' | 'poverty_watch' | 'elderly_alone' | 'elderly_empty_nest'
  | 'elderly_left_behind' | 'elderly_disabled' | 'elderly_severe_disability' | 'family_planning_special' | 'orphan'
  | 'de_facto_orphan' | 'left_behind_child' | 'child_in_difficulty' | 'disabled';

/** The official categories (DOMAIN.md), in the order the UI lists them. */
export const CATEGORIES: readonly Category[] = [
  'dibao', 'tekun', 'dibao_edge', 'rigid_expense', 'poverty_watch', 'elderly_alone', 'elderly_empty_nest',
  'elderly_left_behind', 'elderly_disabled', 'elderly_severe_disability', 'family_planning_special', 'orphan',
  'de_facto_orphan', 'left_behind_child', 'child_in_difficulty', 'disabled',
];

export type RelationToHead = 'head' | 'spouse' | 'son' | 'daughter' | 'son_in_law' | 'daughter_in_law' | 'grandchild' | 'parent' | 'sibling' | 'other';
export const RELATIONS_TO_HEAD: readonly RelationToHead[] = ['head', 'spouse', 'son', 'daughter', 'son_in_law', 'daughter_in_law', 'grandchild', 'parent', 'sibling', 'other'];

export type PhoneRelation = 'self' | 'son' | 'daughter' | 'spouse' | 'parent' | 'grandchild' | 'sibling' | 'relative' | 'neighbour' | 'village_cadre' | 'other';
export const PHONE_RELATIONS: readonly PhoneRelation[] = ['self', 'son', 'daughter', 'spouse', 'parent', 'grandchild', 'sibling', 'relative', 'neighbour', 'village_cadre', 'other'];

export type RiskTier = 'high' | 'priority' | 'normal';
export const RISK_TIERS: readonly RiskTier[] = ['high', 'priority', 'normal'];
export type LawfulBasis = 'consent' | 'statutory_duty' | 'vital_interest';
export const LAWFUL_BASES: readonly LawfulBasis[] = ['consent', 'statutory_duty', 'vital_interest'];
export type ResidentStatus = 'active' | 'moved' | 'deceased';
export const RESIDENT_STATUSES: readonly ResidentStatus[] = ['active', 'moved', 'deceased'];

/** What a consent covers. `sensitive_data` is the separate consent PIPL Art. 29 requires. */
export type ConsentPurpose = 'service' | 'sensitive_data' | 'referral_sharing' | 'volunteer_contact' | 'publicity_photos';
export const CONSENT_PURPOSES: readonly ConsentPurpose[] = ['service', 'sensitive_data', 'referral_sharing', 'volunteer_contact', 'publicity_photos'];
export type ConsentMethod = 'paper_signed' | 'in_person_witnessed' | 'online';
export const CONSENT_METHODS: readonly ConsentMethod[] = ['paper_signed', 'in_person_witnessed', 'online'];

export interface HouseholdTable {
  id: string;
  station_id: string;
  village_id: string;
  address_enc: string | null;
  address_masked: string | null;
  created_at: string;
  updated_at: string;
}

export interface ResidentTable {
  id: string;
  station_id: string;
  village_id: string;
  household_id: string | null;
  relation_to_head: RelationToHead | null;
  name: string;
  name_initials: string;
  name_pinyin: string;
  gender: 'male' | 'female';
  /** YYYY-MM-DD (a calendar date, not an instant). */
  birth_date: string;
  id_number_enc: string | null;
  id_number_masked: string | null;
  /** HMAC blind index of the normalised ID number: exact search and the deployment-wide unique rule. */
  id_number_bidx: string | null;
  no_id_reason: string | null;
  address_enc: string | null;
  address_masked: string | null;
  health_notes_enc: string | null;
  income_notes_enc: string | null;
  disability_cert_enc: string | null;
  disability_category: number | null;
  disability_grade: number | null;
  guardian_resident_id: string | null;
  risk_tier: RiskTier;
  lawful_basis: LawfulBasis;
  status: ResidentStatus;
  status_date: string | null;
  version: number;
  anonymised_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** Pinyin search keys: full pinyin (pos 0) and each suffix of the initials (pos = where it starts). */
export interface ResidentNameKeyTable {
  station_id: string;
  key: string;
  resident_id: string;
  pos: number;
}

export interface ResidentPhoneTable {
  resident_id: string;
  station_id: string;
  position: number;
  number_enc: string;
  number_masked: string;
  number_bidx: string;
  relation: PhoneRelation;
}

export interface ResidentCategoryTable {
  station_id: string;
  resident_id: string;
  category: Category;
}

export interface ResidentEventTable {
  id: string;
  station_id: string;
  resident_id: string;
  at: string;
  actor_id: string | null;
  /** created · updated · revealed · consent_given · consent_withdrawn · imported · exported · anonymised · … */
  kind: string;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  /** JSON with anything else the timeline shows. */
  detail: string | null;
}

export interface ConsentDocumentTable {
  id: string;
  station_id: string;
  resident_id: string;
  mime_type: 'image/jpeg' | 'image/png' | 'application/pdf';
  size_bytes: number;
  sha256: string;
  /** AES-GCM ciphertext of the file (lib/crypto encryptBytes); null once anonymised. */
  content_enc: Uint8Array | null;
  uploaded_by: string | null;
  created_at: string;
}

export interface ConsentTable {
  id: string;
  station_id: string;
  resident_id: string;
  purpose: ConsentPurpose;
  given_by: 'self' | 'guardian';
  guardian_resident_id: string | null;
  guardian_name: string | null;
  guardian_relation: string | null;
  method: ConsentMethod;
  document_id: string | null;
  witness1_user_id: string | null;
  witness2_user_id: string | null;
  given_on: string;
  expires_on: string | null;
  withdrawn_at: string | null;
  withdrawn_by: string | null;
  withdrawn_reason: string | null;
  recorded_by: string | null;
  created_at: string;
}

export interface DeletionRequestTable {
  id: string;
  station_id: string;
  resident_id: string;
  reason: string;
  requested_by: string;
  requested_at: string;
  head_approved_by: string | null;
  head_approved_at: string | null;
  officer_approved_by: string | null;
  officer_approved_at: string | null;
  rejected_by: string | null;
  rejected_at: string | null;
  rejected_reason: string | null;
  executed_at: string | null;
}

export interface IdempotencyKeyTable {
  user_id: string;
  key: string;
  /** SHA-256 of method, URL and body: the same key with another request is refused. */
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  created_at: string;
}

export type ServiceArea = 'elderly_care' | 'child_care' | 'social_assistance' | 'disability' | 'counselling' | 'policy' | 'legal_aid' | 'employment' | 'other';
export const SERVICE_AREAS: readonly ServiceArea[] = ['elderly_care', 'child_care', 'social_assistance', 'disability', 'counselling', 'policy', 'legal_aid', 'employment', 'other'];
export type ServiceMode = 'station' | 'home_visit' | 'phone' | 'online';
export const SERVICE_MODES: readonly ServiceMode[] = ['station', 'home_visit', 'phone', 'online'];
export type AppointmentStatus = 'requested' | 'confirmed' | 'checked_in' | 'completed' | 'cancelled' | 'no_show';
export const APPOINTMENT_STATUSES: readonly AppointmentStatus[] = ['requested', 'confirmed', 'checked_in', 'completed', 'cancelled', 'no_show'];
/** Statuses that hold the worker's time (the no-overlap rule applies to these). */
export const ACTIVE_APPOINTMENT_STATUSES: readonly AppointmentStatus[] = ['requested', 'confirmed', 'checked_in'];
export type AppointmentChannel = 'self' | 'phone' | 'walk_in' | 'staff';
export type ServiceMethod = 'casework' | 'group' | 'community' | 'visit' | 'phone' | 'online' | 'station';
export const SERVICE_METHODS: readonly ServiceMethod[] = ['casework', 'group', 'community', 'visit', 'phone', 'online', 'station'];
export type NotificationChannel = 'in_app' | 'sms' | 'wechat';

export interface ServiceTypeTable {
  id: string;
  station_id: string;
  name: string;
  area: ServiceArea;
  mode: ServiceMode;
  duration_minutes: number;
  buffer_minutes: number;
  travel_minutes: number;
  resident_bookable: Flag;
  description: string | null;
  active: Flag;
  created_at: string;
  updated_at: string;
}

export interface ServiceTypeWorkerTable {
  station_id: string;
  service_type_id: string;
  user_id: string;
}

/** Weekly hours in Asia/Shanghai wall-clock minutes; ISO weekday (1 = Monday). */
export interface WorkerHoursTable {
  station_id: string;
  user_id: string;
  weekday: number;
  start_minute: number;
  end_minute: number;
}

export interface WorkerExceptionTable {
  id: string;
  station_id: string;
  user_id: string;
  date: string;
  /** Both null: the whole day. */
  start_minute: number | null;
  end_minute: number | null;
  kind: 'leave' | 'training' | 'other';
  note: string | null;
  created_at: string;
}

/** National holidays and make-up working days (调休). */
export interface CalendarDayTable {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
  source: string | null;
}

export interface AppointmentTable {
  id: string;
  station_id: string;
  service_type_id: string;
  resident_id: string;
  worker_id: string;
  start_at: string;
  end_at: string;
  /** Travel before and buffer after included: the span no other active appointment may overlap. */
  block_start_at: string;
  block_end_at: string;
  status: AppointmentStatus;
  channel: AppointmentChannel;
  note: string | null;
  booked_by: string;
  cancel_reason: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ServiceRecordTable {
  id: string;
  station_id: string;
  resident_id: string;
  worker_id: string;
  service_type_id: string | null;
  method: ServiceMethod;
  start_at: string;
  end_at: string;
  place: string | null;
  summary: string;
  outcome: string | null;
  follow_up_needed: Flag;
  source: 'appointment' | 'visit' | 'request' | 'manual';
  source_id: string | null;
  /** Rows entered together for one group or community session share it; null for one-to-one work. */
  activity_id: string | null;
  created_by: string;
  created_at: string;
}

/** Workers who delivered a service besides the lead (`service_records.worker_id`). */
export interface ServiceRecordWorkerTable {
  service_record_id: string;
  user_id: string;
}

export interface NotificationOutboxTable {
  id: string;
  station_id: string | null;
  channel: NotificationChannel;
  recipient_user_id: string | null;
  recipient_resident_id: string | null;
  address_enc: string | null;
  template: string;
  /** JSON. */
  payload: string;
  due_at: string;
  status: 'pending' | 'sent' | 'failed' | 'cancelled';
  attempts: number;
  lease_owner: string | null;
  lease_until: string | null;
  sent_at: string | null;
  last_error: string | null;
  appointment_id: string | null;
  created_at: string;
}

export interface NotificationTable {
  id: string;
  user_id: string;
  station_id: string | null;
  outbox_id: string | null;
  title: string;
  body: string;
  link: string | null;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPreferenceTable {
  user_id: string;
  /** JSON list of channels beyond in-app, e.g. ["sms"]. */
  channels: string;
  updated_at: string;
}

export interface DB {
  service_types: ServiceTypeTable;
  service_type_workers: ServiceTypeWorkerTable;
  worker_hours: WorkerHoursTable;
  worker_exceptions: WorkerExceptionTable;
  calendar_days: CalendarDayTable;
  appointments: AppointmentTable;
  service_records: ServiceRecordTable;
  service_record_workers: ServiceRecordWorkerTable;
  notification_outbox: NotificationOutboxTable;
  notifications: NotificationTable;
  notification_preferences: NotificationPreferenceTable;
  idempotency_keys: IdempotencyKeyTable;
  households: HouseholdTable;
  residents: ResidentTable;
  resident_phones: ResidentPhoneTable;
  resident_name_keys: ResidentNameKeyTable;
  resident_categories: ResidentCategoryTable;
  resident_events: ResidentEventTable;
  consent_documents: ConsentDocumentTable;
  consents: ConsentTable;
  deletion_requests: DeletionRequestTable;
  counties: CountyTable;
  stations: StationTable;
  villages: VillageTable;
  users: UserTable;
  role_assignments: RoleAssignmentTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  app_meta: AppMetaTable;
}

/** How a resident account relates to a resident it may act for (book, ask, rate). */
export type ResidentAccountRelation = 'self' | 'family' | 'guardian';

/** Links a `resident` role account to the resident it is and the household members it acts for. */
export interface ResidentAccountTable {
  user_id: string;
  resident_id: string;
  station_id: string;
  relation: ResidentAccountRelation;
  created_at: string;
}

// Interfaces merge: the tables added after the DB list above was written.
export interface DB {
  resident_accounts: ResidentAccountTable;
}

// Precise service, second slice (migration 05).

export type Urgency = 'low' | 'normal' | 'high' | 'urgent';
export type RequestStatus = 'open' | 'assigned' | 'in_progress' | 'fulfilled' | 'cancelled';
export type ConsultationStatus = 'open' | 'answered' | 'closed';
export type VisitMode = 'home' | 'phone' | 'video' | 'other';
export type FeedbackKind = 'suggestion' | 'complaint';
export type FeedbackStatus = 'open' | 'in_progress' | 'resolved' | 'closed';
export type RatingChannel = 'online' | 'phone' | 'in_person';

export interface StationSettingsTable {
  station_id: string;
  /** JSON {"1":[[510,720],[840,1050]], ...}: office hours per ISO weekday, Asia/Shanghai minutes. */
  office_hours: string;
  consultation_response_minutes: number;
  visit_days_high: number;
  visit_days_priority: number;
  visit_days_normal: number;
  complaint_response_days: number;
  updated_by: string | null;
  updated_at: string;
}

export interface WorkerVillageTable {
  station_id: string;
  user_id: string;
  village_id: string;
}

export interface WorkerSkillTable {
  station_id: string;
  user_id: string;
  area: ServiceArea;
}

export interface AttachmentTable {
  id: string;
  station_id: string;
  resident_id: string | null;
  owner_kind: 'consultation_message' | 'visit' | null;
  owner_id: string | null;
  mime_type: 'image/jpeg' | 'image/png' | 'image/webp';
  size_bytes: number;
  sha256: string;
  content_enc: Uint8Array | null;
  uploaded_by: string;
  created_at: string;
}

export interface ServiceRequestTable {
  id: string;
  station_id: string;
  resident_id: string;
  area: ServiceArea;
  title: string;
  description: string;
  urgency: Urgency;
  status: RequestStatus;
  source: 'resident' | 'staff' | 'consultation' | 'visit';
  source_id: string | null;
  assignee_id: string | null;
  assigned_by: string | null;
  assigned_at: string | null;
  due_at: string | null;
  fulfilled_at: string | null;
  outcome: string | null;
  cancel_reason: string | null;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ConsultationTable {
  id: string;
  station_id: string;
  resident_id: string;
  area: ServiceArea;
  subject: string;
  status: ConsultationStatus;
  channel: 'self' | 'phone' | 'walk_in' | 'staff';
  assignee_id: string | null;
  first_response_due_at: string;
  first_response_at: string | null;
  resolution: string | null;
  closed_at: string | null;
  closed_by: string | null;
  request_id: string | null;
  version: number;
  opened_by: string;
  created_at: string;
  updated_at: string;
}

export interface ConsultationMessageTable {
  id: string;
  station_id: string;
  consultation_id: string;
  author_id: string;
  author_side: 'resident' | 'staff';
  body: string;
  created_at: string;
}

export interface FaqEntryTable {
  id: string;
  station_id: string;
  area: ServiceArea;
  question: string;
  answer: string;
  consultation_id: string | null;
  status: 'published' | 'withdrawn';
  published_by: string;
  published_at: string;
  updated_at: string;
}

export interface VisitTable {
  id: string;
  station_id: string;
  resident_id: string;
  worker_id: string;
  visited_at: string;
  duration_minutes: number;
  mode: VisitMode;
  met_resident: Flag;
  observations: string;
  /** JSON {"item": "ok" | "concern" | "na"}. */
  checklist: string;
  /** JSON list of risk flag ids. */
  risk_flags: string;
  tier_before: RiskTier;
  tier_after: RiskTier;
  request_id: string | null;
  follow_up_needed: Flag;
  created_by: string;
  created_at: string;
}

export interface RatingTable {
  id: string;
  station_id: string;
  service_record_id: string;
  resident_id: string;
  worker_id: string;
  service_type_id: string | null;
  score: number;
  comment: string | null;
  channel: RatingChannel;
  recorded_by: string;
  created_at: string;
}

export interface FeedbackItemTable {
  id: string;
  station_id: string;
  kind: FeedbackKind;
  resident_id: string | null;
  submitted_by: string | null;
  channel: 'online' | 'phone' | 'in_person' | 'box';
  subject: string;
  body: string;
  about_worker_id: string | null;
  service_record_id: string | null;
  status: FeedbackStatus;
  handler_id: string | null;
  due_at: string | null;
  escalated_at: string | null;
  escalated_to: string | null;
  response: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** One alert per kind, subject and Asia/Shanghai day (dedupes sweeps across nodes). */
export interface AlertLogTable {
  kind: string;
  subject_id: string;
  day: string;
  station_id: string;
  created_at: string;
}

export interface DB {
  alert_log: AlertLogTable;
  station_settings: StationSettingsTable;
  worker_villages: WorkerVillageTable;
  worker_skills: WorkerSkillTable;
  attachments: AttachmentTable;
  service_requests: ServiceRequestTable;
  consultations: ConsultationTable;
  consultation_messages: ConsultationMessageTable;
  faq_entries: FaqEntryTable;
  visits: VisitTable;
  ratings: RatingTable;
  feedback_items: FeedbackItemTable;
}
