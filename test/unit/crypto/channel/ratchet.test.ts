import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, test } from 'vitest';
import { fromHex, toHex, utf8 } from '../../../../client/crypto/primitives/bytes';
import {
  deriveHandshakeKeys,
  frameNonce,
  ratchetStep,
} from '../../../../client/crypto/channel/ratchet';

const chainKey = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');

describe('channel key schedule', () => {
  test('a ratchet step is plain HMAC-SHA256 with labels 1, 2 (and 3 for 64-byte keys)', () => {
    const step = ratchetStep(chainKey, 32);
    expect(step.messageKey).toEqual(hmac(sha256, chainKey, new Uint8Array([1])));
    expect(step.nextChainKey).toEqual(hmac(sha256, chainKey, new Uint8Array([2])));
    const wide = ratchetStep(chainKey, 64);
    expect(wide.messageKey).toHaveLength(64);
    expect(wide.messageKey.subarray(32)).toEqual(hmac(sha256, chainKey, new Uint8Array([3])));
    expect(wide.nextChainKey).toEqual(step.nextChainKey);
  });

  test('the handshake key derivation is pinned (regression vector of our own)', () => {
    const keys = deriveHandshakeKeys(
      new Uint8Array(32).fill(1),
      new Uint8Array(32).fill(2),
      new Uint8Array(32).fill(3),
      'AAAAAAAAAAAAAAAAAAAAAA',
    );
    expect([keys.rootKey, keys.lowChainKey, keys.highChainKey].map(toHex)).toEqual([
      '80d6838462c7327de071657113971b1b575719daa6a430215b03e53d952b35c0',
      'fda662acecaaaf3c576c2b0a42bbe769685b982abaa72e796b901a76e60409a5',
      '5be583167aa19b35010cbf70cab4a0a5f681c613ad65191808f78f3543c69ef1',
    ]);
    // The same, spelled out: HKDF-SHA256(ECDH || K_psk, salt = transcript hash, info).
    const info = new Uint8Array([
      ...utf8('p2pchat/channel/v1/handshake-keys'),
      0,
      0,
      0,
      22,
      ...utf8('AAAAAAAAAAAAAAAAAAAAAA'),
    ]);
    const okm = hkdf(
      sha256,
      new Uint8Array([...new Uint8Array(32).fill(1), ...new Uint8Array(32).fill(2)]),
      new Uint8Array(32).fill(3),
      info,
      96,
    );
    expect(toHex(okm)).toBe(
      [keys.rootKey, keys.lowChainKey, keys.highChainKey].map(toHex).join(''),
    );
  });

  test('nonces are the counter, right-aligned, per suite length', () => {
    expect(toHex(frameNonce(12, 1, 2))).toBe('000000010000000000000002');
    expect(toHex(frameNonce(24, 0, 2 ** 40))).toBe(
      '000000000000000000000000' + '000000000000010000000000',
    );
    expect(toHex(frameNonce(16, 7, 5))).toBe('00000000' + '00000007' + '0000000000000005');
  });
});
