// Runs Argon2id off the event loop. One job at a time per worker; the pool queues.
import { randomBytes } from 'node:crypto';
import { setPriority } from 'node:os';
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

// NOTE: on Linux the nice value is per thread, so this lowers only this worker: hashing
// yields the CPU to the event loop that serves every other request (on a busy 2-core
// machine that keeps the loop's p99 delay low while logins hash). Best effort elsewhere.
try {
  setPriority(10);
} catch {
  // Not permitted or not supported: hashing still works at normal priority.
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
