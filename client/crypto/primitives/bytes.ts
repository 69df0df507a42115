// Byte helpers shared by every crypto module. Runs in browsers, workers and Node 20:
// only globalThis.crypto and plain JS, no Buffer.
import { failure, success, type Result } from '../result';
import { CryptoInputError } from './errors';

export function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Compares in time that depends only on the lengths, never on where the bytes differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL_LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < BASE64URL_ALPHABET.length; i++) {
  BASE64URL_LOOKUP[BASE64URL_ALPHABET.charCodeAt(i)] = i;
}

/** Unpadded base64url (RFC 4648 section 5), as used in links and JWKs. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      BASE64URL_ALPHABET[n >>> 18]! +
      BASE64URL_ALPHABET[(n >>> 12) & 63]! +
      BASE64URL_ALPHABET[(n >>> 6) & 63]! +
      BASE64URL_ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += BASE64URL_ALPHABET[n >>> 18]! + BASE64URL_ALPHABET[(n >>> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out +=
      BASE64URL_ALPHABET[n >>> 18]! +
      BASE64URL_ALPHABET[(n >>> 12) & 63]! +
      BASE64URL_ALPHABET[(n >>> 6) & 63]!;
  }
  return out;
}

/**
 * Strict unpadded base64url decoding: rejects padding, characters outside the alphabet,
 * impossible lengths and non-zero trailing bits, so one byte string has one encoding.
 */
export function fromBase64Url(text: string): Result<Uint8Array<ArrayBuffer>> {
  if (text.length % 4 === 1)
    return failure('malformed', 'This base64url text has an impossible length.');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? BASE64URL_LOOKUP[code]! : -1;
    if (value < 0)
      return failure('malformed', 'This text contains characters that are not base64url.');
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >>> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) {
    return failure('malformed', 'This base64url text is not in canonical form.');
  }
  return success(out);
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Decodes lowercase or uppercase hex; throws CryptoInputError on anything else. */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new CryptoInputError('malformed', 'This is not an even-length hexadecimal string.');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const U64_MAX = (1n << 64n) - 1n;

/** Big-endian 8-byte encoding of an unsigned 64-bit integer (sequence numbers, lengths). */
export function u64be(n: bigint): Uint8Array<ArrayBuffer> {
  if (n < 0n || n > U64_MAX) {
    throw new CryptoInputError('bad-length', 'A 64-bit counter is out of range.');
  }
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n, false);
  return out;
}

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** Cryptographically secure random bytes (getRandomValues caps one call at 64 KiB). */
export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  for (let offset = 0; offset < n; offset += 65536) {
    globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(n, offset + 65536)));
  }
  return out;
}

/**
 * WebCrypto's types want a view over a plain ArrayBuffer. Views over one pass through
 * without a copy; anything else (e.g. a SharedArrayBuffer) is copied.
 */
export function asBufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer
    ? (bytes as Uint8Array<ArrayBuffer>)
    : new Uint8Array(bytes);
}
