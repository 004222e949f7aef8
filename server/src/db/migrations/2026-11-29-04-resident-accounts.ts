import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { instant } from './dialect.js';

// Resident accounts and the people they act for: a resident signs in as themselves and may book for
// members of their household they are linked to (an elderly mother, a grandchild in their care).
// Also the 2026 national holiday calendar, which is a fact of the country, not demo data.

/** 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号, 2025-11-04). */
const CALENDAR_2026: { date: string; kind: 'holiday' | 'workday'; name: string }[] = [
  ...range('2026-01-01', 3, '元旦'),
  { date: '2026-01-04', kind: 'workday', name: '元旦调休上班' },
  { date: '2026-02-14', kind: 'workday', name: '春节调休上班' },
  ...range('2026-02-15', 9, '春节'),
  { date: '2026-02-28', kind: 'workday', name: '春节调休上班' },
  ...range('2026-04-04', 3, '清明节'),
  ...range('2026-05-01', 5, '劳动节'),
  { date: '2026-05-09', kind: 'workday', name: '劳动节调休上班' },
  ...range('2026-06-19', 3, '端午节'),
  { date: '2026-09-20', kind: 'workday', name: '国庆节调休上班' },
  ...range('2026-09-25', 3, '中秋节'),
  ...range('2026-10-01', 7, '国庆节'),
  { date: '2026-10-10', kind: 'workday', name: '国庆节调休上班' },
];

function range(first: string, days: number, name: string) {
  const t = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => ({ date: new Date(t + i * 86_400_000).toISOString().slice(0, 10), kind: 'holiday' as const, name }));
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const ts = instant(db);
  await db.schema
    .createTable('resident_accounts')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    // self: the account is this resident; family: a household member they help; guardian: a child in their care.
    .addColumn('relation', 'text', (c) => c.notNull().check(sql`relation in ('self','family','guardian')`))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('resident_accounts_pk', ['user_id', 'resident_id'])
    .execute();
  await db.schema.createIndex('resident_accounts_resident_idx').on('resident_accounts').columns(['resident_id']).execute();
  // An account is at most one resident themselves.
  await db.schema.createIndex('resident_accounts_self_uq').on('resident_accounts').columns(['user_id']).unique().where(sql.ref('relation'), '=', 'self').execute();

  const source = '国办发明电〔2025〕7号';
  await db
    .insertInto('calendar_days' as never)
    .values(CALENDAR_2026.map((d) => ({ ...d, source })) as never)
    .onConflict((oc) => oc.column('date' as never).doNothing())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.deleteFrom('calendar_days' as never).where('source' as never, '=', '国办发明电〔2025〕7号' as never).execute();
  await db.schema.dropTable('resident_accounts').execute();
}
