import { describe, expect, it } from 'vitest';
import { checkPassword, mustMatchRule, passwordOk } from './passwordRules';

describe('checkPassword', () => {
  it('accepts a long password with three classes', () => {
    const c = checkPassword('Xiangqiao#2026', 'admin');
    expect(c).toMatchObject({ length: true, classes: true, notUsername: true });
    expect(passwordOk(c)).toBe(true);
  });
  it('rejects short passwords and too few classes', () => {
    expect(checkPassword('Ab1!', 'x').length).toBe(false);
    expect(checkPassword('abcdefghij12', 'x').classes).toBe(false);
  });
  it('rejects passwords containing the username', () => {
    const c = checkPassword('Zhanzhang2026!', 'zhanzhang');
    expect(c.notUsername).toBe(false);
    expect(passwordOk(c)).toBe(false);
  });
  it('counts non-ASCII characters as symbols', () => {
    expect(checkPassword('乡桥abcdefgh12', 'x').present.symbol).toBe(true);
  });
});

describe('mustMatchRule', () => {
  const form = (other: string) => ({ getFieldValue: () => other });
  it('accepts the same value and an empty one, refuses a different one', async () => {
    await expect(mustMatchRule('password', 'mismatch')(form('Abc-12345678')).validator(null, 'Abc-12345678')).resolves.toBeUndefined();
    await expect(mustMatchRule('password', 'mismatch')(form('Abc-12345678')).validator(null, '')).resolves.toBeUndefined();
    await expect(mustMatchRule('password', 'mismatch')(form('Abc-12345678')).validator(null, 'Abc-12345679')).rejects.toThrow('mismatch');
  });
});
