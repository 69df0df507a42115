// The page's handle on the crypto worker: a typed Comlink proxy. Only the api's type is
// imported here; the code (and every key) lives in the worker.
import { wrap, type Remote } from 'comlink';
import type { CryptoApi } from './crypto.worker';

export interface CryptoWorker {
  readonly api: Remote<CryptoApi>;
  terminate(): void;
}

export function startCryptoWorker(): CryptoWorker {
  const worker = new Worker(new URL('./crypto.worker.ts', import.meta.url), { type: 'module' });
  return { api: wrap<CryptoApi>(worker), terminate: () => worker.terminate() };
}
