import { Type, type Static } from 'typebox';
import { CONSENT_METHODS, CONSENT_PURPOSES } from '../../db/tables.js';
import { Id, Nullable, Obj, PageQuery, StringEnum } from '../../lib/schema.js';
import { DateOnly, LawfulBasisSchema } from '../residents/schema.js';

/** A string from a fixed list, typed as the list's union (ajv and OpenAPI see `enum`). */
const literals = StringEnum;

export const PurposeSchema = literals(CONSENT_PURPOSES);
export const MethodSchema = literals(CONSENT_METHODS);
export const GivenBySchema = Type.Union([Type.Literal('self'), Type.Literal('guardian')]);
export const StateSchema = Type.Union([Type.Literal('given'), Type.Literal('expired'), Type.Literal('withdrawn'), Type.Literal('missing')]);

export const ResidentParams = Type.Object({ id: Id }, { additionalProperties: false });

export const CreateConsentBody = Obj({
  purpose: PurposeSchema,
  givenBy: GivenBySchema,
  /** The guardian when they are registered as a resident too (their name is then filled in). */
  guardianResidentId: Type.Optional(Nullable(Id)),
  guardianName: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 50 }))),
  /** 父亲, 母亲, 祖母, 村委会指定监护人 … */
  guardianRelation: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 30 }))),
  method: MethodSchema,
  /** A scanned form from POST /api/residents/:id/consent-documents; required for paper_signed. */
  documentId: Type.Optional(Nullable(Id)),
  /** Two different staff of the resident's station; required for in_person_witnessed. */
  witnessUserIds: Type.Optional(Type.Array(Id, { maxItems: 2 })),
  givenOn: DateOnly,
  /** The first day the consent no longer covers; null for no expiry. */
  expiresOn: Type.Optional(Nullable(DateOnly)),
});
export type CreateConsentInput = Static<typeof CreateConsentBody>;

export const WithdrawBody = Obj({ reason: Type.String({ minLength: 2, maxLength: 200 }) });

const UserRef = Type.Object({ id: Type.String(), displayName: Type.String() });

export const ConsentDocumentSchema = Type.Object({
  id: Type.String(),
  mimeType: Type.Union([Type.Literal('image/jpeg'), Type.Literal('image/png'), Type.Literal('application/pdf')]),
  sizeBytes: Type.Integer(),
  createdAt: Type.String(),
});
export type ConsentDocumentView = Static<typeof ConsentDocumentSchema>;

export const ConsentSchema = Type.Object({
  id: Type.String(),
  residentId: Type.String(),
  purpose: PurposeSchema,
  givenBy: GivenBySchema,
  guardianResidentId: Nullable(Type.String()),
  guardianName: Nullable(Type.String()),
  guardianRelation: Nullable(Type.String()),
  method: MethodSchema,
  document: Nullable(ConsentDocumentSchema),
  witnesses: Type.Array(UserRef),
  givenOn: Type.String(),
  expiresOn: Nullable(Type.String()),
  withdrawnAt: Nullable(Type.String()),
  withdrawnBy: Nullable(UserRef),
  withdrawnReason: Nullable(Type.String()),
  recordedBy: Nullable(UserRef),
  createdAt: Type.String(),
  /** Whether it covers today (Asia/Shanghai). */
  standing: Type.Boolean(),
});
export type ConsentView = Static<typeof ConsentSchema>;

export const ConsentListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const PurposeStatusSchema = Type.Object({
  purpose: PurposeSchema,
  state: StateSchema,
  /** False when the resident's lawful basis covers this purpose without consent. */
  required: Type.Boolean(),
  /** What requireConsent answers today. */
  allowed: Type.Boolean(),
  /** The consent that stands today, if any. */
  consentId: Nullable(Type.String()),
  expiresOn: Nullable(Type.String()),
});
export type PurposeStatusView = Static<typeof PurposeStatusSchema>;

export const ConsentStatusSchema = Type.Object({
  lawfulBasis: LawfulBasisSchema,
  /** YYYY-MM-DD in Asia/Shanghai the answer is for. */
  today: Type.String(),
  purposes: Type.Array(PurposeStatusSchema),
});
export type ConsentStatusView = Static<typeof ConsentStatusSchema>;

export const WitnessList = Type.Object({ items: Type.Array(UserRef) });
export type WitnessView = Static<typeof UserRef>;
