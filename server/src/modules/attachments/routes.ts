import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { writeAudit } from '../../lib/audit.js';
import type { App } from '../../lib/deps.js';
import { badRequest, notFound, unprocessable } from '../../lib/errors.js';
import { allow, allowRecord } from '../../lib/policy.js';
import { errors, Id, Instant } from '../../lib/schema.js';
import { isStaffOf, linkedResidentIds, residentForBooking } from '../appointments/access.js';
import { decryptBytes, sha256Hex } from '../consents/files.js';
import { attachmentContext, makeRoomForUpload, MAX_PHOTO_BYTES, PHOTO_EXTENSIONS, sniffPhoto, storeAttachment, UPLOADS_PER_MINUTE } from './attachments.js';

const tags = ['attachments'];
const PhotoSchema = Type.Object({ id: Id, mimeType: Type.String(), sizeBytes: Type.Integer(), createdAt: Instant });
const IdOnly = Type.Object({ id: Id });

/**
 * Photos for consultations and visits. Photos of people and homes are personal data: stored
 * encrypted, readable by the resident's station staff, by the uploader until attached, and by the
 * resident's own account for consultation photos.
 * The consultations module's roles (staff and residents) cover both uses.
 */
export async function attachmentRoutes(app: App): Promise<void> {
  const deps = app.xq;
  const { db, clock, keys } = deps;

  app.post(
    '/residents/:id/photos',
    {
      config: {
        policy: allow('consultations'),
        // Per user (the guard has identified them by now), on top of the pending-uploads cap.
        rateLimit: { max: UPLOADS_PER_MINUTE, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => `photo-upload:${req.auth?.user.id ?? req.ip}` },
      },
      schema: {
        tags,
        summary: 'Upload a photo about a resident (multipart field `file`: JPEG, PNG or WebP, at most 8 MB); attach it by id to a consultation message or a visit',
        params: IdOnly,
        consumes: ['multipart/form-data'],
        response: { 201: Type.Object({ photo: PhotoSchema }), ...errors },
      },
    },
    async (req, reply) => {
      const { resident } = await residentForBooking(deps, req, req.params.id);
      // No new photos of a person whose data was erased on request.
      if (resident.anonymised_at !== null) throw unprocessable('resident_anonymised');
      if (!req.isMultipart()) throw badRequest('validation_failed', { file: 'required' });
      const part = await req.file({ limits: { fileSize: MAX_PHOTO_BYTES, files: 1 } });
      if (!part || part.fieldname !== 'file') throw badRequest('validation_failed', { file: 'required' });
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw badRequest('validation_failed', { file: 'photo_too_large' });
        throw err;
      }
      if (bytes.length === 0) throw badRequest('validation_failed', { file: 'required' });
      const mime = sniffPhoto(bytes);
      if (!mime) throw badRequest('validation_failed', { file: 'photo_type' });
      const now = clock.now();
      const stored = await db.transaction().execute(async (trx) => {
        const purged = await makeRoomForUpload(trx, req.auth!.user.id, now);
        const s = await storeAttachment(trx, keys, { stationId: resident.station_id, residentId: resident.id, bytes, mime, uploadedBy: req.auth!.user.id }, now);
        await writeAudit(
          trx,
          req.actor(),
          { action: 'attachment.upload', result: 'ok', entityType: 'attachment', entityId: s.id, stationId: resident.station_id, detail: { residentId: resident.id, mimeType: mime, sizeBytes: bytes.length, purgedStale: purged } },
          now,
        );
        return s;
      });
      return reply.status(201).send({ photo: { id: stored.id, mimeType: mime, sizeBytes: bytes.length, createdAt: stored.createdAt } });
    },
  );

  app.get(
    '/photos/:id',
    {
      config: { policy: allowRecord('consultations') },
      schema: { tags, summary: 'A photo, decrypted', params: IdOnly, produces: ['image/jpeg', 'image/png', 'image/webp'], response: { 200: Type.Unknown({ description: 'The image bytes' }), ...errors } },
    },
    async (req, reply) => {
      const p = req.auth!.principal;
      const a = await db.selectFrom('attachments').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      if (!a || !a.content_enc) throw notFound('photo');
      // The uploader only until the photo is attached (then the owner's rules decide: someone who has
      // left the station or been unlinked from the resident no longer reads it); a resident account
      // only photos of its linked residents' consultation messages, never visit photos.
      const mayRead =
        isStaffOf(p, a.station_id) ||
        (a.owner_id === null && a.uploaded_by === p.userId) ||
        (a.owner_kind === 'consultation_message' && a.resident_id !== null && (await linkedResidentIds(db, p)).includes(a.resident_id));
      if (!mayRead) {
        await db.transaction().execute((trx) => writeAudit(trx, req.actor(), { action: 'attachment.read', result: 'denied', entityType: 'attachment', entityId: a.id, stationId: a.station_id }, clock.now()));
        throw notFound('photo');
      }
      const bytes = decryptBytes(keys, a.content_enc, attachmentContext(a.id));
      if (sha256Hex(bytes) !== a.sha256) throw new Error(`attachment ${a.id} does not match its checksum`);
      return reply
        .header('content-type', a.mime_type)
        .header('content-disposition', `inline; filename="photo-${a.id}.${PHOTO_EXTENSIONS[a.mime_type]}"`)
        .header('cache-control', 'private, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(bytes);
    },
  );
}
