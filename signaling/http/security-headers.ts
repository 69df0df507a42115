// Security headers (DESIGN.md section 9): a strict CSP, nosniff, no referrer, no
// framing, and HSTS only when the request really arrived over TLS.
import helmet from 'helmet';
import type { RequestHandler } from 'express';
import type { Config } from '../config';

export function securityHeaders(config: Config): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          // 'wasm-unsafe-eval' lets hash-wasm and the crypto worker compile WebAssembly
          // without allowing eval() of JavaScript.
          scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          mediaSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'", ...websocketSources(config)],
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          ...(config.tls ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: false,
      referrerPolicy: { policy: 'no-referrer' },
      xFrameOptions: { action: 'deny' },
      crossOriginEmbedderPolicy: false,
    }),
    (req, res, next) => {
      // Over plain HTTP the header is meaningless (and ignored), so send it only on TLS.
      if (req.secure) {
        res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
      }
      next();
    },
  ];
}

/** Older browsers do not match ws:/wss: with 'self'; allow the configured origins' sockets. */
function websocketSources(config: Config): string[] {
  return config.allowedOrigins.map((origin) => origin.replace(/^http/, 'ws'));
}
