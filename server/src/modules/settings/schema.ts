import { Type, type Static } from 'typebox';
import { Id, Instant, Nullable, Obj } from '../../lib/schema.js';

/** A half-open office span [start, end) in Asia/Shanghai minutes after midnight. */
const Span = Type.Array(Type.Integer(), { minItems: 2, maxItems: 2 });

/** Office hours per ISO weekday "1".."7" (1 = Monday); a missing or empty day is closed. */
export const OfficeHoursSchema = Type.Record(Type.String({ pattern: '^[1-7]$' }), Type.Array(Span, { maxItems: 6 }));

const VisitDays = Obj({ high: Type.Integer(), priority: Type.Integer(), normal: Type.Integer() });

export const SettingsBody = Obj({
  stationId: Id,
  officeHours: OfficeHoursSchema,
  /** Office minutes within which a new consultation gets its first reply (30..4800). */
  consultationResponseMinutes: Type.Integer(),
  /** Days between visits per risk tier (1..366, high ≤ priority ≤ normal). */
  visitDays: VisitDays,
  /** Working days to answer a complaint (1..60). */
  complaintResponseDays: Type.Integer(),
  /** The `updatedAt` of the settings as read (null when the station had never saved): 409 version_conflict when they changed since. */
  updatedAt: Nullable(Instant),
});
export type SettingsInput = Static<typeof SettingsBody>;

export const SettingsSchema = Type.Object({
  stationId: Type.String(),
  officeHours: OfficeHoursSchema,
  consultationResponseMinutes: Type.Integer(),
  visitDays: Type.Object({ high: Type.Integer(), priority: Type.Integer(), normal: Type.Integer() }),
  complaintResponseDays: Type.Integer(),
  /** False while the station has never saved its own settings (the defaults apply). */
  customised: Type.Boolean(),
  /** When they were last saved; null while the defaults apply. Send it back with a change. */
  updatedAt: Nullable(Instant),
});
export const SettingsResponse = Type.Object({ settings: SettingsSchema });
export const SettingsQuery = Type.Object({ stationId: Id }, { additionalProperties: false });
