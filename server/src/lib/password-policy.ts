import { COMMON_PASSWORDS } from './common-passwords.js';

/**
 * Password rules for 等保 2.0 level 3 "password complexity": length, character classes, not the
 * username, not a well-known password. Problems are stable ids; the UI translates them.
 */

export type PasswordProblem = 'too_short' | 'too_long' | 'too_few_classes' | 'same_as_username' | 'too_common';

export const MIN_PASSWORD_LENGTH = 10;
// An upper bound keeps hashing cost bounded; 128 leaves room for any passphrase.
export const MAX_PASSWORD_LENGTH = 128;
const MIN_CLASSES = 3;
// Below this length a username is too likely to occur inside a good password by chance.
const MIN_USERNAME_TO_SEARCH = 3;
// A stripped stem shorter than this ("abc" from "Abc1234567!") is not worth refusing on its own.
const MIN_STEM_LENGTH = 6;

/** Every rule the password breaks, in a stable order; an empty list means it is acceptable. */
export function checkPassword(password: string, ctx: { username: string }): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  // Count code points, not UTF-16 units, so a Chinese or emoji character counts once.
  const length = Array.from(password).length;
  if (length < MIN_PASSWORD_LENGTH) problems.push('too_short');
  if (length > MAX_PASSWORD_LENGTH) problems.push('too_long');
  if (characterClasses(password) < MIN_CLASSES) problems.push('too_few_classes');
  if (containsUsername(password, ctx.username)) problems.push('same_as_username');
  if (isCommonPassword(password)) problems.push('too_common');
  return problems;
}

/** How many of lower case, upper case, digit and other (symbols, Chinese, …) a password uses. */
export function characterClasses(password: string): number {
  let lower = false;
  let upper = false;
  let digit = false;
  let other = false;
  for (const ch of password) {
    if (ch >= 'a' && ch <= 'z') lower = true;
    else if (ch >= 'A' && ch <= 'Z') upper = true;
    else if (ch >= '0' && ch <= '9') digit = true;
    else other = true;
  }
  return Number(lower) + Number(upper) + Number(digit) + Number(other);
}

function containsUsername(password: string, username: string): boolean {
  const user = fold(username.trim());
  if (user === '') return false;
  const pw = fold(password);
  if (pw === user) return true;
  return user.length >= MIN_USERNAME_TO_SEARCH && pw.includes(user);
}

/** True if the password, or its stem without a trailing digits/symbols suffix, is a known common one. */
export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  const pw = fold(password);
  if (list.has(pw)) return true;
  // People meet "add a symbol" rules by appending one: "Zhang123456!" is still zhang123456.
  const withoutTrailingSymbols = pw.replace(/[^\p{L}\p{N}]+$/u, '');
  if (withoutTrailingSymbols !== pw && list.has(withoutTrailingSymbols)) return true;
  // …and "add digits" rules the same way: "Password123!" is still password.
  const stem = pw.replace(/[^\p{L}]+$/u, '');
  return stem !== pw && Array.from(stem).length >= MIN_STEM_LENGTH && list.has(stem);
}

/** A user-facing sentence for one problem. */
export function passwordProblemMessage(p: PasswordProblem, locale: 'zh-CN' | 'en'): string {
  const zh = locale === 'zh-CN';
  switch (p) {
    case 'too_short':
      return zh ? `密码至少 ${MIN_PASSWORD_LENGTH} 位` : `Use at least ${MIN_PASSWORD_LENGTH} characters`;
    case 'too_long':
      return zh ? `密码最多 ${MAX_PASSWORD_LENGTH} 位` : `Use at most ${MAX_PASSWORD_LENGTH} characters`;
    case 'too_few_classes':
      return zh
        ? '密码需包含小写字母、大写字母、数字、符号中的至少三种'
        : 'Use at least three of: lower-case letters, upper-case letters, digits, symbols';
    case 'same_as_username':
      return zh ? '密码不能与用户名相同，也不能包含用户名' : 'The password must not be or contain the username';
    case 'too_common':
      return zh ? '这个密码太常见，容易被猜到，请换一个' : 'This password is too common and easy to guess; choose another';
    default:
      return assertUnreachable(p);
  }
}

function assertUnreachable(x: never): never {
  throw new Error(`Unhandled password problem ${String(x)}`);
}

function fold(s: string): string {
  // NFKC folds full-width letters and digits (typed with a Chinese IME on) to ASCII.
  return s.normalize('NFKC').toLowerCase();
}

let cached: Set<string> | null = null;

function commonPasswords(): Set<string> {
  // Built on first use, so processes that never check a password do not pay for it.
  if (cached === null) cached = new Set([...COMMON_PASSWORDS.split('\n'), ...generatedCommonPasswords()]);
  return cached;
}

// The most common surnames (in pinyin): surname + 123 / 888 / … is a classic Chinese password.
const SURNAMES = (
  'wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang ' +
  'xie song tang han feng deng cao peng zeng xiao tian dong yuan pan yu jiang cai du ye cheng su wei ' +
  'lv lu ding ren shen yao cui zhong tan fan jin shi liao jia xia fu fang bai zou meng xiong qin qiu ' +
  'yin xue yan duan lei hou long tao gu mao hao gong shao wan qian dai mo kong xiang chang kang ' +
  'ouyang shangguan zhuge situ sima'
).split(' ');
const SURNAME_SUFFIXES = ['123', '1234', '12345', '123456', '888', '8888', '666', '520', '1314', '5201314'];

/** Patterns too regular to list one by one; exported for tests. */
export function generatedCommonPasswords(): string[] {
  const out: string[] = [];
  for (let year = 1950; year <= 2010; year++) {
    out.push(`woaini${year}`, `iloveyou${year}`, `${year}woaini`);
  }
  for (const name of SURNAMES) {
    for (const suffix of SURNAME_SUFFIXES) out.push(name + suffix);
  }
  return out;
}
