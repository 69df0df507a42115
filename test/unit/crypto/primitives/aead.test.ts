import { hmac } from '@noble/hashes/hmac.js';
import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CIPHER_SUITES,
  aeadFor,
  isCipherSuite,
  type CipherSuite,
} from '../../../../client/crypto/primitives/aead';
import { concatBytes, randomBytes, u64be } from '../../../../client/crypto/primitives/bytes';
import { CryptoInputError } from '../../../../client/crypto/primitives/errors';

const aad = new Uint8Array([1, 2, 3]);

async function sealRandom(suite: CipherSuite, length = 100) {
  const aead = aeadFor(suite);
  const key = randomBytes(aead.keyLength);
  const nonce = randomBytes(aead.nonceLength);
  const plaintext = randomBytes(length);
  const sealed = await aead.seal(key, nonce, plaintext, aad);
  return { aead, key, nonce, plaintext, sealed };
}

describe.each(CIPHER_SUITES)('%s', (suite) => {
  it('opens what it sealed, for any plaintext and associated data', async () => {
    const aead = aeadFor(suite);
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 40 }),
        async (pt, ad) => {
          const key = randomBytes(aead.keyLength);
          const nonce = randomBytes(aead.nonceLength);
          const opened = await aead.open(key, nonce, await aead.seal(key, nonce, pt, ad), ad);
          expect(opened.ok && Buffer.from(opened.value).equals(Buffer.from(pt))).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('rejects every single flipped bit of the sealed data with bad-tag', async () => {
    const { aead, key, nonce, sealed } = await sealRandom(suite, 40);
    for (let bit = 0; bit < sealed.length * 8; bit += 7) {
      const tampered = sealed.slice();
      tampered[bit >> 3]! ^= 1 << (bit & 7);
      const opened = await aead.open(key, nonce, tampered, aad);
      expect(opened.ok ? 'opened' : opened.reason).toBe('bad-tag');
    }
  });

  it('rejects a wrong key, a wrong nonce, different associated data and truncation', async () => {
    const { aead, key, nonce, sealed } = await sealRandom(suite);
    const otherNonce = nonce.slice();
    otherNonce[0]! ^= 1;
    const cases = [
      await aead.open(randomBytes(aead.keyLength), nonce, sealed, aad),
      await aead.open(key, otherNonce, sealed, aad),
      await aead.open(key, nonce, sealed, new Uint8Array([1, 2, 4])),
      await aead.open(key, nonce, sealed.subarray(0, sealed.length - 1), aad),
      await aead.open(key, nonce, sealed.subarray(0, aead.tagLength - 1), aad),
      await aead.open(key, nonce, new Uint8Array(0), aad),
    ];
    for (const opened of cases) expect(opened.ok ? 'opened' : opened.reason).toBe('bad-tag');
  });

  it('refuses wrong-length keys and nonces: seal throws a typed error, open fails bad-length', async () => {
    const aead = aeadFor(suite);
    const shortKey = randomBytes(aead.keyLength - 1);
    const longNonce = randomBytes(aead.nonceLength + 1);
    await expect(aead.seal(shortKey, randomBytes(aead.nonceLength), aad, aad)).rejects.toThrow(
      CryptoInputError,
    );
    await expect(aead.seal(randomBytes(aead.keyLength), longNonce, aad, aad)).rejects.toThrow(
      CryptoInputError,
    );
    const opened = await aead.open(shortKey, randomBytes(aead.nonceLength), randomBytes(64), aad);
    expect(opened.ok ? 'opened' : opened.reason).toBe('bad-length');
  });

  it('does not reuse a cached key after the caller overwrote the key bytes', async () => {
    const { aead, key, nonce, sealed } = await sealRandom(suite);
    key.fill(0); // the ratchet erases old keys in place
    const opened = await aead.open(key, nonce, sealed, aad);
    expect(opened.ok).toBe(false);
  });
});

describe('cipher suite names', () => {
  it('accepts exactly the three suites and refuses anything else', () => {
    expect(CIPHER_SUITES).toEqual(['aes-256-gcm', 'xchacha20-poly1305', 'aes-256-cbc-hmac-sha512']);
    for (const suite of CIPHER_SUITES) expect(isCipherSuite(suite)).toBe(true);
    for (const other of ['aes-128-gcm', 'AES-256-GCM', '', null, 3])
      expect(isCipherSuite(other)).toBe(false);
    expect(() => aeadFor('rot13' as CipherSuite)).toThrow(CryptoInputError);
  });

  it('has the sizes of DESIGN.md section 4', () => {
    expect([aeadFor('aes-256-gcm').keyLength, aeadFor('aes-256-gcm').nonceLength]).toEqual([
      32, 12,
    ]);
    expect(aeadFor('xchacha20-poly1305').nonceLength).toBe(24);
    const cbc = aeadFor('aes-256-cbc-hmac-sha512');
    expect([cbc.keyLength, cbc.nonceLength, cbc.tagLength]).toEqual([64, 16, 32]);
  });
});

describe('A256CBC-HS512', () => {
  it('gives bad padding behind a valid MAC the same failure as a bad MAC (no padding oracle)', async () => {
    const aead = aeadFor('aes-256-cbc-hmac-sha512');
    const key = randomBytes(64);
    const iv = randomBytes(16);
    // A random block decrypts to garbage padding; give it a correct tag using MAC_KEY.
    const block = randomBytes(16);
    const macInput = concatBytes(aad, iv, block, u64be(BigInt(aad.length * 8)));
    const tag = hmac(sha512, key.subarray(0, 32), macInput).subarray(0, 32);
    const paddingBroken = await aead.open(key, iv, concatBytes(block, tag), aad);
    const tagBroken = await aead.open(key, iv, concatBytes(block, randomBytes(32)), aad);
    expect(paddingBroken.ok).toBe(false);
    expect(tagBroken.ok).toBe(false);
    if (!paddingBroken.ok && !tagBroken.ok) {
      expect(paddingBroken).toEqual(tagBroken);
    }
  });

  it('rejects a ciphertext that is not a whole number of blocks', async () => {
    const { aead, key, nonce, sealed } = await sealRandom('aes-256-cbc-hmac-sha512');
    const odd = concatBytes(sealed.subarray(0, 17), sealed.subarray(sealed.length - 32));
    const opened = await aead.open(key, nonce, odd, aad);
    expect(opened.ok ? 'opened' : opened.reason).toBe('bad-tag');
  });
});
