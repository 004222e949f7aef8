import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m20261129_01 from './migrations/2026-11-29-01-foundation.js';
import * as m20261129_02 from './migrations/2026-11-29-02-residents.js';
import * as m20261129_03 from './migrations/2026-11-29-03-service.js';
import * as m20261129_04 from './migrations/2026-11-29-04-resident-accounts.js';
import * as m20261129_05 from './migrations/2026-11-29-05-service-work.js';
import * as m20261129_06 from './migrations/2026-11-29-06-group-services.js';

/** Every migration this version knows, in order. A static list, so the compiled build needs no file scanning. */
export const MIGRATIONS: Record<string, Migration> = {
  '2026-11-29-01-foundation': m20261129_01,
  '2026-11-29-02-residents': m20261129_02,
  '2026-11-29-03-service': m20261129_03,
  '2026-11-29-04-resident-accounts': m20261129_04,
  '2026-11-29-05-service-work': m20261129_05,
  '2026-11-29-06-group-services': m20261129_06,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export class NewerDatabaseError extends Error {
  override name = 'NewerDatabaseError';
}

/**
 * Refuse a database that a newer Xiangqiao has migrated: this code does not know its tables and
 * would corrupt them.
 */
export async function assertNotNewer(db: Kysely<unknown>): Promise<void> {
  // A missing table means a fresh database, which is fine.
  const rows = await db
    .selectFrom('kysely_migration' as never)
    .select('name' as never)
    .execute()
    .catch(() => [] as { name: string }[]);
  const unknown = (rows as { name: string }[]).map((r) => r.name).filter((n) => !(n in MIGRATIONS));
  if (unknown.length > 0) {
    throw new NewerDatabaseError(
      `This database was migrated by a newer version of Xiangqiao (unknown migrations: ${unknown.join(', ')}). ` +
        'Upgrade Xiangqiao, or restore a backup made by this version.',
    );
  }
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  await assertNotNewer(db);
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
