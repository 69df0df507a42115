// The pieces under the sealed identity: a sealable key pair, its re-import as a
// non-extractable key, and the sealed record's contents (no key bytes in the clear; an
// authentic record with a bad key pair inside is still refused).
import { describe, expect, test } from 'vitest';
import {
  createSealableDeviceIdentity,
  exportIdentityPkcs8,
  importDeviceIdentity,
  parseStoredIdentity,
  signEnvelope,
  verifyEnvelope,
} from '../../../client/crypto/identity';
import { concatBytes, fromBase64Url, randomBytes } from '../../../client/crypto/primitives/bytes';
import type { Result } from '../../../client/crypto/result';
import {
  openSealedIdentity,
  sealIdentity,
} from '../../../client/crypto/worker-api/sealed-identity';
import { sealRecord } from '../../../client/crypto/worker-api/sealed-record';

const ALGS = ['ed25519', 'ecdsa-p256'] as const;

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.reason}: ${result.message}`);
  return result.value;
}

async function privateScalar(key: CryptoKey): Promise<Uint8Array> {
  const jwk = await globalThis.crypto.subtle.exportKey('jwk', key);
  return ok(fromBase64Url(jwk.d!));
}

function containsWindow(haystack: Uint8Array, needle: Uint8Array, width = 8): boolean {
  const hay = Buffer.from(haystack);
  for (let start = 0; start + width <= needle.length; start++) {
    if (hay.indexOf(Buffer.from(needle.subarray(start, start + width))) !== -1) return true;
  }
  return false;
}

describe.each(ALGS)('%s sealable identity', (alg) => {
  test('signs with a non-extractable key that the key store accepts', async () => {
    const sealable = await createSealableDeviceIdentity(alg);
    expect(sealable.identity.privateKey.extractable).toBe(false);
    expect(ok(parseStoredIdentity(sealable.identity)).publicKey).toEqual(
      sealable.identity.publicKey,
    );
    const signature = await signEnvelope(sealable.identity, { a: 1 });
    expect((await verifyEnvelope(sealable.identity, { a: 1 }, signature)).ok).toBe(true);
  });

  test('re-imported from PKCS#8: non-extractable, same key pair', async () => {
    const sealable = await createSealableDeviceIdentity(alg);
    const pkcs8 = await exportIdentityPkcs8(sealable);
    const restored = ok(await importDeviceIdentity(alg, pkcs8, sealable.identity.publicKey));
    expect(restored.privateKey.extractable).toBe(false);
    const signature = await signEnvelope(restored, { b: 2 });
    expect((await verifyEnvelope(sealable.identity, { b: 2 }, signature)).ok).toBe(true);
  });

  test('a private key that does not match the public key is refused', async () => {
    const [one, two] = await Promise.all([
      createSealableDeviceIdentity(alg),
      createSealableDeviceIdentity(alg),
    ]);
    const mismatched = await importDeviceIdentity(
      alg,
      await exportIdentityPkcs8(one),
      two.identity.publicKey,
    );
    expect(mismatched).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  test('the sealed record contains neither the private key nor the data key', async () => {
    const sealable = await createSealableDeviceIdentity(alg);
    const dataKey = randomBytes(32);
    const record = await sealIdentity({ kind: 'identity', ...sealable }, dataKey);
    const scalar = await privateScalar(sealable.extractableKey);
    expect(scalar).toHaveLength(32);
    expect(containsWindow(record, scalar)).toBe(false);
    expect(containsWindow(record, await exportIdentityPkcs8(sealable), 16)).toBe(false);
    expect(containsWindow(record, dataKey)).toBe(false);
    expect(ok(await openSealedIdentity(dataKey, record)).publicKey).toEqual(
      sealable.identity.publicKey,
    );
  });
});

describe('importing damaged identities', () => {
  test('garbage, unknown algorithms and wrong sizes are typed failures, never throws', async () => {
    const sealable = await createSealableDeviceIdentity('ecdsa-p256');
    const pkcs8 = await exportIdentityPkcs8(sealable);
    const publicKey = sealable.identity.publicKey;
    expect(await importDeviceIdentity('rsa', pkcs8, publicKey)).toMatchObject({
      reason: 'unknown-suite',
    });
    expect(await importDeviceIdentity('ecdsa-p256', pkcs8, publicKey.subarray(1))).toMatchObject({
      reason: 'bad-length',
    });
    expect(await importDeviceIdentity('ecdsa-p256', randomBytes(64), publicKey)).toMatchObject({
      reason: 'malformed',
    });
    // A P-256 key presented as Ed25519 (with an Ed25519-sized public key).
    expect(await importDeviceIdentity('ed25519', pkcs8, publicKey.subarray(0, 32))).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });

  test('an authentic record whose contents are wrong is still refused', async () => {
    const dataKey = randomBytes(32);
    const [one, two] = await Promise.all([
      createSealableDeviceIdentity('ed25519'),
      createSealableDeviceIdentity('ed25519'),
    ]);
    const seal = (plaintext: Uint8Array, context = 'device-identity') =>
      sealRecord(dataKey, 'identity', context, plaintext);
    const pkcs8 = await exportIdentityPkcs8(one);
    const swappedKey = await seal(concatBytes(new Uint8Array([1]), two.identity.publicKey, pkcs8));
    expect(await openSealedIdentity(dataKey, swappedKey)).toMatchObject({
      reason: 'bad-signature',
    });
    const unknownAlg = await seal(concatBytes(new Uint8Array([9]), one.identity.publicKey, pkcs8));
    expect(await openSealedIdentity(dataKey, unknownAlg)).toMatchObject({
      reason: 'unknown-suite',
    });
    const cut = await seal(concatBytes(new Uint8Array([1]), one.identity.publicKey));
    expect(await openSealedIdentity(dataKey, cut)).toMatchObject({ reason: 'truncated' });
    const otherContext = await seal(
      concatBytes(new Uint8Array([1]), one.identity.publicKey, pkcs8),
      'something-else',
    );
    expect(await openSealedIdentity(dataKey, otherContext)).toMatchObject({
      reason: 'malformed',
    });
  });
});
