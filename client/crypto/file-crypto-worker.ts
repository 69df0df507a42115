// File chunks get a crypto worker of their own (DESIGN.md section 8; a deviation, see the
// README): a second instance of the same worker, started at the first file call. It only
// ever holds per-file keys, which travel in the signed offer that the page reads anyway.
// NOTE: with one worker, every chat message waited behind the file chunks being opened
// (bench:files: chat took 33 ms p50 from arrival to screen during a transfer, 11 ms alone).
import type { CryptoPort } from '../core/crypto-port';
import { startCryptoWorker, type CryptoWorker } from './worker-client';

let worker: CryptoWorker | undefined;

/** The page's file-crypto port: calls start the worker on first use. */
export function fileCryptoPort(): CryptoPort {
  return new Proxy({} as CryptoPort, {
    get(_, name: string) {
      return (...args: unknown[]) => {
        worker ??= startCryptoWorker();
        const api = worker.api as unknown as Record<string, (...a: unknown[]) => unknown>;
        return api[name]!(...args);
      };
    },
  });
}
