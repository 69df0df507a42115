// Starts the whole server: services, the Express app, the HTTP(S) listener and the
// WebSocket relay on the same port. `port: 0` picks a free port (tests).
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { bootstrapAdminFromConfig } from './accounts/admin-accounts';
import type { Config, RateLimits } from './config';
import { createApp } from './http/app';
import { Limiters } from './http/rate-limits';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { attachRelay } from './relay/relay';
import type { Relay, RelayTuning } from './relay/relay';
import { createServices } from './services';
import type { Services, ServicesOptions } from './services';

export interface StartServerOptions extends ServicesOptions {
  logger?: Logger;
  rateLimits?: Partial<RateLimits>;
  relayTuning?: Partial<RelayTuning>;
}

export interface RunningServer {
  url: string;
  wsUrl: string;
  httpServer: http.Server | https.Server;
  relay: Relay;
  /** The server's parts, for tests and the admin tooling in the same process. */
  services: Services;
  close(): Promise<void>;
}

const HOUR_MS = 60 * 60 * 1000;

export async function startServer(
  config: Config,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  const services = createServices(config, logger, options);
  try {
    await bootstrapAdminFromConfig(services);
  } catch (error) {
    await services.close();
    throw error;
  }

  services.hasher.prepareDummy().catch((error: Error) => {
    logger.warn({ err: { message: error.message } }, 'could not prepare the dummy password hash');
  });
  const limiters = new Limiters(
    { ...config.rateLimits, ...options.rateLimits },
    services.securityLog,
  );
  let relay: Relay | null = null;
  const app = createApp({
    services,
    limiters,
    relay: () => {
      if (!relay) throw new Error('the relay is not attached yet');
      return relay;
    },
  });
  const httpServer = config.tls
    ? https.createServer({ cert: config.tls.cert, key: config.tls.key }, app)
    : http.createServer(app);
  // Slow-loris guards: a client gets 15 s to send its headers and 30 s for the request.
  httpServer.headersTimeout = 15_000;
  httpServer.requestTimeout = 30_000;
  relay = attachRelay(httpServer, {
    config,
    logger,
    securityLog: services.securityLog,
    tickets: services.tickets,
    admission: services.admission,
    ...(options.relayTuning ? { tuning: options.relayTuning } : {}),
  });

  try {
    await listen(httpServer, config.port, config.host);
  } catch (error) {
    await relay.close();
    await services.close();
    throw error;
  }
  const purge = setInterval(() => {
    services.sessions.purgeExpired();
    services.resets.purgeExpired();
  }, HOUR_MS);
  purge.unref();

  const address = httpServer.address() as AddressInfo;
  const host = urlHost(config.host);
  const scheme = config.tls ? 'https' : 'http';
  const url = `${scheme}://${host}:${address.port}`;
  logger.info({ url, tls: !!config.tls, dataDir: config.dataDir }, 'signaling server listening');

  let closing: Promise<void> | null = null;
  const runningRelay = relay;
  return {
    url,
    wsUrl: `${config.tls ? 'wss' : 'ws'}://${host}:${address.port}/signal`,
    httpServer,
    relay: runningRelay,
    services,
    close() {
      closing ??= (async () => {
        clearInterval(purge);
        await runningRelay.close();
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        });
        await services.close();
        logger.info('signaling server stopped');
      })();
      return closing;
    },
  };
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A host to put in URLs: wildcard binds are reached through loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
