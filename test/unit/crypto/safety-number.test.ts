import { describe, expect, test } from 'vitest';
import { fromHex, utf8 } from '../../../client/crypto/primitives/bytes';
import {
  formatSafetyNumber,
  numericFingerprint,
  safetyNumber,
} from '../../../client/crypto/safety-number';
import type { PublicIdentity } from '../../../client/crypto/identity';

const alice: PublicIdentity = {
  alg: 'ed25519',
  publicKey: Uint8Array.from({ length: 32 }, (_, i) => i),
};
const bob: PublicIdentity = {
  alg: 'ed25519',
  publicKey: Uint8Array.from({ length: 32 }, (_, i) => 255 - i),
};

describe('safety number', () => {
  test("matches Signal's published vector (libsignal-protocol-c test_fingerprint.c)", () => {
    const aliceKey = fromHex('0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868');
    const bobKey = fromHex('05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b');
    const expected = '300354477692869396892869876765458257569162576843440918079131';
    const a = { publicKey: aliceKey, stableId: utf8('+14152222222') };
    const b = { publicKey: bobKey, stableId: utf8('+14153333333') };
    expect(numericFingerprint(a, b)).toBe(expected);
    expect(numericFingerprint(b, a)).toBe(expected);
  });

  test('is 60 digits and the same on both sides', () => {
    const seenByAlice = safetyNumber(alice, bob);
    expect(seenByAlice).toMatch(/^\d{60}$/);
    expect(safetyNumber(bob, alice)).toBe(seenByAlice);
  });

  test('a fixed pair gives a fixed number (our own regression vector)', () => {
    expect(safetyNumber(alice, bob)).toBe(
      '085816754378669121057702289934970646699691218794973708348362',
    );
    expect(formatSafetyNumber(safetyNumber(alice, bob))).toBe(
      '08581 67543 78669 12105 77022 89934 97064 66996 91218 79497 37083 48362',
    );
  });

  test('changes when either key changes, even by one bit', () => {
    const base = safetyNumber(alice, bob);
    for (const which of ['alice', 'bob'] as const) {
      const key = (which === 'alice' ? alice : bob).publicKey.slice();
      key[31]! ^= 1;
      const changed = { alg: 'ed25519' as const, publicKey: key };
      const number = which === 'alice' ? safetyNumber(changed, bob) : safetyNumber(alice, changed);
      expect(number).not.toBe(base);
    }
  });
});
