import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  constantTimeEqual,
  fromBase64Url,
  fromHex,
  randomBytes,
  toBase64Url,
  toHex,
  u64be,
  utf8,
} from '../../../../client/crypto/primitives/bytes';
import { CryptoInputError } from '../../../../client/crypto/primitives/errors';

describe('byte helpers', () => {
  it('round-trips any bytes through base64url, matching the platform encoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        const back = fromBase64Url(text);
        expect(back.ok && Buffer.from(back.value).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it('rejects padded, foreign-alphabet, impossible-length and non-canonical base64url', () => {
    // 'AB' and 'AAB' have non-zero trailing bits: 'AA' and 'AAA' are the canonical forms.
    for (const bad of ['AAA=', 'ab+/', 'A', 'AAAAA', 'a b', 'AB', 'AAB', 'é']) {
      expect(fromBase64Url(bad).ok, bad).toBe(false);
    }
    expect(fromBase64Url('AA').ok).toBe(true);
  });

  it('compares equal arrays as equal and any difference or length change as unequal', () => {
    const a = randomBytes(32);
    expect(constantTimeEqual(a, a.slice())).toBe(true);
    const b = a.slice();
    b[31]! ^= 1;
    expect(constantTimeEqual(a, b)).toBe(false);
    expect(constantTimeEqual(a, a.subarray(0, 31))).toBe(false);
  });

  it('encodes hex both ways and refuses odd or non-hex strings with a typed error', () => {
    expect(toHex(new Uint8Array([0, 15, 255]))).toBe('000fff');
    expect([...fromHex('000FfF')]).toEqual([0, 15, 255]);
    expect(() => fromHex('abc')).toThrow(CryptoInputError);
    expect(() => fromHex('zz')).toThrow(CryptoInputError);
  });

  it('encodes 64-bit counters big-endian and refuses values outside 0..2^64-1', () => {
    expect(toHex(u64be(0x0102030405060708n))).toBe('0102030405060708');
    expect(toHex(u64be((1n << 64n) - 1n))).toBe('ffffffffffffffff');
    expect(() => u64be(-1n)).toThrow(CryptoInputError);
    expect(() => u64be(1n << 64n)).toThrow(CryptoInputError);
  });

  it('concatenates, encodes UTF-8 and draws more than 64 KiB of randomness', () => {
    expect([...concatBytes(utf8('é'), new Uint8Array([1]))]).toEqual([0xc3, 0xa9, 1]);
    const big = randomBytes(200_000);
    expect(big.length).toBe(200_000);
    // The last 64 KiB slice was filled too (all zero would be a 2^-524288 accident).
    expect(big.subarray(196_608).some((byte) => byte !== 0)).toBe(true);
  });
});
