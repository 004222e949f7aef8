import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorBody } from './errors.js';
import { errorMessage, fieldMessage, type Locale } from './i18n.js';

interface AjvIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

function pathToField(instancePath: string): string {
  return instancePath.replace(/^\//, '').replace(/\//g, '.');
}

/** Name every bad field: `{"username":"必填","age":"类型不正确"}`. */
export function fieldsFromAjv(issues: AjvIssue[], locale: Locale): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const i of issues) {
    const base = pathToField(i.instancePath);
    let name = base;
    let code = 'invalid';
    switch (i.keyword) {
      case 'required':
        name = [base, String(i.params.missingProperty)].filter(Boolean).join('.');
        code = 'required';
        break;
      case 'additionalProperties':
        name = [base, String(i.params.additionalProperty)].filter(Boolean).join('.');
        code = 'unknown_field';
        break;
      case 'minLength':
      case 'minItems':
      case 'minimum':
        code = 'too_short';
        break;
      case 'maxLength':
      case 'maxItems':
      case 'maximum':
        code = 'too_long';
        break;
      case 'enum':
      case 'const':
      case 'anyOf':
        code = 'not_allowed_value';
        break;
      case 'type':
        code = 'wrong_type';
        break;
    }
    // The first problem with a field is the one worth telling; anyOf branches add noise.
    if (!(name in fields)) fields[name || '_'] = fieldMessage(code, locale);
  }
  return fields;
}

function body(err: AppError, locale: Locale): ErrorBody {
  const fields = err.fields
    ? Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, fieldMessage(v, locale)]))
    : undefined;
  return { error: { id: err.id, message: errorMessage(err.id, locale), ...(fields ? { fields } : {}), ...(err.extra ?? {}) } };
}

export function sendError(reply: FastifyReply, err: AppError, locale: Locale): FastifyReply {
  return reply.status(err.status).type('application/json; charset=utf-8').send(body(err, locale));
}

/** The one error handler: known errors become their 4xx; anything else a 500 that leaks nothing. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const locale = request.locale ?? 'zh-CN';
  if (error instanceof AppError) return sendError(reply, error, locale);
  if (error.validation) {
    const fields = fieldsFromAjv(error.validation as unknown as AjvIssue[], locale);
    return reply.status(400).send({ error: { id: 'validation_failed', message: errorMessage('validation_failed', locale), fields } });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, new AppError(400, 'invalid_json'), locale);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, new AppError(413, 'payload_too_large'), locale);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendError(reply, new AppError(415, 'unsupported_media_type'), locale);
  }
  if (error instanceof SyntaxError && error.statusCode === 400) return sendError(reply, new AppError(400, 'invalid_json'), locale);
  if (error.statusCode === 429) return sendError(reply, new AppError(429, 'rate_limited'), locale);
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({
    error: { id: 'internal_error', message: errorMessage('internal_error', locale), requestId: request.id },
  });
}
