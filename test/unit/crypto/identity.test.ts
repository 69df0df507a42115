import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import {
  canonicalEnvelopeBytes,
  createDeviceIdentity,
  identityFingerprint,
  parseStoredIdentity,
  signEnvelope,
  verifyEnvelope,
} from '../../../client/crypto/identity';

function idbRequest<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function storeAndLoad(value: unknown): Promise<unknown> {
  const open = indexedDB.open(`identity-test-${Math.random()}`, 1);
  open.onupgradeneeded = () => open.result.createObjectStore('identity');
  const db = await idbRequest(open);
  await idbRequest(
    db.transaction('identity', 'readwrite').objectStore('identity').put(value, 'device'),
  );
  const loaded = await idbRequest(db.transaction('identity').objectStore('identity').get('device'));
  db.close();
  return loaded;
}

const envelope = { author: 'device-1', counter: 7, room: 'r1', body: { text: 'hi', files: [] } };

describe('device identity', () => {
  test('Ed25519 when the runtime has it; the private key cannot be exported', async () => {
    const identity = await createDeviceIdentity();
    expect(identity.alg).toBe('ed25519');
    expect(identity.publicKey).toHaveLength(32);
    expect(identity.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', identity.privateKey)).rejects.toThrow();
  });

  test('survives a round trip through IndexedDB and still signs', async () => {
    const identity = await createDeviceIdentity();
    const loaded = parseStoredIdentity(await storeAndLoad(identity));
    if (!loaded.ok) throw new Error(loaded.message);
    const signature = await signEnvelope(loaded.value, envelope);
    expect((await verifyEnvelope(identity, envelope, signature)).ok).toBe(true);
  });

  test('a stored identity that is broken or extractable is refused', async () => {
    const identity = await createDeviceIdentity();
    const extractable = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ]);
    const cases: [unknown, string][] = [
      [undefined, 'malformed'],
      [{ ...identity, alg: 'rsa' }, 'unknown-suite'],
      [{ ...identity, publicKey: identity.publicKey.subarray(1) }, 'bad-length'],
      [{ ...identity, privateKey: (extractable as CryptoKeyPair).privateKey }, 'malformed'],
      [{ ...identity, privateKey: 'not a key' }, 'malformed'],
    ];
    for (const [value, reason] of cases) {
      expect(parseStoredIdentity(value)).toMatchObject({ ok: false, reason });
    }
  });

  test('ECDSA P-256 (the fallback) signs and verifies too', async () => {
    const identity = await createDeviceIdentity('ecdsa-p256');
    expect(identity.publicKey).toHaveLength(65);
    const signature = await signEnvelope(identity, envelope);
    expect((await verifyEnvelope(identity, envelope, signature)).ok).toBe(true);
  });
});

describe('signed envelopes', () => {
  test('key order does not matter: a relaying peer re-encodes identically', async () => {
    const identity = await createDeviceIdentity();
    const signature = await signEnvelope(identity, envelope);
    const reordered = {
      body: { files: [], text: 'hi' },
      room: 'r1',
      counter: 7,
      author: 'device-1',
    };
    expect(canonicalEnvelopeBytes(reordered)).toEqual(canonicalEnvelopeBytes(envelope));
    expect((await verifyEnvelope(identity, reordered, signature)).ok).toBe(true);
  });

  test('an edited message or another author is refused with bad-signature', async () => {
    const author = await createDeviceIdentity();
    const other = await createDeviceIdentity();
    const signature = await signEnvelope(author, envelope);
    const edited = { ...envelope, body: { text: 'hi!', files: [] } };
    expect(await verifyEnvelope(author, edited, signature)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
    expect(await verifyEnvelope(other, envelope, signature)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
    expect(await verifyEnvelope(author, envelope, signature.subarray(1))).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });

  test('values with no single JSON spelling cannot be signed or verified', async () => {
    const identity = await createDeviceIdentity();
    for (const bad of [{ a: undefined }, { a: Number.NaN }, { a: new Date(0) }, { a: 1n }]) {
      expect(() => canonicalEnvelopeBytes(bad)).toThrow(/JSON|finite/);
      expect(await verifyEnvelope(identity, bad, new Uint8Array(64))).toMatchObject({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  test('identity fingerprints are stable per key and differ between keys', async () => {
    const a = await createDeviceIdentity();
    const b = await createDeviceIdentity();
    expect(await identityFingerprint(a)).toBe(
      await identityFingerprint({ alg: a.alg, publicKey: a.publicKey.slice() }),
    );
    expect(await identityFingerprint(a)).not.toBe(await identityFingerprint(b));
    expect(await identityFingerprint(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});
