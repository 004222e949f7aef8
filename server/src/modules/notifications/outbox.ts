import type { Kysely, Transaction } from 'kysely';
import type { DB, NotificationChannel } from '../../db/tables.js';
import { newId } from '../../lib/ids.js';
import { isTemplate, type Payload, type TemplateId } from './templates.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Channels beyond in-app a user may choose. SMS and WeChat are NOT connected to any platform yet. */
export const EXTRA_CHANNELS = ['sms', 'wechat'] as const;
export type ExtraChannel = (typeof EXTRA_CHANNELS)[number];

export interface EnqueueInput {
  stationId: string | null;
  /** An account to notify: always in-app, plus the channels it chose. */
  recipientUserId?: string | null;
  /**
   * The resident the message is about / addressed to. Without an account: SMS to the resident's
   * first phone on record (which may be a relative's number). With an account that chose SMS: the
   * same phone. The number is looked up and decrypted only at send time; the outbox holds none.
   */
  recipientResidentId?: string | null;
  template: TemplateId;
  payload: Payload;
  /** When to send; several times (24 h and 2 h before) make one message each, in one insert. */
  dueAt: Date | readonly Date[];
  appointmentId?: string | null;
}

/** The extra channels a user chose (none by default). */
export async function preferredChannels(db: Db, userId: string): Promise<ExtraChannel[]> {
  const row = await db.selectFrom('notification_preferences').select('channels').where('user_id', '=', userId).executeTakeFirst();
  if (!row) return [];
  try {
    const list = JSON.parse(row.channels) as unknown;
    return Array.isArray(list) ? EXTRA_CHANNELS.filter((c) => list.includes(c)) : [];
  } catch {
    return [];
  }
}

async function residentHasPhone(db: Db, residentId: string): Promise<boolean> {
  const row = await db.selectFrom('resident_phones').select('resident_id').where('resident_id', '=', residentId).limit(1).executeTakeFirst();
  return !!row;
}

/**
 * Write the outbox rows for one message, in the caller's transaction (so a booking and its
 * reminders commit or roll back together). Returns the new outbox ids.
 *
 * - a user recipient: one `in_app` row always; `sms` if they chose it and a resident with a phone is
 *   named; `wechat` if they chose it (logged only: no WeChat platform is connected).
 * - a resident without a user recipient: one `sms` row if the resident has a phone.
 */
export async function enqueueNotification(trx: Db, input: EnqueueInput, now: Date): Promise<string[]> {
  if (!isTemplate(input.template)) throw new Error(`unknown notification template ${String(input.template)}`);
  if (!input.recipientUserId && !input.recipientResidentId) throw new Error('enqueueNotification needs a recipient');
  const channels: { channel: NotificationChannel; user: string | null; resident: string | null }[] = [];
  const residentId = input.recipientResidentId ?? null;
  if (input.recipientUserId) {
    const user = input.recipientUserId;
    channels.push({ channel: 'in_app', user, resident: residentId });
    for (const c of await preferredChannels(trx, user)) {
      if (c === 'sms' && !(residentId && (await residentHasPhone(trx, residentId)))) continue;
      channels.push({ channel: c, user, resident: residentId });
    }
  } else if (residentId && (await residentHasPhone(trx, residentId))) {
    channels.push({ channel: 'sms', user: null, resident: residentId });
  }
  if (channels.length === 0) return [];
  const created = now.toISOString();
  const dues = Array.isArray(input.dueAt) ? (input.dueAt as readonly Date[]) : [input.dueAt as Date];
  if (dues.length === 0) return [];
  const rows = dues.flatMap((due) => channels.map((c) => ({
    id: newId(now.getTime()),
    station_id: input.stationId,
    channel: c.channel,
    recipient_user_id: c.user,
    recipient_resident_id: c.resident,
    address_enc: null,
    template: input.template,
    payload: JSON.stringify(input.payload),
    due_at: due.toISOString(),
    status: 'pending' as const,
    attempts: 0,
    lease_owner: null,
    lease_until: null,
    sent_at: null,
    last_error: null,
    appointment_id: input.appointmentId ?? null,
    created_at: created,
  })));
  await trx.insertInto('notification_outbox').values(rows).execute();
  return rows.map((r) => r.id);
}

/**
 * Cancel every pending message about an appointment, in the transaction that cancels or moves it.
 * A worker that already claimed one re-checks the status right before sending, so it is not sent.
 * Returns how many were cancelled.
 */
export async function cancelNotificationsForAppointment(trx: Db, appointmentId: string, _now: Date): Promise<number> {
  const res = await trx
    .updateTable('notification_outbox')
    .set({ status: 'cancelled', lease_owner: null, lease_until: null })
    .where('appointment_id', '=', appointmentId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
