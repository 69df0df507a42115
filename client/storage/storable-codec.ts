// Turns a StorableValue (JSON plus raw bytes) into bytes for encryptRecord and back.
// Structured clone would keep Uint8Array as is, but the records are encrypted, so both
// stores need one byte encoding, and the Node store has no structured clone on disk.
//
// Bytes become {"$b": base64url}. A peer's envelope may contain any key, including "$b",
// so every object key that starts with "$" gets one more "$" on the way in and loses it on
// the way out: the decoding is unambiguous whatever the envelope holds.
import { fromBase64Url, toBase64Url } from '../crypto/primitives/bytes';
import type { StorableValue } from '../core/history-store';

const BYTES_TAG = '$b';
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export class StorableCodecError extends Error {
  override readonly name = 'StorableCodecError';
}

function toJsonValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return { [BYTES_TAG]: toBase64Url(value) };
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new StorableCodecError('Numbers must be finite.');
    return value;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner === undefined) continue; // optional fields: absent, as in JSON
      setData(out, key.startsWith('$') ? `$${key}` : key, toJsonValue(inner));
    }
    return out;
  }
  throw new StorableCodecError(`A ${typeof value} can't be stored.`);
}

/**
 * A value as JSON.parse returned it from encodeStorable's output, to the StorableValue it
 * encoded (readers that parse first and decode only what they need, idb-buckets.ts).
 */
export function fromStorableJson(value: unknown): StorableValue {
  return fromJsonValue(value);
}

// NOTE: hot (every message read back goes through it), hence for-in over JSON.parse's own
// keys rather than Object.entries, and no arrays built per object.
function fromJsonValue(value: unknown): StorableValue {
  if (value === null || typeof value !== 'object') return value as StorableValue;
  if (Array.isArray(value)) return value.map(fromJsonValue);
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, BYTES_TAG) && Object.keys(record).length === 1) {
    const text = record[BYTES_TAG];
    const bytes = typeof text === 'string' ? fromBase64Url(text) : undefined;
    if (!bytes?.ok) throw new StorableCodecError('A stored byte string is damaged.');
    return bytes.value;
  }
  const out: Record<string, StorableValue> = {};
  for (const key in record) {
    const dollar = key.charCodeAt(0) === 36; // '$'
    if (dollar && key.charCodeAt(1) !== 36) {
      throw new StorableCodecError('A stored record has an unknown tag.');
    }
    const name = dollar ? key.slice(1) : key;
    const inner = fromJsonValue(record[key]);
    setData(out, name, inner);
  }
  return out;
}

/** A "__proto__" key from a peer must stay data, not become the object's prototype. */
function setData(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

/** Objects may hold `undefined` fields (dropped, as JSON does); anything else throws. */
export function encodeStorable(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(toJsonValue(value)));
}

export function decodeStorable(bytes: Uint8Array): StorableValue {
  return fromJsonValue(parseStorable(bytes));
}

/** The JSON of encodeStorable's bytes, not decoded further (see fromStorableJson). */
export function parseStorable(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch (cause) {
    throw new StorableCodecError('A stored record is not readable.', { cause });
  }
}
