import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Clock } from '../../lib/clock.js';
import { enqueueNotification } from '../notifications/outbox.js';
import { say } from '../notifications/templates.js';
import { wallClock } from '../scheduling/zoned.js';
import { stationHeads } from '../feedback/feedback.js';
import { isStationStaff, overdueSql, stationWorkerIds } from './consultations.js';

export const OVERDUE_ALERT = 'consultation_overdue';
const LOOKBACK_MS = 7 * 86_400_000;

/**
 * Tell the staff about each question that has passed its first-response deadline without a reply:
 * the assignee (or, when nobody has it or the assignee has left, every worker of the station) and the
 * station heads. Once per question, however many nodes sweep: the alert_log row — keyed by the
 * question and the day its deadline fell on — is inserted first, in the same transaction as the
 * notifications. Deadlines older than a week are left to the inbox, where they are red. Returns the
 * questions alerted about.
 */
export async function sweepOverdueConsultations(db: Kysely<DB>, now: Date, stationIds?: readonly string[]): Promise<string[]> {
  if (stationIds && stationIds.length === 0) return [];
  let q = db
    .selectFrom('consultations as c')
    .select(['c.id', 'c.station_id', 'c.subject', 'c.assignee_id', 'c.first_response_due_at'])
    .where(overdueSql(now))
    // Recent deadlines only: a station coming back after a long outage (or a fresh demo with months of
    // history) should not get a bell full of old alerts; old ones stay red in the inbox.
    .where('c.first_response_due_at', '>=', new Date(now.getTime() - LOOKBACK_MS).toISOString());
  if (stationIds) q = q.where('c.station_id', 'in', stationIds);
  // Oldest first; a backlog larger than this is taken by the next runs.
  const due = await q.orderBy('c.first_response_due_at').orderBy('c.id').limit(500).execute();
  const alerted: string[] = [];
  for (const c of due) {
    const day = wallClock(new Date(c.first_response_due_at)).date;
    const sent = await db.transaction().execute(async (trx) => {
      // Answered or closed since the list was read: no alert.
      if (!(await trx.selectFrom('consultations as c').select('c.id').where('c.id', '=', c.id).where(overdueSql(now)).executeTakeFirst())) return false;
      const ins = await trx
        .insertInto('alert_log')
        .values({ kind: OVERDUE_ALERT, subject_id: c.id, day, station_id: c.station_id, created_at: now.toISOString() })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(ins.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      const handlers = c.assignee_id && (await isStationStaff(trx, c.station_id, c.assignee_id)) ? [c.assignee_id] : await stationWorkerIds(trx, c.station_id);
      const to = new Set([...handlers, ...(await stationHeads(trx, c.station_id))]);
      const payload = {
        ...say({ title: '咨询超时未答复', body: `居民咨询「${c.subject}」已超过首次答复时限，请尽快回复。` }, { title: 'Question overdue', body: `"${c.subject}" has passed its first-response deadline without an answer; please reply.` }),
        link: `/consultations/${c.id}`,
      };
      for (const user of to) {
        await enqueueNotification(trx, { stationId: c.station_id, recipientUserId: user, template: 'generic', payload, dueAt: now }, now);
      }
      return true;
    });
    if (sent) alerted.push(c.id);
  }
  return alerted;
}

/** Run the sweep every `intervalMs` (default 5 minutes) beside the outbox worker, which delivers what it enqueues. */
export function startConsultationSweep(deps: { db: Kysely<DB>; clock: Clock }, opts: { intervalMs?: number; onError?: (e: unknown) => void } = {}): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepOverdueConsultations(deps.db, deps.clock.now())
      .catch((e: unknown) => opts.onError?.(e))
      .finally(() => {
        running = false;
      });
  }, opts.intervalMs ?? 300_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
