import { describe, expect, it } from 'vitest';
import { filtersToSearch, isPartialNumber, readFilters, toApiQuery } from './residentParams';

describe('resident list filters', () => {
  it('keeps only known, well-formed params', () => {
    const p = new URLSearchParams('q=wgy&category=dibao&riskTier=urgent&status=&ageMin=60&ageMax=abc&foo=1');
    expect(readFilters(p)).toEqual({ q: 'wgy', category: 'dibao', ageMin: '60' });
  });
  it('puts an upside-down age range right', () => {
    expect(toApiQuery({ ageMin: '80', ageMax: '60' })).toMatchObject({ ageMin: '60', ageMax: '80' });
    expect(toApiQuery({ ageMin: '60' }, 's1')).toMatchObject({ ageMin: '60', ageMax: undefined, stationId: 's1' });
  });
  it('writes filters back in a stable order', () => {
    expect(filtersToSearch({ riskTier: 'high', q: '王' }, { tab: 'export' })).toBe('tab=export&q=%E7%8E%8B&riskTier=high');
  });
  it('spots number fragments that cannot match', () => {
    expect(isPartialNumber('1381234')).toBe(true);
    expect(isPartialNumber('13812345678')).toBe(false);
    expect(isPartialNumber('11010519491231002X')).toBe(false);
    expect(isPartialNumber('0731-84512345')).toBe(false);
    expect(isPartialNumber('王桂英')).toBe(false);
    expect(isPartialNumber('wgy')).toBe(false);
  });
});
