import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS } from './common-passwords.js';
import {
  characterClasses,
  checkPassword,
  generatedCommonPasswords,
  isCommonPassword,
  passwordProblemMessage,
  type PasswordProblem,
} from './password-policy.js';

const ctx = { username: 'wanggy' };

describe('checkPassword', () => {
  it.each<[string, string, PasswordProblem[]]>([
    ['a good password', 'Tea-Garden-42', []],
    ['exactly 10 characters', 'Xq7#kd9Lpz', []],
    ['9 characters', 'Xq7#kd9Lp', ['too_short']],
    ['empty', '', ['too_short', 'too_few_classes']],
    ['129 characters', 'Aa1-' + 'x'.repeat(125), ['too_long']],
    ['128 characters', 'Aa1-' + 'x'.repeat(124), []],
    ['only lower case and digits', 'teagarden42x', ['too_few_classes']],
    ['only letters', 'TeaGardenXYZ', ['too_few_classes']],
    ['lower, upper, digit', 'TeaGarden42x', []],
    ['lower, digit, symbol', 'tea-garden-42', []],
    ['Chinese counts as "other"', '乡桥teagarden42', []],
    ['Chinese characters count once each', '乡桥社工站Ab1', ['too_short']],
    ['10 Chinese characters + 2 classes', '乡桥社工站服务居民Ab', []],
    ['equal to the username', 'wanggy', ['too_short', 'too_few_classes', 'same_as_username']],
    ['contains the username', 'Wanggy#2026-ok', ['same_as_username']],
    ['contains the username in other case', 'xx-WANGGY-2026', ['same_as_username']],
    ['a very common password', 'password', ['too_short', 'too_few_classes', 'too_common']],
    ['P@ssw0rd', 'P@ssw0rd', ['too_short', 'too_common']],
    ['common with digits and symbol appended', 'Password123!', ['too_common']],
    ['common stem with symbol appended', 'Qwertyuiop12!', ['too_common']],
    ['admin@123456', 'Admin@123456', ['too_common']],
    ['1qaz@WSX3edc', '1qaz@WSX3edc', ['too_common']],
    ['woaini + symbol', 'Woaini1314!', ['too_common']],
    ['surname pinyin + digits + symbol', 'Zhang123456!', ['too_common']],
    ['woaini + birth year', 'Woaini1986!@', ['too_common']],
    // Full-width characters count as "other" for classes but are folded for the list.
    ['full-width common password', 'Ｐａｓｓｗｏｒｄ１２３!', ['too_few_classes', 'too_common']],
  ])('%s: %j', (_label, password, expected) => {
    expect(checkPassword(password, ctx)).toEqual(expected);
  });

  it('searches inside the password only for usernames of 3+ characters', () => {
    expect(checkPassword('Tea-li-Garden-42', { username: 'li' })).toEqual([]);
    expect(checkPassword('Tea-lin-Garden-42', { username: 'lin' })).toEqual(['same_as_username']);
    // Equality is refused whatever the length.
    expect(checkPassword('ab', { username: 'AB' })).toContain('same_as_username');
    expect(checkPassword('Tea-Garden-42', { username: '' })).toEqual([]);
    expect(checkPassword('Tea-Garden-42', { username: '  ' })).toEqual([]);
  });

  it('does not refuse a password just because a short common stem remains', () => {
    // "abc" is in the list but shorter than 6, so "Abc9081726!" stays allowed.
    expect(checkPassword('Abc9081726!', ctx)).toEqual([]);
    expect(isCommonPassword('Xiaoyu7#Lq2m')).toBe(false);
  });

  it('accepts any random 3-class password of 10+ characters that is not common (property)', () => {
    const lower = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz');
    const upper = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    const digit = fc.constantFrom(...'0123456789');
    const other = fc.constantFrom(...'!@#$%^&*()-_=+[]{};:,.<>/?~ 乡桥社工');
    const pools = [lower, upper, digit, other];
    const password = fc
      .tuple(
        fc.shuffledSubarray([0, 1, 2, 3], { minLength: 3, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 10, maxLength: 128 }),
      )
      .chain(([classes, slots]) =>
        fc.tuple(
          ...slots.map((n, i) => {
            // The first slots cover every chosen class, so the class count is guaranteed.
            const c = classes[i < classes.length ? i : n % classes.length] ?? 0;
            return pools[c] ?? lower;
          }),
        ),
      )
      .chain((chars) => fc.shuffledSubarray(chars, { minLength: chars.length, maxLength: chars.length }))
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(password, (pw) => {
        fc.pre(!isCommonPassword(pw) && !pw.toLowerCase().includes(ctx.username));
        expect(characterClasses(pw)).toBeGreaterThanOrEqual(3);
        expect(checkPassword(pw, ctx)).toEqual([]);
      }),
    );
  });

  it('refuses any string shorter than 10 code points (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 9 }), (pw) => {
        fc.pre(Array.from(pw).length < 10);
        expect(checkPassword(pw, ctx)).toContain('too_short');
      }),
    );
  });

  it('never throws and returns known problems only (property)', () => {
    const known = new Set<PasswordProblem>(['too_short', 'too_long', 'too_few_classes', 'same_as_username', 'too_common']);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 20 }), (pw, username) => {
        for (const p of checkPassword(pw, { username })) expect(known.has(p)).toBe(true);
      }),
    );
  });
});

describe('the common-password list', () => {
  const entries = COMMON_PASSWORDS.split('\n');

  it('has 1,000–3,000 unique, lower-case, trimmed entries', () => {
    expect(entries.length).toBeGreaterThanOrEqual(1000);
    expect(entries.length).toBeLessThanOrEqual(3000);
    expect(new Set(entries).size).toBe(entries.length);
    for (const e of entries) {
      expect(e).not.toBe('');
      expect(e).toBe(e.trim().toLowerCase());
    }
  });

  it.each(['123456', 'password', 'qwerty', 'iloveyou', 'admin123', 'p@ssw0rd', 'woaini1314', '5201314', 'a123456',
    'qq123456', 'zhang123', '147258369', '88888888', 'aa123456', 'abc123456', '1qaz2wsx'])('contains %s', (pw) => {
    expect(entries).toContain(pw);
    expect(isCommonPassword(pw.toUpperCase())).toBe(true);
  });

  it('adds generated Chinese-habit patterns', () => {
    const generated = generatedCommonPasswords();
    expect(generated).toContain('woaini1950');
    expect(generated).toContain('woaini2010');
    expect(generated).toContain('wang123456');
    expect(generated).toContain('li888');
    expect(isCommonPassword('Chen888!')).toBe(true);
    expect(isCommonPassword('Woaini1975')).toBe(true);
  });
});

describe('passwordProblemMessage', () => {
  const all: PasswordProblem[] = ['too_short', 'too_long', 'too_few_classes', 'same_as_username', 'too_common'];

  it('has plain Chinese and English for every problem', () => {
    expect(passwordProblemMessage('too_short', 'zh-CN')).toBe('密码至少 10 位');
    for (const p of all) {
      expect(passwordProblemMessage(p, 'zh-CN')).toMatch(/[\u4e00-\u9fff]/);
      expect(passwordProblemMessage(p, 'en')).toMatch(/^[A-Z][ -~]+$/);
    }
  });
});
