import type { Transaction } from 'kysely';
import type { AttachmentTable, DB } from '../../db/tables.js';
import type { KeyRing } from '../../lib/crypto.js';
import { badRequest } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { encryptBytes, sha256Hex } from '../consents/files.js';

export type PhotoMime = AttachmentTable['mime_type'];
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
/** At most this many photos on one message or visit. */
export const MAX_PHOTOS = 6;
export const PHOTO_EXTENSIONS: Record<PhotoMime, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** A photo's type from its first bytes; the declared type and the name are not trusted. */
export function sniffPhoto(bytes: Uint8Array): PhotoMime | null {
  const at = (sig: number[], offset = 0) => sig.every((b, i) => bytes[offset + i] === b);
  if (at([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (at([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (at([0x52, 0x49, 0x46, 0x46]) && at([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp'; // RIFF....WEBP
  return null;
}

/** Uploads not yet attached to anything that one user may hold at once. */
export const MAX_PENDING_PER_USER = 20;
/** Unclaimed uploads older than this are deleted (on the next upload by anyone). */
export const PENDING_TTL_MS = 24 * 3_600_000;
/** Uploads per user per minute (route rate limit). */
export const UPLOADS_PER_MINUTE = 30;

/**
 * Deletes every unclaimed upload older than a day, then refuses the upload if the user still holds
 * the maximum of unclaimed ones. Runs in the upload's transaction (no background job); returns how
 * many stale uploads it removed.
 */
export async function makeRoomForUpload(trx: Transaction<DB>, userId: string, now: Date): Promise<number> {
  const stale = await trx
    .deleteFrom('attachments')
    .where('owner_kind', 'is', null)
    .where('owner_id', 'is', null)
    .where('created_at', '<', new Date(now.getTime() - PENDING_TTL_MS).toISOString())
    .executeTakeFirst();
  const pending = await trx
    .selectFrom('attachments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_kind', 'is', null)
    .where('owner_id', 'is', null)
    .where('uploaded_by', '=', userId)
    .executeTakeFirstOrThrow();
  if (Number(pending.n) >= MAX_PENDING_PER_USER) throw badRequest('validation_failed', { file: 'too_many_pending' });
  return Number(stale.numDeletedRows);
}

export const attachmentContext = (id: string) => `attachment:${id}`;

/** Stores an uploaded photo, encrypted, not yet attached to anything (its owner claims it on save). */
export async function storeAttachment(
  trx: Transaction<DB>,
  ring: KeyRing,
  input: { stationId: string; residentId: string; bytes: Buffer; mime: PhotoMime; uploadedBy: string },
  now: Date,
): Promise<{ id: string; createdAt: string }> {
  const id = newId(now.getTime());
  const createdAt = now.toISOString();
  await trx
    .insertInto('attachments')
    .values({
      id,
      station_id: input.stationId,
      resident_id: input.residentId,
      owner_kind: null,
      owner_id: null,
      mime_type: input.mime,
      size_bytes: input.bytes.length,
      sha256: sha256Hex(input.bytes),
      content_enc: encryptBytes(ring, input.bytes, attachmentContext(id)),
      uploaded_by: input.uploadedBy,
      created_at: createdAt,
    })
    .execute();
  return { id, createdAt };
}

/**
 * Attaches uploaded photos to a consultation message or a visit, in the caller's transaction. Each id
 * must be an unclaimed upload by the same user for the same resident; otherwise the field
 * `photoIds` is named in a 400 (another user's upload is reported exactly like a missing one).
 */
export async function claimAttachments(
  trx: Transaction<DB>,
  ids: readonly string[],
  owner: { kind: 'consultation_message' | 'visit'; id: string; residentId: string; uploadedBy: string },
): Promise<void> {
  if (ids.length === 0) return;
  if (ids.length > MAX_PHOTOS) throw badRequest('validation_failed', { photoIds: 'too_many_photos' });
  const unique = [...new Set(ids)];
  const updated = await trx
    .updateTable('attachments')
    .set({ owner_kind: owner.kind, owner_id: owner.id })
    .where('id', 'in', unique)
    .where('owner_id', 'is', null)
    .where('uploaded_by', '=', owner.uploadedBy)
    .where('resident_id', '=', owner.residentId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== unique.length) throw badRequest('validation_failed', { photoIds: 'unknown_photo' });
}

/** Photo ids of each owner, oldest first (for views). */
export async function photoIdsOf(trx: Pick<Transaction<DB>, 'selectFrom'>, kind: 'consultation_message' | 'visit', ownerIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ownerIds.length === 0) return out;
  const rows = await trx.selectFrom('attachments').select(['id', 'owner_id']).where('owner_kind', '=', kind).where('owner_id', 'in', [...ownerIds]).orderBy('id').execute();
  for (const r of rows) {
    const list = out.get(r.owner_id!) ?? [];
    list.push(r.id);
    out.set(r.owner_id!, list);
  }
  return out;
}
