/** Only same-site absolute paths are followed after login; anything else goes home. */
export function safeNext(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if (raw === '/login' || raw.startsWith('/login?') || raw.startsWith('/setup')) return '/';
  return raw;
}

export function withNext(base: string, next: string): string {
  return next && next !== '/' ? `${base}?next=${encodeURIComponent(next)}` : base;
}

export const loginPath = (next: string) => withNext('/login', next);
