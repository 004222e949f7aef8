import { Type } from 'typebox';
import { writeAudit } from '../../lib/audit.js';
import { encryptField, maskAddress } from '../../lib/crypto.js';
import type { App } from '../../lib/deps.js';
import { badRequest, notFound } from '../../lib/errors.js';
import { fieldMessage } from '../../lib/i18n.js';
import { ageOn } from '../../lib/identity.js';
import { newId } from '../../lib/ids.js';
import { allow, allowRecord, inScope } from '../../lib/policy.js';
import { errors } from '../../lib/schema.js';
import { inScopeSql } from '../../lib/sql.js';
import { residentScope } from './access.js';
import { CreateHouseholdBody, HouseholdView, IdParams, PatchHouseholdBody } from './schema.js';

const tags = ['residents'];

/** Households (户): members with their relation to the head share one address. */
export async function householdRoutes(app: App): Promise<void> {
  const { db, clock, keys } = app.xq;

  async function view(id: string, scope: ReturnType<typeof residentScope>) {
    const h = await db
      .selectFrom('households as h')
      .innerJoin('villages as v', 'v.id', 'h.village_id')
      .select(['h.id', 'h.station_id', 'h.village_id', 'h.address_masked', 'h.created_at', 'v.name as village_name'])
      .where('h.id', '=', id)
      .where(inScopeSql(scope, 'h.station_id'))
      .executeTakeFirst();
    if (!h) throw notFound('household');
    const members = await db
      .selectFrom('residents')
      .select(['id', 'name', 'gender', 'birth_date', 'relation_to_head', 'risk_tier', 'status'])
      .where('household_id', '=', id)
      .orderBy('birth_date')
      .execute();
    const cats = members.length
      ? await db.selectFrom('resident_categories').select(['resident_id', 'category']).where('resident_id', 'in', members.map((m) => m.id)).execute()
      : [];
    const now = clock.now();
    // The head first, then the others from the eldest down.
    const sorted = [...members].sort((a, b) => Number(b.relation_to_head === 'head') - Number(a.relation_to_head === 'head'));
    const head = sorted.find((m) => m.relation_to_head === 'head');
    return {
      id: h.id,
      stationId: h.station_id,
      villageId: h.village_id,
      villageName: h.village_name,
      addressMasked: h.address_masked,
      head: head ? { id: head.id, name: head.name } : null,
      members: sorted.map((m) => ({
        id: m.id,
        name: m.name,
        gender: m.gender,
        age: ageOn(m.birth_date, now),
        relationToHead: m.relation_to_head ?? 'other',
        categories: cats.filter((c) => c.resident_id === m.id).map((c) => c.category),
        riskTier: m.risk_tier,
        status: m.status,
      })),
      createdAt: h.created_at,
    };
  }

  app.post(
    '/',
    { config: { policy: allow('residents'), idempotent: true }, schema: { tags, summary: 'Create a household in a village (honours Idempotency-Key)', body: CreateHouseholdBody, response: { 201: Type.Object({ household: HouseholdView }), ...errors } } },
    async (req, reply) => {
      const scope = residentScope(req.auth!.principal);
      const village = await db.selectFrom('villages').select(['id', 'station_id']).where('id', '=', req.body.villageId).executeTakeFirst();
      if (!village || !inScope(scope, village.station_id)) throw badRequest('validation_failed', { villageId: fieldMessage('unknown_village', req.locale) });
      const now = clock.now();
      const id = newId(now.getTime());
      const address = req.body.address?.trim() || null;
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('households')
          .values({ id, station_id: village.station_id, village_id: village.id, address_enc: address ? encryptField(keys, address) : null, address_masked: address ? maskAddress(address) : null, created_at: now.toISOString(), updated_at: now.toISOString() })
          .execute();
        await writeAudit(trx, req.actor(), { action: 'household.create', result: 'ok', entityType: 'household', entityId: id, stationId: village.station_id }, now);
      });
      return reply.status(201).send({ household: await view(id, scope) });
    },
  );

  app.get(
    '/:id',
    { config: { policy: allowRecord('residents') }, schema: { tags, summary: 'A household with its members', params: IdParams, response: { 200: Type.Object({ household: HouseholdView }), ...errors } } },
    async (req) => ({ household: await view(req.params.id, residentScope(req.auth!.principal)) }),
  );

  app.patch(
    '/:id',
    { config: { policy: allowRecord('residents') }, schema: { tags, summary: "Change a household's shared address", params: IdParams, body: PatchHouseholdBody, response: { 200: Type.Object({ household: HouseholdView }), ...errors } } },
    async (req) => {
      const scope = residentScope(req.auth!.principal);
      const current = await view(req.params.id, scope);
      const now = clock.now();
      const address = req.body.address?.trim() || null;
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('households')
          .set({ address_enc: address ? encryptField(keys, address) : null, address_masked: address ? maskAddress(address) : null, updated_at: now.toISOString() })
          .where('id', '=', current.id)
          .execute();
        await writeAudit(trx, req.actor(), { action: 'household.update', result: 'ok', entityType: 'household', entityId: current.id, stationId: current.stationId, detail: { fields: ['address'] } }, now);
      });
      return { household: await view(current.id, scope) };
    },
  );
}
