import { Type, type TSchema, type TProperties } from 'typebox';

/** An object that rejects unknown fields: a typo in a client is an error, not silently dropped data. */
export function Obj<P extends TProperties>(props: P, opts: { description?: string } = {}) {
  return Type.Object(props, { additionalProperties: false, ...opts });
}

export const ErrorSchema = Type.Object({
  error: Type.Object(
    {
      id: Type.String(),
      message: Type.String(),
      fields: Type.Optional(Type.Record(Type.String(), Type.String())),
    },
    { additionalProperties: true },
  ),
});

/** Standard error responses, so every route documents them in OpenAPI. */
export const errors = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  422: ErrorSchema,
  429: ErrorSchema,
};

export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const Instant = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};

export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });
}

/** A string from a fixed list, typed as the list's union (OpenAPI and ajv see `enum`). */
export const StringEnum = <T extends string>(xs: readonly T[], opts: { description?: string } = {}) =>
  Type.Unsafe<T>({ type: 'string', enum: [...xs], ...opts });
