import { describe, expect, it } from 'vitest';
import {
  deriveSharedSecret,
  generateEphemeral,
  importX25519PrivateKey,
  type AnyKeyAgreement,
} from '../../../../client/crypto/primitives/ecdh';
import { fromHex, toHex } from '../../../../client/crypto/primitives/bytes';

describe.each(['x25519', 'p521', 'p256'] as const)('%s key agreement', (alg: AnyKeyAgreement) => {
  it('gives both sides the same secret and keeps private keys non-extractable', async () => {
    const alice = await generateEphemeral(alg);
    const bob = await generateEphemeral(alg);
    const forAlice = await deriveSharedSecret(alg, alice.privateKey, bob.publicKey);
    const forBob = await deriveSharedSecret(alg, bob.privateKey, alice.publicKey);
    expect(forAlice.ok && forBob.ok).toBe(true);
    if (forAlice.ok && forBob.ok) expect(toHex(forAlice.value)).toBe(toHex(forBob.value));
    expect(alice.privateKey.extractable).toBe(false);
    await expect(globalThis.crypto.subtle.exportKey('pkcs8', alice.privateKey)).rejects.toThrow();
  });

  it('refuses a peer key of the wrong length with bad-length', async () => {
    const alice = await generateEphemeral(alg);
    const bob = await generateEphemeral(alg);
    for (const peer of [
      bob.publicKey.subarray(1),
      new Uint8Array([...bob.publicKey, 0]),
      new Uint8Array(0),
    ]) {
      const result = await deriveSharedSecret(alg, alice.privateKey, peer);
      expect(result.ok ? 'derived' : result.reason).toBe('bad-length');
    }
  });
});

describe('public key sizes', () => {
  it('are 32 bytes for X25519, 133 (uncompressed) for P-521', async () => {
    expect((await generateEphemeral('x25519')).publicKey.length).toBe(32);
    const p521 = (await generateEphemeral('p521')).publicKey;
    expect([p521.length, p521[0]]).toEqual([133, 4]);
  });
});

describe('X25519 low-order points', () => {
  // The points of order 1, 2, 4 and 8 and their non-canonical encodings (RFC 7748 and
  // the libsodium blocklist): each forces an all-zero shared secret.
  const lowOrder = [
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0100000000000000000000000000000000000000000000000000000000000000',
    'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
    '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  ];

  it.each(lowOrder)('refuses %s with bad-point', async (point) => {
    const mine = await generateEphemeral('x25519');
    const result = await deriveSharedSecret('x25519', mine.privateKey, fromHex(point));
    expect(result.ok ? 'derived' : result.reason).toBe('bad-point');
  });

  it('still computes RFC 7748 section 6.1 for a known private key', async () => {
    const alicePrivate = await importX25519PrivateKey(
      fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'),
    );
    const bobPublic = fromHex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const result = await deriveSharedSecret('x25519', alicePrivate, bobPublic);
    expect(result.ok && toHex(result.value)).toBe(
      '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742',
    );
  });
});

describe('invalid curve points', () => {
  it.each(['p521', 'p256'] as const)('refuses a %s point that is not on the curve', async (alg) => {
    const mine = await generateEphemeral(alg);
    const peer = (await generateEphemeral(alg)).publicKey.slice();
    peer[peer.length - 1]! ^= 1; // y no longer matches x
    const result = await deriveSharedSecret(alg, mine.privateKey, peer);
    expect(result.ok ? 'derived' : result.reason).toBe('bad-point');
  });

  it('refuses a compressed-form prefix in an uncompressed-length key', async () => {
    const mine = await generateEphemeral('p521');
    const peer = (await generateEphemeral('p521')).publicKey.slice();
    peer[0] = 0x02;
    const result = await deriveSharedSecret('p521', mine.privateKey, peer);
    expect(result.ok ? 'derived' : result.reason).toBe('bad-point');
  });

  it('refuses the point at infinity and an unknown algorithm', async () => {
    const mine = await generateEphemeral('p256');
    const zeros = new Uint8Array(65);
    zeros[0] = 4;
    const infinity = await deriveSharedSecret('p256', mine.privateKey, zeros);
    expect(infinity.ok ? 'derived' : infinity.reason).toBe('bad-point');
    const unknown = await deriveSharedSecret('x448' as AnyKeyAgreement, mine.privateKey, zeros);
    expect(unknown.ok ? 'derived' : unknown.reason).toBe('unknown-suite');
  });
});
