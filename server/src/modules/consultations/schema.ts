import { Type, type Static } from 'typebox';
import { SERVICE_AREAS } from '../../db/tables.js';
import { Id, Instant, Nullable, Obj, PageQuery, StringEnum } from '../../lib/schema.js';

export const AreaSchema = StringEnum(SERVICE_AREAS);
export const StatusSchema = StringEnum(['open', 'answered', 'closed'] as const);
/** How a question reached the station; a resident account asking online is always `self`. */
export const ChannelSchema = StringEnum(['self', 'phone', 'walk_in', 'staff'] as const);
export const StaffChannelSchema = StringEnum(['phone', 'walk_in', 'staff'] as const);
const PhotoIds = Type.Array(Id, { maxItems: 6 });

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const CreateBody = Obj({
  residentId: Id,
  area: AreaSchema,
  subject: Type.String({ minLength: 1, maxLength: 80 }),
  body: Type.String({ minLength: 1, maxLength: 4000 }),
  photoIds: Type.Optional(PhotoIds),
  /** Staff only: phone, walk_in or staff (the default). */
  channel: Type.Optional(StaffChannelSchema),
});
export type CreateInput = Static<typeof CreateBody>;

export const MessageBody = Obj({ body: Type.String({ minLength: 1, maxLength: 4000 }), photoIds: Type.Optional(PhotoIds) });
export const AssignBody = Obj({ version: Type.Integer({ minimum: 1 }), assigneeId: Id });
export const CloseBody = Obj({ version: Type.Integer({ minimum: 1 }), resolution: Type.String({ minLength: 1, maxLength: 1000 }) });
export const ConvertBody = Obj({
  version: Type.Integer({ minimum: 1 }),
  title: Type.String({ minLength: 1, maxLength: 80 }),
  area: AreaSchema,
  urgency: StringEnum(['low', 'normal', 'high', 'urgent'] as const),
  description: Type.String({ minLength: 1, maxLength: 4000 }),
});
export const FaqBody = Obj({
  question: Type.String({ minLength: 1, maxLength: 500 }),
  answer: Type.String({ minLength: 1, maxLength: 4000 }),
  /** Defaults to the consultation's area. */
  area: Type.Optional(AreaSchema),
});

export const ListQuery = Type.Object(
  {
    status: Type.Optional(StatusSchema),
    area: Type.Optional(AreaSchema),
    /** Only threads past their first-response deadline without a staff reply. */
    overdue: Type.Optional(Type.Boolean()),
    assigneeId: Type.Optional(Id),
    residentId: Type.Optional(Id),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const Ref = Type.Object({ id: Type.String(), name: Type.String() });

export const ConsultationSchema = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  resident: Ref,
  area: AreaSchema,
  subject: Type.String(),
  status: StatusSchema,
  channel: ChannelSchema,
  assignee: Nullable(Ref),
  firstResponseDueAt: Instant,
  firstResponseAt: Nullable(Instant),
  /** Computed from the clock: still waiting for its first staff reply after the deadline. */
  overdue: Type.Boolean(),
  resolution: Nullable(Type.String()),
  closedAt: Nullable(Instant),
  requestId: Nullable(Type.String()),
  version: Type.Integer(),
  openedBy: Ref,
  createdAt: Instant,
  updatedAt: Instant,
});
export type ConsultationView = Static<typeof ConsultationSchema>;

export const MessageSchema = Type.Object({
  id: Type.String(),
  authorSide: StringEnum(['resident', 'staff'] as const),
  author: Ref,
  body: Type.String(),
  photoIds: Type.Array(Type.String()),
  createdAt: Instant,
});
export const FaqEntrySchema = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  stationName: Type.String(),
  area: AreaSchema,
  question: Type.String(),
  answer: Type.String(),
  status: StringEnum(['published', 'withdrawn'] as const),
  publishedAt: Instant,
});
export type FaqEntryView = Static<typeof FaqEntrySchema>;

export const DetailSchema = Type.Object({
  ...ConsultationSchema.properties,
  messages: Type.Array(MessageSchema),
  /** FAQ entries published from this thread (staff only; empty for residents). */
  faqEntries: Type.Array(FaqEntrySchema),
});
export type ConsultationDetail = Static<typeof DetailSchema>;
export const DetailResponse = Type.Object({ consultation: DetailSchema });

export const FaqQuery = Type.Object(
  { stationId: Type.Optional(Id), area: Type.Optional(AreaSchema), q: Type.Optional(Type.String({ maxLength: 50 })), ...PageQuery },
  { additionalProperties: false },
);
export const FaqResponse = Type.Object({ faqEntry: FaqEntrySchema });
