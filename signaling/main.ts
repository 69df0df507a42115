// `npm run serve` / `npm start`: load the config, start the server, stop cleanly on
// SIGINT/SIGTERM (open sockets closed, the database flushed and closed).
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startServer } from './server';

const logger = createLogger();

async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config, { logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: Error) => {
        logger.error({ err: { message: error.message } }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
  } else {
    logger.fatal({ err: { message: (error as Error).message } }, 'the server could not start');
  }
  process.exit(1);
});
