import type { TFunction } from 'i18next';
import type { CandidateView, ServiceArea } from './api';

export const areaName = (t: TFunction, area: ServiceArea) => t(`services.area.${area}`);

/** Words for one candidate's rank, built from the structured reasons (zh or en). */
export function explain(t: TFunction, c: CandidateView, area: ServiceArea, village: string): string[] {
  const r = c.reasons;
  const areaText = areaName(t, area);
  const out = [
    t(r.hasSkill ? 'requests.candidates.why.skill' : 'requests.candidates.why.noSkill', { area: areaText }),
    t(r.coversVillage ? 'requests.candidates.why.village' : 'requests.candidates.why.noVillage', { village }),
  ];
  if (r.recentServicesInVillage > 0) out.push(t('requests.candidates.why.recent', { count: r.recentServicesInVillage }));
  out.push(t('requests.candidates.why.load', { requests: r.openRequests, appointments: r.upcomingAppointments }));
  if (r.onRequest) out.push(t('requests.candidates.why.onRequest'));
  else if (r.availableMinutes > 0) out.push(t('requests.candidates.why.free', { hours: Math.round((r.availableMinutes / 60) * 10) / 10 }));
  else out.push(t('requests.candidates.why.busy'));
  return out;
}
