// Encryption at rest (DESIGN.md section 7). Each device has one random 32-byte data key
// that encrypts every stored record; it is held only in worker memory. With the optional
// passphrase lock, the data key is stored wrapped under Argon2id(passphrase).
//
// Nonces: records use AES-256-GCM with random 96-bit nonces. NIST SP 800-38D allows
// 2^32 encryptions per key with random nonces (collision chance below 2^-32); a device
// writes far fewer records than that (a million messages is 2^20), and rewrapping with
// a fresh data key resets the count. Counter nonces would need a durable counter that
// survives crashes and several tabs, which is a worse risk than this bound.
import { z } from 'zod';
import { aeadFor } from './primitives/aead';
import { DEFAULT_ARGON2, argon2idRaw, type Argon2Params } from './primitives/argon2';
import {
  concatBytes,
  fromBase64Url,
  randomBytes,
  toBase64Url,
  u64be,
  utf8,
} from './primitives/bytes';
import { CryptoInputError } from './primitives/errors';
import { failure, success, type Result } from './result';

export const DATA_KEY_LENGTH = 32;
const aead = aeadFor('aes-256-gcm');
const SALT_LENGTH = 16;
const WRAP_LABEL = utf8('p2p-secure-chat/v1/data-key-wrap\u0000');
const RECORD_LABEL = utf8('p2p-secure-chat/v1/record\u0000');
const RECORD_VERSION = 1;

// The same passphrase can arrive composed or decomposed ("é" vs "e" + U+0301) depending
// on the keyboard or input method; both must unlock.
function normalisePassphrase(passphrase: string): string {
  return passphrase.normalize('NFC');
}

/** Never weaker than OWASP's Argon2id minimum; never so large that unlocking hangs. */
export const MIN_ARGON2: Readonly<Pick<Argon2Params, 'memoryKiB' | 'iterations'>> = {
  memoryKiB: 19456,
  iterations: 2,
};
const MAX_MEMORY_KIB = 1024 * 1024;
const MAX_ITERATIONS = 64;

export function generateDataKey(): Uint8Array {
  return randomBytes(DATA_KEY_LENGTH);
}

const Base64UrlText = z.string().regex(/^[A-Za-z0-9_-]*$/);

/** The stored form of a wrapped data key: versioned, JSON-serialisable, self-describing. */
export const WrappedDataKey = z.strictObject({
  version: z.literal(1),
  kdf: z.literal('argon2id'),
  memoryKiB: z.number().int().min(MIN_ARGON2.memoryKiB).max(MAX_MEMORY_KIB),
  iterations: z.number().int().min(MIN_ARGON2.iterations).max(MAX_ITERATIONS),
  parallelism: z.number().int().min(1).max(16),
  salt: Base64UrlText,
  nonce: Base64UrlText,
  wrapped: Base64UrlText,
});
export type WrappedDataKey = z.infer<typeof WrappedDataKey>;

function kdfParams(record: WrappedDataKey): Argon2Params {
  return {
    memoryKiB: record.memoryKiB,
    iterations: record.iterations,
    parallelism: record.parallelism,
    hashLength: 32,
  };
}

// The parameters and salt are authenticated, so a tampered record (say, weakened
// parameters written by malware with disk access) fails instead of unlocking.
function wrapAad(
  record: Omit<WrappedDataKey, 'salt' | 'nonce' | 'wrapped'>,
  salt: Uint8Array,
): Uint8Array {
  return concatBytes(
    WRAP_LABEL,
    u64be(BigInt(record.version)),
    u64be(BigInt(record.memoryKiB)),
    u64be(BigInt(record.iterations)),
    u64be(BigInt(record.parallelism)),
    salt,
  );
}

export async function wrapDataKey(
  dataKey: Uint8Array,
  passphrase: string,
  params: Argon2Params = DEFAULT_ARGON2,
): Promise<WrappedDataKey> {
  if (dataKey.length !== DATA_KEY_LENGTH) {
    throw new CryptoInputError('bad-length', 'A data key is 32 bytes.');
  }
  const header = {
    version: 1 as const,
    kdf: 'argon2id' as const,
    memoryKiB: params.memoryKiB,
    iterations: params.iterations,
    parallelism: params.parallelism,
  };
  if (!WrappedDataKey.omit({ salt: true, nonce: true, wrapped: true }).safeParse(header).success) {
    throw new CryptoInputError('malformed', 'These Argon2id parameters are too weak or too large.');
  }
  const salt = randomBytes(SALT_LENGTH);
  const kek = await argon2idRaw(normalisePassphrase(passphrase), salt, {
    ...params,
    hashLength: 32,
  });
  const nonce = randomBytes(aead.nonceLength);
  const wrapped = await aead.seal(kek, nonce, dataKey, wrapAad(header, salt));
  kek.fill(0);
  return {
    ...header,
    salt: toBase64Url(salt),
    nonce: toBase64Url(nonce),
    wrapped: toBase64Url(wrapped),
  };
}

/** 'bad-tag' with a message for people when the passphrase is wrong (or the record altered). */
export async function unwrapDataKey(
  stored: unknown,
  passphrase: string,
): Promise<Result<Uint8Array>> {
  if (
    typeof stored === 'object' &&
    stored !== null &&
    'version' in stored &&
    stored.version !== 1
  ) {
    return failure('unsupported-version', 'This key was locked by a newer version of the app.');
  }
  const parsed = WrappedDataKey.safeParse(stored);
  if (!parsed.success) return failure('malformed', 'The stored key record is damaged.');
  const record = parsed.data;
  const salt = fromBase64Url(record.salt);
  const nonce = fromBase64Url(record.nonce);
  const wrapped = fromBase64Url(record.wrapped);
  if (!salt.ok || !nonce.ok || !wrapped.ok || salt.value.length < SALT_LENGTH) {
    return failure('malformed', 'The stored key record is damaged.');
  }
  const kek = await argon2idRaw(normalisePassphrase(passphrase), salt.value, kdfParams(record));
  const opened = await aead.open(kek, nonce.value, wrapped.value, wrapAad(record, salt.value));
  kek.fill(0);
  if (!opened.ok || opened.value.length !== DATA_KEY_LENGTH) {
    return failure('bad-tag', 'The passphrase is wrong. Check it and try again.');
  }
  return success(opened.value);
}

/** Where a record lives. Bound into the AAD so a record can't be moved or swapped. */
export interface RecordLocation {
  readonly store: string;
  readonly id: string;
}

function recordAad(location: RecordLocation): Uint8Array {
  const store = utf8(location.store);
  const id = utf8(location.id);
  return concatBytes(
    RECORD_LABEL,
    new Uint8Array([RECORD_VERSION]),
    u64be(BigInt(store.length)),
    store,
    u64be(BigInt(id.length)),
    id,
  );
}

/** version (1) || nonce (12) || ciphertext || tag. */
export async function encryptRecord(
  dataKey: Uint8Array,
  location: RecordLocation,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  const nonce = randomBytes(aead.nonceLength);
  const sealed = await aead.seal(dataKey, nonce, plaintext, recordAad(location));
  return concatBytes(new Uint8Array([RECORD_VERSION]), nonce, sealed);
}

export async function decryptRecord(
  dataKey: Uint8Array,
  location: RecordLocation,
  stored: Uint8Array,
): Promise<Result<Uint8Array>> {
  if (stored.length < 1 + aead.nonceLength + aead.tagLength) {
    return failure('truncated', 'A stored record is cut short.');
  }
  if (stored[0] !== RECORD_VERSION) {
    return failure('unsupported-version', 'A stored record has an unknown format version.');
  }
  const nonce = stored.subarray(1, 1 + aead.nonceLength);
  const opened = await aead.open(
    dataKey,
    nonce,
    stored.subarray(1 + aead.nonceLength),
    recordAad(location),
  );
  return opened;
}
