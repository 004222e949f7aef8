import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Transaction } from 'kysely';
import type { DB, NotificationChannel } from '../../db/tables.js';
import { maskPhone } from '../../lib/crypto.js';
import { newId } from '../../lib/ids.js';
import type { Locale } from '../../lib/i18n.js';

/** One message ready to go: rendered in the recipient's language, address decrypted if it has one. */
export interface OutboxMessage {
  outboxId: string;
  channel: NotificationChannel;
  stationId: string | null;
  userId: string | null;
  residentId: string | null;
  locale: Locale;
  title: string;
  body: string;
  link: string | null;
  /** The phone number (sms), clear text held only in memory for the send. */
  address: string | null;
  template: string;
  at: Date;
}

/**
 * Delivers one channel. `send` runs inside the transaction that re-checks the outbox row and marks
 * it sent, so a message cancelled after it was claimed is never delivered. Throwing means "try
 * again later" (attempts + 1, backoff), unless the error is a PermanentDeliveryError.
 */
export interface NotificationAdapter {
  channel: NotificationChannel;
  send(msg: OutboxMessage, trx: Transaction<DB>): Promise<void>;
}

/** A failure that retrying cannot fix (no phone on record): the row fails at once. */
export class PermanentDeliveryError extends Error {}

/** The bell: one row in `notifications`. The unique outbox_id makes a repeated delivery a no-op. */
export class InAppAdapter implements NotificationAdapter {
  readonly channel = 'in_app' as const;
  async send(msg: OutboxMessage, trx: Transaction<DB>): Promise<void> {
    if (!msg.userId) throw new PermanentDeliveryError('in_app message without a user');
    await trx
      .insertInto('notifications')
      .values({ id: newId(msg.at.getTime()), user_id: msg.userId, station_id: msg.stationId, outbox_id: msg.outboxId, title: msg.title, body: msg.body, link: msg.link, created_at: msg.at.toISOString(), read_at: null })
      .onConflict((oc) => oc.column('outbox_id').doNothing())
      .execute();
  }
}

/**
 * NOT CONNECTED to any SMS or WeChat platform (未接入短信/微信平台). Each message is appended as one
 * JSON line to `<dataDir>/outbox-sms.log` or `outbox-wechat.log`, with the number masked: the log
 * shows what would have been sent without becoming a second copy of residents' phone numbers.
 * A real gateway implements NotificationAdapter for the same channel and replaces this one.
 */
export class LogFileAdapter implements NotificationAdapter {
  readonly file: string;
  constructor(
    readonly channel: 'sms' | 'wechat',
    dataDir: string,
  ) {
    this.file = path.join(dataDir, `outbox-${channel}.log`);
  }
  async send(msg: OutboxMessage): Promise<void> {
    if (this.channel === 'sms' && !msg.address) throw new PermanentDeliveryError('no phone number on record');
    const line = {
      at: msg.at.toISOString(),
      connected: false,
      note: 'NOT CONNECTED: logged only, nothing was sent',
      channel: this.channel,
      outboxId: msg.outboxId,
      to: { userId: msg.userId, residentId: msg.residentId, phone: msg.address ? maskPhone(msg.address) : null },
      locale: msg.locale,
      title: msg.title,
      body: msg.body,
    };
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await appendFile(this.file, `${JSON.stringify(line)}\n`, { mode: 0o600 });
  }
}

export class LogSmsAdapter extends LogFileAdapter {
  constructor(dataDir: string) {
    super('sms', dataDir);
  }
}

export class LogWechatAdapter extends LogFileAdapter {
  constructor(dataDir: string) {
    super('wechat', dataDir);
  }
}

export function defaultAdapters(dataDir: string): NotificationAdapter[] {
  return [new InAppAdapter(), new LogSmsAdapter(dataDir), new LogWechatAdapter(dataDir)];
}
