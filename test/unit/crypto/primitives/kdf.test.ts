import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../../../../client/crypto/primitives/bytes';
import { CryptoInputError } from '../../../../client/crypto/primitives/errors';
import {
  HKDF_SHA256_MAX_LENGTH,
  hkdfSha256,
  hmacSha256,
  sha256,
  verifyHmacSha256,
} from '../../../../client/crypto/primitives/kdf';

describe('HKDF-SHA256', () => {
  it('matches RFC 5869 test case 1', async () => {
    const okm = await hkdfSha256(
      fromHex('0b'.repeat(22)),
      fromHex('000102030405060708090a0b0c'),
      fromHex('f0f1f2f3f4f5f6f7f8f9'),
      42,
    );
    expect(toHex(okm)).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });

  it('derives independent keys for different info labels', async () => {
    const ikm = utf8('input key material');
    const a = await hkdfSha256(ikm, new Uint8Array(0), utf8('label a'), 32);
    const b = await hkdfSha256(ikm, new Uint8Array(0), utf8('label b'), 32);
    expect(toHex(a)).not.toBe(toHex(b));
  });

  it('refuses lengths outside 0..8160 with a typed error', async () => {
    const ikm = new Uint8Array(32);
    await expect(hkdfSha256(ikm, ikm, ikm, HKDF_SHA256_MAX_LENGTH + 1)).rejects.toThrow(
      CryptoInputError,
    );
    await expect(hkdfSha256(ikm, ikm, ikm, -1)).rejects.toThrow(CryptoInputError);
    expect((await hkdfSha256(ikm, ikm, ikm, HKDF_SHA256_MAX_LENGTH)).length).toBe(8160);
  });
});

describe('HMAC-SHA256', () => {
  const key = utf8('Jefe');
  const data = utf8('what do ya want for nothing?');
  const expected = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';

  it('matches RFC 4231 test case 2', async () => {
    expect(toHex(await hmacSha256(key, data))).toBe(expected);
  });

  it('verifies the right tag and refuses a flipped, truncated or wrong-key tag', async () => {
    const tag = fromHex(expected);
    expect(await verifyHmacSha256(key, data, tag)).toBe(true);
    const flipped = tag.slice();
    flipped[31]! ^= 0x80;
    expect(await verifyHmacSha256(key, data, flipped)).toBe(false);
    expect(await verifyHmacSha256(key, data, tag.subarray(0, 16))).toBe(false);
    expect(await verifyHmacSha256(utf8('Jeff'), data, tag)).toBe(false);
  });

  it('accepts an empty key (which WebCrypto would refuse)', async () => {
    expect((await hmacSha256(new Uint8Array(0), data)).length).toBe(32);
  });
});

describe('SHA-256', () => {
  it('hashes "abc" to the FIPS 180-2 value', async () => {
    expect(toHex(await sha256(utf8('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
