// AES_256_CBC_HMAC_SHA_512 (RFC 7518 section 5.2.5, JWE "A256CBC-HS512").
// Encrypt-then-MAC: the 64-byte key splits into MAC_KEY (first 32 bytes) and ENC_KEY
// (last 32); the tag is HMAC-SHA-512(MAC_KEY, AAD || IV || C || AL) cut to 32 bytes,
// where AL is the AAD length in bits as a 64-bit big-endian number.
// WARNING: the MAC is checked (in constant time) before anything is decrypted, and every
// failure, including bad padding, is the same 'bad-tag': no padding oracle.
import { success } from '../result';
import { asBufferSource, concatBytes, constantTimeEqual, u64be } from './bytes';
import { assertSealInputs, badTag, openInputFailure, type AeadAlgorithm } from './aead-core';
import { createKeyCache } from './key-cache';

const HALF = 32;
const TAG_LENGTH = 32;
const BLOCK = 16;

interface CbcHmacKeys {
  readonly mac: CryptoKey;
  readonly enc: CryptoKey;
}

// Both halves are imported together, keyed by the caller's 64-byte key.
const importKeys = createKeyCache<CbcHmacKeys>(async (raw) => {
  const subtle = globalThis.crypto.subtle;
  const [mac, enc] = await Promise.all([
    subtle.importKey('raw', raw.subarray(0, HALF), { name: 'HMAC', hash: 'SHA-512' }, false, [
      'sign',
    ]),
    subtle.importKey('raw', raw.subarray(HALF), 'AES-CBC', false, ['encrypt', 'decrypt']),
  ]);
  return { mac, enc };
});

async function computeTag(
  macKey: CryptoKey,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  const macInput = concatBytes(aad, iv, ciphertext, u64be(BigInt(aad.length) * 8n));
  const mac = await globalThis.crypto.subtle.sign('HMAC', macKey, macInput);
  return new Uint8Array(mac, 0, TAG_LENGTH);
}

export const aes256CbcHmacSha512: AeadAlgorithm = {
  name: 'A256CBC-HS512',
  keyLength: 2 * HALF,
  nonceLength: BLOCK,
  tagLength: TAG_LENGTH,
  async seal(key, iv, plaintext, aad) {
    assertSealInputs(aes256CbcHmacSha512, key, iv);
    const { mac, enc } = await importKeys(key);
    // WebCrypto's AES-CBC applies PKCS#7 padding, as RFC 7518 requires.
    const ciphertext = new Uint8Array(
      await globalThis.crypto.subtle.encrypt(
        { name: 'AES-CBC', iv: asBufferSource(iv) },
        enc,
        asBufferSource(plaintext),
      ),
    );
    return concatBytes(ciphertext, await computeTag(mac, iv, ciphertext, aad));
  },
  async open(key, iv, sealed, aad) {
    const alg = aes256CbcHmacSha512;
    const invalid = openInputFailure(alg, key, iv, sealed);
    if (invalid) return invalid;
    const ciphertextLength = sealed.length - TAG_LENGTH;
    if (ciphertextLength === 0 || ciphertextLength % BLOCK !== 0) return badTag(alg);
    try {
      const { mac, enc } = await importKeys(key);
      const ciphertext = sealed.subarray(0, ciphertextLength);
      const expected = await computeTag(mac, iv, ciphertext, aad);
      if (!constantTimeEqual(expected, sealed.subarray(ciphertextLength))) return badTag(alg);
      const plaintext = await globalThis.crypto.subtle.decrypt(
        { name: 'AES-CBC', iv: asBufferSource(iv) },
        enc,
        asBufferSource(ciphertext),
      );
      return success(new Uint8Array(plaintext));
    } catch {
      return badTag(alg);
    }
  },
};
