import { Type, type Static } from 'typebox';
import { Id, Instant, Nullable, Obj, PageQuery, StringEnum } from '../../lib/schema.js';

export const RATING_CHANNELS = ['online', 'phone', 'in_person'] as const;
export const ITEM_CHANNELS = ['online', 'phone', 'in_person', 'box'] as const;
export const KINDS = ['suggestion', 'complaint'] as const;
export const STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;

const Ref = Type.Object({ id: Type.String(), name: Type.String() });

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export const RecordParams = Type.Object({ serviceRecordId: Id }, { additionalProperties: false });

// ---- Ratings ----

export const RateBody = Obj({
  serviceRecordId: Id,
  score: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  /** Residents rate online (the default for them); staff record a rating given by phone or in person. */
  channel: Type.Optional(StringEnum(RATING_CHANNELS)),
});

export const RatingSchema = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  serviceRecordId: Type.String(),
  resident: Ref,
  worker: Ref,
  serviceType: Nullable(Ref),
  score: Type.Integer(),
  comment: Nullable(Type.String()),
  channel: StringEnum(RATING_CHANNELS),
  recordedBy: Ref,
  serviceStart: Type.String(),
  createdAt: Type.String(),
});
export type RatingView = Static<typeof RatingSchema>;
export const RatingResponse = Type.Object({ rating: RatingSchema });

export const RatingListQuery = Type.Object(
  {
    workerId: Type.Optional(Id),
    serviceTypeId: Type.Optional(Id),
    /** Ratings given at or after `from` and before `to`. */
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    score: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

/** A service record that still waits for its rating. */
export const ToRateSchema = Type.Object({
  serviceRecordId: Type.String(),
  resident: Ref,
  worker: Ref,
  serviceType: Nullable(Ref),
  method: Type.String(),
  start: Type.String(),
  end: Type.String(),
});
export type ToRateView = Static<typeof ToRateSchema>;

export const ToRateQuery = Type.Object(
  {
    /** Staff: records of the last `days` days (default 7, at most 90). Residents always see 30 days. */
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
    workerId: Type.Optional(Id),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const RateTargetResponse = Type.Object({
  record: ToRateSchema,
  /** Whether the service has a rating (whoever may read it). */
  rated: Type.Boolean(),
  /** The rating when the user may read it: a linked resident account, a station head, the worker who delivered it. */
  rating: Nullable(RatingSchema),
});

/** Whom a complaint can name. */
export const WorkersResponse = Type.Object({
  items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), /** Served the resident's household in the last 90 days. */ served: Type.Boolean() })),
});

// ---- Suggestions and complaints ----

export const ItemBody = Obj({
  kind: StringEnum(KINDS),
  subject: Type.String({ minLength: 1, maxLength: 80 }),
  body: Type.String({ minLength: 1, maxLength: 4000 }),
  /** Whom it comes from; a resident account may name only residents it is linked to (default: itself). */
  residentId: Type.Optional(Nullable(Id)),
  aboutWorkerId: Type.Optional(Nullable(Id)),
  serviceRecordId: Type.Optional(Nullable(Id)),
  /** Residents: online (default). Staff on someone's behalf: phone, in_person or box (意见箱). */
  channel: Type.Optional(StringEnum(ITEM_CHANNELS)),
});
export type ItemInput = Static<typeof ItemBody>;

export const ItemSchema = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  kind: StringEnum(KINDS),
  resident: Nullable(Ref),
  submittedBy: Nullable(Ref),
  channel: StringEnum(ITEM_CHANNELS),
  subject: Type.String(),
  body: Type.String(),
  /** Shown to staff only; null for residents. */
  aboutWorker: Nullable(Ref),
  serviceRecordId: Nullable(Type.String()),
  status: StringEnum(STATUSES),
  handler: Nullable(Ref),
  dueAt: Nullable(Type.String()),
  overdue: Type.Boolean(),
  escalatedAt: Nullable(Type.String()),
  escalatedTo: Nullable(Ref),
  response: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type ItemView = Static<typeof ItemSchema>;
export const ItemResponse = Type.Object({ item: ItemSchema });

export const ItemListQuery = Type.Object(
  {
    kind: Type.Optional(StringEnum(KINDS)),
    status: Type.Optional(Type.Array(StringEnum(STATUSES), { maxItems: 4 })),
    /** Complaints still open past their deadline. */
    overdue: Type.Optional(Type.Boolean()),
    /** false: open or in progress; true: resolved or closed. */
    settled: Type.Optional(Type.Boolean()),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const VersionBody = Obj({ version: Type.Integer({ minimum: 1 }) });
export const RespondBody = Obj({ version: Type.Integer({ minimum: 1 }), response: Type.String({ minLength: 1, maxLength: 4000 }) });
export const SweepResponse = Type.Object({ escalated: Type.Integer(), reminded: Type.Integer() });

// ---- Satisfaction ----

export const StatSchema = Type.Object({
  count: Type.Integer(),
  /** Mean score to two decimals; null without ratings. */
  average: Nullable(Type.Number()),
  /** Number of ratings with score 1, 2, 3, 4, 5. */
  distribution: Type.Array(Type.Integer(), { minItems: 5, maxItems: 5 }),
});
export type Stat = Static<typeof StatSchema>;

export const SatisfactionQuery = Type.Object({ from: Type.Optional(Instant), to: Type.Optional(Instant) }, { additionalProperties: false });

export const SatisfactionResponse = Type.Object({
  from: Type.String(),
  to: Type.String(),
  /** 'station': every worker of the head's stations; 'own': only the signed-in worker's services. */
  scope: StringEnum(['station', 'own'] as const),
  overall: StatSchema,
  byServiceType: Type.Array(Type.Object({ id: Nullable(Type.String()), name: Type.String(), ...StatSchema.properties })),
  byWorker: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), ...StatSchema.properties })),
  /** Per Asia/Shanghai month (YYYY-MM), oldest first, months without ratings included. */
  monthly: Type.Array(Type.Object({ month: Type.String(), count: Type.Integer(), average: Nullable(Type.Number()) })),
});
export type SatisfactionView = Static<typeof SatisfactionResponse>;
