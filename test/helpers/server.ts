// A real server on an ephemeral port with a temporary DATA_DIR, removed on close.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../signaling/config';
import type { RateLimits } from '../../signaling/config';
import { createLogger } from '../../signaling/logger';
import type { Logger } from '../../signaling/logger';
import type { Argon2Params } from '../../signaling/accounts/argon2-pool';
import type { RelayTuning } from '../../signaling/relay/relay';
import { startServer } from '../../signaling/server';
import type { RunningServer } from '../../signaling/server';

/** Weak on purpose (tests only): full-strength Argon2 would make suites crawl. */
export const TEST_ARGON2: Argon2Params = { memoryKiB: 256, iterations: 1, parallelism: 1 };

export interface TestServerOptions {
  /** Full-strength Argon2 (the timing and event-loop tests want real work). */
  argon2?: Argon2Params;
  rateLimits?: Partial<RateLimits>;
  relayTuning?: Partial<RelayTuning>;
  logger?: Logger;
  /** Reuse a data directory (restart tests); it is then not removed on close. */
  dataDir?: string;
  /** Keep the temporary data directory after close (to restart on it); remove it yourself. */
  keepDataDir?: boolean;
}

export type TestServer = RunningServer & { dataDir: string };

export async function startTestServer(
  env: Record<string, string> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const ownsDataDir = !options.dataDir && !options.keepDataDir;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'signaling-test-'));
  const config = loadConfig(
    { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, STATIC_DIR: '', ...env },
    { envFile: false },
  );
  const server = await startServer(config, {
    logger: options.logger ?? createLogger({ level: 'silent' }),
    argon2: options.argon2 ?? TEST_ARGON2,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.relayTuning ? { relayTuning: options.relayTuning } : {}),
  });
  return {
    ...server,
    dataDir,
    async close() {
      await server.close();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
