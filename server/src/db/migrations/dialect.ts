import { PostgresAdapter, type Kysely } from 'kysely';

// Migrations are frozen in time and import no app code; this tiny helper belongs to them alone.

export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Column type for an instant: a real timestamptz on PostgreSQL, ISO-8601 text on SQLite. */
export function instant(db: Kysely<unknown>): 'timestamptz' | 'text' {
  return isPostgres(db) ? 'timestamptz' : 'text';
}
