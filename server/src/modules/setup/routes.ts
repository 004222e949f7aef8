import { Type } from 'typebox';
import { writeAudit } from '../../lib/audit.js';
import type { App } from '../../lib/deps.js';
import { conflict, forbidden } from '../../lib/errors.js';
import { listAreas, listCities, listProvinces, listTownships, listVillagesOfTownship } from '../../lib/divisions.js';
import { publicRoute } from '../../lib/policy.js';
import { errors, Obj } from '../../lib/schema.js';
import { USERNAME_PATTERN } from '../users/users.js';
import { needsSetup, setupStation } from './setup.js';
import { timingSafeEqual } from 'node:crypto';

const tags = ['setup'];

const SetupBody = Obj({
  setupCode: Type.String({ minLength: 1, maxLength: 64 }),
  townshipCode: Type.String({ pattern: '^[0-9]{9}([0-9]{3})?$' }),
  stationName: Type.String({ minLength: 2, maxLength: 64 }),
  operatorModel: Type.Union([Type.Literal('government'), Type.Literal('ngo')]),
  operatorName: Type.Optional(Type.String({ maxLength: 100 })),
  head: Obj({
    username: Type.String({ pattern: USERNAME_PATTERN }),
    displayName: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  }),
});

/** The one-time code printed at start: only someone at the server's console can claim a fresh install. */
export async function setupCodeOf(app: App): Promise<string | null> {
  const row = await app.xq.db.selectFrom('app_meta').select('value').where('key', '=', 'setup_code').executeTakeFirst();
  return row?.value ?? null;
}

export async function setupRoutes(app: App): Promise<void> {
  const { db, clock, config } = app.xq;

  app.get(
    '/status',
    { config: { policy: publicRoute }, schema: { tags, summary: 'Whether this deployment still needs its first-run set-up', response: { 200: Type.Object({ needsSetup: Type.Boolean(), demo: Type.Boolean() }) } } },
    async () => ({ needsSetup: await needsSetup(db), demo: config.demo }),
  );

  app.get(
    '/divisions',
    {
      config: { policy: publicRoute },
      schema: {
        tags,
        summary: 'Administrative divisions (2023-06-30) for choosing the township; only before set-up',
        querystring: Type.Object({ parent: Type.Optional(Type.String({ pattern: '^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$' })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })) }), ...errors },
      },
    },
    async (req) => {
      if (!(await needsSetup(db))) throw conflict('already_set_up');
      const p = req.query.parent;
      if (!p) return { items: listProvinces() };
      if (p.length === 2) return { items: listCities(p) };
      if (p.length === 4) return { items: listAreas(p) };
      if (p.length === 6) return { items: listTownships(p) };
      return { items: await listVillagesOfTownship(p) };
    },
  );

  app.post(
    '/',
    {
      config: { policy: publicRoute, rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: { tags, summary: 'First-run set-up: township, villages and the station head account', body: SetupBody, response: { 201: Type.Object({ stationId: Type.String(), villages: Type.Integer() }), ...errors } },
    },
    async (req, reply) => {
      const expected = await setupCodeOf(app);
      const given = Buffer.from(req.body.setupCode.trim().toUpperCase());
      if (!expected) throw conflict('already_set_up');
      if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) throw forbidden();
      const now = clock.now();
      const r = await db.transaction().execute(async (trx) => {
        const out = await setupStation(trx, { ...req.body, operatorName: req.body.operatorName?.trim() || null }, now);
        await trx.deleteFrom('app_meta').where('key', '=', 'setup_code').execute();
        await writeAudit(
          trx,
          { ...req.actor(), actorId: out.headId, actorUsername: req.body.head.username.toLowerCase(), stationId: out.stationId },
          { action: 'setup.station', result: 'ok', entityType: 'station', entityId: out.stationId, detail: { townshipCode: req.body.townshipCode, villages: out.villages } },
          now,
        );
        return out;
      });
      return reply.status(201).send({ stationId: r.stationId, villages: r.villages });
    },
  );
}
