import { describe, expect, it } from 'vitest';
import { deidentify } from './deidentify';

describe('deidentify', () => {
  it('removes the name, phones and ID numbers', () => {
    expect(deidentify('王桂英的电话 138 1234 5678，身份证 43018119480315002X', '王桂英')).toBe('居民的电话 ***，身份证 ***');
    expect(deidentify('已回电 138****5678', '王桂英')).toBe('已回电 ***');
    expect(deidentify('每月 600 元', '王桂英')).toBe('每月 600 元');
    expect(deidentify('身份证４３０１８１１９４８０３１５００２Ｘ', '王桂英')).toBe('身份证***');
    expect(deidentify('身份证 4301 8119 4803 1500 2X 的老人', '王桂英')).toBe('身份证 *** 的老人');
    expect(deidentify('旧证 430181480315002', '王桂英')).toBe('旧证 ***');
  });
});
