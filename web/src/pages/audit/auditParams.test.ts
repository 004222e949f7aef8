import { describe, expect, it } from 'vitest';
import { readFilters, toApiQuery } from './auditParams';

describe('audit filters', () => {
  it('reads only known, non-empty params', () => {
    const p = new URLSearchParams('action=auth.login&result=&foo=1&from=2026-11-01');
    expect(readFilters(p)).toEqual({ action: 'auth.login', from: '2026-11-01' });
  });
  it('turns days into China-time bounds', () => {
    expect(toApiQuery({ from: '2026-11-01', to: '2026-11-29' })).toMatchObject({
      from: '2026-11-01T00:00:00.000+08:00',
      to: '2026-11-29T23:59:59.999+08:00',
    });
    expect(toApiQuery({ from: 'yesterday' }).from).toBeUndefined();
  });
});
