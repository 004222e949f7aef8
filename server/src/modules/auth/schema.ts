import { Type, type Static } from 'typebox';
import { Nullable, Obj } from '../../lib/schema.js';
import type { Role } from '../../db/tables.js';

export const RoleSchema = Type.Union([
  Type.Literal('resident'),
  Type.Literal('volunteer'),
  Type.Literal('social_worker'),
  Type.Literal('station_head'),
  Type.Literal('data_officer'),
  Type.Literal('county_supervisor'),
  Type.Literal('system_admin'),
]);

export const AssignmentSchema = Type.Object({
  role: RoleSchema,
  stationId: Nullable(Type.String()),
  countyId: Nullable(Type.String()),
});

export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(AssignmentSchema),
  modules: Type.Array(Type.String()),
  mustChangePassword: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  totpSetupRequired: Type.Boolean(),
  elderMode: Type.Boolean(),
  locale: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]),
  stations: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
});
export type UserView = Static<typeof UserSchema>;

export const MeResponse = Type.Object({ user: UserSchema, csrfToken: Type.String() });

export const LoginBody = Obj({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
  otp: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
});

export const PasswordBody = Obj({
  currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
  newPassword: Type.String({ minLength: 1, maxLength: 256 }),
});

export const PreferencesBody = Obj({
  elderMode: Type.Optional(Type.Boolean()),
  locale: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')])),
});

export const SessionItem = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  current: Type.Boolean(),
});

export const TotpSetupResponse = Type.Object({ secret: Type.String(), otpauthUrl: Type.String() });
export const OtpBody = Obj({ otp: Type.String({ pattern: '^[0-9]{6}$' }) });
export const DisableTotpBody = Obj({ password: Type.String({ minLength: 1, maxLength: 256 }) });

// The schema's roles and the database's role list must be the same set.
type SchemaRole = Static<typeof RoleSchema>;
const _sameRoles: [SchemaRole] extends [Role] ? ([Role] extends [SchemaRole] ? true : never) : never = true;
void _sameRoles;
