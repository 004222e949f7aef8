import { describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../../../../server/src/lib/identity';
import type { ResidentDetailView } from './api';
import {
  draftOf, emptyValues, fillFromId, formFieldFor, guardianRequired, mapServerFields, NEW_HOUSEHOLD, toCreateBody, toPatchBody,
  valuesFromResident,
} from './formModel';

const NOW = new Date('2026-11-29T04:00:00Z');
const ID = makeIdNumber({ addressCode: '430181', birthDate: '1948-03-15', sequence: 2 });

const resident: ResidentDetailView = {
  id: 'r1', stationId: 's1', villageId: 'v1', villageName: '上升村', householdId: 'h1', name: '王桂英', gender: 'female',
  birthDate: '1948-03-15', age: 78, idNumberMasked: '4301**********0021', phones: [{ numberMasked: '138****5678', relation: 'self' }],
  categories: ['dibao', 'elderly_alone'], riskTier: 'priority', status: 'active', anonymised: false, relationToHead: 'head',
  noIdReason: null, addressMasked: '湖南省浏阳市****', hasHealthNotes: true, hasIncomeNotes: false, disability: null, guardian: null,
  lawfulBasis: 'statutory_duty', statusDate: null, version: 3, createdAt: '2026-11-01T00:00:00Z', updatedAt: '2026-11-02T00:00:00Z',
  revealable: ['idNumber'],
};

describe('resident form model', () => {
  it('fills birth date and gender from a valid ID, never over what was typed', () => {
    expect(fillFromId({ idNumber: ID }, NOW)).toEqual({ birthDate: '1948-03-15', gender: 'female' });
    expect(fillFromId({ idNumber: ID, birthDate: '1950-01-01', gender: 'male' }, NOW)).toEqual({});
    expect(fillFromId({ idNumber: ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0') }, NOW)).toEqual({});
  });

  it('asks for a guardian under 14 unless an orphan', () => {
    expect(guardianRequired({ birthDate: '2016-05-01', categories: [] }, NOW)).toBe(true);
    expect(guardianRequired({ birthDate: '2016-05-01', categories: ['orphan'] }, NOW)).toBe(false);
    expect(guardianRequired({ birthDate: '2012-11-29', categories: [] }, NOW)).toBe(false);
    expect(guardianRequired({ birthDate: '2012-11-30', categories: [] }, NOW)).toBe(true);
  });

  it('builds a create body without blanks', () => {
    const v = { ...emptyValues('v1'), name: ' 王桂英 ', gender: 'female' as const, birthDate: '1948-03-15', idNumber: ID,
      phones: [{ number: '138 1234 5678', relation: 'son' as const }, { relation: 'self' as const }], address: '  ', healthNotes: '高血压' };
    const body = toCreateBody(v, null, NOW);
    expect(body).toMatchObject({ name: '王桂英', idNumber: ID, phones: [{ number: '138 1234 5678', relation: 'son' }], villageId: 'v1', healthNotes: '高血压' });
    expect(body).not.toHaveProperty('address');
    expect(body).not.toHaveProperty('noIdReason');
    expect(body).not.toHaveProperty('householdId');
    const noId = toCreateBody({ ...v, idMode: 'none', noIdReason: '未办理身份证', household: NEW_HOUSEHOLD, relationToHead: 'head' }, 'h9', NOW);
    expect(noId).toMatchObject({ noIdReason: '未办理身份证', householdId: 'h9', relationToHead: 'head' });
    expect(noId).not.toHaveProperty('idNumber');
  });

  it('patches only what changed; blank sensitive fields stay as they are', () => {
    const v = valuesFromResident(resident);
    expect(v.phones).toEqual([]);
    expect(toPatchBody(v, resident, null, NOW)).toEqual({ version: 3 });
    const changed = toPatchBody({ ...v, riskTier: 'high', categories: ['elderly_alone', 'dibao'], address: '新地址' }, resident, null, NOW);
    expect(changed).toEqual({ version: 3, riskTier: 'high', address: '新地址' });
    expect(toPatchBody({ ...v, clearPhones: true }, resident, null, NOW)).toEqual({ version: 3, phones: [] });
    // Erasing a stored sensitive value is explicit; something typed wins over the box.
    expect(toPatchBody({ ...v, clear: { healthNotes: true, address: true } }, resident, null, NOW)).toEqual({ version: 3, healthNotes: null, address: null });
    expect(toPatchBody({ ...v, clear: { address: true }, address: '改正后的地址' }, resident, null, NOW)).toEqual({ version: 3, address: '改正后的地址' });
    expect(toPatchBody({ ...v, household: '' }, resident, null, NOW)).toEqual({ version: 3, householdId: null, relationToHead: null });
    expect(toPatchBody({ ...v, idMode: 'none', noIdReason: '证件遗失' }, resident, null, NOW)).toEqual({ version: 3, idNumber: null, noIdReason: '证件遗失' });
    expect(toPatchBody({ ...v, status: 'deceased', statusDate: '2026-11-20' }, resident, null, NOW)).toEqual({ version: 3, status: 'deceased', statusDate: '2026-11-20' });
  });

  it('puts server field errors on the right form fields', () => {
    expect(formFieldFor('phones.1.number', 'id')).toEqual(['phones', 1, 'number']);
    expect(formFieldFor('idNumber', 'none')).toEqual(['noIdReason']);
    expect(formFieldFor('householdId', 'id')).toEqual(['household']);
    expect(formFieldFor('version', 'id')).toBeNull();
    expect(mapServerFields({ idNumber: '校验位', cursor: 'x' }, 'id')).toEqual({ onForm: [{ name: ['idNumber'], errors: ['校验位'] }], elsewhere: ['x'] });
  });

  it('keeps health and income notes out of drafts', () => {
    const d = draftOf({ ...emptyValues(), name: '李', healthNotes: 'x', incomeNotes: 'y' });
    expect(d).toMatchObject({ name: '李' });
    expect(d).not.toHaveProperty('healthNotes');
    expect(d).not.toHaveProperty('incomeNotes');
  });
});
