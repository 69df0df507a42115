// Incremental SHA-256 (hash-wasm) for files too large to hold in memory.
import { createSHA256 } from 'hash-wasm';

export interface Sha256Stream {
  update(chunk: Uint8Array): void;
  digest(): Uint8Array;
}

export async function createSha256Stream(): Promise<Sha256Stream> {
  const hasher = await createSHA256();
  hasher.init();
  return {
    update(chunk) {
      hasher.update(chunk);
    },
    digest() {
      return hasher.digest('binary');
    },
  };
}
