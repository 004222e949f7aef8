import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { zhCN } from '../../i18n/zh-CN';
import { actionsFor, type CandidateView } from './api';
import { explain } from './explain';

const i18n = i18next.createInstance();
await i18n.init({ lng: 'zh-CN', resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, interpolation: { escapeValue: false } });

const candidate = (reasons: Partial<CandidateView['reasons']>): CandidateView => ({
  user: { id: 'u', name: '周志愿' },
  role: 'volunteer',
  score: 0,
  maxScore: 110,
  parts: { skill: 0, village: 0, workload: 0, availability: 0 },
  reasons: { hasSkill: false, coversVillage: false, recentServicesInVillage: 0, openRequests: 0, upcomingAppointments: 0, availableMinutes: 0, onRequest: false, ...reasons },
});

describe('explain', () => {
  it('words every reason in Chinese', () => {
    const t = i18n.getFixedT('zh-CN');
    expect(explain(t, candidate({ hasSkill: true, coversVillage: true, recentServicesInVillage: 3, openRequests: 2, upcomingAppointments: 1, onRequest: true }), 'elderly_care', '上升村')).toEqual([
      '擅长养老服务',
      '负责上升村',
      '近90天在本村服务 3 次',
      '手头 2 条需求、7天内 1 个预约',
      '志愿者，随叫随到',
    ]);
    expect(explain(t, candidate({ availableMinutes: 630 }), 'policy', '南山村')).toEqual(['不擅长政策咨询', '不负责南山村', '手头 0 条需求、7天内 0 个预约', '近3天可工作 10.5 小时']);
    expect(explain(t, candidate({}), 'policy', '南山村').at(-1)).toBe('近3天没有上班时间');
  });

  it('and the same in English', () => {
    const t = i18n.getFixedT('en');
    expect(explain(t, candidate({ hasSkill: true, availableMinutes: 120 }), 'child_care', 'Nanshan')).toEqual([
      'Skilled in Child care',
      'Does not cover Nanshan',
      '0 open requests, 0 appointments in 7 days',
      '2 working hours in the next 3 days',
    ]);
  });
});

describe('actionsFor', () => {
  it('offers each side only what the server allows', () => {
    expect(actionsFor('open', 'staff')).toEqual(['assign', 'cancel']);
    expect(actionsFor('open', 'resident')).toEqual(['cancel']);
    expect(actionsFor('open', 'volunteer')).toEqual([]);
    expect(actionsFor('assigned', 'volunteer')).toEqual(['start', 'fulfil']);
    expect(actionsFor('assigned', 'resident')).toEqual([]);
    expect(actionsFor('in_progress', 'staff')).toEqual(['fulfil', 'cancel']);
    expect(actionsFor('fulfilled', 'staff')).toEqual([]);
    expect(actionsFor('cancelled', 'resident')).toEqual([]);
  });
});
