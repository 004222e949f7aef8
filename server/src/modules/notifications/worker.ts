import type { Transaction } from 'kysely';
import type { DB, NotificationOutboxTable } from '../../db/tables.js';
import { decryptField } from '../../lib/crypto.js';
import type { Deps } from '../../lib/deps.js';
import type { Locale } from '../../lib/i18n.js';
import { defaultAdapters, PermanentDeliveryError, type NotificationAdapter, type OutboxMessage } from './adapters.js';
import { render, type Payload } from './templates.js';

/** After this many failed attempts a message is given up (status 'failed', last_error kept). */
export const MAX_ATTEMPTS = 5;
/** Wait before attempt n+1: 30 s, 1 min, 2 min, 4 min. */
export const backoffMs = (attempts: number): number => 30_000 * 2 ** Math.max(0, attempts - 1);

export type WorkerDeps = Pick<Deps, 'db' | 'dialect' | 'clock' | 'keys' | 'config'>;

export interface OutboxWorkerOptions {
  /** Names this process in lease_owner; unique per app server (e.g. hostname + pid). */
  nodeId: string;
  intervalMs?: number;
  batch?: number;
  /** How long a claim holds before another node may take the message over. */
  leaseMs?: number;
  adapters?: NotificationAdapter[];
  /** Start the polling loop (default true). Tests drive runOnce by hand. */
  autoStart?: boolean;
  onError?: (err: unknown) => void;
  /** Called with each claimed batch before delivery (tests use it to cancel in between). */
  onClaimed?: (ids: string[]) => Promise<void>;
}

export interface OutboxWorker {
  stop(): Promise<void>;
  /** Claim and deliver one batch of due messages; resolves to how many were sent. */
  runOnce(): Promise<number>;
}

type Row = NotificationOutboxTable;

/**
 * The outbox worker. Several app servers may run one each against the same PostgreSQL: a message is
 * claimed by one node (FOR UPDATE SKIP LOCKED, then a lease), re-checked under a row lock right
 * before delivery, and marked sent in the same transaction, so it is delivered once and never after
 * it was cancelled. On SQLite every write transaction is BEGIN IMMEDIATE, which serialises the same
 * steps between processes sharing the file.
 */
export function startOutboxWorker(deps: WorkerDeps, opts: OutboxWorkerOptions): OutboxWorker {
  const { db, clock, keys } = deps;
  const pg = deps.dialect === 'postgres';
  const nodeId = opts.nodeId;
  const intervalMs = opts.intervalMs ?? 5_000;
  const batch = opts.batch ?? 50;
  const leaseMs = opts.leaseMs ?? 60_000;
  const adapters = new Map((opts.adapters ?? defaultAdapters(deps.config.dataDir)).map((a) => [a.channel, a]));
  const onError = opts.onError ?? ((e: unknown) => process.stderr.write(`outbox worker ${nodeId}: ${e instanceof Error ? e.message : String(e)}\n`));

  async function claim(now: Date): Promise<Row[]> {
    const nowIso = now.toISOString();
    return db.transaction().execute(async (trx) => {
      let q = trx
        .selectFrom('notification_outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('due_at', '<=', nowIso)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
        .orderBy('due_at')
        .orderBy('id')
        .limit(batch);
      if (pg) q = q.forUpdate().skipLocked();
      const ids = (await q.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      return trx
        .updateTable('notification_outbox')
        .set({ lease_owner: nodeId, lease_until: new Date(now.getTime() + leaseMs).toISOString() })
        .where('id', 'in', ids)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
        .returningAll()
        .execute();
    });
  }

  async function message(trx: Transaction<DB>, row: Row, now: Date): Promise<OutboxMessage> {
    let locale: Locale = 'zh-CN';
    if (row.recipient_user_id) {
      const u = await trx.selectFrom('users').select('locale').where('id', '=', row.recipient_user_id).executeTakeFirst();
      if (u) locale = u.locale;
    }
    let address: string | null = null;
    if (row.channel === 'sms' && row.recipient_resident_id) {
      // The resident's first phone (it may be a relative's), decrypted only now, for this send.
      const phone = await trx.selectFrom('resident_phones').select('number_enc').where('resident_id', '=', row.recipient_resident_id).orderBy('position').limit(1).executeTakeFirst();
      if (phone) address = decryptField(keys, phone.number_enc);
    }
    let text;
    try {
      text = render(row.template, JSON.parse(row.payload) as Payload, locale);
    } catch (e) {
      throw new PermanentDeliveryError(e instanceof Error ? e.message : String(e));
    }
    return { outboxId: row.id, channel: row.channel, stationId: row.station_id, userId: row.recipient_user_id, residentId: row.recipient_resident_id, locale, ...text, address, template: row.template, at: now };
  }

  /** true when sent by this call. */
  async function deliver(claimed: Row): Promise<boolean> {
    const now = clock.now();
    try {
      return await db.transaction().execute(async (trx) => {
        // Re-check under a row lock: a cancellation that committed after the claim wins; one that
        // comes later waits for this transaction and then finds the row already sent.
        let q = trx.selectFrom('notification_outbox').selectAll().where('id', '=', claimed.id);
        if (pg) q = q.forUpdate();
        const row = await q.executeTakeFirst();
        if (!row || row.status !== 'pending' || row.lease_owner !== nodeId) return false;
        const adapter = adapters.get(row.channel);
        if (!adapter) throw new PermanentDeliveryError(`no adapter for channel ${row.channel}`);
        await adapter.send(await message(trx, row, now), trx);
        await trx
          .updateTable('notification_outbox')
          .set({ status: 'sent', sent_at: now.toISOString(), attempts: row.attempts + 1, lease_until: null, last_error: null })
          .where('id', '=', row.id)
          .execute();
        return true;
      });
    } catch (e) {
      await recordFailure(claimed.id, e, now);
      return false;
    }
  }

  async function recordFailure(id: string, err: unknown, now: Date): Promise<void> {
    const text = (err instanceof Error ? err.message : String(err)).slice(0, 500) || 'error';
    await db.transaction().execute(async (trx) => {
      let q = trx.selectFrom('notification_outbox').select(['attempts', 'status', 'lease_owner']).where('id', '=', id);
      if (pg) q = q.forUpdate();
      const row = await q.executeTakeFirst();
      if (!row || row.status !== 'pending' || row.lease_owner !== nodeId) return;
      const attempts = row.attempts + 1;
      const give = err instanceof PermanentDeliveryError || attempts >= MAX_ATTEMPTS;
      await trx
        .updateTable('notification_outbox')
        .set({
          attempts,
          status: give ? 'failed' : 'pending',
          last_error: text,
          lease_owner: null,
          lease_until: null,
          ...(give ? {} : { due_at: new Date(now.getTime() + backoffMs(attempts)).toISOString() }),
        })
        .where('id', '=', id)
        .execute();
    });
  }

  async function runBatch(): Promise<number> {
    const rows = await claim(clock.now());
    if (rows.length > 0 && opts.onClaimed) await opts.onClaimed(rows.map((r) => r.id));
    let sent = 0;
    for (const row of rows) if (await deliver(row)) sent += 1;
    return sent;
  }

  // One batch at a time per worker: runOnce calls queue behind the loop's.
  let chain: Promise<unknown> = Promise.resolve();
  const runOnce = (): Promise<number> => {
    const next = chain.then(runBatch);
    chain = next.catch(() => undefined);
    return next;
  };

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      runOnce()
        .then((n) => schedule(n >= batch ? 0 : intervalMs))
        .catch((e: unknown) => {
          onError(e);
          schedule(intervalMs);
        });
    }, ms);
    timer.unref();
  };
  if (opts.autoStart !== false) schedule(0);

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await chain;
    },
  };
}
