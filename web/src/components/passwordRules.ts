/** Client-side mirror of the server's password policy; the server has the final word. */

export const MIN_PASSWORD_LENGTH = 10;

export interface PasswordCheck {
  length: boolean;
  classes: boolean;
  notUsername: boolean;
  /** Which of the four classes are present. */
  present: { lower: boolean; upper: boolean; digit: boolean; symbol: boolean };
}

export function checkPassword(password: string, username: string): PasswordCheck {
  const present = {
    lower: /[a-z]/.test(password),
    upper: /[A-Z]/.test(password),
    digit: /[0-9]/.test(password),
    symbol: /[^A-Za-z0-9]/.test(password),
  };
  const classCount = Object.values(present).filter(Boolean).length;
  const u = fold(username.trim());
  const pw = fold(password);
  return {
    length: [...password].length >= MIN_PASSWORD_LENGTH,
    classes: classCount >= 3,
    // Same as the server: never equal to the username, and not containing one of 3+ characters.
    notUsername: password.length > 0 && (u === '' || (pw !== u && !(u.length >= 3 && pw.includes(u)))),
    present,
  };
}

/** NFKC folds full-width letters typed with a Chinese IME, as the server does. */
function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

export const MAX_PASSWORD_LENGTH = 128;

export const passwordOk = (c: PasswordCheck) => c.length && c.classes && c.notUsername;

/** antd Form rule: blocks submit until the checklist is all green. */
export function passwordPolicyRule(message: string, getUsername: () => string) {
  return {
    validator: (_: unknown, value: string | undefined) =>
      !value || (passwordOk(checkPassword(value, getUsername())) && [...value].length <= MAX_PASSWORD_LENGTH)
        ? Promise.resolve()
        : Promise.reject(new Error(message)),
  };
}

/** A confirm field's rule: it must equal another field of the same form. */
export function mustMatchRule(field: string, message: string) {
  return ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: (_: unknown, value: string | undefined) =>
      !value || value === getFieldValue(field) ? Promise.resolve() : Promise.reject(new Error(message)),
  });
}
