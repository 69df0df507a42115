// The same crypto api on a Node worker_thread, through Comlink's node adapter, so the CLI
// and Node tests run the very code the browser runs. This one file plays both parts:
// imported on the main thread it starts the worker; run as the worker it exposes the api.
//
// NOTE: the worker runs this TypeScript file directly. `execArgv: ['--import', 'tsx']`
// does not work for a worker's entry file on Node 20 (the loader hooks register after the
// entry is resolved: "Unknown file extension .ts"), so a two-line bootstrap registers
// tsx's loader first and then imports this file. Works under tsx and under vitest, from
// any working directory.
import { expose, wrap, type Remote } from 'comlink';
import type nodeEndpointTyped from 'comlink/dist/esm/node-adapter';
// @ts-expect-error -- comlink types this file as node-adapter.d.ts, which TypeScript does not pair with the .mjs that Node must load
import nodeEndpointUntyped from 'comlink/dist/esm/node-adapter.mjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createCryptoApi, type CryptoApi } from './api';

const nodeEndpoint = nodeEndpointUntyped as typeof nodeEndpointTyped;
const ROLE = 'p2pchat-crypto-worker';

function bootstrapCode(entry: string): string {
  // tsx's package.json maps "tsx/esm/api" (import) to dist/esm/api/index.mjs.
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  return `import(${JSON.stringify(tsxApi)})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })
    .catch((error) => { console.error('The crypto worker could not start:', error); process.exit(1); });`;
}

export interface NodeCryptoWorker {
  readonly api: Remote<CryptoApi>;
  terminate(): Promise<void>;
}

export function startNodeCryptoWorker(): NodeCryptoWorker {
  const worker = new Worker(bootstrapCode(import.meta.url), {
    eval: true,
    workerData: { role: ROLE },
  });
  // An unexpected crash must not go unnoticed: calls in flight would otherwise hang.
  worker.on('error', (error) => console.error('The crypto worker crashed:', error.message));
  return {
    api: wrap<CryptoApi>(nodeEndpoint(worker)),
    terminate: async () => {
      await worker.terminate();
    },
  };
}

if (!isMainThread && parentPort && (workerData as { role?: unknown } | null)?.role === ROLE) {
  expose(createCryptoApi(), nodeEndpoint(parentPort));
}
