import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * Helmet's headers, worked out once. Helmet re-reads its options on every request (about 5% of a
 * signed-in request's CPU here); the headers never change while the server runs.
 */
export function securityHeaders(opts: { hsts: boolean }): Record<string, string> {
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd writes its styles at run time (CSS-in-JS).
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // No upgrade-insecure-requests: a station often serves plain HTTP on a LAN address, where
        // upgrading every asset to https would leave a blank page.
      },
    },
    // HSTS only when the operator says TLS is in front; on plain HTTP it would lock users out.
    strictTransportSecurity: opts.hsts ? { maxAge: 15552000 } : false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
  });
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string) {
      headers[name.toLowerCase()] = value;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  } as unknown as ServerResponse;
  middleware({} as IncomingMessage, res, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error(String(err));
  });
  return headers;
}
