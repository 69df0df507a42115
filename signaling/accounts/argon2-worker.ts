// Runs Argon2id off the event loop. One job at a time per worker; the pool queues.
import { randomBytes } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { argon2Verify, argon2id } from 'hash-wasm';
import type { Argon2Job, Argon2Reply } from './argon2-pool';

async function run(job: Argon2Job): Promise<string | boolean> {
  if (job.op === 'hash') {
    return argon2id({
      password: job.password,
      salt: randomBytes(16),
      iterations: job.params.iterations,
      parallelism: job.params.parallelism,
      memorySize: job.params.memoryKiB,
      hashLength: 32,
      outputType: 'encoded',
    });
  }
  return argon2Verify({ password: job.password, hash: job.hash });
}

parentPort!.on('message', (job: Argon2Job) => {
  run(job).then(
    (result) => parentPort!.postMessage({ id: job.id, ok: true, result } satisfies Argon2Reply),
    // A malformed stored hash or similar: report it without any password material.
    (error: unknown) =>
      parentPort!.postMessage({
        id: job.id,
        ok: false,
        message: error instanceof Error ? error.message : 'argon2 failed',
      } satisfies Argon2Reply),
  );
});
