import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';
import { formatDateTime, formatRelative } from './format';

/** Error ids the UI has its own words for (see i18n `errors.*`). */
export const KNOWN_ERROR_IDS: ReadonlySet<string> = new Set([
  'invalid_credentials',
  'otp_required',
  'otp_invalid',
  'account_locked',
  'rate_limited',
  'csrf_failed',
  'validation_failed',
  'wrong_password',
  'session_expired',
  'unauthenticated',
  'network_error',
  'server_unavailable',
  'forbidden',
  'not_found',
  'totp_required',
  'already_set_up',
  'unknown_error',
  'internal_error',
  'duplicate_username',
  'password_change_required',
  'totp_setup_required',
  'totp_not_pending',
  'invalid_json',
  'payload_too_large',
]);

/** A sentence for the user: our translation for known ids, else the server's own message. */
export function errorText(err: unknown, t: TFunction, lang: string): string {
  if (!(err instanceof ApiError)) {
    return err instanceof Error && err.message ? err.message : t('errors.unknown_error');
  }
  if (err.id === 'account_locked') {
    const until = err.details.lockedUntil;
    if (typeof until === 'string' && until) {
      return t('errors.account_locked_until', {
        time: formatDateTime(until, lang),
        relative: formatRelative(until, lang),
      });
    }
  }
  // validation_failed without field details: only the server's words say what is wrong.
  const noFields = Object.keys(err.fields).length === 0;
  if (err.id === 'validation_failed' && noFields && err.message) return err.message;
  if (KNOWN_ERROR_IDS.has(err.id)) return t(`errors.${err.id}`);
  return err.message || t('errors.unknown_error');
}

/** Put the server's per-field messages next to the matching form fields. Returns true if any. */
export function applyFieldErrors(form: FormInstance, err: unknown, map: Record<string, string> = {}) {
  if (!(err instanceof ApiError)) return false;
  const entries = Object.entries(err.fields);
  if (entries.length === 0) return false;
  form.setFields(entries.map(([name, msg]) => ({ name: (map[name] ?? name).split('.'), errors: [msg] })));
  return true;
}
