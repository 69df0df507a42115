// The 60-digit safety number for a pair of identity keys, computed as Signal's
// NumericFingerprintGenerator (version 0): per key, 5200 rounds of
// SHA-512(hash || key) starting from version || key || id, the first 30 bytes read as six
// 5-digit groups; the two 30-digit halves are sorted and joined, so both people see the
// same number. Our stable id is the key's algorithm name (there are no phone numbers).
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8 } from './primitives/bytes';
import type { PublicIdentity } from './identity';

const ITERATIONS = 5200;
const VERSION = new Uint8Array([0, 0]);

function displayableHalf(publicKey: Uint8Array, stableId: Uint8Array): string {
  let hash = concatBytes(VERSION, publicKey, stableId);
  for (let i = 0; i < ITERATIONS; i++) hash = sha512(concatBytes(hash, publicKey));
  let digits = '';
  for (let chunk = 0; chunk < 6; chunk++) {
    let value = 0;
    // 40-bit big-endian integer: exact in a double (< 2^53).
    for (let i = 0; i < 5; i++) value = value * 256 + hash[chunk * 5 + i]!;
    digits += String(value % 100000).padStart(5, '0');
  }
  return digits;
}

/** Signal's displayable fingerprint for two (key, stable id) pairs; exported for its test vector. */
export function numericFingerprint(
  a: { publicKey: Uint8Array; stableId: Uint8Array },
  b: { publicKey: Uint8Array; stableId: Uint8Array },
): string {
  return [displayableHalf(a.publicKey, a.stableId), displayableHalf(b.publicKey, b.stableId)]
    .sort()
    .join('');
}

/** 60 digits; the same whichever of the two identities is passed first. */
export function safetyNumber(a: PublicIdentity, b: PublicIdentity): string {
  return numericFingerprint(
    { publicKey: a.publicKey, stableId: utf8(a.alg) },
    { publicKey: b.publicKey, stableId: utf8(b.alg) },
  );
}

/** "12345 67890 ..." in 12 groups of five, the way people read it out. */
export function formatSafetyNumber(digits: string): string {
  return (digits.match(/\d{5}/g) ?? []).join(' ');
}
