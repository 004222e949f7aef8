import type { Kysely, Transaction } from 'kysely';
import type { DB, RiskTier } from '../../db/tables.js';

/** Office hours per ISO weekday (1 = Monday): half-open [start, end) minutes, Asia/Shanghai wall clock. */
export type OfficeHours = Record<string, [number, number][]>;

export interface StationSettings {
  stationId: string;
  officeHours: OfficeHours;
  /** Office minutes within which a new consultation gets its first reply. */
  consultationResponseMinutes: number;
  /** Days between visits for each risk tier (DOMAIN.md: high weekly, priority monthly, normal quarterly). */
  visitDays: Record<RiskTier, number>;
  /** Working days within which a complaint is answered before it goes to the station head. */
  complaintResponseDays: number;
  /** False while the station has never saved its own settings (the defaults apply). */
  customised: boolean;
  /** When the station's row was last saved (null while it never saved): the compare-and-swap token of a change. */
  updatedAt: string | null;
}

const WEEKDAY: [number, number][] = [
  [8 * 60 + 30, 12 * 60],
  [14 * 60, 17 * 60 + 30],
];

/** What a station gets until its head changes it: 8:30–12:00 and 14:00–17:30, Monday to Friday. */
export const DEFAULT_SETTINGS: Omit<StationSettings, 'stationId' | 'customised' | 'updatedAt'> = {
  officeHours: { '1': WEEKDAY, '2': WEEKDAY, '3': WEEKDAY, '4': WEEKDAY, '5': WEEKDAY },
  // One office day with the default hours.
  consultationResponseMinutes: 7 * 60,
  visitDays: { high: 7, priority: 30, normal: 90 },
  complaintResponseDays: 5,
};

/** The settings in force for a station (its saved row, or the defaults). */
export async function getStationSettings(db: Kysely<DB> | Transaction<DB>, stationId: string): Promise<StationSettings> {
  const row = await db.selectFrom('station_settings').selectAll().where('station_id', '=', stationId).executeTakeFirst();
  if (!row) return { stationId, customised: false, updatedAt: null, ...structuredClone(DEFAULT_SETTINGS) };
  return {
    stationId,
    customised: true,
    updatedAt: row.updated_at,
    officeHours: JSON.parse(row.office_hours) as OfficeHours,
    consultationResponseMinutes: row.consultation_response_minutes,
    visitDays: { high: row.visit_days_high, priority: row.visit_days_priority, normal: row.visit_days_normal },
    complaintResponseDays: row.complaint_response_days,
  };
}
