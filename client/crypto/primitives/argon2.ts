// Argon2id from hash-wasm (WebAssembly), for wrapping the at-rest data key with a
// passphrase (DESIGN.md section 7).
import { argon2id } from 'hash-wasm';
import { CryptoInputError } from './errors';

export interface Argon2Params {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  hashLength: number;
}

/** OWASP's minimum for Argon2id: 19 MiB, t=2, p=1. */
export const DEFAULT_ARGON2: Readonly<Argon2Params> = Object.freeze({
  memoryKiB: 19456,
  iterations: 2,
  parallelism: 1,
  hashLength: 32,
});

export async function argon2idRaw(
  password: Uint8Array | string,
  salt: Uint8Array,
  params: Argon2Params,
): Promise<Uint8Array> {
  if (salt.length < 8)
    throw new CryptoInputError('bad-length', 'An Argon2id salt is at least 8 bytes.');
  return argon2id({
    password,
    salt,
    parallelism: params.parallelism,
    iterations: params.iterations,
    memorySize: params.memoryKiB,
    hashLength: params.hashLength,
    outputType: 'binary',
  });
}
