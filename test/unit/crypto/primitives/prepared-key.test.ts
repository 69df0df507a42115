// Keys prepared ahead of use (the channel imports frame n+1's key while frame n is sealed):
// they must seal and open exactly like the raw-key API, survive the caller zeroing the raw
// bytes at once, and be useless once erased.
import { describe, expect, it } from 'vitest';
import { CIPHER_SUITES, aeadFor } from '../../../../client/crypto/primitives/aead';
import { randomBytes } from '../../../../client/crypto/primitives/bytes';
import { CryptoInputError } from '../../../../client/crypto/primitives/errors';

const aad = new Uint8Array([9, 8, 7]);

describe.each(CIPHER_SUITES)('%s prepared keys', (suite) => {
  const aead = aeadFor(suite);

  it('seal and open interchangeably with the raw-key API, after the raw bytes were zeroed', async () => {
    const raw = randomBytes(aead.keyLength);
    const keep = raw.slice();
    const preparing = aead.prepareKey(raw);
    raw.fill(0); // what the chain does right after prepareKey returns
    const prepared = await preparing;
    const nonce = randomBytes(aead.nonceLength);
    const plaintext = randomBytes(1000);

    const sealedPrepared = await aead.sealPrepared(prepared, nonce, plaintext, aad);
    const openedRaw = await aead.open(keep, nonce, sealedPrepared, aad);
    expect(openedRaw.ok && Buffer.from(openedRaw.value).equals(Buffer.from(plaintext))).toBe(true);

    const sealedRaw = await aead.seal(keep, nonce, plaintext, aad);
    expect(Buffer.from(sealedRaw).equals(Buffer.from(sealedPrepared))).toBe(true);
    const openedPrepared = await aead.openPrepared(prepared, nonce, sealedRaw, aad);
    expect(
      openedPrepared.ok && Buffer.from(openedPrepared.value).equals(Buffer.from(plaintext)),
    ).toBe(true);
  });

  it('rejects a flipped bit, a wrong prepared key and views into a larger buffer correctly', async () => {
    const key = await aead.prepareKey(randomBytes(aead.keyLength));
    const other = await aead.prepareKey(randomBytes(aead.keyLength));
    const nonce = randomBytes(aead.nonceLength);
    const sealed = await aead.sealPrepared(key, nonce, randomBytes(200), aad);
    // The channel opens a subarray of the received frame: the offset must be honoured.
    const framed = new Uint8Array(5 + sealed.length);
    framed.set(sealed, 5);
    expect((await aead.openPrepared(key, nonce, framed.subarray(5), aad)).ok).toBe(true);
    const tampered = sealed.slice();
    tampered[10]! ^= 0x20;
    for (const opened of [
      await aead.openPrepared(key, nonce, tampered, aad),
      await aead.openPrepared(other, nonce, sealed, aad),
    ]) {
      expect(opened.ok ? 'opened' : opened.reason).toBe('bad-tag');
    }
  });

  it('is useless once erased: sealing throws, opening fails', async () => {
    const key = await aead.prepareKey(randomBytes(aead.keyLength));
    const nonce = randomBytes(aead.nonceLength);
    const sealed = await aead.sealPrepared(key, nonce, randomBytes(32), aad);
    key.erase();
    expect(key.erased).toBe(true);
    await expect(aead.sealPrepared(key, nonce, randomBytes(32), aad)).rejects.toThrow(
      CryptoInputError,
    );
    expect((await aead.openPrepared(key, nonce, sealed, aad)).ok).toBe(false);
  });

  it('refuses a wrong-length raw key and a key prepared by another suite', async () => {
    await expect(aead.prepareKey(randomBytes(aead.keyLength - 1))).rejects.toThrow(
      CryptoInputError,
    );
    const otherSuite = CIPHER_SUITES.find((s) => s !== suite && aeadFor(s).keyLength === 32)!;
    const foreign = await aeadFor(otherSuite).prepareKey(randomBytes(32));
    const nonce = randomBytes(aead.nonceLength);
    await expect(aead.sealPrepared(foreign, nonce, randomBytes(8), aad)).rejects.toThrow(
      CryptoInputError,
    );
    expect((await aead.openPrepared(foreign, nonce, randomBytes(64), aad)).ok).toBe(false);
  });
});
