import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import { idempotencyOnSend, idempotencyPreHandler } from './lib/idempotency.js';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { App, Deps } from './lib/deps.js';
import { AppError } from './lib/errors.js';
import { errorHandler, sendError } from './lib/http-errors.js';
import { actorOf, guard } from './lib/guard.js';
import { localeOf } from './lib/i18n.js';
import { publicRoute, type Policy } from './lib/policy.js';
import { loggerOptions } from './lib/logger.js';
import { securityHeaders } from './lib/security-headers.js';
import { authRoutes } from './modules/auth/routes.js';
import { healthRoutes } from './modules/health/routes.js';
import { organisationRoutes } from './modules/organisation/routes.js';
import { setupRoutes } from './modules/setup/routes.js';
import { userRoutes } from './modules/users/routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { residentRoutes } from './modules/residents/routes.js';
import { householdRoutes } from './modules/residents/household-routes.js';
import { consentRoutes } from './modules/consents/routes.js';
import { rosterRoutes } from './modules/roster/routes.js';
import { privacyRoutes } from './modules/privacy/routes.js';
import { schedulingRoutes } from './modules/scheduling/routes.js';
import { appointmentRoutes } from './modules/appointments/routes.js';
import { serviceRecordRoutes } from './modules/service-records/routes.js';
import { notificationRoutes } from './modules/notifications/routes.js';
import { settingsRoutes } from './modules/settings/routes.js';
import { attachmentRoutes } from './modules/attachments/routes.js';
import { consultationRoutes } from './modules/consultations/routes.js';
import { requestRoutes } from './modules/requests/routes.js';
import { visitRoutes } from './modules/visits/routes.js';
import { feedbackRoutes } from './modules/feedback/routes.js';
import { workbenchRoutes } from './modules/workbench/routes.js';

export interface RouteEntry {
  method: string | string[];
  url: string;
  config: { policy?: Policy } | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every /api route with its policy, for the test that proves none is open by accident. */
    routeTable: RouteEntry[];
  }
}

export interface BuildOptions {
  /** false in tests; pino options (with redaction) otherwise. */
  logger?: boolean;
  /** Where the built web app lives; served when config.serveWeb. */
  webDist?: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
// XQ_WEB_DIST lets parallel browser-test runs serve their own builds.
export const DEFAULT_WEB_DIST = process.env.XQ_WEB_DIST ? path.resolve(process.env.XQ_WEB_DIST) : path.resolve(here, '../../web/dist');

/** The whole server: plugins, guard, modules. Tests build exactly this. */
export async function buildApp(deps: Deps, opts: BuildOptions = {}): Promise<App> {
  const options: FastifyServerOptions = {
    logger: opts.logger === false ? false : loggerOptions(deps.config.logLevel),
    // Request ids need only be unique; randomUUID draws from a pooled buffer and is cheap.
    genReqId: () => randomUUID(),
    bodyLimit: deps.config.bodyLimitBytes,
    trustProxy: deps.config.trustProxy,
    // Close idle keep-alive sockets on shutdown, but let in-flight requests finish.
    forceCloseConnections: 'idle',
    ajv: {
      customOptions: {
        allErrors: true, // name every bad field, not only the first
        removeAdditional: false, // unknown fields are an error, not silently dropped
        coerceTypes: 'array',
        useDefaults: true,
      },
    },
  };
  const app = Fastify(options).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  app.decorate('xq', deps);
  app.decorateRequest('auth', null);
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('actor', function (this: Parameters<typeof actorOf>[0]) {
    return actorOf(this);
  });
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // While shutting down, answer in-flight requests with Connection: close, so keep-alive clients
  // let go and the process can exit once they are done (instead of waiting out keep-alive timers).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });

  // Every API route must say who may call it; an undeclared one stops the app from starting.
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    if (route.url.startsWith('/api/docs')) {
      route.config = { ...(route.config ?? {}), policy: publicRoute };
    } else {
      const policy = (route.config as { policy?: unknown } | undefined)?.policy;
      if (!policy) throw new Error(`Route ${String(route.method)} ${route.url} has no policy (config.policy)`);
      if (!route.schema) throw new Error(`Route ${String(route.method)} ${route.url} has no schema`);
    }
    routeTable.push({ method: route.method, url: route.url, config: route.config as RouteEntry['config'] });
  });

  // The SQLite reader connection is the app's to close (db itself is closed by whoever opened it).
  app.addHook('onClose', async () => {
    if (deps.readDb !== deps.db) await deps.readDb.destroy();
  });
  await app.register(cookie);
  // Uploads (roster imports, scanned consent forms): one file per request, read as a stream.
  await app.register(multipart, { limits: { files: 1, fields: 20, fileSize: 20 * 1024 * 1024, parts: 25 } });
  const headers = securityHeaders({ hsts: deps.config.secureCookies });
  app.addHook('onRequest', async (_req, reply) => {
    reply.headers(headers);
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new AppError(429, 'rate_limited'),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '乡桥 Xiangqiao API',
        description: 'HTTP API of Xiangqiao, the township social work station platform. See shared/API.md for conventions.',
        version: deps.version,
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'xq_sid' },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.addHook('onRequest', guard(deps));
  app.addHook('preHandler', idempotencyPreHandler(deps));
  app.addHook('onSend', idempotencyOnSend(deps));
  app.setErrorHandler(errorHandler);

  await app.register(healthRoutes, { prefix: '/api' });
  await app.register(setupRoutes, { prefix: '/api/setup' });
  await app.register(authRoutes, { prefix: '/api/auth' });
  await app.register(organisationRoutes, { prefix: '/api' });
  await app.register(userRoutes, { prefix: '/api/users' });
  await app.register(auditRoutes, { prefix: '/api/audit' });
  await app.register(residentRoutes, { prefix: '/api/residents' });
  await app.register(householdRoutes, { prefix: '/api/households' });
  // Routes under /api/residents/:id/consents and /api/consents.
  await app.register(consentRoutes, { prefix: '/api' });
  // /api/residents/import and /api/residents/export: the Excel rosters stations already keep.
  await app.register(rosterRoutes, { prefix: '/api/residents' });
  // Access requests, deletion requests, retention review, record of processing.
  await app.register(privacyRoutes, { prefix: '/api/privacy' });
  // Precise service: /api/service-types, /api/slots, /api/workers/:id/…, /api/calendar, /api/appointments,
  // /api/service-records, /api/notifications.
  await app.register(schedulingRoutes, { prefix: '/api' });
  await app.register(appointmentRoutes, { prefix: '/api' });
  await app.register(serviceRecordRoutes, { prefix: '/api' });
  await app.register(notificationRoutes, { prefix: '/api' });
  await app.register(settingsRoutes, { prefix: '/api' });
  await app.register(attachmentRoutes, { prefix: '/api' });
  await app.register(consultationRoutes, { prefix: '/api' });
  await app.register(requestRoutes, { prefix: '/api' });
  await app.register(visitRoutes, { prefix: '/api' });
  await app.register(feedbackRoutes, { prefix: '/api' });
  await app.register(workbenchRoutes, { prefix: '/api' });

  const webDist = opts.webDist ?? DEFAULT_WEB_DIST;
  const serveWeb = deps.config.serveWeb && fs.existsSync(path.join(webDist, 'index.html'));
  if (serveWeb) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: false,
      setHeaders: (reply, file) => {
        // Vite puts a content hash in every asset name, so assets can be cached for good.
        reply.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const locale = req.locale ?? localeOf(req.headers['accept-language']);
    if (req.url.startsWith('/api') || !serveWeb || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return sendError(reply, new AppError(404, 'not_found'), locale);
    }
    // Client-side routes of the single-page app.
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
  return app;
}
