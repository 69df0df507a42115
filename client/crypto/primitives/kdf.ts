// HKDF-SHA256, HMAC-SHA256 and SHA-256.
// HKDF and HMAC run on @noble/hashes: their inputs are small (keys, transcripts, labels)
// and a synchronous JS hash beats a WebCrypto round trip (import + promise) for those;
// it also accepts an empty HMAC key, which WebCrypto refuses. SHA-256 of arbitrary data
// uses WebCrypto, which is fastest for large inputs.
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { asBufferSource, constantTimeEqual } from './bytes';
import { CryptoInputError } from './errors';

/** RFC 5869: at most 255 blocks of output. */
export const HKDF_SHA256_MAX_LENGTH = 255 * 32;
export const HMAC_SHA256_LENGTH = 32;

/**
 * HKDF-SHA256 (extract then expand). An empty salt means the RFC's all-zero salt.
 * Throws CryptoInputError('bad-length') for a length outside 0..8160.
 */
export function hkdfSha256(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!Number.isInteger(length) || length < 0 || length > HKDF_SHA256_MAX_LENGTH) {
    return Promise.reject(
      new CryptoInputError(
        'bad-length',
        `HKDF-SHA256 can derive 0 to ${HKDF_SHA256_MAX_LENGTH} bytes.`,
      ),
    );
  }
  return Promise.resolve(hkdf(nobleSha256, ikm, salt, info, length) as Uint8Array<ArrayBuffer>);
}

export function hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return Promise.resolve(hmac(nobleSha256, key, data) as Uint8Array<ArrayBuffer>);
}

/** Checks a full 32-byte tag in constant time; any other tag length is simply false. */
export async function verifyHmacSha256(
  key: Uint8Array,
  data: Uint8Array,
  tag: Uint8Array,
): Promise<boolean> {
  if (tag.length !== HMAC_SHA256_LENGTH) return false;
  return constantTimeEqual(await hmacSha256(key, data), tag);
}

export async function sha256(data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', asBufferSource(data)));
}
