// The worker's device wrapping key: it wraps the data key for a device with no passphrase,
// is stored non-extractable in the worker's own database, and a record only opens with
// the key that made it.
import '../../storage/idb-test-db';
import { deleteDB, openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { createCryptoApi } from '../../../../client/crypto/api';
import { indexedDbKeyStore } from '../../../../client/crypto/worker-api/keystore';

const location = { store: 'rooms', id: 'r' };
const names: string[] = [];
function keyDbName(): string {
  const name = `device-key-test-${names.length}-${Date.now()}`;
  names.push(name);
  return name;
}

afterEach(async () => {
  await Promise.all(names.splice(0).map((name) => deleteDB(name)));
});

describe('device wrapping key (worker api)', () => {
  it('a new worker on the same device unwraps the data key; the stored key cannot be read out', async () => {
    const keys = keyDbName();
    const first = createCryptoApi({ keyStore: indexedDbKeyStore(keys) });
    const dataKey = first.createDataKey();
    const sealed = await first.encryptRecord(dataKey, location, new TextEncoder().encode('hi'));
    const record = await first.wrapDataKeyForDevice(dataKey);
    expect(Object.keys(record).sort()).toEqual(['keyId', 'kind', 'nonce', 'version', 'wrapped']);

    const second = createCryptoApi({ keyStore: indexedDbKeyStore(keys) });
    const opened = await second.unwrapDataKeyForDevice(JSON.parse(JSON.stringify(record)));
    expect(opened.ok).toBe(true);
    const plain = await second.decryptRecord(opened.ok ? opened.value : '', location, sealed);
    expect(plain.ok && new TextDecoder().decode(plain.value)).toBe('hi');

    const db = await openDB(keys);
    const stored = (await db.get('device-keys', 'device')) as { key: CryptoKey };
    db.close();
    expect(stored.key.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', stored.key)).rejects.toThrow();
  });

  it('refuses an altered record, a damaged one, and one whose device key is gone', async () => {
    const keys = keyDbName();
    const api = createCryptoApi({ keyStore: indexedDbKeyStore(keys) });
    const record = await api.wrapDataKeyForDevice(api.createDataKey());
    const flipped = record.wrapped.startsWith('A')
      ? `B${record.wrapped.slice(1)}`
      : `A${record.wrapped.slice(1)}`;
    expect(await api.unwrapDataKeyForDevice({ ...record, wrapped: flipped })).toMatchObject({
      ok: false,
      reason: 'bad-tag',
    });
    expect(await api.unwrapDataKeyForDevice({ ...record, extra: 1 })).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    await api.forgetDeviceKeys();
    expect(await api.unwrapDataKeyForDevice(record)).toMatchObject({
      ok: false,
      reason: 'unsupported-version',
      message: expect.stringMatching(/key for local data is gone/),
    });
    // A new device key is made on demand, and old records stay unreadable with it.
    const again = await api.wrapDataKeyForDevice(api.createDataKey());
    expect(again.keyId).not.toBe(record.keyId);
  });

  it('forgetDeviceKeys also forgets the saved identity', async () => {
    const keys = keyDbName();
    const api = createCryptoApi({ keyStore: indexedDbKeyStore(keys) });
    const identity = await api.createIdentity();
    await api.saveIdentity(identity.handle);
    expect(await api.loadSavedIdentity()).toMatchObject({ ok: true });
    await api.forgetDeviceKeys();
    expect(await api.loadSavedIdentity()).toBeNull();
  });

  it('memory key store (Node): the same calls work for the life of the process', async () => {
    const api = createCryptoApi({});
    const record = await api.wrapDataKeyForDevice(api.createDataKey());
    expect(await api.unwrapDataKeyForDevice(record)).toMatchObject({ ok: true });
  });
});
