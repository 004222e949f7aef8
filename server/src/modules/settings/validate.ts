import type { OfficeHours } from './settings.js';

/** Hours as they arrive in a body: pairs by schema, checked here. */
export type HoursInput = Record<string, number[][]>;

export interface SettingsValues {
  officeHours: HoursInput;
  consultationResponseMinutes: number;
  visitDays: { high: number; priority: number; normal: number };
  complaintResponseDays: number;
}

const inRange = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;

/**
 * Every bad field of a settings body, by path (empty when it is valid). Pure: the server answers 400
 * with these and the settings tab shows them next to each field.
 */
export function settingsProblems(s: SettingsValues): Record<string, string> {
  const bad: Record<string, string> = {};
  for (const [day, spans] of Object.entries(s.officeHours)) {
    if (!/^[1-7]$/.test(day)) {
      bad[`officeHours.${day}`] = 'not_allowed_value';
      continue;
    }
    spans.forEach(([start = -1, end = -1], i) => {
      const at = `officeHours.${day}.${i}`;
      if (!inRange(start, 0, 1440) || !inRange(end, 0, 1440)) bad[at] = 'minutes_of_day';
      else if (end <= start) bad[at] = 'end_before_start';
    });
    const malformed = new Set(spans.map((_, i) => i).filter((i) => bad[`officeHours.${day}.${i}`]));
    spans.forEach(([start = -1, end = -1], i) => {
      const at = `officeHours.${day}.${i}`;
      if (malformed.has(i)) return;
      const clash = spans.some(([s2 = -1, e2 = -1], j) => j !== i && !malformed.has(j) && s2 < end && start < e2);
      if (clash) bad[at] = 'hours_overlap';
    });
  }
  if (!inRange(s.consultationResponseMinutes, 30, 4800)) bad.consultationResponseMinutes = 'response_minutes_range';
  const v = s.visitDays;
  for (const tier of ['high', 'priority', 'normal'] as const) {
    if (!inRange(v[tier], 1, 366)) bad[`visitDays.${tier}`] = 'visit_days_range';
  }
  if (!bad['visitDays.high'] && !bad['visitDays.priority'] && v.high > v.priority) bad['visitDays.high'] = 'visit_days_order';
  if (!bad['visitDays.priority'] && !bad['visitDays.normal'] && v.priority > v.normal) bad['visitDays.priority'] = 'visit_days_order';
  if (!inRange(s.complaintResponseDays, 1, 60)) bad.complaintResponseDays = 'complaint_days_range';
  return bad;
}

/** The hours as stored: each day's spans sorted, closed days dropped. */
export function normaliseHours(h: HoursInput): OfficeHours {
  const out: OfficeHours = {};
  for (const day of ['1', '2', '3', '4', '5', '6', '7']) {
    const spans = (h[day] ?? []).map(([a = 0, b = 0]) => [a, b] as [number, number]).sort((x, y) => x[0] - y[0]);
    if (spans.length) out[day] = spans;
  }
  return out;
}
