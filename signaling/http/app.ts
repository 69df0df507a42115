// The Express app: security headers, the JSON API under /api, the built client, and
// one error handler that turns everything into `{ error: { code, message } }`.
import express from 'express';
import { refuseBannedIps, loadSession } from './auth-context';
import { errorHandler, notFound } from './errors';
import { refuseCrossOriginWrites } from './origin-check';
import type { RouteDeps } from './route-deps';
import { accountRoutes } from './routes/accounts';
import { adminRoutes } from './routes/admin';
import { deviceKeyRoutes } from './routes/device-keys';
import { iceRoutes } from './routes/ice';
import { ownAccountRoutes } from './routes/own-account';
import { passwordResetRoutes } from './routes/password-reset';
import { roomRoutes } from './routes/rooms';
import { securityHeaders } from './security-headers';
import { staticClient } from './static-files';

export function createApp(deps: RouteDeps): express.Express {
  const { config, logger } = deps.services;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting(config.trustProxy));
  // Express 5's default parser would turn ?a[b]=c into objects; keep queries flat strings.
  app.set('query parser', 'simple');

  app.use(securityHeaders(config));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  const api = express.Router();
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(refuseBannedIps(deps.services));
  api.use(refuseCrossOriginWrites(config));
  api.use(express.json({ limit: config.bodyLimitBytes, strict: true }));
  api.use(loadSession(deps.services));
  api.use(accountRoutes(deps));
  api.use(passwordResetRoutes(deps));
  api.use(ownAccountRoutes(deps));
  api.use(deviceKeyRoutes(deps));
  api.use(roomRoutes(deps));
  api.use(iceRoutes(deps));
  api.use('/admin', adminRoutes(deps));
  api.use(notFound());
  app.use('/api', api);

  const client = staticClient(config.staticDir, logger);
  if (client.length > 0) app.use(client);
  app.use(notFound());
  app.use(errorHandler(logger));
  return app;
}

/** "1" means one proxy hop (a number for Express), not an address called "1". */
function trustProxySetting(value: boolean | string): boolean | number | string {
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return value;
}
