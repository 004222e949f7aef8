import { Type, type Static } from 'typebox';
import { SERVICE_AREAS, SERVICE_MODES } from '../../db/tables.js';
import { Id, Instant, Nullable, Obj, PageQuery, StringEnum } from '../../lib/schema.js';

// The scheduling API: the service catalogue, who works when, and the national calendar.

export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
const DateStr = Type.String({ pattern: DATE_PATTERN });
const Minute = Type.Integer({ minimum: 0, maximum: 1440 });
export const EXCEPTION_KINDS = ['leave', 'training', 'other'] as const;

export const ServiceTypeView = Type.Object({
  id: Id,
  stationId: Id,
  name: Type.String(),
  area: StringEnum(SERVICE_AREAS),
  mode: StringEnum(SERVICE_MODES),
  durationMinutes: Type.Integer(),
  bufferMinutes: Type.Integer(),
  travelMinutes: Type.Integer(),
  residentBookable: Type.Boolean(),
  description: Nullable(Type.String()),
  active: Type.Boolean(),
  workerIds: Type.Array(Id),
  /** The same workers with their names, for pickers. */
  workers: Type.Array(Type.Object({ id: Id, displayName: Type.String() })),
});
export type ServiceTypeView = Static<typeof ServiceTypeView>;

export const ServiceTypeListQuery = Type.Object(
  {
    stationId: Type.Optional(Id),
    /** Only types residents may book themselves. */
    bookable: Type.Optional(Type.Boolean()),
    /** Include inactive types (staff only; default: active only for residents, all for staff). */
    active: Type.Optional(Type.Boolean()),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const serviceFields = {
  name: Type.String({ minLength: 1, maxLength: 60 }),
  area: StringEnum(SERVICE_AREAS),
  mode: StringEnum(SERVICE_MODES),
  durationMinutes: Type.Integer({ minimum: 5, maximum: 480 }),
  bufferMinutes: Type.Integer({ minimum: 0, maximum: 120 }),
  travelMinutes: Type.Integer({ minimum: 0, maximum: 240 }),
  residentBookable: Type.Boolean(),
  description: Nullable(Type.String({ maxLength: 500 })),
  active: Type.Boolean(),
  workerIds: Type.Array(Id, { maxItems: 50, uniqueItems: true }),
};

export const CreateServiceTypeBody = Obj({
  /** Optional when the station head runs exactly one station. */
  stationId: Type.Optional(Id),
  name: serviceFields.name,
  area: serviceFields.area,
  mode: serviceFields.mode,
  durationMinutes: serviceFields.durationMinutes,
  bufferMinutes: Type.Optional(serviceFields.bufferMinutes),
  travelMinutes: Type.Optional(serviceFields.travelMinutes),
  residentBookable: Type.Optional(serviceFields.residentBookable),
  description: Type.Optional(serviceFields.description),
  active: Type.Optional(serviceFields.active),
  workerIds: Type.Optional(serviceFields.workerIds),
});
export type CreateServiceTypeBody = Static<typeof CreateServiceTypeBody>;

export const PatchServiceTypeBody = Obj({
  name: Type.Optional(serviceFields.name),
  area: Type.Optional(serviceFields.area),
  mode: Type.Optional(serviceFields.mode),
  durationMinutes: Type.Optional(serviceFields.durationMinutes),
  bufferMinutes: Type.Optional(serviceFields.bufferMinutes),
  travelMinutes: Type.Optional(serviceFields.travelMinutes),
  residentBookable: Type.Optional(serviceFields.residentBookable),
  description: Type.Optional(serviceFields.description),
  active: Type.Optional(serviceFields.active),
  workerIds: Type.Optional(serviceFields.workerIds),
});
export type PatchServiceTypeBody = Static<typeof PatchServiceTypeBody>;

export const IdParams = Obj({ id: Id });
export const UserParams = Obj({ userId: Id });
export const ExceptionParams = Obj({ userId: Id, id: Id });
export const StationQuery = Obj({ stationId: Type.Optional(Id) });

export const HoursItem = Obj({
  /** ISO weekday, 1 = Monday. */
  weekday: Type.Integer({ minimum: 1, maximum: 7 }),
  /** Minutes after midnight, Asia/Shanghai; the block is [startMinute, endMinute). */
  startMinute: Type.Integer({ minimum: 0, maximum: 1439 }),
  endMinute: Type.Integer({ minimum: 1, maximum: 1440 }),
});
export type HoursItem = Static<typeof HoursItem>;
export const HoursView = Type.Object({ userId: Id, stationId: Id, items: Type.Array(HoursItem) });
export const PutHoursBody = Obj({ stationId: Type.Optional(Id), items: Type.Array(HoursItem, { maxItems: 28 }) });

export const ExceptionView = Type.Object({
  id: Id,
  userId: Id,
  stationId: Id,
  date: Type.String(),
  /** Both null: the whole day. */
  startMinute: Nullable(Type.Integer()),
  endMinute: Nullable(Type.Integer()),
  kind: StringEnum(EXCEPTION_KINDS),
  note: Nullable(Type.String()),
  createdAt: Instant,
});
export type ExceptionView = Static<typeof ExceptionView>;
export const ExceptionListQuery = Obj({ from: Type.Optional(DateStr), to: Type.Optional(DateStr) });
export const CreateExceptionBody = Obj({
  stationId: Type.Optional(Id),
  date: DateStr,
  // Null first: with type coercion on, ajv would turn null into 0 in an integer-first union.
  startMinute: Type.Optional(Type.Union([Type.Null(), Minute])),
  endMinute: Type.Optional(Type.Union([Type.Null(), Minute])),
  kind: StringEnum(EXCEPTION_KINDS),
  note: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
});
export type CreateExceptionBody = Static<typeof CreateExceptionBody>;

export const CalendarDayView = Type.Object({ date: Type.String(), kind: StringEnum(['holiday', 'workday'] as const), name: Type.String(), source: Nullable(Type.String()) });
export const CalendarQuery = Obj({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
export const DateParams = Obj({ date: DateStr });
/** `normal`: an ordinary day again (the entry is removed). */
export const PutCalendarBody = Obj({ kind: StringEnum(['holiday', 'workday', 'normal'] as const), name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })) });

export const SlotsQuery = Obj({ serviceTypeId: Id, from: Instant, to: Instant, workerId: Type.Optional(Id) });
export const SlotView = Type.Object({ start: Instant, end: Instant, workerId: Id });
/** The longest range one slot query may cover. */
export const MAX_SLOT_RANGE_DAYS = 31;
