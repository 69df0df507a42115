// AES-GCM on WebCrypto (hardware AES where the platform has it). The product uses
// 256-bit keys only; 128/192-bit instances exist so the Wycheproof vectors for those
// sizes run through this same code.
import { success } from '../result';
import { asBufferSource } from './bytes';
import { assertSealInputs, badTag, openInputFailure, type AeadAlgorithm } from './aead-core';
import { createKeyCache } from './key-cache';

export type AesKeyLength = 16 | 24 | 32;

const importAesGcmKey = createKeyCache((raw) =>
  globalThis.crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']),
);

function createAesGcm(keyLength: AesKeyLength): AeadAlgorithm {
  const alg: AeadAlgorithm = {
    name: `AES-${keyLength * 8}-GCM`,
    keyLength,
    // NOTE: only 96-bit nonces: other lengths go through GHASH and lose GCM's
    // nonce-uniqueness guarantees for counter nonces.
    nonceLength: 12,
    tagLength: 16,
    async seal(key, nonce, plaintext, aad) {
      assertSealInputs(alg, key, nonce);
      const cryptoKey = await importAesGcmKey(key);
      const sealed = await globalThis.crypto.subtle.encrypt(
        { name: 'AES-GCM', iv: asBufferSource(nonce), additionalData: asBufferSource(aad) },
        cryptoKey,
        asBufferSource(plaintext),
      );
      return new Uint8Array(sealed);
    },
    async open(key, nonce, sealed, aad) {
      const invalid = openInputFailure(alg, key, nonce, sealed);
      if (invalid) return invalid;
      try {
        const cryptoKey = await importAesGcmKey(key);
        const plaintext = await globalThis.crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: asBufferSource(nonce), additionalData: asBufferSource(aad) },
          cryptoKey,
          asBufferSource(sealed),
        );
        return success(new Uint8Array(plaintext));
      } catch {
        return badTag(alg);
      }
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
