/** Thin fetch wrapper for the Xiangqiao JSON API (see docs/api-foundation.md). */

export type FieldErrors = Record<string, string>;

export class ApiError extends Error {
  readonly id: string;
  readonly status: number;
  readonly fields: FieldErrors;
  /** Extra members of the server's error object, e.g. `lockedUntil`. */
  readonly details: Record<string, unknown>;
  readonly requestId: string | null;

  constructor(init: {
    id: string;
    message: string;
    status: number;
    fields?: FieldErrors;
    details?: Record<string, unknown>;
    requestId?: string | null;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.id = init.id;
    this.status = init.status;
    this.fields = init.fields ?? {};
    this.details = init.details ?? {};
    this.requestId = init.requestId ?? null;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** Sent as Idempotency-Key: reuse the same key when retrying one submission (weak signal). */
  idempotencyKey?: string;
}

/** Calls whose 401 is an ordinary answer, not an expired session. */
const AUTH_PROBES = new Set(['/api/auth/login', '/api/auth/me']);

let csrfToken: string | null = null;
let getLanguage: () => string = () => 'zh-CN';
let onUnauthorized: ((err: ApiError) => void) | null = null;
let onForcedFlow: ((err: ApiError) => void) | null = null;

/** 403s that mean "finish the forced password change / TOTP setup first". */
const FORCED_FLOW_IDS = new Set(['password_change_required', 'totp_setup_required']);

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setLanguageSource(fn: () => string): void {
  getLanguage = fn;
}

export function setUnauthorizedHandler(fn: ((err: ApiError) => void) | null): void {
  onUnauthorized = fn;
}

export function setForcedFlowHandler(fn: ((err: ApiError) => void) | null): void {
  onForcedFlow = fn;
}

export function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function toApiError(status: number, body: unknown, requestId: string | null): ApiError {
  const err = isRecord(body) && isRecord(body.error) ? body.error : null;
  if (!err) {
    const id = status >= 500 ? 'server_unavailable' : 'unknown_error';
    return new ApiError({ id, message: '', status, requestId });
  }
  const { id, message, fields, ...details } = err;
  const fieldErrors: FieldErrors = {};
  if (isRecord(fields)) {
    for (const [k, v] of Object.entries(fields)) fieldErrors[k] = String(v);
  }
  return new ApiError({
    id: typeof id === 'string' ? id : 'unknown_error',
    message: typeof message === 'string' ? message : '',
    status,
    fields: fieldErrors,
    details,
    requestId: requestId ?? (typeof details.requestId === 'string' ? details.requestId : null),
  });
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': getLanguage(),
  };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  if (method !== 'GET') {
    const token = csrfToken ?? readCookie('xq_csrf');
    if (token) headers['X-CSRF-Token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({ id: 'network_error', message: '', status: 0 });
  }
  const requestId = res.headers.get('x-request-id');
  const text = res.status === 204 ? '' : await res.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (!res.ok) {
    const error = toApiError(res.status, body, requestId);
    if (res.status === 401 && !AUTH_PROBES.has(path) && onUnauthorized) onUnauthorized(error);
    if (res.status === 403 && FORCED_FLOW_IDS.has(error.id) && onForcedFlow) onForcedFlow(error);
    throw error;
  }
  if (isRecord(body) && typeof body.csrfToken === 'string') setCsrfToken(body.csrfToken);
  return body as T;
}

export const apiGet = <T>(path: string, query?: Query, signal?: AbortSignal) =>
  api<T>(path, { query, signal });
export const apiPost = <T>(path: string, body?: unknown) =>
  api<T>(path, { method: 'POST', body: body ?? {} });
export const apiPatch = <T>(path: string, body: unknown) => api<T>(path, { method: 'PATCH', body });
export const apiDelete = <T>(path: string) => api<T>(path, { method: 'DELETE' });

/** A fresh key for one submission; keep it while retrying that submission. */
export function newIdempotencyKey(): string {
  // getRandomValues, not randomUUID: stations often serve plain http on their LAN, where
  // randomUUID (secure contexts only) does not exist.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
