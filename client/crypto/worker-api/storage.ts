// The at-rest and file part of the worker api: the device data key and per-file keys are
// handles; records and file chunks go in and out as bytes.
import { z } from 'zod';
import { transfer } from 'comlink';
import {
  decryptRecord,
  encryptRecord,
  generateDataKey,
  unwrapDataKey,
  wrapDataKey,
  type RecordLocation,
  type WrappedDataKey,
} from '../at-rest';
import {
  createFileDecryptor,
  createFileEncryptor,
  type FileDecryptor,
  type FileEncryptor,
} from '../file-stream';
import type { Argon2Params } from '../primitives/argon2';
import { randomBytes } from '../primitives/bytes';
import { failure, success, type Result } from '../result';
import type { HandleStore } from './handles';

export type StorageEntry =
  | { kind: 'data-key'; key: Uint8Array }
  | { kind: 'file-key'; key: Uint8Array }
  | { kind: 'file-encryptor'; encryptor: FileEncryptor }
  | { kind: 'file-decryptor'; decryptor: FileDecryptor };

const Location = z.object({ store: z.string().min(1).max(256), id: z.string().min(1).max(1024) });

function bytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array.`);
  return value;
}

function moved<T extends Uint8Array>(value: T): T {
  return transfer(value, [value.buffer as ArrayBuffer]);
}

export function createStorageApi(handles: HandleStore<StorageEntry>) {
  return {
    createDataKey(): string {
      return handles.add({ kind: 'data-key', key: generateDataKey() });
    },
    /** Locks the data key with a passphrase (Argon2id); store the returned record as JSON. */
    wrapDataKey(
      dataKey: string,
      passphrase: string,
      params?: Argon2Params,
    ): Promise<WrappedDataKey> {
      return wrapDataKey(
        handles.get(dataKey, 'data-key').key,
        z.string().parse(passphrase),
        params,
      );
    },
    /** Unlocks: the data key stays here, in worker memory, until release(). */
    async unwrapDataKey(stored: unknown, passphrase: string): Promise<Result<string>> {
      const key = await unwrapDataKey(stored, z.string().parse(passphrase));
      return key.ok ? success(handles.add({ kind: 'data-key', key: key.value })) : key;
    },
    async encryptRecord(
      dataKey: string,
      location: RecordLocation,
      plaintext: Uint8Array,
    ): Promise<Uint8Array> {
      const key = handles.get(dataKey, 'data-key').key;
      return moved(
        await encryptRecord(key, Location.parse(location), bytes(plaintext, 'A record')),
      );
    },
    async decryptRecord(
      dataKey: string,
      location: RecordLocation,
      stored: Uint8Array,
    ): Promise<Result<Uint8Array>> {
      const key = handles.get(dataKey, 'data-key').key;
      const opened = await decryptRecord(key, Location.parse(location), bytes(stored, 'A record'));
      return opened.ok ? success(moved(opened.value)) : opened;
    },
    createFileKey(): string {
      return handles.add({ kind: 'file-key', key: randomBytes(32) });
    },
    /**
     * The per-file key goes into the signed file offer, which travels only over secure
     * channels (DESIGN.md section 8): this is the one way out for it.
     */
    exportFileKey(fileKey: string): Uint8Array {
      return handles.get(fileKey, 'file-key').key.slice();
    },
    importFileKey(key: Uint8Array): Result<string> {
      if (!(key instanceof Uint8Array) || key.length !== 32)
        return failure('bad-length', 'A file key is 32 bytes.');
      return success(handles.add({ kind: 'file-key', key: key.slice() }));
    },
    createFileEncryptor(
      fileKey: string,
      context: Uint8Array,
    ): { handle: string; header: Uint8Array } {
      const encryptor = createFileEncryptor(
        handles.get(fileKey, 'file-key').key,
        bytes(context, 'A context'),
      );
      return {
        handle: handles.add({ kind: 'file-encryptor', encryptor }),
        header: encryptor.header.slice(),
      };
    },
    async fileEncryptorPush(handle: string, data: Uint8Array): Promise<Uint8Array[]> {
      const chunks = await handles
        .get(handle, 'file-encryptor')
        .encryptor.push(bytes(data, 'File data'));
      return transfer(
        chunks,
        chunks.map((c) => c.buffer as ArrayBuffer),
      );
    },
    async fileEncryptorFinish(handle: string): Promise<Uint8Array> {
      const last = await handles.get(handle, 'file-encryptor').encryptor.finish();
      handles.remove(handle);
      return moved(last);
    },
    createFileDecryptor(fileKey: string, context: Uint8Array): Result<string> {
      const created = createFileDecryptor(
        handles.get(fileKey, 'file-key').key,
        bytes(context, 'A context'),
      );
      return created.ok
        ? success(handles.add({ kind: 'file-decryptor', decryptor: created.value }))
        : created;
    },
    async fileDecryptorPush(handle: string, data: Uint8Array): Promise<Result<Uint8Array[]>> {
      const opened = await handles
        .get(handle, 'file-decryptor')
        .decryptor.push(bytes(data, 'File data'));
      if (!opened.ok) return opened;
      return success(
        transfer(
          opened.value,
          opened.value.map((c) => c.buffer as ArrayBuffer),
        ),
      );
    },
    async fileDecryptorFinish(handle: string): Promise<Result<Uint8Array>> {
      const last = await handles.get(handle, 'file-decryptor').decryptor.finish();
      handles.remove(handle);
      return last.ok ? success(moved(last.value)) : last;
    },
  };
}
