import { Type, type Static } from 'typebox';
import { APPOINTMENT_STATUSES, SERVICE_MODES } from '../../db/tables.js';
import { Id, Instant, Nullable, Obj, PageQuery, StringEnum } from '../../lib/schema.js';

export const StatusSchema = StringEnum(APPOINTMENT_STATUSES);
/** How a booking reached the station; residents booking online are always `self`. */
export const StaffChannelSchema = StringEnum(['phone', 'walk_in', 'staff'] as const);

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const BookBody = Obj({
  serviceTypeId: Id,
  residentId: Id,
  /** ISO instant of the slot start (as listed by GET /api/slots). */
  start: Instant,
  /** Omitted: the first assigned worker free at that time. */
  workerId: Type.Optional(Id),
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  /** Staff only: phone, walk_in or staff (the default). */
  channel: Type.Optional(StaffChannelSchema),
});
export type BookInput = Static<typeof BookBody>;

export const VersionBody = Obj({ version: Type.Integer({ minimum: 1 }) });
export const CancelBody = Obj({ version: Type.Integer({ minimum: 1 }), reason: Type.Optional(Nullable(Type.String({ maxLength: 200 }))) });
export const RescheduleBody = Obj({ version: Type.Integer({ minimum: 1 }), start: Instant, workerId: Type.Optional(Id) });
export const CompleteBody = Obj({
  version: Type.Integer({ minimum: 1 }),
  summary: Type.String({ minLength: 1, maxLength: 2000 }),
  outcome: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  followUpNeeded: Type.Optional(Type.Boolean()),
});

export const ListQuery = Type.Object(
  {
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    workerId: Type.Optional(Id),
    residentId: Type.Optional(Id),
    status: Type.Optional(Type.Array(StatusSchema, { maxItems: 6 })),
    /** Staff: only appointments where I am the worker. */
    mine: Type.Optional(Type.Boolean()),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const Ref = Type.Object({ id: Type.String(), name: Type.String() });

export const AppointmentSchema = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  serviceType: Type.Object({ id: Type.String(), name: Type.String(), mode: StringEnum(SERVICE_MODES), durationMinutes: Type.Integer() }),
  resident: Ref,
  worker: Ref,
  start: Type.String(),
  end: Type.String(),
  status: StatusSchema,
  channel: StringEnum(['self', 'phone', 'walk_in', 'staff'] as const),
  note: Nullable(Type.String()),
  bookedBy: Ref,
  cancelReason: Nullable(Type.String()),
  /** The service record written when it was completed. */
  serviceRecordId: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type AppointmentView = Static<typeof AppointmentSchema>;

export const AppointmentResponse = Type.Object({ appointment: AppointmentSchema });
