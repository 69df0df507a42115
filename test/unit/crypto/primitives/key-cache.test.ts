import { describe, expect, it } from 'vitest';
import { aeadFor } from '../../../../client/crypto/primitives/aead';
import { randomBytes } from '../../../../client/crypto/primitives/bytes';
import { createKeyCache } from '../../../../client/crypto/primitives/key-cache';

describe('imported-key cache', () => {
  it('imports a one-use key without keeping it, and caches a reused key from its second use', async () => {
    const imported: string[] = [];
    const cache = createKeyCache(async (raw) => {
      imported.push(Buffer.from(raw).toString('hex'));
      return { bytes: raw.slice() };
    });
    const key = randomBytes(32);
    const first = await cache(key);
    const second = await cache(key);
    const third = await cache(key);
    expect(imported).toHaveLength(2); // first use (not kept) and second use (kept)
    expect(third).toBe(second);
    expect(first).not.toBe(second);
  });

  it('never returns the old CryptoKey after the key bytes were erased or replaced in place', async () => {
    const cache = createKeyCache(async (raw) => Buffer.from(raw).toString('hex'));
    const key = randomBytes(32);
    await cache(key);
    await cache(key);
    key.set(randomBytes(32));
    expect(await cache(key)).toBe(Buffer.from(key).toString('hex'));
    key.fill(0);
    expect(await cache(key)).toBe('00'.repeat(32));
  });

  it('keeps sealing correctly when a cached AES-GCM key array is reused for a new key', async () => {
    const aead = aeadFor('aes-256-gcm');
    const key = randomBytes(32);
    const nonce = randomBytes(12);
    const aad = new Uint8Array(0);
    for (let i = 0; i < 3; i++) await aead.seal(key, nonce, new Uint8Array([i]), aad);
    const oldKey = key.slice();
    key.set(randomBytes(32)); // same array, new key
    const sealed = await aead.seal(key, nonce, new Uint8Array([9]), aad);
    expect((await aead.open(key.slice(), nonce, sealed, aad)).ok).toBe(true);
    expect((await aead.open(oldKey, nonce, sealed, aad)).ok).toBe(false);
  });
});
