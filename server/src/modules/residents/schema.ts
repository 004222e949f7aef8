import { Type, type Static, type TSchema } from 'typebox';
import {
  CATEGORIES, LAWFUL_BASES, PHONE_RELATIONS, RELATIONS_TO_HEAD, RESIDENT_STATUSES, RISK_TIERS,
} from '../../db/tables.js';
import { Nullable, Obj, PageQuery, StringEnum } from '../../lib/schema.js';

const literals = StringEnum;

export const CategorySchema = literals(CATEGORIES);
export const RiskTierSchema = literals(RISK_TIERS);
export const LawfulBasisSchema = literals(LAWFUL_BASES);
export const StatusSchema = literals(RESIDENT_STATUSES);
export const PhoneRelationSchema = literals(PHONE_RELATIONS);
export const RelationToHeadSchema = literals(RELATIONS_TO_HEAD);
export const GenderSchema = Type.Union([Type.Literal('male'), Type.Literal('female')]);

/** Calendar date; the server checks it is a real date (2023-02-30 is refused by name). */
export const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/** Sensitive fields that come back masked and can be revealed one at a time. */
export const REVEALABLE = ['idNumber', 'phones', 'address', 'healthNotes', 'incomeNotes', 'disabilityCertificate'] as const;
export type RevealableField = (typeof REVEALABLE)[number];
export const RevealableSchema = literals(REVEALABLE);

export const PhoneInput = Obj({
  number: Type.String({ minLength: 1, maxLength: 40 }),
  relation: PhoneRelationSchema,
});

const residentFields = {
  name: Type.String({ minLength: 1, maxLength: 50 }),
  gender: GenderSchema,
  birthDate: DateOnly,
  idNumber: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  /** Why there is no ID number (e.g. 未办理, 户籍在外地); required when idNumber is absent. */
  noIdReason: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
  phones: Type.Optional(Type.Array(PhoneInput, { maxItems: 5 })),
  villageId: Type.String({ minLength: 1, maxLength: 64 }),
  householdId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  relationToHead: Type.Optional(Nullable(RelationToHeadSchema)),
  address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  categories: Type.Optional(Type.Array(CategorySchema, { maxItems: 16, uniqueItems: true })),
  disabilityCertificate: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  healthNotes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  incomeNotes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  guardianResidentId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  riskTier: RiskTierSchema,
  lawfulBasis: LawfulBasisSchema,
  status: Type.Optional(StatusSchema),
  statusDate: Type.Optional(Nullable(DateOnly)),
};

export const CreateResidentBody = Obj({
  ...residentFields,
  /** Set after the user has seen the possible-duplicate warning and confirmed it is someone else. */
  confirmDuplicate: Type.Optional(Type.Boolean()),
});
export type CreateResidentInput = Static<typeof CreateResidentBody>;

const optionalAll = <P extends Record<string, TSchema>>(props: P) =>
  Object.fromEntries(Object.entries(props).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof P]: ReturnType<typeof Type.Optional<P[K]>> };

/** Only the fields sent change; `null` clears an optional field. `version` is the one the client read. */
export const PatchResidentBody = Obj({
  ...optionalAll(residentFields),
  version: Type.Integer({ minimum: 1 }),
  confirmDuplicate: Type.Optional(Type.Boolean()),
});
export type PatchResidentInput = Static<typeof PatchResidentBody>;

export const ResidentListQuery = Type.Object(
  {
    ...PageQuery,
    /** Name fragment, pinyin (initials or full), or a full ID number or phone number (exact match only). */
    q: Type.Optional(Type.String({ maxLength: 40 })),
    villageId: Type.Optional(Type.String({ maxLength: 64 })),
    category: Type.Optional(CategorySchema),
    riskTier: Type.Optional(RiskTierSchema),
    status: Type.Optional(StatusSchema),
    householdId: Type.Optional(Type.String({ maxLength: 64 })),
    ageMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
    ageMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
    /** Limit to one of the user's stations (the station switcher). */
    stationId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type ResidentListFilters = Static<typeof ResidentListQuery>;

export const PhoneMasked = Type.Object({ numberMasked: Type.String(), relation: PhoneRelationSchema });

export const ResidentListItem = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  villageId: Type.String(),
  villageName: Type.String(),
  householdId: Nullable(Type.String()),
  name: Type.String(),
  gender: GenderSchema,
  birthDate: Type.String(),
  age: Type.Integer(),
  idNumberMasked: Nullable(Type.String()),
  phones: Type.Array(PhoneMasked),
  categories: Type.Array(CategorySchema),
  riskTier: RiskTierSchema,
  status: StatusSchema,
  anonymised: Type.Boolean(),
});
export type ResidentListItemView = Static<typeof ResidentListItem>;

export const ResidentDetail = Type.Object({
  ...ResidentListItem.properties,
  relationToHead: Nullable(RelationToHeadSchema),
  noIdReason: Nullable(Type.String()),
  addressMasked: Nullable(Type.String()),
  /** Whether notes exist; the text itself only through reveal. */
  hasHealthNotes: Type.Boolean(),
  hasIncomeNotes: Type.Boolean(),
  disability: Nullable(Type.Object({ category: Type.Integer(), grade: Type.Integer(), certificateMasked: Type.String() })),
  guardian: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  lawfulBasis: LawfulBasisSchema,
  statusDate: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  /** Which masked fields this user may reveal (empty for roles that never see clear values). */
  revealable: Type.Array(RevealableSchema),
});
export type ResidentDetailView = Static<typeof ResidentDetail>;

export const ResidentResponse = Type.Object({ resident: ResidentDetail });

export const DuplicateMatch = Type.Object({ id: Type.String(), name: Type.String(), birthDate: Type.String(), villageName: Type.String() });

export const RevealBody = Obj({
  field: RevealableSchema,
  reason: Type.String({ minLength: 2, maxLength: 200 }),
});
export const RevealResponse = Type.Object({
  field: RevealableSchema,
  /** The clear value; for `phones` the numbers are in `phones` and this is null. */
  value: Nullable(Type.String()),
  phones: Type.Optional(Type.Array(Type.Object({ number: Type.String(), relation: PhoneRelationSchema }))),
});

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

export const TimelineEvent = Type.Object({
  id: Type.String(),
  at: Type.String(),
  kind: Type.String(),
  actor: Nullable(Type.Object({ id: Type.String(), displayName: Type.String() })),
  field: Nullable(Type.String()),
  /** Old and new values for non-sensitive fields; both null for sensitive ones ("changed"). */
  oldValue: Nullable(Type.String()),
  newValue: Nullable(Type.String()),
  detail: Nullable(Type.Record(Type.String(), Type.Unknown())),
});
export const TimelineQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const HouseholdMember = Type.Object({
  id: Type.String(),
  name: Type.String(),
  gender: GenderSchema,
  age: Type.Integer(),
  relationToHead: RelationToHeadSchema,
  categories: Type.Array(CategorySchema),
  riskTier: RiskTierSchema,
  status: StatusSchema,
});
export const HouseholdView = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  villageId: Type.String(),
  villageName: Type.String(),
  addressMasked: Nullable(Type.String()),
  head: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  members: Type.Array(HouseholdMember),
  createdAt: Type.String(),
});
export const CreateHouseholdBody = Obj({
  villageId: Type.String({ minLength: 1, maxLength: 64 }),
  address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
});
export const PatchHouseholdBody = Obj({ address: Nullable(Type.String({ maxLength: 200 })) });
