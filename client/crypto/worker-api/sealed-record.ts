// Sealed records: secrets the worker itself persists (a device identity's private key, a
// room's link and epoch secrets), encrypted under the device data key. The caller stores
// the opaque bytes; only this worker can open them, and what is inside never leaves it.
//
// WHY not at-rest.ts's encryptRecord with a special location: the page may call
// decryptRecord with any location it likes, so a secret sealed that way could be opened
// by the page. Sealed records use a key of their own, HKDF(data key, SEAL_INFO), and an
// AAD label no record location can spell, so decryptRecord can never open one (and
// encryptRecord can never forge one). Same construction otherwise: AES-256-GCM with a
// random 96-bit nonce (see at-rest.ts for the nonce budget; these records are rare).
//
// Layout: version (1) || kind (1) || context length (u16 BE) || context (UTF-8)
//         || nonce (12) || ciphertext || tag (16)
// The header (everything before the nonce) is authenticated with the label as the AAD.
// The context is public (a room id), kept in the clear so a record describes itself.
import { aeadFor } from '../primitives/aead';
import { concatBytes, randomBytes, utf8 } from '../primitives/bytes';
import { hkdfSha256 } from '../primitives/kdf';
import { failure, success, type Result } from '../result';

export type SealedKind = 'identity' | 'room-secrets';

const SEALED_VERSION = 1;
const KIND_BYTE: Record<SealedKind, number> = { identity: 1, 'room-secrets': 2 };
const KIND_NAME: Record<SealedKind, string> = {
  identity: 'identity',
  'room-secrets': 'room keys',
};
const SEAL_LABEL = utf8('p2p-secure-chat/v1/sealed-secret\u0000');
const SEAL_INFO = utf8('p2p-secure-chat/v1/sealed-secret-key');
const MAX_CONTEXT_BYTES = 1024;
const HEADER_FIXED = 4;

const aead = aeadFor('aes-256-gcm');

export interface OpenedSealedRecord {
  /** The public context the record was sealed with (e.g. the room id). */
  readonly context: string;
  /** The secret contents: the caller must zero them when done. */
  readonly plaintext: Uint8Array;
}

function sealKey(dataKey: Uint8Array): Promise<Uint8Array> {
  return hkdfSha256(dataKey, new Uint8Array(0), SEAL_INFO, aead.keyLength);
}

function header(kind: SealedKind, context: Uint8Array): Uint8Array {
  const fixed = new Uint8Array(HEADER_FIXED);
  fixed[0] = SEALED_VERSION;
  fixed[1] = KIND_BYTE[kind];
  new DataView(fixed.buffer).setUint16(2, context.length);
  return concatBytes(fixed, context);
}

export async function sealRecord(
  dataKey: Uint8Array,
  kind: SealedKind,
  context: string,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  const contextBytes = utf8(context);
  if (contextBytes.length > MAX_CONTEXT_BYTES) {
    throw new RangeError(`A sealed record's context is at most ${MAX_CONTEXT_BYTES} bytes.`);
  }
  const head = header(kind, contextBytes);
  const key = await sealKey(dataKey);
  try {
    const nonce = randomBytes(aead.nonceLength);
    const sealed = await aead.seal(key, nonce, plaintext, concatBytes(SEAL_LABEL, head));
    return concatBytes(head, nonce, sealed);
  } finally {
    key.fill(0);
  }
}

function damaged(kind: SealedKind): Result<never> {
  return failure(
    'bad-tag',
    `The saved ${KIND_NAME[kind]} cannot be opened: the data key is wrong or the file was altered.`,
  );
}

/** Never throws: every wrong key, altered byte or foreign record is a typed failure. */
export async function openSealedRecord(
  dataKey: Uint8Array,
  kind: SealedKind,
  stored: unknown,
): Promise<Result<OpenedSealedRecord>> {
  if (!(stored instanceof Uint8Array)) {
    return failure('malformed', `The saved ${KIND_NAME[kind]} is not a byte array.`);
  }
  if (stored.length < HEADER_FIXED) {
    return failure('truncated', `The saved ${KIND_NAME[kind]} is cut short.`);
  }
  if (stored[0] !== SEALED_VERSION) {
    return failure('unsupported-version', `The saved ${KIND_NAME[kind]} has an unknown format.`);
  }
  if (stored[1] !== KIND_BYTE[kind]) {
    return failure('malformed', `This record does not hold a saved ${KIND_NAME[kind]}.`);
  }
  const contextLength = new DataView(stored.buffer, stored.byteOffset, stored.length).getUint16(2);
  const bodyStart = HEADER_FIXED + contextLength;
  if (contextLength > MAX_CONTEXT_BYTES) return damaged(kind);
  if (stored.length < bodyStart + aead.nonceLength + aead.tagLength) {
    return failure('truncated', `The saved ${KIND_NAME[kind]} is cut short.`);
  }
  const head = stored.subarray(0, bodyStart);
  const nonce = stored.subarray(bodyStart, bodyStart + aead.nonceLength);
  const key = await sealKey(dataKey);
  let opened: Result<Uint8Array>;
  try {
    opened = await aead.open(
      key,
      nonce,
      stored.subarray(bodyStart + aead.nonceLength),
      concatBytes(SEAL_LABEL, head),
    );
  } catch {
    opened = damaged(kind);
  } finally {
    key.fill(0);
  }
  if (!opened.ok) return damaged(kind);
  let context: string;
  try {
    context = new TextDecoder('utf-8', { fatal: true }).decode(
      stored.subarray(HEADER_FIXED, bodyStart),
    );
  } catch {
    opened.value.fill(0);
    return failure('malformed', `The saved ${KIND_NAME[kind]} has an unreadable label.`);
  }
  return success({ context, plaintext: opened.value });
}
