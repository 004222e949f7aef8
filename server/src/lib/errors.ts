/** Stable error ids: the web translates them, tests assert on them. */
export type ErrorId =
  | 'validation_failed'
  | 'invalid_json'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unauthenticated'
  | 'session_expired'
  | 'invalid_credentials'
  | 'otp_required'
  | 'otp_invalid'
  | 'account_locked'
  | 'csrf_failed'
  | 'forbidden'
  | 'not_found'
  | 'already_set_up'
  | 'duplicate_username'
  | 'wrong_password'
  | 'totp_required'
  | 'totp_not_pending'
  | 'rate_limited'
  | 'password_change_required'
  | 'totp_setup_required'
  | 'duplicate_resident'
  | 'possible_duplicate'
  | 'version_conflict'
  | 'consent_required'
  | 'resident_anonymised'
  | 'invalid_file'
  | 'import_has_problems'
  | 'already_decided'
  | 'idempotency_in_progress'
  | 'idempotency_key_reused'
  | 'approval_not_allowed'
  | 'already_withdrawn'
  | 'slot_taken'
  | 'not_bookable'
  | 'invalid_transition'
  // consultations (add below this line)
  | 'already_converted'
  // requests (add below this line)
  // visits (add below this line)
  | 'resident_not_active'
  | 'tier_lowering_needs_head'
  // feedback (add below this line)
  | 'already_rated'
  | 'internal_error';

export interface ErrorBody {
  error: {
    id: ErrorId;
    message: string;
    fields?: Record<string, string>;
    [extra: string]: unknown;
  };
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly id: ErrorId,
    /** Field name → message key or literal message for each bad field. */
    readonly fields?: Record<string, string>,
    /** Extra data the client needs (e.g. lockedUntil); never internals. */
    readonly extra?: Record<string, unknown>,
  ) {
    super(id);
  }
}

export const badRequest = (id: ErrorId = 'validation_failed', fields?: Record<string, string>) =>
  new AppError(400, id, fields);
export const unauthenticated = (id: 'unauthenticated' | 'session_expired' | 'invalid_credentials' | 'otp_required' | 'otp_invalid' = 'unauthenticated') =>
  new AppError(401, id);
export const forbidden = (id: 'forbidden' | 'csrf_failed' | 'account_locked' = 'forbidden', extra?: Record<string, unknown>) =>
  new AppError(403, id, undefined, extra);
/** Also used for records the user may not see: never reveal that they exist. */
export const notFound = (entity = 'record') => new AppError(404, 'not_found', undefined, { entity });
export const conflict = (id: ErrorId, fields?: Record<string, string>) => new AppError(409, id, fields);
export const unprocessable = (id: ErrorId, extra?: Record<string, unknown>) => new AppError(422, id, undefined, extra);
