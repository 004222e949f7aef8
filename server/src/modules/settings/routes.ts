import { writeAudit } from '../../lib/audit.js';
import type { App } from '../../lib/deps.js';
import { AppError, badRequest, notFound } from '../../lib/errors.js';
import { parseInstant } from '../../lib/pagination.js';
import { allow, inScope, stationScope } from '../../lib/policy.js';
import { errors } from '../../lib/schema.js';
import { getStationSettings } from './settings.js';
import { SettingsBody, SettingsQuery, SettingsResponse } from './schema.js';
import { normaliseHours, settingsProblems } from './validate.js';

const tags = ['settings'];

/**
 * Station settings (站点设置): office hours for consultation deadlines, visit cadence per risk tier
 * and the complaint deadline. Staff of the station read them; only its head changes them.
 */
export async function settingsRoutes(app: App): Promise<void> {
  const { db, clock } = app.xq;

  app.get(
    '/station-settings',
    { config: { policy: allow('services') }, schema: { tags, summary: "A station's settings (the defaults while it never saved any)", querystring: SettingsQuery, response: { 200: SettingsResponse, ...errors } } },
    async (req) => {
      const p = req.auth!.principal;
      if (!inScope(stationScope(p, ['social_worker', 'station_head']), req.query.stationId)) throw notFound('station');
      return { settings: await getStationSettings(db, req.query.stationId) };
    },
  );

  app.put(
    '/station-settings',
    {
      config: { policy: allow('services', ['station_head']) },
      schema: { tags, summary: "Change a station's settings (its station head); 400 names each bad field", body: SettingsBody, response: { 200: SettingsResponse, ...errors } },
    },
    async (req) => {
      const b = req.body;
      const p = req.auth!.principal;
      if (!inScope(stationScope(p, ['station_head']), b.stationId)) throw notFound('station');
      const problems = settingsProblems(b);
      if (Object.keys(problems).length) throw badRequest('validation_failed', problems);
      const expected = b.updatedAt === null ? null : parseInstant(b.updatedAt, 'updatedAt').toISOString();
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const before = await getStationSettings(trx, b.stationId);
        // Compare-and-swap on updatedAt: each save moves it strictly forward (even within one
        // millisecond), so a change made since the head read the settings is never overwritten.
        const floor = before.updatedAt ? Date.parse(before.updatedAt) + 1 : 0;
        const row = {
          office_hours: JSON.stringify(normaliseHours(b.officeHours)),
          consultation_response_minutes: b.consultationResponseMinutes,
          visit_days_high: b.visitDays.high,
          visit_days_priority: b.visitDays.priority,
          visit_days_normal: b.visitDays.normal,
          complaint_response_days: b.complaintResponseDays,
          updated_by: req.auth!.user.id,
          updated_at: new Date(Math.max(now.getTime(), floor)).toISOString(),
        };
        const changed =
          expected === null
            ? Number((await trx.insertInto('station_settings').values({ station_id: b.stationId, ...row }).onConflict((oc) => oc.column('station_id').doNothing()).executeTakeFirst()).numInsertedOrUpdatedRows ?? 0)
            : Number((await trx.updateTable('station_settings').set(row).where('station_id', '=', b.stationId).where('updated_at', '=', expected).executeTakeFirst()).numUpdatedRows);
        if (changed !== 1) throw new AppError(409, 'version_conflict', undefined, { currentUpdatedAt: (await getStationSettings(trx, b.stationId)).updatedAt });
        await writeAudit(
          trx,
          req.actor(),
          {
            action: 'station_settings.update',
            result: 'ok',
            entityType: 'station',
            entityId: b.stationId,
            stationId: b.stationId,
            detail: { before: { updatedAt: before.updatedAt, officeHours: before.officeHours, consultationResponseMinutes: before.consultationResponseMinutes, visitDays: before.visitDays, complaintResponseDays: before.complaintResponseDays }, after: { officeHours: JSON.parse(row.office_hours) as unknown, consultationResponseMinutes: b.consultationResponseMinutes, visitDays: b.visitDays, complaintResponseDays: b.complaintResponseDays } },
          },
          now,
        );
      });
      return { settings: await getStationSettings(db, b.stationId) };
    },
  );
}
