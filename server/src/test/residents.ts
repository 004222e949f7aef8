import { expect } from 'vitest';
import { makeIdNumber } from '../lib/identity.js';
import type { CreateResidentInput, ResidentDetailView } from '../modules/residents/schema.js';
import type { Agent, TestApp } from './app.js';

let counter = 0;

/** A fresh valid ID number: address 430181 (浏阳市), the given birth date, a new sequence each call. */
export function nextIdNumber(birthDate: string, gender: 'male' | 'female' = 'female'): string {
  // Odd sequence = male; 500 distinct numbers per birth date and gender per test file.
  counter = (counter + 1) % 500;
  return makeIdNumber({ addressCode: '430181', birthDate, sequence: counter * 2 + (gender === 'male' ? 1 : 0) });
}

export async function firstVillageId(t: TestApp): Promise<string> {
  const v = await t.deps.db.selectFrom('villages').select('id').orderBy('code').executeTakeFirstOrThrow();
  return v.id;
}

/** A valid create body (an elderly woman living alone) with optional overrides. */
export async function residentBody(t: TestApp, overrides: Partial<CreateResidentInput> = {}): Promise<CreateResidentInput> {
  const birthDate = overrides.birthDate ?? '1948-03-15';
  const gender = overrides.gender ?? 'female';
  return {
    name: '王桂英',
    gender,
    birthDate,
    idNumber: nextIdNumber(birthDate, gender),
    phones: [{ number: '13812345678', relation: 'self' }],
    villageId: await firstVillageId(t),
    address: '湖南省浏阳市大瑶镇南山村杨家组12号',
    categories: ['elderly_alone', 'dibao'],
    healthNotes: '高血压，长期服药',
    incomeNotes: '低保金每月 600 元',
    riskTier: 'priority',
    lawfulBasis: 'statutory_duty',
    ...overrides,
  };
}

/** Register a resident through the API (as the given agent) and return the detail view. */
export async function createResident(t: TestApp, agent: Agent, overrides: Partial<CreateResidentInput> = {}): Promise<ResidentDetailView> {
  const res = await agent.post('/api/residents', await residentBody(t, overrides));
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { resident: ResidentDetailView }).resident;
}
