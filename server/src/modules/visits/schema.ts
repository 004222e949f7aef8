import { Type, type Static } from 'typebox';
import { RISK_TIERS, SERVICE_AREAS } from '../../db/tables.js';
import { Id, Instant, Nullable, Obj, PageQuery, StringEnum } from '../../lib/schema.js';
import { CHECKLIST_ITEMS, CHECK_VALUES, RISK_FLAGS } from './cadence.js';

const Tier = StringEnum(RISK_TIERS);
const Ref = Type.Object({ id: Type.String(), name: Type.String() });

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const DueQuery = Type.Object(
  {
    /** mine: residents of the villages I cover; all: every resident of my stations. */
    scope: Type.Optional(StringEnum(['mine', 'all'] as const)),
    workerId: Type.Optional(Id),
    villageId: Type.Optional(Id),
    /** One resident (the resident page's 走访 strip). */
    residentId: Type.Optional(Id),
    tier: Type.Optional(Tier),
    /** overdue; due_soon (due within 7 days); due (both); all (default). */
    state: Type.Optional(StringEnum(['overdue', 'due_soon', 'due', 'all'] as const)),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const DueRowSchema = Type.Object({
  resident: Type.Object({ id: Type.String(), name: Type.String(), village: Ref, tier: Tier, categories: Type.Array(Type.String()) }),
  lastVisitAt: Nullable(Type.String()),
  lastVisitBy: Nullable(Ref),
  /** Asia/Shanghai date the next visit is due. */
  dueOn: Type.String(),
  /** Calendar days past dueOn (negative: days left). */
  daysOverdue: Type.Integer(),
  coveringWorkers: Type.Array(Ref),
});
export type DueRowView = Static<typeof DueRowSchema>;

export const SummaryQuery = Type.Object({ scope: Type.Optional(StringEnum(['mine', 'all'] as const)) }, { additionalProperties: false });
const Counts = { overdue: Type.Integer(), dueSoon: Type.Integer() };
export const SummarySchema = Type.Object({
  byVillage: Type.Array(Type.Object({ villageId: Type.String(), villageName: Type.String(), ...Counts })),
  byWorker: Type.Array(Type.Object({ workerId: Type.String(), workerName: Type.String(), ...Counts })),
  overdue: Type.Integer(),
  dueSoon: Type.Integer(),
  overdueHighTier: Type.Integer(),
  overdueHigh: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), daysOverdue: Type.Integer() })),
  visitDays: Type.Object({ high: Type.Integer(), priority: Type.Integer(), normal: Type.Integer() }),
});
export type SummaryView = Static<typeof SummarySchema>;

export const CheckValue = StringEnum(CHECK_VALUES);
export const Checklist = Obj(Object.fromEntries(CHECKLIST_ITEMS.map((k) => [k, CheckValue])) as Record<(typeof CHECKLIST_ITEMS)[number], typeof CheckValue>);
export const RiskFlagSchema = StringEnum(RISK_FLAGS);

export const CreateBody = Obj({
  residentId: Id,
  visitedAt: Instant,
  durationMinutes: Type.Integer({ minimum: 1, maximum: 600 }),
  mode: StringEnum(['home', 'phone', 'video', 'other'] as const),
  metResident: Type.Boolean(),
  observations: Type.String({ minLength: 1, maxLength: 4000 }),
  checklist: Checklist,
  riskFlags: Type.Array(RiskFlagSchema, { maxItems: RISK_FLAGS.length, uniqueItems: true }),
  /** Raise (or keep) the resident's tier; lowering it needs a station head. */
  newTier: Type.Optional(Tier),
  openRequest: Type.Optional(
    Obj({
      title: Type.String({ minLength: 1, maxLength: 80 }),
      area: StringEnum(SERVICE_AREAS),
      urgency: StringEnum(['low', 'normal', 'high', 'urgent'] as const),
      description: Type.String({ maxLength: 2000 }),
    }),
  ),
  photoIds: Type.Optional(Type.Array(Id, { maxItems: 6 })),
  followUpNeeded: Type.Optional(Type.Boolean()),
});
export type CreateInput = Static<typeof CreateBody>;

export const VisitSchema = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  resident: Type.Object({ id: Type.String(), name: Type.String(), village: Ref }),
  worker: Ref,
  visitedAt: Type.String(),
  durationMinutes: Type.Integer(),
  mode: StringEnum(['home', 'phone', 'video', 'other'] as const),
  metResident: Type.Boolean(),
  observations: Type.String(),
  checklist: Type.Record(Type.String(), CheckValue),
  riskFlags: Type.Array(RiskFlagSchema),
  tierBefore: Tier,
  tierAfter: Tier,
  requestId: Nullable(Type.String()),
  serviceRecordId: Nullable(Type.String()),
  followUpNeeded: Type.Boolean(),
  photoIds: Type.Array(Type.String()),
  createdAt: Type.String(),
});
export type VisitView = Static<typeof VisitSchema>;

export const VisitResponse = Type.Object({ visit: VisitSchema });
export const CreateResponse = Type.Object({
  visit: VisitSchema,
  /** High when a serious flag was ticked (signs of abuse, talk of self-harm, no food); null otherwise. */
  suggestedTier: Nullable(Tier),
});

export const ListQuery = Type.Object(
  {
    residentId: Type.Optional(Id),
    workerId: Type.Optional(Id),
    villageId: Type.Optional(Id),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const SweepResponse = Type.Object({
  /** Residents alerted now (already alerted today are skipped). */
  alerted: Type.Integer(),
  notifications: Type.Integer(),
  residents: Type.Array(Ref),
});
