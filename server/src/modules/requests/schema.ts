import { Type, type Static } from 'typebox';
import { SERVICE_AREAS, SERVICE_METHODS, type RequestStatus, type Urgency } from '../../db/tables.js';
import { Id, Instant, Nullable, Obj, PageQuery, StringEnum } from '../../lib/schema.js';

export const URGENCIES: readonly Urgency[] = ['urgent', 'high', 'normal', 'low'];
export const REQUEST_STATUSES: readonly RequestStatus[] = ['open', 'assigned', 'in_progress', 'fulfilled', 'cancelled'];

export const AreaSchema = StringEnum(SERVICE_AREAS);
export const UrgencySchema = StringEnum(URGENCIES);
export const StatusSchema = StringEnum(REQUEST_STATUSES);
export const SourceSchema = StringEnum(['resident', 'staff', 'consultation', 'visit'] as const);
export const CandidateRoleSchema = StringEnum(['social_worker', 'station_head', 'volunteer'] as const);

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const CreateBody = Obj({
  residentId: Id,
  area: AreaSchema,
  title: Type.String({ minLength: 1, maxLength: 80 }),
  description: Type.String({ maxLength: 2000 }),
  urgency: UrgencySchema,
});
export type CreateRequestInput = Static<typeof CreateBody>;

export const VersionBody = Obj({ version: Type.Integer({ minimum: 1 }) });
export const AssignBody = Obj({ version: Type.Integer({ minimum: 1 }), assigneeId: Id });
export const FulfilBody = Obj({
  version: Type.Integer({ minimum: 1 }),
  outcome: Type.String({ minLength: 1, maxLength: 1000 }),
  method: StringEnum(SERVICE_METHODS),
  start: Instant,
  end: Instant,
});
export const CancelBody = Obj({ version: Type.Integer({ minimum: 1 }), reason: Type.String({ minLength: 1, maxLength: 200 }) });

export const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Array(StatusSchema, { maxItems: 5 })),
    urgency: Type.Optional(Type.Array(UrgencySchema, { maxItems: 4 })),
    area: Type.Optional(AreaSchema),
    assigneeId: Type.Optional(Id),
    villageId: Type.Optional(Id),
    residentId: Type.Optional(Id),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const Ref = Type.Object({ id: Type.String(), name: Type.String() });

/**
 * One request as the user may see it. A volunteer gets only what the task needs: the resident's
 * name (resident.id null), the village and the task itself; never ID number, phones, health or income.
 */
export const RequestSchema = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  resident: Type.Object({ id: Nullable(Type.String()), name: Type.String() }),
  village: Ref,
  area: AreaSchema,
  title: Type.String(),
  description: Type.String(),
  urgency: UrgencySchema,
  status: StatusSchema,
  source: SourceSchema,
  assignee: Nullable(Ref),
  assignedAt: Nullable(Type.String()),
  fulfilledAt: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
  cancelReason: Nullable(Type.String()),
  /** The ledger entry written when it was fulfilled. */
  serviceRecordId: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type RequestView = Static<typeof RequestSchema>;

export const HistorySchema = Type.Array(Type.Object({ status: StatusSchema, at: Type.String() }));
export const RequestResponse = Type.Object({ request: RequestSchema });
export const RequestDetailResponse = Type.Object({ request: RequestSchema, history: HistorySchema });

export const CandidateSchema = Type.Object({
  user: Ref,
  role: CandidateRoleSchema,
  score: Type.Integer(),
  maxScore: Type.Integer(),
  parts: Type.Object({ skill: Type.Integer(), village: Type.Integer(), workload: Type.Integer(), availability: Type.Integer() }),
  /** The facts behind the parts; the web words the explanation from them (zh/en). */
  reasons: Type.Object({
    hasSkill: Type.Boolean(),
    coversVillage: Type.Boolean(),
    recentServicesInVillage: Type.Integer(),
    openRequests: Type.Integer(),
    upcomingAppointments: Type.Integer(),
    availableMinutes: Type.Integer(),
    onRequest: Type.Boolean(),
  }),
});
export type CandidateView = Static<typeof CandidateSchema>;
export const CandidatesResponse = Type.Object({ area: AreaSchema, village: Ref, items: Type.Array(CandidateSchema) });

export const CoverageQuery = Type.Object({ stationId: Type.Optional(Id) }, { additionalProperties: false });
export const CoverageWorkerSchema = Type.Object({ id: Type.String(), name: Type.String(), role: CandidateRoleSchema, villageIds: Type.Array(Type.String()), areas: Type.Array(AreaSchema) });
export type CoverageWorker = Static<typeof CoverageWorkerSchema>;
export const CoverageResponse = Type.Object({ stationId: Type.String(), villages: Type.Array(Ref), workers: Type.Array(CoverageWorkerSchema) });
export const CoverageBody = Obj({
  villageIds: Type.Array(Id, { maxItems: 200, uniqueItems: true }),
  areas: Type.Array(AreaSchema, { maxItems: SERVICE_AREAS.length, uniqueItems: true }),
});
export const CoveragePutResponse = Type.Object({ worker: CoverageWorkerSchema });
