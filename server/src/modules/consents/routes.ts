import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import { writeAudit } from '../../lib/audit.js';
import type { App } from '../../lib/deps.js';
import { badRequest, notFound } from '../../lib/errors.js';
import { allowRecord } from '../../lib/policy.js';
import { errors, Id, Page } from '../../lib/schema.js';
import { loadResidentInScope } from '../residents/access.js';
import { recordEvent } from '../residents/timeline.js';
import {
  consentStatus, consentViews, documentContext, giveConsent, listConsents, stationStaff, storeDocument, withdrawConsent,
} from './consents.js';
import { decryptBytes, MAX_SCAN_BYTES, SCAN_EXTENSIONS, sha256Hex, sniffScan } from './files.js';
import {
  ConsentDocumentSchema, ConsentListQuery, ConsentSchema, ConsentStatusSchema, CreateConsentBody, ResidentParams, WithdrawBody, WitnessList,
} from './schema.js';

const tags = ['consents'];
const policy = allowRecord('residents');
const IdOnly = Type.Object({ id: Id }, { additionalProperties: false });

/** Routes under /api (registered with that prefix): consents, their scanned forms and witnesses. */
export async function consentRoutes(app: App): Promise<void> {
  const deps = app.xq;
  const { db, clock, keys } = deps;
  const actorId = (req: FastifyRequest) => req.auth!.user.id;

  app.get(
    '/residents/:id/consents',
    { config: { policy }, schema: { tags, summary: "A resident's consents, withdrawn ones too, newest first", params: ResidentParams, querystring: ConsentListQuery, response: { 200: Page(ConsentSchema), ...errors } } },
    async (req) => {
      const r = await loadResidentInScope(deps, req, req.params.id);
      return listConsents(db, r.id, req.query.limit ?? 20, req.query.cursor, clock.now());
    },
  );

  app.get(
    '/residents/:id/consent-status',
    { config: { policy }, schema: { tags, summary: 'Each purpose: given, expired, withdrawn or missing, and whether processing is allowed today', params: ResidentParams, response: { 200: ConsentStatusSchema, ...errors } } },
    async (req) => {
      const r = await loadResidentInScope(deps, req, req.params.id);
      return consentStatus(db, r.id, clock.now());
    },
  );

  app.post(
    '/residents/:id/consents',
    { config: { policy, idempotent: true }, schema: { tags, summary: 'Record a consent (replaces a standing one for the same purpose; honours Idempotency-Key)', params: ResidentParams, body: CreateConsentBody, response: { 201: Type.Object({ consent: ConsentSchema }), ...errors } } },
    async (req, reply) => {
      const r = await loadResidentInScope(deps, req, req.params.id);
      const now = clock.now();
      const id = await db.transaction().execute(async (trx) => {
        const { id, replaced } = await giveConsent(trx, r, req.body, actorId(req), now);
        const base = { residentId: r.id, stationId: r.station_id, actorId: actorId(req) };
        if (replaced) {
          await recordEvent(trx, { ...base, kind: 'consent_withdrawn', detail: { purpose: replaced.purpose, method: replaced.method, consentId: replaced.id, renewed: true } }, now);
          await writeAudit(trx, req.actor(), { action: 'consent.withdraw', result: 'ok', entityType: 'consent', entityId: replaced.id, stationId: r.station_id, detail: { residentId: r.id, purpose: replaced.purpose, reason: 'renewed' } }, now);
        }
        await recordEvent(trx, { ...base, kind: 'consent_given', detail: { purpose: req.body.purpose, method: req.body.method, consentId: id } }, now);
        await writeAudit(
          trx,
          req.actor(),
          { action: 'consent.give', result: 'ok', entityType: 'consent', entityId: id, stationId: r.station_id, detail: { residentId: r.id, purpose: req.body.purpose, method: req.body.method, givenBy: req.body.givenBy } },
          now,
        );
        return id;
      });
      const row = await db.selectFrom('consents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const [consent] = await consentViews(db, [row], now);
      return reply.status(201).send({ consent: consent! });
    },
  );

  app.post(
    '/consents/:id/withdraw',
    { config: { policy }, schema: { tags, summary: 'Withdraw a consent; it stops covering its purpose at once', params: IdOnly, body: WithdrawBody, response: { 200: Type.Object({ consent: ConsentSchema }), ...errors } } },
    async (req) => {
      const c = await db.selectFrom('consents').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      if (!c) throw notFound('consent');
      const r = await loadResidentInScope(deps, req, c.resident_id);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await withdrawConsent(trx, c, req.body.reason, actorId(req), now);
        await recordEvent(trx, { residentId: r.id, stationId: r.station_id, actorId: actorId(req), kind: 'consent_withdrawn', detail: { purpose: c.purpose, method: c.method, consentId: c.id } }, now);
        await writeAudit(trx, req.actor(), { action: 'consent.withdraw', result: 'ok', entityType: 'consent', entityId: c.id, stationId: r.station_id, reason: req.body.reason.trim(), detail: { residentId: r.id, purpose: c.purpose } }, now);
      });
      const row = await db.selectFrom('consents').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
      const [consent] = await consentViews(db, [row], now);
      return { consent: consent! };
    },
  );

  app.get(
    '/residents/:id/consent-witnesses',
    { config: { policy }, schema: { tags, summary: "Staff of the resident's station who may witness a consent", params: ResidentParams, response: { 200: WitnessList, ...errors } } },
    async (req) => {
      const r = await loadResidentInScope(deps, req, req.params.id);
      return { items: await stationStaff(db, r.station_id) };
    },
  );

  app.post(
    '/residents/:id/consent-documents',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'Upload the scan of a signed consent form (multipart field `file`: JPEG, PNG or PDF, at most 10 MB); stored encrypted',
        params: ResidentParams,
        consumes: ['multipart/form-data'],
        response: { 201: Type.Object({ document: ConsentDocumentSchema }), ...errors },
      },
    },
    async (req, reply) => {
      const r = await loadResidentInScope(deps, req, req.params.id);
      if (!req.isMultipart()) throw badRequest('validation_failed', { file: 'required' });
      const part = await req.file({ limits: { fileSize: MAX_SCAN_BYTES, files: 1 } });
      if (!part || part.fieldname !== 'file') throw badRequest('validation_failed', { file: 'required' });
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw badRequest('validation_failed', { file: 'scan_too_large' });
        throw err;
      }
      if (bytes.length === 0) throw badRequest('validation_failed', { file: 'required' });
      // Trust the bytes, not the name or the declared type.
      const mime = sniffScan(bytes);
      if (!mime) throw badRequest('validation_failed', { file: 'scan_type' });
      const now = clock.now();
      const doc = await db.transaction().execute(async (trx) => {
        const d = await storeDocument(trx, keys, { resident: r, bytes, mime, actorId: actorId(req) }, now);
        await writeAudit(trx, req.actor(), { action: 'consent_document.upload', result: 'ok', entityType: 'consent_document', entityId: d.id, stationId: r.station_id, detail: { residentId: r.id, mimeType: mime, sizeBytes: bytes.length } }, now);
        return d;
      });
      return reply.status(201).send({ document: { id: doc.id, mimeType: mime, sizeBytes: bytes.length, createdAt: doc.createdAt } });
    },
  );

  app.get(
    '/consent-documents/:id',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'The scanned consent form, decrypted (each read is audited)',
        params: IdOnly,
        produces: ['image/jpeg', 'image/png', 'application/pdf'],
        response: { 200: Type.Unknown({ description: 'The file bytes' }), ...errors },
      },
    },
    async (req, reply) => {
      const d = await db.selectFrom('consent_documents').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      if (!d) throw notFound('consent_document');
      const r = await loadResidentInScope(deps, req, d.resident_id);
      // An anonymised resident's scans are erased (content_enc null): nothing left to show.
      if (!d.content_enc) throw notFound('consent_document');
      const bytes = decryptBytes(keys, d.content_enc, documentContext(d.id));
      if (sha256Hex(bytes) !== d.sha256) throw new Error(`consent document ${d.id} does not match its checksum`);
      const now = clock.now();
      await db.transaction().execute((trx) =>
        writeAudit(trx, req.actor(), { action: 'consent_document.read', result: 'ok', entityType: 'consent_document', entityId: d.id, stationId: r.station_id, field: 'consent_document', detail: { residentId: r.id } }, now),
      );
      return reply
        .header('content-type', d.mime_type)
        .header('content-disposition', `inline; filename="consent-${d.id}.${SCAN_EXTENSIONS[d.mime_type]}"`)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(bytes);
    },
  );
}
