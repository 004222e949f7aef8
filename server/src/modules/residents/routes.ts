import { Type } from 'typebox';
import { writeAudit } from '../../lib/audit.js';
import { decryptField } from '../../lib/crypto.js';
import type { App } from '../../lib/deps.js';
import { AppError, badRequest, forbidden, unprocessable } from '../../lib/errors.js';
import { allow, allowRecord } from '../../lib/policy.js';
import { Page, errors } from '../../lib/schema.js';
import { loadResidentInScope, mayReveal, residentScope } from './access.js';
import { residentDetail, listResidents } from './queries.js';
import {
  checkReferences, currentDraft, insertResident, possibleDuplicates, residentWithIdNumber, updateResident,
} from './residents.js';
import {
  CreateResidentBody, DuplicateMatch, IdParams, PatchResidentBody, ResidentListItem, ResidentListQuery, ResidentResponse,
  RevealBody, RevealResponse, TimelineEvent, TimelineQuery,
} from './schema.js';
import { listTimeline, recordEvent } from './timeline.js';
import { checkResident, type ResidentDraft } from './validate.js';

const tags = ['residents'];
const listPolicy = allow('residents');
const recordPolicy = allowRecord('residents');

const DuplicateError = Type.Object({
  error: Type.Object({ id: Type.String(), message: Type.String(), fields: Type.Optional(Type.Record(Type.String(), Type.String())), matches: Type.Optional(Type.Array(DuplicateMatch)) }),
});

export async function residentRoutes(app: App): Promise<void> {
  const deps = app.xq;
  const { db, clock, keys } = deps;

  app.get(
    '/',
    { config: { policy: listPolicy }, schema: { tags, summary: 'Find residents (name, pinyin initials, full ID number or phone) with filters', querystring: ResidentListQuery, response: { 200: Page(ResidentListItem), ...errors } } },
    async (req) => {
      const q = req.query;
      if (q.ageMin !== undefined && q.ageMax !== undefined && q.ageMin > q.ageMax) throw badRequest('validation_failed', { ageMax: 'invalid' });
      return listResidents(db, keys, residentScope(req.auth!.principal), q, clock.now());
    },
  );

  app.post(
    '/',
    { config: { policy: listPolicy, idempotent: true }, schema: { tags, summary: 'Register a resident (honours Idempotency-Key)', body: CreateResidentBody, response: { 201: ResidentResponse, ...errors, 409: DuplicateError } } },
    async (req, reply) => {
      const now = clock.now();
      const p = req.auth!.principal;
      const checked = checkResident(req.body, now, req.locale);
      if (!checked.ok) throw badRequest('validation_failed', checked.fields);
      const v = checked.value;
      const id = await db.transaction().execute(async (trx) => {
        const ref = await checkReferences(trx, residentScope(p), v, req.locale);
        if ('fields' in ref) throw badRequest('validation_failed', ref.fields);
        // Checked inside the write transaction so the answer cannot go stale before the insert; the
        // unique index is the final word when two stations register the same person at once.
        if (v.idNumber && (await residentWithIdNumber(trx, keys, v.idNumber))) throw new AppError(409, 'duplicate_resident', { idNumber: 'duplicate_resident' });
        if (!v.idNumber && !req.body.confirmDuplicate) {
          const matches = await possibleDuplicates(trx, v, ref.stationId);
          if (matches.length > 0) throw new AppError(409, 'possible_duplicate', undefined, { matches });
        }
        const rid = await insertResident(trx, keys, v, { stationId: ref.stationId, actorId: req.auth!.user.id, now, kind: 'created' });
        await writeAudit(trx, req.actor(), { action: 'resident.create', result: 'ok', entityType: 'resident', entityId: rid, stationId: ref.stationId }, now);
        return rid;
      });
      const row = await db.selectFrom('residents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return reply.status(201).send({ resident: await residentDetail(db, p, row, now) });
    },
  );

  app.get(
    '/:id',
    { config: { policy: recordPolicy }, schema: { tags, summary: 'One resident, sensitive fields masked (the read is audited)', params: IdParams, response: { 200: ResidentResponse, ...errors } } },
    async (req) => {
      const row = await loadResidentInScope(deps, req, req.params.id);
      const now = clock.now();
      // Who opened whose file is part of "who saw what" (PIPL, GB/T 35273); lists show masked data only.
      await db.transaction().execute((trx) =>
        writeAudit(trx, req.actor(), { action: 'resident.view', result: 'ok', entityType: 'resident', entityId: row.id, stationId: row.station_id }, now),
      );
      return { resident: await residentDetail(db, req.auth!.principal, row, now) };
    },
  );

  app.patch(
    '/:id',
    { config: { policy: recordPolicy }, schema: { tags, summary: 'Change a resident (send the version you read; 409 version_conflict if it moved on)', params: IdParams, body: PatchResidentBody, response: { 200: ResidentResponse, ...errors, 409: DuplicateError } } },
    async (req) => {
      const p = req.auth!.principal;
      const row = await loadResidentInScope(deps, req, req.params.id);
      if (row.anonymised_at) throw unprocessable('resident_anonymised');
      if (row.version !== req.body.version) throw new AppError(409, 'version_conflict');
      const now = clock.now();
      const before = await currentDraft(db, keys, row);
      const { version, confirmDuplicate, ...changes } = req.body;
      const merged: ResidentDraft = { ...before };
      for (const [k, val] of Object.entries(changes)) if (val !== undefined) (merged as unknown as Record<string, unknown>)[k] = val;
      if (changes.idNumber) merged.noIdReason = null;
      // Existing records predating a rule (e.g. a child registered without a guardian) can still be
      // edited; the guardian rule is enforced when the date of birth or guardian is what changes.
      const requireGuardian = 'birthDate' in changes || 'guardianResidentId' in changes;
      const checkedAfter = checkResident(merged, now, req.locale, { requireGuardian });
      if (!checkedAfter.ok) throw badRequest('validation_failed', checkedAfter.fields);
      const checkedBefore = checkResident(before, now, req.locale, { requireGuardian: false });
      const after = checkedAfter.value;
      await db.transaction().execute(async (trx) => {
        const ref = await checkReferences(trx, residentScope(p), after, req.locale, row.id);
        if ('fields' in ref) throw badRequest('validation_failed', ref.fields);
        if (after.idNumber && (await residentWithIdNumber(trx, keys, after.idNumber, row.id))) throw new AppError(409, 'duplicate_resident', { idNumber: 'duplicate_resident' });
        const identityChanged = after.name !== before.name || after.birthDate !== before.birthDate || after.villageId !== before.villageId;
        if (!after.idNumber && identityChanged && !confirmDuplicate) {
          const matches = await possibleDuplicates(trx, after, ref.stationId, row.id);
          if (matches.length > 0) throw new AppError(409, 'possible_duplicate', undefined, { matches });
        }
        // Stored records were checked on the way in (imports without the guardian rule), so this holds.
        if (!checkedBefore.ok) throw new Error(`stored resident ${row.id} no longer passes its checks: ${Object.keys(checkedBefore.fields).join(', ')}`);
        const fields = await updateResident(trx, keys, row, checkedBefore.value, after, { stationId: ref.stationId, actorId: req.auth!.user.id, now, expectedVersion: version });
        if (fields.length > 0) {
          await writeAudit(trx, req.actor(), { action: 'resident.update', result: 'ok', entityType: 'resident', entityId: row.id, stationId: ref.stationId, detail: { fields } }, now);
        }
      });
      const fresh = await db.selectFrom('residents').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      return { resident: await residentDetail(db, p, fresh, now) };
    },
  );

  app.post(
    '/:id/reveal',
    { config: { policy: recordPolicy }, schema: { tags, summary: 'Show one sensitive field in clear; needs a reason and is audited', params: IdParams, body: RevealBody, response: { 200: RevealResponse, ...errors } } },
    async (req) => {
      const p = req.auth!.principal;
      const row = await loadResidentInScope(deps, req, req.params.id);
      const { field, reason } = req.body;
      const now = clock.now();
      if (!mayReveal(p, row.station_id, field) || row.anonymised_at) {
        await db.transaction().execute((trx) =>
          writeAudit(trx, req.actor(), { action: 'resident.reveal', result: 'denied', entityType: 'resident', entityId: row.id, stationId: row.station_id, field, reason }, now),
        );
        throw forbidden();
      }
      const dec = (v: string | null) => (v === null ? null : decryptField(keys, v));
      const phones =
        field === 'phones'
          ? (await db.selectFrom('resident_phones').select(['number_enc', 'relation']).where('resident_id', '=', row.id).orderBy('position').execute()).map((x) => ({
              number: decryptField(keys, x.number_enc),
              relation: x.relation,
            }))
          : undefined;
      const column = { idNumber: row.id_number_enc, address: row.address_enc, healthNotes: row.health_notes_enc, incomeNotes: row.income_notes_enc, disabilityCertificate: row.disability_cert_enc, phones: null }[field];
      await db.transaction().execute(async (trx) => {
        await writeAudit(trx, req.actor(), { action: 'resident.reveal', result: 'ok', entityType: 'resident', entityId: row.id, stationId: row.station_id, field, reason }, now);
        await recordEvent(trx, { residentId: row.id, stationId: row.station_id, actorId: req.auth!.user.id, kind: 'revealed', field, detail: { reason } }, now);
      });
      return { field, value: dec(column), ...(phones ? { phones } : {}) };
    },
  );

  app.get(
    '/:id/timeline',
    { config: { policy: recordPolicy }, schema: { tags, summary: "A resident's timeline, newest first", params: IdParams, querystring: TimelineQuery, response: { 200: Page(TimelineEvent), ...errors } } },
    async (req) => {
      const row = await loadResidentInScope(deps, req, req.params.id);
      return listTimeline(db, row.id, req.query.limit ?? 20, req.query.cursor);
    },
  );
}
