import { Type, type Static } from 'typebox';
import { CONSENT_METHODS, CONSENT_PURPOSES, LAWFUL_BASES } from '../../db/tables.js';
import { Nullable, Obj, PageQuery, StringEnum } from '../../lib/schema.js';
import {
  CategorySchema, GenderSchema, LawfulBasisSchema, PhoneRelationSchema, RelationToHeadSchema, RiskTierSchema, StatusSchema,
} from '../residents/schema.js';

const literals = StringEnum;

export const PurposeSchema = literals(CONSENT_PURPOSES);
export const MethodSchema = literals(CONSENT_METHODS);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

/** Every hand-over of a person's own data is audited with the reason, like a reveal. */
export const ReasonBody = Obj({ reason: Type.String({ minLength: 2, maxLength: 200 }) });

// ---------------------------------------------------------------------------------------------
// Access report (查阅、复制, PIPL Art. 45)
// ---------------------------------------------------------------------------------------------

const Person = Type.Object({ id: Type.String(), name: Type.String() });

export const AccessReport = Type.Object({
  generatedAt: Type.String(),
  generatedBy: Type.String(),
  reason: Type.String(),
  station: Type.Object({ id: Type.String(), name: Type.String(), operatorName: Nullable(Type.String()) }),
  profile: Type.Object({
    id: Type.String(),
    name: Type.String(),
    gender: GenderSchema,
    birthDate: Type.String(),
    idNumber: Nullable(Type.String()),
    noIdReason: Nullable(Type.String()),
    villageName: Type.String(),
    address: Nullable(Type.String()),
    healthNotes: Nullable(Type.String()),
    incomeNotes: Nullable(Type.String()),
    disabilityCertificate: Nullable(Type.String()),
    disabilityCategory: Nullable(Type.Integer()),
    disabilityGrade: Nullable(Type.Integer()),
    guardian: Nullable(Person),
    riskTier: RiskTierSchema,
    lawfulBasis: LawfulBasisSchema,
    status: StatusSchema,
    statusDate: Nullable(Type.String()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    anonymisedAt: Nullable(Type.String()),
  }),
  phones: Type.Array(Type.Object({ number: Type.String(), relation: PhoneRelationSchema })),
  categories: Type.Array(CategorySchema),
  household: Nullable(
    Type.Object({
      id: Type.String(),
      address: Nullable(Type.String()),
      relationToHead: Nullable(RelationToHeadSchema),
      members: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), relationToHead: RelationToHeadSchema })),
    }),
  ),
  consents: Type.Array(
    Type.Object({
      id: Type.String(),
      purpose: PurposeSchema,
      givenBy: Type.Union([Type.Literal('self'), Type.Literal('guardian')]),
      guardianName: Nullable(Type.String()),
      guardianRelation: Nullable(Type.String()),
      method: MethodSchema,
      hasDocument: Type.Boolean(),
      givenOn: Type.String(),
      expiresOn: Nullable(Type.String()),
      withdrawnAt: Nullable(Type.String()),
      withdrawnReason: Nullable(Type.String()),
    }),
  ),
  events: Type.Array(
    Type.Object({
      at: Type.String(),
      kind: Type.String(),
      actorName: Nullable(Type.String()),
      field: Nullable(Type.String()),
      oldValue: Nullable(Type.String()),
      newValue: Nullable(Type.String()),
    }),
  ),
  deletionRequests: Type.Array(
    Type.Object({
      id: Type.String(),
      status: Type.Union([Type.Literal('open'), Type.Literal('executed'), Type.Literal('rejected')]),
      reason: Type.String(),
      requestedAt: Type.String(),
      requestedBy: Type.String(),
      rejectedReason: Nullable(Type.String()),
      decidedAt: Nullable(Type.String()),
    }),
  ),
  // The person's service history (precise service): codes are the API's, the page and workbook translate them.
  appointments: Type.Array(
    Type.Object({
      id: Type.String(),
      serviceName: Type.String(),
      workerName: Type.String(),
      start: Type.String(),
      end: Type.String(),
      status: Type.String(),
      channel: Type.String(),
      note: Nullable(Type.String()),
      cancelReason: Nullable(Type.String()),
      createdAt: Type.String(),
    }),
  ),
  consultations: Type.Array(
    Type.Object({
      id: Type.String(),
      area: Type.String(),
      subject: Type.String(),
      status: Type.String(),
      channel: Type.String(),
      createdAt: Type.String(),
      firstResponseAt: Nullable(Type.String()),
      closedAt: Nullable(Type.String()),
      resolution: Nullable(Type.String()),
      messages: Type.Array(Type.Object({ at: Type.String(), side: Type.String(), authorName: Type.String(), body: Type.String() })),
    }),
  ),
  serviceRequests: Type.Array(
    Type.Object({
      id: Type.String(),
      area: Type.String(),
      title: Type.String(),
      description: Type.String(),
      urgency: Type.String(),
      status: Type.String(),
      assigneeName: Nullable(Type.String()),
      createdAt: Type.String(),
      fulfilledAt: Nullable(Type.String()),
      outcome: Nullable(Type.String()),
    }),
  ),
  visits: Type.Array(
    Type.Object({
      id: Type.String(),
      visitedAt: Type.String(),
      workerName: Type.String(),
      mode: Type.String(),
      metResident: Type.Boolean(),
      observations: Type.String(),
      checklist: Type.Record(Type.String(), Type.String()),
      riskFlags: Type.Array(Type.String()),
      tierBefore: RiskTierSchema,
      tierAfter: RiskTierSchema,
    }),
  ),
  serviceRecords: Type.Array(
    Type.Object({
      id: Type.String(),
      serviceName: Nullable(Type.String()),
      workerName: Type.String(),
      method: Type.String(),
      start: Type.String(),
      end: Type.String(),
      place: Nullable(Type.String()),
      summary: Type.String(),
      outcome: Nullable(Type.String()),
    }),
  ),
  ratings: Type.Array(
    Type.Object({
      serviceRecordId: Type.String(),
      serviceName: Nullable(Type.String()),
      workerName: Type.String(),
      score: Type.Integer(),
      comment: Nullable(Type.String()),
      channel: Type.String(),
      createdAt: Type.String(),
    }),
  ),
  feedback: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      subject: Type.String(),
      body: Type.String(),
      status: Type.String(),
      createdAt: Type.String(),
      response: Nullable(Type.String()),
      resolvedAt: Nullable(Type.String()),
    }),
  ),
});
export type AccessReportView = Static<typeof AccessReport>;

// ---------------------------------------------------------------------------------------------
// Deletion requests (PIPL Art. 47) → anonymisation
// ---------------------------------------------------------------------------------------------

export const DELETION_STATUSES = ['open', 'executed', 'rejected'] as const;
export type DeletionStatus = (typeof DELETION_STATUSES)[number];

export const CreateDeletionBody = Obj({
  residentId: Type.String({ minLength: 1, maxLength: 64 }),
  reason: Type.String({ minLength: 2, maxLength: 500 }),
});

export const ApproveBody = Obj({
  /** Only needed by someone who is both station head and data officer here: which approval this is. */
  as: Type.Optional(Type.Union([Type.Literal('station_head'), Type.Literal('data_officer')])),
});

export const RejectBody = Obj({ reason: Type.String({ minLength: 2, maxLength: 500 }) });

export const DeletionListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(literals(DELETION_STATUSES)),
    stationId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

const Approval = Nullable(Type.Object({ by: Type.String(), byName: Type.String(), at: Type.String() }));

export const DeletionRequestView = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  stationName: Type.String(),
  resident: Type.Object({ id: Type.String(), name: Type.String(), villageName: Type.String(), anonymised: Type.Boolean() }),
  reason: Type.String(),
  status: literals(DELETION_STATUSES),
  requestedAt: Type.String(),
  requestedBy: Type.Object({ id: Type.String(), name: Type.String() }),
  headApproval: Approval,
  officerApproval: Approval,
  rejection: Nullable(Type.Object({ by: Type.String(), byName: Type.String(), at: Type.String(), reason: Type.String() })),
  executedAt: Nullable(Type.String()),
  /** Which approvals this user could give now (empty when none): the same rule the approve route applies. */
  canApproveAs: Type.Array(Type.Union([Type.Literal('station_head'), Type.Literal('data_officer')])),
  canReject: Type.Boolean(),
});
export type DeletionRequestItem = Static<typeof DeletionRequestView>;

export const DeletionRequestResponse = Type.Object({ request: DeletionRequestView });

// ---------------------------------------------------------------------------------------------
// Retention review (PIPL Art. 19)
// ---------------------------------------------------------------------------------------------

export const RetentionQuery = Type.Object(
  { ...PageQuery, stationId: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);

export const RetentionItem = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  stationName: Type.String(),
  name: Type.String(),
  gender: GenderSchema,
  villageName: Type.String(),
  status: Type.Union([Type.Literal('moved'), Type.Literal('deceased')]),
  statusDate: Type.String(),
  openRequestId: Nullable(Type.String()),
});
export type RetentionItemView = Static<typeof RetentionItem>;

export const RetentionResponse = Type.Object({
  items: Type.Array(RetentionItem),
  nextCursor: Nullable(Type.String()),
  /** Every resident due for review in scope, not only this page. */
  total: Type.Integer(),
  years: Type.Integer(),
  /** Status dates before this day (Asia/Shanghai) are due. */
  cutoff: Type.String(),
});
export type RetentionPage = Static<typeof RetentionResponse>;

// ---------------------------------------------------------------------------------------------
// Record of processing (个人信息处理活动记录, GB/T 35273 §11.3)
// ---------------------------------------------------------------------------------------------

export const DATA_CATEGORIES = ['identity', 'id_document', 'contact', 'address', 'household', 'assistance_category', 'health', 'income', 'disability', 'minors', 'consent_records', 'service_timeline'] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];
export const SECURITY_MEASURES = ['field_encryption', 'masking', 'blind_index', 'audit_chain', 'access_control', 'reveal_reason', 'two_person_deletion', 'second_factor', 'retention_review'] as const;
export type SecurityMeasure = (typeof SECURITY_MEASURES)[number];
export const RECIPIENT_KINDS = ['entrusted_processor', 'county_supervisor', 'referral_partners', 'volunteers'] as const;

export const RecordQuery = Type.Object({ stationId: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false });

export const StationRecord = Type.Object({
  station: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }),
  controller: Type.Object({ name: Type.String(), countyName: Type.String() }),
  processor: Nullable(Type.Object({ name: Type.String(), model: Type.Union([Type.Literal('government'), Type.Literal('ngo')]) })),
  dataCategories: Type.Array(
    Type.Object({ id: literals(DATA_CATEGORIES), fields: Type.Array(Type.String()), sensitive: Type.Boolean(), residents: Type.Integer() }),
  ),
  purposes: Type.Array(Type.Object({ purpose: PurposeSchema, standing: Type.Integer(), withdrawn: Type.Integer() })),
  lawfulBases: Type.Array(Type.Object({ basis: literals(LAWFUL_BASES), residents: Type.Integer() })),
  categories: Type.Array(Type.Object({ category: CategorySchema, residents: Type.Integer() })),
  residents: Type.Object({
    total: Type.Integer(),
    active: Type.Integer(),
    moved: Type.Integer(),
    deceased: Type.Integer(),
    anonymised: Type.Integer(),
    minors: Type.Integer(),
  }),
  retention: Type.Object({ years: Type.Integer(), dueForReview: Type.Integer() }),
  recipients: Type.Array(Type.Object({ kind: literals(RECIPIENT_KINDS), name: Nullable(Type.String()), residents: Nullable(Type.Integer()) })),
  deletionRequests: Type.Object({ open: Type.Integer(), executed: Type.Integer(), rejected: Type.Integer() }),
  securityMeasures: Type.Array(literals(SECURITY_MEASURES)),
});
export type StationRecordView = Static<typeof StationRecord>;

export const RecordResponse = Type.Object({
  generatedAt: Type.String(),
  retentionYears: Type.Integer(),
  stations: Type.Array(StationRecord),
});
export type RecordOfProcessing = Static<typeof RecordResponse>;
