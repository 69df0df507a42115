// A small worker_threads pool for Argon2id: hashing takes tens of milliseconds and
// ~19 MiB, which must never happen on the event loop that serves everyone else.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface Argon2Params {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

export type Argon2Job =
  | { id: number; op: 'hash'; password: string; params: Argon2Params }
  | { id: number; op: 'verify'; password: string; hash: string };

export type Argon2Reply =
  { id: number; ok: true; result: string | boolean } | { id: number; ok: false; message: string };

type JobInput = Argon2Job extends infer J ? (J extends Argon2Job ? Omit<J, 'id'> : never) : never;

interface Pending {
  job: Argon2Job;
  resolve: (result: string | boolean) => void;
  reject: (error: Error) => void;
}

// NOTE: the worker is TypeScript. On Node 20 a worker ignores `--import tsx` in its
// execArgv, and vitest's transform never reaches worker threads; so the worker's entry
// is a small script that registers tsx's ESM loader, then imports the real worker file.
// Works under tsx and vitest alike.
const WORKER_URL = new URL('./argon2-worker.ts', import.meta.url).href;
const WORKER_BOOTSTRAP = `
import(${JSON.stringify(tsxEsmApiUrl())})
  .then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL)}); });
`;

function tsxEsmApiUrl(): string {
  const require = createRequire(import.meta.url);
  const packageJsonPath = require.resolve('tsx/package.json');
  const pkg = require(packageJsonPath) as {
    exports: { './esm/api': { import: { default: string } } };
  };
  return pathToFileURL(
    path.join(path.dirname(packageJsonPath), pkg.exports['./esm/api'].import.default),
  ).href;
}

export class Argon2Error extends Error {
  override name = 'Argon2Error';
}

export class Argon2Pool {
  /** Jobs handed to a worker so far; tests use it to prove rate limits act before hashing. */
  jobsStarted = 0;
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private readonly workers: Worker[] = [];
  private nextId = 1;
  private closed = false;

  // One core is left to the event loop: on a 2-core machine two busy Argon2 workers
  // starve it (measured: p99 event-loop delay over 20 ms during 10 parallel logins).
  constructor(size = Math.max(1, Math.min(4, availableParallelism() - 1))) {
    for (let i = 0; i < size; i++) this.spawn();
  }

  hash(password: string, params: Argon2Params): Promise<string> {
    return this.submit({ op: 'hash', password, params }) as Promise<string>;
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.submit({ op: 'verify', password, hash }) as Promise<boolean>;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Argon2Error('pool closed'));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private submit(input: JobInput): Promise<string | boolean> {
    if (this.closed) return Promise.reject(new Argon2Error('pool closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { ...input, id: this.nextId++ } as Argon2Job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      this.jobsStarted += 1;
      worker.postMessage(pending.job);
    }
  }

  private spawn(): void {
    const worker = new Worker(WORKER_BOOTSTRAP, { eval: true });
    worker.unref();
    worker.on('message', (reply: Argon2Reply) => {
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      this.idle.push(worker);
      if (pending) {
        if (reply.ok) pending.resolve(reply.result);
        else pending.reject(new Argon2Error(reply.message));
      }
      this.dispatch();
    });
    worker.on('error', (error) => {
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      pending?.reject(new Argon2Error(`argon2 worker failed: ${error.message}`));
    });
    worker.on('exit', () => {
      this.workers.splice(this.workers.indexOf(worker), 1);
      const idleIndex = this.idle.indexOf(worker);
      if (idleIndex >= 0) this.idle.splice(idleIndex, 1);
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      pending?.reject(new Argon2Error('argon2 worker exited'));
      // Keep the pool at strength: a crashed worker is replaced.
      if (!this.closed) this.spawn();
    });
    this.workers.push(worker);
    this.idle.push(worker);
    this.dispatch();
  }
}
