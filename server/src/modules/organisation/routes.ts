import { Type } from 'typebox';
import type { App } from '../../lib/deps.js';
import { decodeCursor, pageOf } from '../../lib/pagination.js';
import { allow, stationScope } from '../../lib/policy.js';
import { contains, inScopeSql, startsWith } from '../../lib/sql.js';
import { errors, Nullable, Page, PageQuery } from '../../lib/schema.js';

const Village = Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), stationId: Type.String(), stationName: Type.String() });
const Station = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  countyId: Type.String(),
  countyName: Type.String(),
  operatorModel: Type.String(),
  operatorName: Nullable(Type.String()),
  villageCount: Type.Integer(),
});

const villagesPolicy = allow('villages');
const stationsPolicy = allow('organisation');
const tags = ['organisation'];

export async function organisationRoutes(app: App): Promise<void> {
  const { db } = app.xq;

  app.get(
    '/villages',
    {
      config: { policy: villagesPolicy },
      schema: {
        tags,
        summary: "Villages and communities of the user's stations",
        querystring: Type.Object({ ...PageQuery, q: Type.Optional(Type.String({ maxLength: 50 })), stationId: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
        response: { 200: Page(Village), ...errors },
      },
    },
    async (req) => {
      const scope = stationScope(req.auth!.principal, villagesPolicy.roles);
      const limit = req.query.limit ?? 20;
      const after = decodeCursor(req.query.cursor);
      let q = db
        .selectFrom('villages as v')
        .innerJoin('stations as s', 's.id', 'v.station_id')
        .select(['v.id', 'v.code', 'v.name', 'v.station_id as stationId', 's.name as stationName']);
      q = q.where(inScopeSql(scope, 'v.station_id'));
      if (req.query.stationId) q = q.where('v.station_id', '=', req.query.stationId);
      const text = req.query.q?.trim();
      if (text) q = q.where((eb) => eb.or([contains('v.name', text), startsWith('v.code', text)]));
      if (after) q = q.where('v.code', '>', after);
      const rows = await q.orderBy('v.code').limit(limit + 1).execute();
      return pageOf(rows, limit, (r) => r.code);
    },
  );

  app.get(
    '/stations',
    {
      config: { policy: stationsPolicy },
      schema: {
        tags,
        summary: 'Stations the user works in or supervises',
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(Station), ...errors },
      },
    },
    async (req) => {
      const scope = stationScope(req.auth!.principal, stationsPolicy.roles);
      const limit = req.query.limit ?? 20;
      const after = decodeCursor(req.query.cursor);
      let q = db
        .selectFrom('stations as s')
        .innerJoin('counties as c', 'c.id', 's.county_id')
        .select((eb) => [
          's.id',
          's.code',
          's.name',
          's.county_id as countyId',
          'c.name as countyName',
          's.operator_model as operatorModel',
          's.operator_name as operatorName',
          eb.selectFrom('villages').whereRef('villages.station_id', '=', 's.id').select((e) => e.fn.countAll<number>().as('n')).as('villageCount'),
        ]);
      q = q.where(inScopeSql(scope, 's.id'));
      if (after) q = q.where('s.code', '>', after);
      const rows = await q.orderBy('s.code').limit(limit + 1).execute();
      return pageOf(
        rows.map((r) => ({ ...r, villageCount: Number(r.villageCount ?? 0) })),
        limit,
        (r) => r.code,
      );
    },
  );
}

