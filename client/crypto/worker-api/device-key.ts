// The data key of a device with no passphrase: wrapped by a device wrapping key, an
// AES-256-GCM CryptoKey this worker generates NON-EXTRACTABLE and keeps in its own
// IndexedDB database (keystore.ts). The wrapped record can sit next to the history in the
// page's database: without the worker's key it is just bytes, and the key itself can be
// used but never read, not even by this worker. (It protects history copied off the
// device without the browser profile's key database; someone who can run code in this
// origin can unlock it, which is what the optional passphrase is for.)
//
// Record: { version: 1, kind: 'device', keyId, nonce, wrapped } (base64url). keyId names
// the device key, so a record whose key is gone (the key database was cleared) fails as
// such instead of as a tampered record. The AAD binds label, version and keyId.
import { z } from 'zod';
import { DATA_KEY_LENGTH } from '../at-rest';
import {
  asBufferSource,
  concatBytes,
  fromBase64Url,
  randomBytes,
  toBase64Url,
  utf8,
} from '../primitives/bytes';
import { failure, success, type Result } from '../result';
import type { HandleStore } from './handles';
import type { KeyStore, StoredDeviceKey } from './keystore';
import type { StorageEntry } from './storage';

const WRAP_LABEL = utf8('p2p-secure-chat/v1/device-wrapped-data-key\u0000');
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const Base64UrlText = z
  .string()
  .regex(/^[A-Za-z0-9_-]*$/)
  .max(1024);

export const DeviceWrappedDataKey = z.strictObject({
  version: z.literal(1),
  kind: z.literal('device'),
  keyId: Base64UrlText.min(1),
  nonce: Base64UrlText,
  wrapped: Base64UrlText,
});
export type DeviceWrappedDataKey = z.infer<typeof DeviceWrappedDataKey>;

function aad(keyId: string): Uint8Array<ArrayBuffer> {
  return concatBytes(WRAP_LABEL, new Uint8Array([1]), utf8(keyId));
}

async function generateDeviceKey(): Promise<StoredDeviceKey> {
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]);
  return { id: toBase64Url(randomBytes(16)), key };
}

export function createDeviceKeyApi(handles: HandleStore<StorageEntry>, keyStore: KeyStore) {
  async function deviceKey(): Promise<StoredDeviceKey> {
    return (await keyStore.getDeviceKey()) ?? keyStore.addDeviceKey(await generateDeviceKey());
  }

  return {
    /**
     * The data key wrapped by this device's wrapping key (created on first use): a JSON
     * record to store. The key bytes stay in this worker.
     */
    async wrapDataKeyForDevice(dataKey: string): Promise<DeviceWrappedDataKey> {
      const raw = handles.get(dataKey, 'data-key').key;
      const { id, key } = await deviceKey();
      const nonce = randomBytes(NONCE_LENGTH);
      const wrapped = new Uint8Array(
        await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv: nonce, additionalData: aad(id) },
          key,
          asBufferSource(raw),
        ),
      );
      return {
        version: 1,
        kind: 'device',
        keyId: id,
        nonce: toBase64Url(nonce),
        wrapped: toBase64Url(wrapped),
      };
    },
    /**
     * A record from wrapDataKeyForDevice back as a data-key handle. 'malformed' for a
     * damaged record, 'unsupported-version' when this device's wrapping key is gone, and
     * 'bad-tag' when the record was altered.
     */
    async unwrapDataKeyForDevice(stored: unknown): Promise<Result<string>> {
      const parsed = DeviceWrappedDataKey.safeParse(stored);
      if (!parsed.success) return failure('malformed', 'The stored device key record is damaged.');
      const record = parsed.data;
      const nonce = fromBase64Url(record.nonce);
      const wrapped = fromBase64Url(record.wrapped);
      if (!nonce.ok || !wrapped.ok || nonce.value.length !== NONCE_LENGTH) {
        return failure('malformed', 'The stored device key record is damaged.');
      }
      if (wrapped.value.length !== DATA_KEY_LENGTH + TAG_LENGTH) {
        return failure('malformed', 'The stored device key record is damaged.');
      }
      const current = await keyStore.getDeviceKey();
      if (!current || current.id !== record.keyId) {
        return failure(
          'unsupported-version',
          "This device's key for local data is gone (its key storage was cleared), so the stored data can't be read.",
        );
      }
      try {
        const raw = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: nonce.value, additionalData: aad(record.keyId) },
          current.key,
          wrapped.value,
        );
        return success(handles.add({ kind: 'data-key', key: new Uint8Array(raw) }));
      } catch {
        return failure('bad-tag', 'The stored device key record was altered and cannot be opened.');
      }
    },
    /** "Delete all local data": every saved identity and the device wrapping key. */
    async forgetDeviceKeys(): Promise<void> {
      await keyStore.deleteAll();
    },
  };
}
