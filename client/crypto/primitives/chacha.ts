// ChaCha20-Poly1305 (RFC 8439, 12-byte nonce) and XChaCha20-Poly1305 (24-byte nonce)
// from @noble/ciphers: WebCrypto has neither.
import { chacha20poly1305, xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { success } from '../result';
import { assertSealInputs, badTag, openInputFailure, type AeadAlgorithm } from './aead-core';

type NobleAead = typeof chacha20poly1305;

function wrapNoble(name: string, nonceLength: number, cipher: NobleAead): AeadAlgorithm {
  const alg: AeadAlgorithm = {
    name,
    keyLength: 32,
    nonceLength,
    tagLength: 16,
    // async so that bad input rejects the promise, exactly like the WebCrypto suites.
    async seal(key, nonce, plaintext, aad) {
      assertSealInputs(alg, key, nonce);
      return cipher(key, nonce, aad).encrypt(plaintext) as Uint8Array<ArrayBuffer>;
    },
    async open(key, nonce, sealed, aad) {
      const invalid = openInputFailure(alg, key, nonce, sealed);
      if (invalid) return invalid;
      try {
        return success(cipher(key, nonce, aad).decrypt(sealed) as Uint8Array<ArrayBuffer>);
      } catch {
        return badTag(alg);
      }
    },
  };
  return alg;
}

/** Internal: only the Wycheproof runner uses the 12-byte-nonce variant. */
export const chacha20Poly1305 = wrapNoble('ChaCha20-Poly1305', 12, chacha20poly1305);
export const xchacha20Poly1305 = wrapNoble('XChaCha20-Poly1305', 24, xchacha20poly1305);
