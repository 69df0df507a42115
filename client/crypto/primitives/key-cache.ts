// Importing a raw key into WebCrypto costs about as much as sealing a small frame, so
// keys that are reused (a file key, the at-rest data key, a room key) are imported once.
// The cache is keyed by the caller's Uint8Array and double-checked against a private
// snapshot of its bytes: if the caller overwrites (erases) or reuses the array, the stale
// CryptoKey is never returned.
import { asBufferSource, constantTimeEqual } from './bytes';

interface CachedKey {
  readonly snapshot: Uint8Array;
  readonly key: Promise<CryptoKey>;
}

export type RawKeyImporter = (raw: Uint8Array<ArrayBuffer>) => Promise<CryptoKey>;

export function createKeyCache(importer: RawKeyImporter): (raw: Uint8Array) => Promise<CryptoKey> {
  const cache = new WeakMap<Uint8Array, CachedKey>();
  return (raw) => {
    const cached = cache.get(raw);
    if (cached && constantTimeEqual(cached.snapshot, raw)) return cached.key;
    const snapshot = raw.slice();
    const key = importer(asBufferSource(snapshot));
    // A failed import must not poison the cache for the next attempt.
    key.catch(() => cache.delete(raw));
    cache.set(raw, { snapshot, key });
    return key;
  };
}
