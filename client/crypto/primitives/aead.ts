// The three cipher suites a room can choose (DESIGN.md section 4), behind one interface.
import { aes256CbcHmacSha512 } from './aes-cbc-hmac';
import type { AeadAlgorithm } from './aead-core';
import { aes256Gcm } from './aes-gcm';
import { xchacha20Poly1305 } from './chacha';
import { CryptoInputError } from './errors';

export type { AeadAlgorithm } from './aead-core';

export type CipherSuite = 'aes-256-gcm' | 'xchacha20-poly1305' | 'aes-256-cbc-hmac-sha512';

export const CIPHER_SUITES: readonly CipherSuite[] = Object.freeze([
  'aes-256-gcm',
  'xchacha20-poly1305',
  'aes-256-cbc-hmac-sha512',
]);

export function isCipherSuite(x: unknown): x is CipherSuite {
  return typeof x === 'string' && (CIPHER_SUITES as readonly string[]).includes(x);
}

export interface Aead extends AeadAlgorithm {
  readonly suite: CipherSuite;
}

const SUITES: Record<CipherSuite, Aead> = {
  'aes-256-gcm': { ...aes256Gcm, suite: 'aes-256-gcm' },
  'xchacha20-poly1305': { ...xchacha20Poly1305, suite: 'xchacha20-poly1305' },
  'aes-256-cbc-hmac-sha512': { ...aes256CbcHmacSha512, suite: 'aes-256-cbc-hmac-sha512' },
};

/** Throws CryptoInputError('unknown-suite') for anything that is not a CipherSuite. */
export function aeadFor(suite: CipherSuite): Aead {
  if (!isCipherSuite(suite)) {
    throw new CryptoInputError('unknown-suite', 'This cipher suite is not supported.');
  }
  return SUITES[suite];
}
