import { Type } from 'typebox';
import { Nullable, Obj, PageQuery } from '../../lib/schema.js';
import { AssignmentSchema, RoleSchema } from '../auth/schema.js';
import { USERNAME_PATTERN } from './users.js';

export const UserListItem = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(AssignmentSchema),
  locked: Type.Boolean(),
  lockedUntil: Nullable(Type.String()),
  lastLoginAt: Nullable(Type.String()),
  totpEnabled: Type.Boolean(),
  createdAt: Type.String(),
});

export const ListQuery = Type.Object(
  { ...PageQuery, q: Type.Optional(Type.String({ maxLength: 64 })), role: Type.Optional(RoleSchema) },
  { additionalProperties: false },
);

export const CreateBody = Obj({
  username: Type.String({ pattern: USERNAME_PATTERN }),
  displayName: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
  roles: Type.Array(
    Obj({ role: RoleSchema, stationId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))), countyId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))) }),
    { minItems: 1, maxItems: 20 },
  ),
});

export const ResetBody = Obj({ password: Type.String({ minLength: 1, maxLength: 256 }) });
export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
