import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Deps } from '../../lib/deps.js';
import { enqueueNotification } from '../notifications/outbox.js';
import { dayToIso, planAlerts, shanghaiDay } from './cadence.js';
import { overdueHighTier } from './due.js';

export const ALERT_KIND = 'visit_overdue_high';

export interface SweepResult {
  residents: { id: string; name: string }[];
  notifications: number;
  /** The stations of the residents alerted about. */
  stationIds: string[];
}

/** Station heads of each station (they hear of every overdue high-tier resident). */
async function headsOf(db: Kysely<DB>, stationIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (stationIds.length === 0) return out;
  const rows = await db
    .selectFrom('role_assignments as ra')
    .innerJoin('users as u', 'u.id', 'ra.user_id')
    .select(['ra.station_id', 'ra.user_id'])
    .where('ra.role', '=', 'station_head')
    .where('ra.station_id', 'in', stationIds)
    .where('u.disabled', '=', 0)
    .execute();
  for (const r of rows) out.set(r.station_id!, [...(out.get(r.station_id!) ?? []), r.user_id]);
  return out;
}

/**
 * Alert the covering workers and the station heads about each overdue high-tier resident, at most
 * once per resident per Asia/Shanghai day, however many nodes or station heads run the sweep: the
 * alert_log row is inserted first, in the same transaction as the notifications, and its primary key
 * (kind, resident, day) lets only one insert through.
 */
export async function sweepOverdueHighTier(db: Kysely<DB>, pg: boolean, stationIds: string[] | 'all', now: Date): Promise<SweepResult> {
  const ids = stationIds === 'all' ? (await db.selectFrom('stations').select('id').execute()).map((s) => s.id) : stationIds;
  const rows = await overdueHighTier(db, pg, ids, now);
  const alerts = planAlerts(rows, await headsOf(db, ids));
  const names = new Map(rows.map((r) => [r.residentId, r.residentName]));
  const day = dayToIso(shanghaiDay(now));
  const result: SweepResult = { residents: [], notifications: 0, stationIds: [] };
  for (const a of alerts) {
    const sent = await db.transaction().execute(async (trx) => {
      const ins = await trx
        .insertInto('alert_log')
        .values({ kind: ALERT_KIND, subject_id: a.residentId, day, station_id: a.stationId, created_at: now.toISOString() })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(ins.numInsertedOrUpdatedRows ?? 0) === 0) return 0;
      let n = 0;
      for (const userId of a.recipients) {
        n += (await enqueueNotification(trx, { stationId: a.stationId, recipientUserId: userId, template: 'generic', payload: { title: a.title, body: a.body, en: a.en, link: a.link }, dueAt: now }, now)).length;
      }
      return n;
    });
    if (sent > 0) {
      result.residents.push({ id: a.residentId, name: names.get(a.residentId) ?? '' });
      result.notifications += sent;
      if (!result.stationIds.includes(a.stationId)) result.stationIds.push(a.stationId);
    }
  }
  return result;
}

/**
 * Runs the sweep every `intervalMs` (default 15 min) next to the outbox worker, which delivers what it
 * enqueues. Safe on several servers (alert_log). The timer does not keep the process alive.
 */
export function startVisitSweep(deps: Pick<Deps, 'db' | 'dialect' | 'clock'>, onError: (e: unknown) => void, intervalMs = 15 * 60_000): { stop(): void } {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    sweepOverdueHighTier(deps.db, deps.dialect === 'postgres', 'all', deps.clock.now())
      .catch(onError)
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  const first = setTimeout(tick, 10_000);
  first.unref();
  return {
    stop() {
      clearInterval(timer);
      clearTimeout(first);
    },
  };
}
