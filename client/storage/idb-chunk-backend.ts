// The IndexedDB chunk backend, for browsers without OPFS: one record per sealed chunk,
// keyed [fileId, index], and one state record per file. Slower than OPFS (a record per
// 16 KiB chunk) but it keeps the same contract. Its plaintext copy for saving is a Blob
// built from per-piece Blobs, which the browser may keep on disk.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { SEALED_CHUNK_BYTES } from '../core/files/file-layout';
import type { ChunkBackend, StoredState } from './chunk-backend';

interface ChunkDB extends DBSchema {
  chunks: { key: [string, number]; value: Uint8Array };
  state: { key: string; value: StoredState };
}

export const CHUNK_DB_NAME = 'p2p-secure-chat-chunks';

export class IdbChunkBackend implements ChunkBackend {
  readonly kind = 'indexeddb' as const;
  private db: Promise<IDBPDatabase<ChunkDB>> | undefined;

  constructor(private readonly name = CHUNK_DB_NAME) {}

  private open(): Promise<IDBPDatabase<ChunkDB>> {
    this.db ??= openDB<ChunkDB>(this.name, 1, {
      upgrade(db) {
        db.createObjectStore('chunks');
        db.createObjectStore('state');
      },
    });
    return this.db;
  }

  async writeData(fileId: string, offset: number, bytes: Uint8Array): Promise<void> {
    const db = await this.open();
    const tx = db.transaction('chunks', 'readwrite');
    const first = offset / SEALED_CHUNK_BYTES;
    for (let at = 0, i = first; at < bytes.length; at += SEALED_CHUNK_BYTES, i++) {
      // slice(): a view would store its whole underlying buffer.
      void tx.store.put(bytes.slice(at, at + SEALED_CHUNK_BYTES), [fileId, i]);
    }
    await tx.done;
  }

  async readData(fileId: string, offset: number, length: number): Promise<Uint8Array> {
    const db = await this.open();
    const first = offset / SEALED_CHUNK_BYTES;
    const last = first + Math.max(0, Math.ceil(length / SEALED_CHUNK_BYTES) - 1);
    const chunks = await db.getAll('chunks', IDBKeyRange.bound([fileId, first], [fileId, last]));
    const out = new Uint8Array(length);
    let at = 0;
    for (const chunk of chunks) {
      if (at + chunk.length > length) break;
      out.set(chunk, at);
      at += chunk.length;
    }
    return at === length ? out : out.slice(0, at);
  }

  async saveState(fileId: string, state: StoredState): Promise<void> {
    await (await this.open()).put('state', state, fileId);
  }

  async loadState(fileId: string): Promise<StoredState | undefined> {
    return (await this.open()).get('state', fileId);
  }

  async ids(): Promise<string[]> {
    return (await this.open()).getAllKeys('state');
  }

  async remove(fileId: string): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(['chunks', 'state'], 'readwrite');
    void tx
      .objectStore('chunks')
      .delete(IDBKeyRange.bound([fileId, 0], [fileId, Number.MAX_SAFE_INTEGER]));
    void tx.objectStore('state').delete(fileId);
    await tx.done;
  }

  async plainCopy(_fileId: string, pieces: AsyncIterable<Uint8Array>, type: string): Promise<Blob> {
    const parts: Blob[] = [];
    for await (const piece of pieces) parts.push(new Blob([piece as Uint8Array<ArrayBuffer>]));
    return new Blob(parts, { type });
  }

  /** The copy is a Blob in page memory only: nothing is stored to remove. */
  async removePlain(): Promise<void> {}

  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    (await db?.catch(() => undefined))?.close();
  }
}
