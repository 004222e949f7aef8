import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Dialect } from '../db/connect.js';
import type { DB } from '../db/tables.js';
import type { AuditActor } from './audit.js';
import type { Clock } from './clock.js';
import type { KeyRing } from './crypto.js';
import type { Locale } from './i18n.js';
import type { Policy } from './policy.js';
import type { AuthContext } from './session.js';

/** Infrastructure only: the database, configuration, the clock and keys. Logic stays in plain functions. */
export interface Deps {
  db: Kysely<DB>;
  /** Reads outside transactions that should not queue behind writes (SQLite's second connection). */
  readDb: Kysely<DB>;
  dialect: Dialect;
  config: Config;
  clock: Clock;
  keys: KeyRing;
  version: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    xq: Deps;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
    locale: Locale;
    /** Who is acting, for audit entries written by this request. */
    actor(): AuditActor;
  }
  interface FastifyContextConfig {
    policy?: Policy;
    /** A background poll: answers without counting as activity for the session's idle timeout. */
    passive?: boolean;
  }
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
