import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from './deps.js';
import { AppError, badRequest } from './errors.js';

/** How long a key's first answer is kept and replayed. */
const KEEP_MS = 24 * 60 * 60 * 1000;
/** A first attempt still "running" after this long died with its process; its key may be claimed again. */
const ABANDONED_MS = 60 * 1000;
const KEY_RE = /^[A-Za-z0-9_.:-]{8,100}$/;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Honour `Idempotency-Key` on this write (API.md): a repeat gets the first answer. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotencyKey?: string;
  }
}

function requestHash(req: FastifyRequest): string {
  return createHash('sha256').update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
}

/**
 * preHandler for routes with `config.idempotent`: claim the key before the handler runs, or answer
 * with the stored response. The claim is a primary-key insert, so two copies of one request racing
 * each other cannot both run the write.
 */
export function idempotencyPreHandler(deps: Deps) {
  return async function preHandler(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!req.routeOptions.config.idempotent || !req.auth) return;
    const raw = req.headers['idempotency-key'];
    if (raw === undefined) return;
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!key || !KEY_RE.test(key)) throw badRequest('validation_failed', { 'Idempotency-Key': 'invalid' });
    const userId = req.auth.user.id;
    const now = deps.clock.now();
    const hash = requestHash(req);
    const claim = () =>
      deps.db
        .insertInto('idempotency_keys')
        .values({ user_id: userId, key, request_hash: hash, status_code: null, response_body: null, created_at: now.toISOString() })
        .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
        .executeTakeFirst();
    // Old keys go first, so a key can be reused after a day and the table stays small.
    await deps.db.deleteFrom('idempotency_keys').where('created_at', '<', new Date(now.getTime() - KEEP_MS).toISOString()).execute();
    const inserted = await claim();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) {
      req.idempotencyKey = key;
      return;
    }
    const prior = await deps.db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirst();
    if (!prior) throw new AppError(409, 'idempotency_in_progress');
    if (prior.request_hash !== hash) throw new AppError(422, 'idempotency_key_reused');
    if (prior.status_code === null) {
      const abandoned = now.getTime() - Date.parse(prior.created_at) > ABANDONED_MS;
      if (!abandoned) throw new AppError(409, 'idempotency_in_progress');
      const taken = await deps.db
        .updateTable('idempotency_keys')
        .set({ created_at: now.toISOString() })
        .where('user_id', '=', userId)
        .where('key', '=', key)
        .where('created_at', '=', prior.created_at)
        .where('status_code', 'is', null)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) throw new AppError(409, 'idempotency_in_progress');
      req.idempotencyKey = key;
      return;
    }
    reply.header('idempotent-replayed', 'true').header('content-type', 'application/json; charset=utf-8');
    await reply.status(prior.status_code).send(prior.response_body);
  };
}

/** onSend: keep the answer for replays; a server error frees the key so the client can retry. */
export function idempotencyOnSend(deps: Deps) {
  return async function onSend(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const key = req.idempotencyKey;
    if (!key || !req.auth) return payload;
    const where = deps.db.updateTable('idempotency_keys').where('user_id', '=', req.auth.user.id).where('key', '=', key);
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      await deps.db.deleteFrom('idempotency_keys').where('user_id', '=', req.auth.user.id).where('key', '=', key).execute();
    } else {
      await where.set({ status_code: reply.statusCode, response_body: payload }).execute();
    }
    return payload;
  };
}
