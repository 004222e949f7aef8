import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import type { DB } from './tables.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Database_ {
  db: Kysely<DB>;
  /**
   * For reads outside a transaction that may run beside writers. On SQLite a second connection
   * (WAL lets it read the last commit while a write transaction holds the first one, whose mutex
   * would otherwise queue every read behind every pending booking); on PostgreSQL the same pool.
   */
  readDb: Kysely<DB>;
  dialect: Dialect;
  /** SQLite file path, or null on PostgreSQL. */
  file: string | null;
}

/**
 * Write transactions on SQLite start with BEGIN IMMEDIATE: they take the write lock up front, so
 * two writers never both read and then fail to upgrade (SQLITE_BUSY mid-transaction), and a
 * check-then-insert inside one transaction cannot race another connection.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly sqliteConfig: SqliteDialectConfig) {
    super(sqliteConfig);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.sqliteConfig);
  }
}

/** Open the embedded SQLite file with the settings that make an acknowledged write durable. */
export function openSqlite(file: string): Database.Database {
  // Only the service account may read the data folder: it holds personal data and the key file.
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const sqlite = new Database(file);
  // SQLite gives its -wal and -shm files the main file's mode.
  fs.chmodSync(file, 0o600);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit is fsynced before it is acknowledged, so it survives power loss (NORMAL in WAL
  // mode may lose the last commits).
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

/**
 * Kysely prepares every statement afresh; on SQLite preparing costs several times more than
 * running a small query (65 µs against 13 µs for the session lookup), so keep the most recent
 * statements. Safe because the dialect runs one query at a time on its single connection.
 */
export function withStatementCache(sqlite: Database.Database, max = 256): SqliteDialectConfig['database'] {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(query: string) {
      let stmt = cache.get(query);
      if (stmt) {
        // Move to the back: the Map's insertion order is the LRU order.
        cache.delete(query);
      } else {
        stmt = sqlite.prepare(query);
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      }
      cache.set(query, stmt);
      return stmt;
    },
  } as SqliteDialectConfig['database'];
}

const PG_TIMESTAMPTZ = 1184;
const PG_TIMESTAMP = 1114;
const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/**
 * The app sees the same value shapes on both dialects: instants as ISO strings (UTC, with 'Z'),
 * counts and bigints as numbers. Set per pool rather than globally so nothing else is affected.
 */
function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === PG_TIMESTAMPTZ || oid === PG_TIMESTAMP) {
        return (v: string) => new Date(oid === PG_TIMESTAMP ? `${v}Z` : v).toISOString();
      }
      if (oid === PG_INT8 || oid === PG_NUMERIC) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format);
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

export function connect(opts: { databaseUrl: string | null; dataDir: string; poolSize?: number }): Database_ {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      types: pgTypes(),
    });
    // An idle connection that PostgreSQL closes (a restart, a failover, an administrator) errors on
    // the pool; without a listener Node treats that as an uncaught exception and the server dies.
    // The pool has already discarded the client and opens a new one on the next query.
    pool.on('error', (err) => {
      process.emitWarning(`PostgreSQL closed an idle connection: ${err.message}`, { code: 'XQ_PG_IDLE_ERROR' });
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, readDb: db, dialect: 'postgres', file: null };
  }
  const file = path.join(opts.dataDir, 'xiangqiao.sqlite');
  const sqlite = openSqlite(file);
  const reader = openSqlite(file);
  // The reader can never write, whatever code is handed it.
  reader.pragma('query_only = ON');
  return {
    db: new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) }),
    readDb: new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(reader) }) }),
    dialect: 'sqlite',
    file,
  };
}
