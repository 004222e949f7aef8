import { Type, type Static } from 'typebox';
import { SERVICE_METHODS } from '../../db/tables.js';
import { Id, Instant, Nullable, Obj, PageQuery, StringEnum } from '../../lib/schema.js';

export const MethodSchema = StringEnum(SERVICE_METHODS);
export const SourceSchema = StringEnum(['appointment', 'visit', 'request', 'manual'] as const);

const Ref = Type.Object({ id: Type.String(), name: Type.String() });

export const ServiceRecordSchema = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  resident: Ref,
  worker: Ref,
  serviceType: Nullable(Ref),
  method: MethodSchema,
  start: Type.String(),
  end: Type.String(),
  place: Nullable(Type.String()),
  summary: Type.String(),
  outcome: Nullable(Type.String()),
  followUpNeeded: Type.Boolean(),
  source: SourceSchema,
  /** The appointment, visit or request it records (null when entered by hand). */
  sourceId: Nullable(Type.String()),
  /** Shared by the rows of one group or community session; null for one-to-one work. */
  activityId: Nullable(Type.String()),
  /** How many residents the session served (1 for one-to-one work). */
  participants: Type.Integer(),
  /** Workers besides the lead `worker`. */
  coWorkers: Type.Array(Ref),
  createdBy: Ref,
  createdAt: Type.String(),
});
export type ServiceRecordView = Static<typeof ServiceRecordSchema>;

/** `record` is the first resident's row; `records` every row written (one per resident served). */
export const ServiceRecordResponse = Type.Object({ record: ServiceRecordSchema, records: Type.Optional(Type.Array(ServiceRecordSchema)) });

export const ListQuery = Type.Object(
  {
    residentId: Type.Optional(Id),
    workerId: Type.Optional(Id),
    serviceTypeId: Type.Optional(Id),
    method: Type.Optional(MethodSchema),
    /** Services that started at or after `from` and before `to`. */
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    followUpNeeded: Type.Optional(Type.Boolean()),
    /** The rows of one group or community session. */
    activityId: Type.Optional(Id),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const MAX_PARTICIPANTS = 100;

export const CreateBody = Obj({
  /** The resident served (one-to-one work); or `residentIds` for a group or community session. */
  residentId: Type.Optional(Id),
  /** Everyone a group or community session served (小组, 社区): one ledger row each. */
  residentIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: MAX_PARTICIPANTS })),
  /** Who delivered it; defaults to the signed-in worker. */
  workerId: Type.Optional(Id),
  /** Workers who delivered it alongside (a session led by two). */
  coWorkerIds: Type.Optional(Type.Array(Id, { maxItems: 10 })),
  serviceTypeId: Type.Optional(Nullable(Id)),
  method: MethodSchema,
  start: Instant,
  end: Instant,
  place: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  summary: Type.String({ minLength: 1, maxLength: 2000 }),
  outcome: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  followUpNeeded: Type.Optional(Type.Boolean()),
});
export type CreateServiceRecordInput = Static<typeof CreateBody>;

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
