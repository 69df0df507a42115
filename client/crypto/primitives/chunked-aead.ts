// c2sp.org/chunked-encryption ("Cobblestone-256"): SHA-512 HKDF-Expand + AES-256-GCM.
//
//   key || base nonce || commitment = HKDF-Expand-SHA512(prk = input key,
//       info = "c2sp.org/chunked-encryption@v1+AEAD_AES_256_GCM" || 0x00 || salt || context)
//   ciphertext = salt (24) || commitment (32) || AEAD chunks
//
// Chunk k is sealed with nonce = base nonce XOR k (big-endian, as wide as the nonce) and
// an empty AAD. Every chunk is exactly 16 KiB except the final one, which is always
// shorter (possibly empty): that short final chunk is the end-of-message signal, and the
// chunk index in the nonce plus the ciphertext length authenticate the message length,
// so truncation, extension, reordering and duplication all fail authentication.
import { hmac } from '@noble/hashes/hmac.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { failure, success, type Result } from '../result';
import { badTag } from './aead-core';
import { aes256Gcm } from './aes-gcm';
import { concatBytes, constantTimeEqual, randomBytes, utf8 } from './bytes';
import { CryptoInputError } from './errors';

export const CHUNK_SIZE = 16384;
export const CHUNK_TAG_LENGTH = aes256Gcm.tagLength;
export const SEALED_CHUNK_SIZE = CHUNK_SIZE + CHUNK_TAG_LENGTH;
export const SALT_LENGTH = 24;
export const COMMITMENT_LENGTH = 32;
export const HEADER_LENGTH = SALT_LENGTH + COMMITMENT_LENGTH;
export const INPUT_KEY_LENGTH = aes256Gcm.keyLength;
/** The spec's hard limit: the counter occupies at most the low 38 bits of the nonce. */
export const MAX_CHUNKS = 2 ** 38;

const INFO_PREFIX = utf8('c2sp.org/chunked-encryption@v1+AEAD_AES_256_GCM\u0000');
const NONCE_LENGTH = aes256Gcm.nonceLength;

/** HKDF-Expand (RFC 5869 section 2.3) with HMAC-SHA-512. Written out because C2SP uses a
 * 32-byte PRK, shorter than SHA-512's output, which @noble/hashes' `expand` refuses. */
function hkdfExpandSha512(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let previous: Uint8Array = new Uint8Array(0);
  for (let counter = 1, offset = 0; offset < length; counter++, offset += 64) {
    previous = hmac(sha512, prk, concatBytes(previous, info, new Uint8Array([counter])));
    out.set(previous.subarray(0, Math.min(64, length - offset)), offset);
  }
  return out;
}

/** Random-access sealing and opening of one message's chunks, after the header is settled. */
export interface ChunkCipher {
  /** salt || commitment: the first 56 bytes of the ciphertext. */
  readonly header: Uint8Array;
  /** Seals chunk `index`. Non-final chunks must be exactly CHUNK_SIZE bytes, the final one shorter. */
  sealChunk(index: number, plaintext: Uint8Array, isFinal: boolean): Promise<Uint8Array>;
  /** Opens chunk `index`; `isFinal` says whether the caller expects the short final chunk there. */
  openChunk(index: number, sealed: Uint8Array, isFinal: boolean): Promise<Result<Uint8Array>>;
}

function deriveChunkCipher(inputKey: Uint8Array, salt: Uint8Array, context: Uint8Array) {
  const derived = hkdfExpandSha512(inputKey, concatBytes(INFO_PREFIX, salt, context), 76);
  return {
    key: derived.slice(0, 32),
    baseNonce: derived.slice(32, 32 + NONCE_LENGTH),
    commitment: derived.slice(32 + NONCE_LENGTH),
  };
}

function chunkNonce(baseNonce: Uint8Array, index: number): Uint8Array {
  const nonce = baseNonce.slice();
  // The index is < 2^38, so it fits in the last 5 bytes; division keeps it exact above 2^32.
  let rest = index;
  for (let i = NONCE_LENGTH - 1; i >= NONCE_LENGTH - 5; i--) {
    nonce[i]! ^= rest % 256;
    rest = Math.floor(rest / 256);
  }
  return nonce;
}

function validIndex(index: number): boolean {
  return Number.isSafeInteger(index) && index >= 0 && index < MAX_CHUNKS;
}

function buildCipher(header: Uint8Array, key: Uint8Array, baseNonce: Uint8Array): ChunkCipher {
  const noAad = new Uint8Array(0);
  return {
    header,
    async sealChunk(index, plaintext, isFinal) {
      if (!validIndex(index)) throw new CryptoInputError('bad-length', 'Chunk index out of range.');
      const sizeOk = isFinal ? plaintext.length < CHUNK_SIZE : plaintext.length === CHUNK_SIZE;
      if (!sizeOk) {
        throw new CryptoInputError(
          'bad-length',
          'Every chunk but the last must be exactly 16 KiB; the last must be shorter.',
        );
      }
      return aes256Gcm.seal(key, chunkNonce(baseNonce, index), plaintext, noAad);
    },
    async openChunk(index, sealed, isFinal) {
      if (!validIndex(index)) return failure('bad-length', 'Chunk index out of range.');
      const sizeOk = isFinal
        ? sealed.length >= CHUNK_TAG_LENGTH && sealed.length < SEALED_CHUNK_SIZE
        : sealed.length === SEALED_CHUNK_SIZE;
      if (!sizeOk) {
        return isFinal || sealed.length < SEALED_CHUNK_SIZE
          ? failure('truncated', 'This encrypted file chunk has the wrong length.')
          : badTag(aes256Gcm);
      }
      return aes256Gcm.open(key, chunkNonce(baseNonce, index), sealed, noAad);
    },
  };
}

function assertInputKey(inputKey: Uint8Array): void {
  if (inputKey.length !== INPUT_KEY_LENGTH) {
    throw new CryptoInputError('bad-length', `A file key must be ${INPUT_KEY_LENGTH} bytes.`);
  }
}

/** Starts a new message under `inputKey` with a fresh random salt (or a given one, for tests). */
export function createChunkCipher(
  inputKey: Uint8Array,
  context: Uint8Array,
  salt: Uint8Array = randomBytes(SALT_LENGTH),
): ChunkCipher {
  assertInputKey(inputKey);
  if (salt.length !== SALT_LENGTH)
    throw new CryptoInputError('bad-length', 'The salt must be 24 bytes.');
  const { key, baseNonce, commitment } = deriveChunkCipher(inputKey, salt, context);
  return buildCipher(concatBytes(salt, commitment), key, baseNonce);
}

/**
 * Checks the 56-byte header against `inputKey` and `context` before any chunk is touched:
 * a wrong key or context, or an altered salt or commitment, fails here with 'bad-tag'.
 */
export function openChunkCipher(
  inputKey: Uint8Array,
  context: Uint8Array,
  header: Uint8Array,
): Result<ChunkCipher> {
  if (inputKey.length !== INPUT_KEY_LENGTH) {
    return failure('bad-length', `A file key must be ${INPUT_KEY_LENGTH} bytes.`);
  }
  if (header.length !== HEADER_LENGTH) {
    return failure('truncated', 'The encrypted file is too short to hold its header.');
  }
  const salt = header.subarray(0, SALT_LENGTH);
  const { key, baseNonce, commitment } = deriveChunkCipher(inputKey, salt, context);
  if (!constantTimeEqual(commitment, header.subarray(SALT_LENGTH))) {
    return failure('bad-tag', 'This file was altered, or the key or context is wrong.');
  }
  return success(buildCipher(header.slice(), key, baseNonce));
}

/** Number of chunks (including the short final one) for a message of `length` bytes. */
export function chunkCount(length: number): number {
  return Math.floor(length / CHUNK_SIZE) + 1;
}

/** Exact ciphertext length (header included) for a message of `length` bytes. */
export function sealedLength(length: number): number {
  return HEADER_LENGTH + length + chunkCount(length) * CHUNK_TAG_LENGTH;
}
