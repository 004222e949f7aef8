import { describe, expect, it } from 'vitest';
import { readFilters, toApiQuery } from './recordParams';

describe('service record filters', () => {
  it('keep only well-formed values from the URL', () => {
    const f = readFilters(new URLSearchParams('residentId=r1&from=2026-11-01&to=bad&method=visit&followUp=yes&x=1'));
    expect(f).toEqual({ residentId: 'r1', from: '2026-11-01', method: 'visit' });
    expect(readFilters(new URLSearchParams('method=dance'))).toEqual({});
  });

  it('turn China-time days into a half-open range of instants', () => {
    const q = toApiQuery({ from: '2026-11-01', to: '2026-11-30', followUp: '1' });
    expect(q.from).toBe('2026-11-01T00:00:00.000+08:00');
    expect(q.to).toBe('2026-12-01T00:00:00.000+08:00');
    expect(q.followUpNeeded).toBe('true');
    expect(toApiQuery({}).method).toBeUndefined();
    expect(toApiQuery({ activity: 'a1' }).activityId).toBe('a1');
  });
});
