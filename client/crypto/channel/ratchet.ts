// The channel's key schedule: root key and per-direction chain keys, the per-frame
// symmetric ratchet, and frame nonces.
//
// NOTE: the per-frame ratchet runs on every frame, so it is synchronous HMAC-SHA256 from
// @noble/hashes (a couple of microseconds) instead of a WebCrypto round trip.
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8 } from '../primitives/bytes';

const LABEL_PREFIX = 'p2pchat/channel/v1/';
const MESSAGE_KEY_BLOCK_1 = new Uint8Array([0x01]);
const NEXT_CHAIN_KEY = new Uint8Array([0x02]);
const MESSAGE_KEY_BLOCK_2 = new Uint8Array([0x03]);

/** Keys for one epoch: the root carried to the next re-key and one chain per direction. */
export interface EpochKeys {
  rootKey: Uint8Array;
  /** The sending chain of the side whose hello sorts first ("low"). */
  lowChainKey: Uint8Array;
  highChainKey: Uint8Array;
}

function splitEpochKeys(okm: Uint8Array): EpochKeys {
  return {
    rootKey: okm.slice(0, 32),
    lowChainKey: okm.slice(32, 64),
    highChainKey: okm.slice(64, 96),
  };
}

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const prefix = new Uint8Array(4);
  new DataView(prefix.buffer).setUint32(0, bytes.length, false);
  return concatBytes(prefix, bytes);
}

export function label(name: string): Uint8Array {
  return utf8(LABEL_PREFIX + name);
}

/**
 * Epoch 0, from the handshake: HKDF over ECDH || K_psk, salted with the transcript hash
 * (which already binds both hellos and the room id; the room id is repeated in info so a
 * key can never be reused across rooms even by a transcript collision).
 */
export function deriveHandshakeKeys(
  sharedSecret: Uint8Array,
  psk: Uint8Array,
  transcriptHash: Uint8Array,
  roomId: string,
): EpochKeys {
  const ikm = concatBytes(sharedSecret, psk);
  const info = concatBytes(label('handshake-keys'), lengthPrefixed(utf8(roomId)));
  const okm = hkdf(sha256, ikm, transcriptHash, info, 96);
  ikm.fill(0);
  return splitEpochKeys(okm);
}

/**
 * A re-key: a fresh ECDH mixed into the previous root. Someone who stole the old root and
 * chains but not the new ephemeral private keys cannot follow (post-compromise security).
 */
export function deriveRekeyKeys(
  sharedSecret: Uint8Array,
  previousRootKey: Uint8Array,
  newEpoch: number,
  lowEphemeral: Uint8Array,
  highEphemeral: Uint8Array,
): EpochKeys {
  const epoch = new Uint8Array(4);
  new DataView(epoch.buffer).setUint32(0, newEpoch, false);
  const info = concatBytes(
    label('rekey'),
    epoch,
    lengthPrefixed(lowEphemeral),
    lengthPrefixed(highEphemeral),
  );
  return splitEpochKeys(hkdf(sha256, sharedSecret, previousRootKey, info, 96));
}

export interface RatchetStep {
  /** The key for this frame: 32 bytes, or 64 for A256CBC-HS512. */
  readonly messageKey: Uint8Array;
  /** The chain key for the next frame. */
  readonly nextChainKey: Uint8Array;
}

/**
 * One step of the symmetric ratchet: message key = HMAC(ck, 0x01) (|| HMAC(ck, 0x03) for
 * 64-byte keys), next chain key = HMAC(ck, 0x02), as in Signal's KDF chains. The HMAC is
 * keyed once and cloned per output, which saves a third of the hashing.
 */
export function ratchetStep(chainKey: Uint8Array, keyLength: number): RatchetStep {
  const keyed = hmac.create(sha256, chainKey);
  const output = (label: Uint8Array) => keyed.clone().update(label).digest();
  const first = output(MESSAGE_KEY_BLOCK_1);
  const messageKey = keyLength === 32 ? first : concatBytes(first, output(MESSAGE_KEY_BLOCK_2));
  if (messageKey !== first) first.fill(0);
  const nextChainKey = output(NEXT_CHAIN_KEY);
  keyed.destroy();
  return { messageKey: messageKey.subarray(0, keyLength), nextChainKey };
}

/** The message key alone (tests and the nonce audit recompute keys with it). */
export function messageKey(chainKey: Uint8Array, keyLength: number): Uint8Array {
  return ratchetStep(chainKey, keyLength).messageKey;
}

/** The chain key alone. */
export function nextChainKey(chainKey: Uint8Array): Uint8Array {
  return ratchetStep(chainKey, 32).nextChainKey;
}

/**
 * A counter nonce: zeros || epoch (4 bytes) || seq (8 bytes), right-aligned to the suite's
 * nonce length. NOTE: each frame also has its own key from the ratchet, so a nonce is
 * never reused under a key even if a counter were; this includes CBC's IV, whose
 * predictability is harmless for a key that encrypts exactly one message.
 */
export function frameNonce(nonceLength: number, epoch: number, seq: number): Uint8Array {
  const nonce = new Uint8Array(nonceLength);
  const view = new DataView(nonce.buffer);
  view.setUint32(nonceLength - 12, epoch, false);
  view.setUint32(nonceLength - 8, Math.floor(seq / 2 ** 32), false);
  view.setUint32(nonceLength - 4, seq >>> 0, false);
  return nonce;
}
