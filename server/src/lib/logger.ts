import type { FastifyServerOptions } from 'fastify';

/**
 * Paths pino must never write: credentials, tokens and the sensitive fields of residents. Request
 * bodies are not logged at all; these cover anything a handler logs by mistake.
 */
export const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.otp',
  '*.token',
  '*.csrfToken',
  '*.secret',
  '*.idNumber',
  '*.phone',
  '*.phones',
  '*.address',
  '*.healthNotes',
  '*.incomeNotes',
];

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
  };
}
