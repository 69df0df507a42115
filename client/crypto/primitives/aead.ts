// The three cipher suites a room can choose (DESIGN.md section 4), behind one interface.
import type { Result } from '../result';
import { aes256CbcHmacSha512 } from './aes-cbc-hmac';
import type { AeadAlgorithm } from './aead-core';
import { aes256Gcm, type AesGcmPreparedKey } from './aes-gcm';
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

/**
 * A key made ready ahead of its use: for AES-256-GCM a non-extractable WebCrypto key
 * (importing costs main-thread time, so the channel imports the next frame's key while
 * the current frame is encrypted); for the other suites a private copy of the bytes.
 * erase() when done: a used key then refuses to seal or open.
 */
export interface PreparedKey {
  readonly erased: boolean;
  erase(): void;
}

export interface Aead extends AeadAlgorithm {
  readonly suite: CipherSuite;
  /** The caller may zero `raw` as soon as this returns (the key is copied synchronously). */
  prepareKey(raw: Uint8Array): Promise<PreparedKey>;
  /** As seal(), with a key from this suite's prepareKey(). */
  sealPrepared(
    key: PreparedKey,
    nonce: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array,
  ): Promise<Uint8Array<ArrayBuffer>>;
  /** As open(), with a key from this suite's prepareKey(); never throws. */
  openPrepared(
    key: PreparedKey,
    nonce: Uint8Array,
    sealed: Uint8Array,
    aad: Uint8Array,
  ): Promise<Result<Uint8Array<ArrayBuffer>>>;
}

/** For suites with nothing to precompute: the key bytes, copied, zeroed by erase(). */
class RawPreparedKey implements PreparedKey {
  #bytes: Uint8Array | null;

  constructor(raw: Uint8Array) {
    this.#bytes = raw.slice();
  }

  get erased(): boolean {
    return this.#bytes === null;
  }

  /** An erased key yields an empty array, which every suite rejects as the wrong length. */
  get bytes(): Uint8Array {
    return this.#bytes ?? new Uint8Array(0);
  }

  erase(): void {
    this.#bytes?.fill(0);
    this.#bytes = null;
  }
}

function withRawPreparedKeys(alg: AeadAlgorithm, suite: CipherSuite): Aead {
  const bytesOf = (key: PreparedKey) =>
    key instanceof RawPreparedKey ? key.bytes : new Uint8Array(0);
  return {
    ...alg,
    suite,
    prepareKey: (raw) =>
      raw.length === alg.keyLength
        ? Promise.resolve(new RawPreparedKey(raw))
        : Promise.reject(
            new CryptoInputError('bad-length', `${alg.name} needs a ${alg.keyLength}-byte key.`),
          ),
    sealPrepared: (key, nonce, plaintext, aad) => alg.seal(bytesOf(key), nonce, plaintext, aad),
    openPrepared: (key, nonce, sealed, aad) => alg.open(bytesOf(key), nonce, sealed, aad),
  };
}

const SUITES: Record<CipherSuite, Aead> = {
  'aes-256-gcm': {
    ...aes256Gcm,
    suite: 'aes-256-gcm',
    // The AES-GCM methods check at run time that the key is one of theirs.
    sealPrepared: (key, ...rest) => aes256Gcm.sealPrepared(key as AesGcmPreparedKey, ...rest),
    openPrepared: (key, ...rest) => aes256Gcm.openPrepared(key as AesGcmPreparedKey, ...rest),
  },
  'xchacha20-poly1305': withRawPreparedKeys(xchacha20Poly1305, 'xchacha20-poly1305'),
  'aes-256-cbc-hmac-sha512': withRawPreparedKeys(aes256CbcHmacSha512, 'aes-256-cbc-hmac-sha512'),
};

/** Throws CryptoInputError('unknown-suite') for anything that is not a CipherSuite. */
export function aeadFor(suite: CipherSuite): Aead {
  if (!isCipherSuite(suite)) {
    throw new CryptoInputError('unknown-suite', 'This cipher suite is not supported.');
  }
  return SUITES[suite];
}
