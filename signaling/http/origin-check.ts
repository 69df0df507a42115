// Defence in depth next to SameSite=Strict: a state-changing API request that carries a
// browser Origin header must come from this server's own origin or an allowed one.
// Requests without Origin (the CLI, tests, curl) are not browsers acting for a user.
import type { RequestHandler } from 'express';
import type { Config } from '../config';
import { HttpError } from './errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function refuseCrossOriginWrites(config: Config): RequestHandler {
  const allowed = new Set(config.allowedOrigins);
  return (req, _res, next) => {
    const origin = req.headers.origin;
    if (SAFE_METHODS.has(req.method) || origin === undefined) {
      next();
      return;
    }
    if (allowed.has(origin) || sameOrigin(origin, `${req.protocol}://${req.headers.host ?? ''}`)) {
      next();
      return;
    }
    throw new HttpError(403, 'cross_origin', 'Requests from other sites are not accepted.');
  };
}

function sameOrigin(origin: string, own: string): boolean {
  try {
    return new URL(origin).origin === new URL(own).origin;
  } catch {
    return false;
  }
}
