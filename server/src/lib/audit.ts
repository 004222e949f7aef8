import { createHash } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { AuditLogTable, AuditResult, DB } from '../db/tables.js';
import { canonicalJson } from './canonical-json.js';
import { newId } from './ids.js';

export const GENESIS_HASH = '0'.repeat(64);

/** Who did it and from where; taken from the request. */
export interface AuditActor {
  actorId: string | null;
  actorUsername: string | null;
  role: string | null;
  stationId: string | null;
  ip: string | null;
  requestId: string | null;
}

export interface AuditEvent {
  action: string;
  result: AuditResult;
  entityType?: string | null;
  entityId?: string | null;
  /** Station the record belongs to, when different from the actor's. */
  stationId?: string | null;
  /** For a read of a sensitive field: which field, and the reason the user gave. */
  field?: string | null;
  reason?: string | null;
  /** Small structured detail (never sensitive values). */
  detail?: Record<string, unknown> | null;
}

type Hashed = Omit<AuditLogTable, 'hash'>;

/** The hash of one entry covers every column and the previous entry's hash. */
export function entryHash(row: Hashed): string {
  return createHash('sha256').update(canonicalJson(row)).digest('hex');
}

/**
 * Append one entry in the caller's transaction, so the record of a change commits or rolls back
 * with the change itself. The entry chains to the one before it by hash.
 */
export async function writeAudit(trx: Transaction<DB>, actor: AuditActor, event: AuditEvent, at: Date): Promise<void> {
  // Serialise writers of the chain. SQLite already holds the write lock (BEGIN IMMEDIATE); on
  // PostgreSQL two transactions could otherwise read the same tail and fork the chain.
  if (isPg(trx)) await sql`select pg_advisory_xact_lock(7262201)`.execute(trx);
  const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const row: Hashed = {
    id: newId(at.getTime()),
    seq: (last?.seq ?? 0) + 1,
    at: at.toISOString(),
    actor_id: actor.actorId,
    actor_username: actor.actorUsername,
    role: actor.role,
    station_id: event.stationId ?? actor.stationId,
    action: event.action,
    entity_type: event.entityType ?? null,
    entity_id: event.entityId ?? null,
    result: event.result,
    ip: actor.ip,
    request_id: actor.requestId,
    field: event.field ?? null,
    reason: event.reason ?? null,
    detail: event.detail ? canonicalJson(event.detail) : null,
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  await trx.insertInto('audit_log').values({ ...row, hash: entryHash(row) }).execute();
}

/** Record an event that changes nothing else (a denied attempt, a failed login) in its own transaction. */
export async function writeAuditAlone(db: Kysely<DB>, actor: AuditActor, event: AuditEvent, at: Date): Promise<void> {
  await db.transaction().execute((trx) => writeAudit(trx, actor, event, at));
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBroken: null | { seq: number; id: string; problem: 'hash_mismatch' | 'prev_hash_mismatch' | 'seq_gap' };
}

/**
 * Walk the whole chain in order and name the first entry that does not hash to what it says or
 * does not follow the one before it (an edited, inserted or deleted row).
 */
export async function verifyAuditChain(db: Kysely<DB>, batch = 2000): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  let checked = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', prevSeq).orderBy('seq').limit(batch).execute();
    for (const r of rows) {
      const { hash, ...rest } = r;
      const seq = Number(r.seq);
      if (seq !== prevSeq + 1) return { ok: false, checked, firstBroken: { seq, id: r.id, problem: 'seq_gap' } };
      if (r.prev_hash !== prevHash) return { ok: false, checked, firstBroken: { seq, id: r.id, problem: 'prev_hash_mismatch' } };
      if (entryHash({ ...rest, seq }) !== hash) return { ok: false, checked, firstBroken: { seq, id: r.id, problem: 'hash_mismatch' } };
      prevHash = hash;
      prevSeq = seq;
      checked += 1;
    }
    if (rows.length < batch) return { ok: true, checked, firstBroken: null };
  }
}

function isPg(trx: Transaction<DB>): boolean {
  return trx.getExecutor().adapter instanceof PostgresAdapter;
}
