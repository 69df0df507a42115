// Importing a raw key into WebCrypto costs about as much as sealing a small frame, so
// keys that are reused (a file key, the at-rest data key) are imported once.
//
// WARNING: forward secrecy depends on erased keys being gone, so this cache never keeps
// a copy of key bytes. It remembers a key by its caller's Uint8Array plus a SHA-256
// fingerprint of the contents (which reveals nothing about a random key), and keeps a
// CryptoKey only from a key's second use on. One-use keys, like the channel's per-frame
// ratchet keys, are therefore never cached; and a key erased or overwritten in place no
// longer matches its fingerprint, so the stale CryptoKey is dropped, never returned.
import { sha256 } from '@noble/hashes/sha2.js';
import { asBufferSource, constantTimeEqual } from './bytes';

interface CacheEntry<T> {
  readonly fingerprint: Uint8Array;
  imported?: Promise<T>;
}

export type RawKeyImporter<T> = (raw: Uint8Array<ArrayBuffer>) => Promise<T>;

export function createKeyCache<T>(importer: RawKeyImporter<T>): (raw: Uint8Array) => Promise<T> {
  const cache = new WeakMap<Uint8Array, CacheEntry<T>>();
  return (raw) => {
    const fingerprint = sha256(raw);
    const entry = cache.get(raw);
    if (!entry || !constantTimeEqual(entry.fingerprint, fingerprint)) {
      // First sighting (or changed contents): import without keeping the result.
      cache.set(raw, { fingerprint });
      return importer(asBufferSource(raw));
    }
    if (!entry.imported) {
      const imported = importer(asBufferSource(raw));
      // A failed import must not poison the cache for the next attempt.
      imported.catch(() => {
        if (entry.imported === imported) entry.imported = undefined;
      });
      entry.imported = imported;
    }
    return entry.imported;
  };
}
