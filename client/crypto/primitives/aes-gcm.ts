// AES-GCM on WebCrypto (hardware AES where the platform has it). The product uses
// 256-bit keys only; 128/192-bit instances exist so the Wycheproof vectors for those
// sizes run through this same code.
//
// Two ways in: seal/open take raw key bytes (imported through the key cache, for keys
// used more than once), and prepareAesGcmKey + sealPrepared/openPrepared take a key
// imported ahead of time. The secure channel uses the second: its per-frame keys are
// one-use, and importing the next frame's key while the current frame's encrypt runs
// off the main thread hides the import's main-thread cost (DESIGN.md section 4).
import { failure, success, type Result } from '../result';
import { asBufferSource } from './bytes';
import { assertSealInputs, badTag, openInputFailure, type AeadAlgorithm } from './aead-core';
import { CryptoInputError } from './errors';
import { createKeyCache } from './key-cache';

export type AesKeyLength = 16 | 24 | 32;

function importRawAesGcmKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

const importAesGcmKey = createKeyCache(importRawAesGcmKey);

/**
 * A non-extractable AES-GCM CryptoKey, imported ahead of use. erase() drops the
 * reference (a CryptoKey cannot be zeroed; the platform frees it with the object).
 */
export class AesGcmPreparedKey {
  #key: CryptoKey | null;

  constructor(
    readonly keyLength: AesKeyLength,
    key: CryptoKey,
  ) {
    this.#key = key;
  }

  /** Throws once erased: a used frame key must never seal again. */
  get cryptoKey(): CryptoKey {
    if (!this.#key) throw new CryptoInputError('bad-length', 'This AES-GCM key was erased.');
    return this.#key;
  }

  get erased(): boolean {
    return this.#key === null;
  }

  erase(): void {
    this.#key = null;
  }
}

export interface AesGcm extends AeadAlgorithm {
  /**
   * Imports `raw` as a non-extractable key. WebCrypto copies the bytes before this
   * returns (WebCrypto spec: importKey "gets a copy of the bytes" synchronously), so the
   * caller may zero `raw` right away.
   */
  prepareKey(raw: Uint8Array): Promise<AesGcmPreparedKey>;
  /** As seal(), with a prepared key; the encryption is dispatched before this returns. */
  sealPrepared(
    key: AesGcmPreparedKey,
    nonce: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array,
  ): Promise<Uint8Array<ArrayBuffer>>;
  /** As open(), with a prepared key; never throws. */
  openPrepared(
    key: AesGcmPreparedKey,
    nonce: Uint8Array,
    sealed: Uint8Array,
    aad: Uint8Array,
  ): Promise<Result<Uint8Array<ArrayBuffer>>>;
}

function createAesGcm(keyLength: AesKeyLength): AesGcm {
  const encrypt = (key: CryptoKey, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array) =>
    globalThis.crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: asBufferSource(nonce), additionalData: asBufferSource(aad) },
      key,
      asBufferSource(plaintext),
    );
  const decrypt = async (
    key: CryptoKey,
    nonce: Uint8Array,
    sealed: Uint8Array,
    aad: Uint8Array,
  ): Promise<Result<Uint8Array<ArrayBuffer>>> => {
    try {
      const plaintext = await globalThis.crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: asBufferSource(nonce), additionalData: asBufferSource(aad) },
        key,
        asBufferSource(sealed),
      );
      return success(new Uint8Array(plaintext));
    } catch {
      return badTag(alg);
    }
  };
  const checkPrepared = (key: AesGcmPreparedKey) => {
    if (!(key instanceof AesGcmPreparedKey) || key.keyLength !== keyLength) {
      throw new CryptoInputError('bad-length', `${alg.name} was given a key of another kind.`);
    }
    return key.cryptoKey;
  };
  const alg: AesGcm = {
    name: `AES-${keyLength * 8}-GCM`,
    keyLength,
    // NOTE: only 96-bit nonces: other lengths go through GHASH and lose GCM's
    // nonce-uniqueness guarantees for counter nonces.
    nonceLength: 12,
    tagLength: 16,
    async seal(key, nonce, plaintext, aad) {
      assertSealInputs(alg, key, nonce);
      const cryptoKey = await importAesGcmKey(key);
      return new Uint8Array(await encrypt(cryptoKey, nonce, plaintext, aad));
    },
    async open(key, nonce, sealed, aad) {
      const invalid = openInputFailure(alg, key, nonce, sealed);
      if (invalid) return invalid;
      try {
        return await decrypt(await importAesGcmKey(key), nonce, sealed, aad);
      } catch {
        return badTag(alg);
      }
    },
    prepareKey(raw) {
      if (raw.length !== keyLength) {
        return Promise.reject(
          new CryptoInputError('bad-length', `${alg.name} needs a ${keyLength}-byte key.`),
        );
      }
      // Called synchronously (no await before it), so the bytes are copied before we return.
      const imported = importRawAesGcmKey(asBufferSource(raw));
      return imported.then((key) => new AesGcmPreparedKey(keyLength, key));
    },
    async sealPrepared(key, nonce, plaintext, aad) {
      // Everything up to subtle.encrypt runs synchronously: the work is already under
      // way off the main thread when the caller gets the promise.
      const cryptoKey = checkPrepared(key);
      if (nonce.length !== alg.nonceLength) {
        throw new CryptoInputError('bad-length', `${alg.name} needs a 12-byte nonce.`);
      }
      return new Uint8Array(await encrypt(cryptoKey, nonce, plaintext, aad));
    },
    openPrepared(key, nonce, sealed, aad) {
      if (!(key instanceof AesGcmPreparedKey) || key.keyLength !== keyLength || key.erased) {
        return Promise.resolve(
          failure('bad-length', `${alg.name} was given a key of another kind.`),
        );
      }
      if (nonce.length !== alg.nonceLength || sealed.length < alg.tagLength) {
        return Promise.resolve(
          nonce.length !== alg.nonceLength
            ? failure('bad-length', `${alg.name} was given a nonce of the wrong length.`)
            : badTag(alg),
        );
      }
      return decrypt(key.cryptoKey, nonce, sealed, aad);
    },
  };
  return alg;
}

export const aes128Gcm = createAesGcm(16);
export const aes192Gcm = createAesGcm(24);
export const aes256Gcm = createAesGcm(32);

export function aesGcmForKeyLength(keyLength: number): AeadAlgorithm | undefined {
  if (keyLength === 16) return aes128Gcm;
  if (keyLength === 24) return aes192Gcm;
  if (keyLength === 32) return aes256Gcm;
  return undefined;
}
